import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  IMPORT_TARGET_LABELS,
  type ImportCounts,
  type ImportEvent,
  type ImportMapping,
  type ImportPreview,
  type ImportTarget,
  type UpsertKey,
} from '../../../shared/client-csv';
import type { FieldErrors } from '../../../shared/field-errors';
import type { Locale } from '../../../shared/locale';
import { useLocale } from '../../lib/i18n';
import { trpc } from '../../lib/trpc';
import { ImportRefused, type ImportSource, previewImport, runImport } from './import-api';

type Step = 'source' | 'mapping' | 'checked' | 'importing' | 'done';

interface RowError {
  row: number;
  line: number;
  errors: FieldErrors;
}

interface Report extends ImportCounts {
  rows: number;
  rowErrors: RowError[];
  failed: string | null;
}

/** Enough to fix a file by; the counts still cover every row. */
const SHOWN_ROW_ERRORS = 500;
const SAMPLES = 3;

const emptyReport = (rows: number): Report => ({
  rows,
  processed: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  rowErrors: [],
  failed: null,
});

function reduce(report: Report, event: ImportEvent): Report {
  switch (event.type) {
    case 'start':
      return emptyReport(event.rows);
    case 'rowError':
      return report.rowErrors.length >= SHOWN_ROW_ERRORS
        ? report
        : { ...report, rowErrors: [...report.rowErrors, event] };
    case 'failed':
      return { ...report, ...countsOf(event), failed: event.message };
    default:
      return { ...report, ...countsOf(event) };
  }
}

function countsOf({ rows, processed, created, updated, unchanged, skipped }: ImportCounts & { rows: number }) {
  return { rows, processed, created, updated, unchanged, skipped };
}

function targetLabel(target: string, locale: Locale): string {
  return IMPORT_TARGET_LABELS[target as ImportTarget]?.[locale] ?? target;
}

/** The import wizard: a file or pasted text, the column mapping, a dry run, then the import with its progress. */
export function ImportPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('source');
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [source, setSource] = useState<ImportSource | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [upsert, setUpsert] = useState<UpsertKey>('none');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // Each step moves the focus to its heading, so keyboard and screen-reader users start at its top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the step is the reason to move the focus
  useEffect(() => heading.current?.focus(), [step]);

  const failWith = (caught: unknown) =>
    setError(caught instanceof ImportRefused ? caught.message : t('import.failed', { message: String(caught) }));

  async function upload(event: FormEvent) {
    event.preventDefault();
    const chosen: ImportSource | null = file ? { file } : text.trim() ? { text } : null;
    if (!chosen) {
      setError(t('import.nothingChosen'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await previewImport(chosen, locale);
      setSource(chosen);
      setPreview(answer);
      setMapping(answer.mapping);
      setStep('mapping');
    } catch (caught) {
      failWith(caught);
    } finally {
      setBusy(false);
    }
  }

  async function run(mode: 'dry-run' | 'import') {
    if (!source || !preview) return;
    setBusy(true);
    setError(null);
    let current = emptyReport(preview.rowCount);
    setReport(current);
    if (mode === 'import') setStep('importing');
    try {
      await runImport(source, { mode, upsert, mapping }, locale, (event) => {
        current = reduce(current, event);
        setReport(current);
      });
      setStep(mode === 'import' ? 'done' : 'checked');
    } catch (caught) {
      failWith(caught);
      setStep(mode === 'import' ? 'done' : 'mapping');
    } finally {
      setBusy(false);
      if (mode === 'import') void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
    }
  }

  const headerOf = (target: string) => Object.keys(mapping).find((header) => mapping[header] === target);

  return (
    <div className="page import-page">
      <div className="page-head">
        <h1>{t('import.title')}</h1>
        <Link className="btn" to="/clients">
          {t('import.backToList')}
        </Link>
      </div>
      <ol className="import-steps" aria-label={t('import.steps')}>
        {(['source', 'mapping', 'checked', 'done'] as const).map((name) => (
          <li key={name} aria-current={stepGroup(step) === name ? 'step' : undefined}>
            {t(`import.step.${name}`)}
          </li>
        ))}
      </ol>
      {error ? (
        <p role="alert" className="form-alert">
          {error}
        </p>
      ) : null}

      {step === 'source' ? (
        <form className="panel import-source" onSubmit={upload}>
          <h2 ref={heading} tabIndex={-1}>
            {t('import.step.source')}
          </h2>
          <div className="field">
            <label htmlFor="import-file">{t('import.file')}</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,text/csv,text/plain"
              aria-describedby="import-file-hint"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
            <p id="import-file-hint" className="hint">
              {t('import.fileHint')}
            </p>
          </div>
          <div className="field field-wide">
            <label htmlFor="import-text">{t('import.paste')}</label>
            <textarea
              id="import-text"
              rows={6}
              value={text}
              disabled={file !== null}
              onChange={(event) => setText(event.target.value)}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('import.reading') : t('import.next')}
            </button>
          </div>
        </form>
      ) : null}

      {step === 'mapping' && preview ? (
        <section className="panel" aria-labelledby="import-mapping-title">
          <h2 id="import-mapping-title" ref={heading} tabIndex={-1}>
            {t('import.step.mapping')}
          </h2>
          <p className="hint">{t('import.mappingHint', { count: preview.rowCount })}</p>
          <div className="table-wrap">
            <table className="table import-mapping">
              <thead>
                <tr>
                  <th scope="col">{t('import.column')}</th>
                  <th scope="col">{t('import.samples')}</th>
                  <th scope="col">{t('import.field')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.headers.map((header, index) => (
                  <tr key={header}>
                    <th scope="row">{header}</th>
                    <td>
                      {preview.rows
                        .map((row) => row[index] ?? '')
                        .filter(Boolean)
                        .slice(0, SAMPLES)
                        .join(' · ') || t('import.noSamples')}
                    </td>
                    <td>
                      <select
                        aria-label={t('import.fieldFor', { column: header })}
                        value={mapping[header] ?? ''}
                        onChange={(event) =>
                          setMapping({ ...mapping, [header]: (event.target.value || null) as ImportTarget | null })
                        }
                      >
                        <option value="">{t('import.skip')}</option>
                        {preview.targets.map((target) => (
                          <option key={target} value={target}>
                            {targetLabel(target, locale)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset className="import-upsert">
            <legend>{t('import.upsert')}</legend>
            {(['none', 'email', 'taxNumber'] as const).map((key) => (
              <label key={key} className="radio-option">
                <input
                  type="radio"
                  name="import-upsert"
                  value={key}
                  checked={upsert === key}
                  onChange={() => setUpsert(key)}
                />
                {t(`import.upsertBy.${key}`)}
              </label>
            ))}
          </fieldset>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setStep('source')} disabled={busy}>
              {t('import.back')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void run('dry-run')} disabled={busy}>
              {busy ? t('import.checking') : t('import.check')}
            </button>
          </div>
        </section>
      ) : null}

      {(step === 'checked' || step === 'importing' || step === 'done') && report ? (
        <section className="panel" aria-labelledby="import-report-title">
          <h2 id="import-report-title" ref={heading} tabIndex={-1}>
            {t(
              step === 'checked'
                ? 'import.step.checked'
                : step === 'importing'
                  ? 'import.importing'
                  : 'import.step.done',
            )}
          </h2>
          {step !== 'checked' ? <Progress report={report} /> : null}
          <Counts report={report} dryRun={step === 'checked'} />
          {report.failed ? (
            <p role="alert" className="form-alert">
              {t('import.brokeOff', { message: report.failed })}
            </p>
          ) : null}
          <RowErrors report={report} locale={locale} headerOf={headerOf} />
          <div className="form-actions">
            {step === 'checked' ? (
              <>
                <button type="button" className="btn" onClick={() => setStep('mapping')} disabled={busy}>
                  {t('import.backToMapping')}
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => void run('import')}
                  disabled={busy || report.created + report.updated === 0}
                >
                  {t('import.run', { count: report.created + report.updated })}
                </button>
              </>
            ) : null}
            {step === 'done' ? (
              <Link className="btn btn-primary" to="/clients">
                {t('import.backToList')}
              </Link>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}

function stepGroup(step: Step): 'source' | 'mapping' | 'checked' | 'done' {
  return step === 'importing' ? 'done' : step;
}

function Progress({ report }: { report: Report }) {
  const { t } = useTranslation();
  const percent = report.rows > 0 ? Math.round((report.processed / report.rows) * 100) : 100;
  return (
    <div className="import-progress">
      <div
        role="progressbar"
        aria-label={t('import.progress')}
        aria-valuemin={0}
        aria-valuemax={report.rows}
        aria-valuenow={report.processed}
        aria-valuetext={t('import.progressText', { done: report.processed, total: report.rows })}
        className="import-progress-track"
      >
        <div className="import-progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="hint">{t('import.progressText', { done: report.processed, total: report.rows })}</p>
    </div>
  );
}

function Counts({ report, dryRun }: { report: Report; dryRun: boolean }) {
  const { t } = useTranslation();
  const prefix = dryRun ? 'import.would' : 'import.did';
  return (
    <dl className="import-counts" aria-live="polite">
      {(['created', 'updated', 'unchanged', 'skipped'] as const).map((key) => (
        <div key={key}>
          <dt>{t(`${prefix}.${key}`)}</dt>
          <dd>{report[key]}</dd>
        </div>
      ))}
    </dl>
  );
}

function RowErrors({
  report,
  locale,
  headerOf,
}: {
  report: Report;
  locale: Locale;
  headerOf: (target: string) => string | undefined;
}) {
  const { t } = useTranslation();
  if (report.rowErrors.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="table import-errors">
        <caption>{t('import.rowErrors', { count: report.skipped })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('import.row')}</th>
            <th scope="col">{t('import.field')}</th>
            <th scope="col">{t('import.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rowErrors.flatMap(({ row, line, errors }) =>
            Object.entries(errors).flatMap(([field, messages]) =>
              messages.map((message) => {
                const header = headerOf(field);
                return (
                  <tr key={`${row}-${field}-${message}`}>
                    <td>{t('import.rowAt', { row, line })}</td>
                    <td>
                      {targetLabel(field, locale)}
                      {header ? <span className="hint"> ({t('import.columnNamed', { column: header })})</span> : null}
                    </td>
                    <td>{message}</td>
                  </tr>
                );
              }),
            ),
          )}
        </tbody>
      </table>
      {report.skipped > report.rowErrors.length ? (
        <p className="hint">{t('import.moreErrors', { count: report.skipped - report.rowErrors.length })}</p>
      ) : null}
    </div>
  );
}
