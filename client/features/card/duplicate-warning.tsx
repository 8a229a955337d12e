import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { queryClient, type RouterInputs, type RouterOutputs, trpc } from '../../lib/trpc';
import type { ClientForm } from './form-values';

type Duplicate = RouterOutputs['clients']['findDuplicates'][number];
type Probe = RouterInputs['clients']['findDuplicates'];

const DEBOUNCE_MS = 400;

function probeOf(values: {
  name?: string;
  email?: string;
  taxNumber?: string;
  country?: string;
  companyName?: string;
}): Probe {
  return {
    name: values.name?.trim() || null,
    email: values.email?.trim() || null,
    taxNumber: values.taxNumber?.trim() || null,
    country: values.country || null,
    companyName: values.companyName?.trim() || null,
  };
}
const worthAsking = (probe: Probe) =>
  (probe.name?.length ?? 0) >= 3 ||
  Boolean(probe.email) ||
  Boolean(probe.taxNumber) ||
  (probe.companyName?.length ?? 0) >= 3;
const keyOf = (duplicates: Duplicate[]) =>
  duplicates.map((client) => `${client.id}:${[...client.reasons].sort().join('+')}`).join(',');

/**
 * Possible duplicates of the client being typed in: asked as the name, e-mail and tax number settle (debounced)
 * and once more on save. Saving while some are shown needs an explicit "Create anyway" for exactly that set.
 */
export function useDuplicateCheck(form: ClientForm) {
  const [name, email, taxNumber, country, companyName] = useWatch({
    control: form.control,
    name: ['name', 'email', 'taxNumber', 'country', 'companyName'],
  });
  const [probe, setProbe] = useState<Probe>(() => probeOf({}));
  useEffect(() => {
    const timer = window.setTimeout(
      () => setProbe(probeOf({ name, email, taxNumber, country, companyName })),
      DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [name, email, taxNumber, country, companyName]);
  const query = useQuery({ ...trpc.clients.findDuplicates.queryOptions(probe), enabled: worthAsking(probe) });
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const duplicates = worthAsking(probe) ? (query.data ?? []) : [];

  return {
    duplicates,
    acknowledge: () => setAcknowledged(keyOf(duplicates)),
    reset: () => setAcknowledged(null),
    /** The duplicates of exactly these values that the user has not yet chosen to ignore. */
    async unacknowledged(values: Parameters<typeof probeOf>[0]): Promise<Duplicate[]> {
      const now = probeOf(values);
      if (!worthAsking(now)) return [];
      const found = await queryClient.fetchQuery(trpc.clients.findDuplicates.queryOptions(now));
      setProbe(now);
      return found.length > 0 && keyOf(found) !== acknowledged ? found : [];
    },
  };
}

/**
 * The possible duplicates, each a link to its card (in a new tab, so the form keeps what was typed) with the
 * reasons. A polite live region says how many appeared as the user types; when a save was stopped, focus moves
 * to the warning, which then offers "Create anyway".
 */
export function DuplicateWarning({
  duplicates,
  blocking,
  onCreateAnyway,
}: {
  duplicates: Duplicate[];
  /** True after a save was stopped by them: the warning then asks for a decision. */
  blocking: boolean;
  onCreateAnyway: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = duplicates.length > 0;
  useEffect(() => {
    if (blocking && shown) heading.current?.focus();
  }, [blocking, shown]);
  return (
    <>
      <p className="visually-hidden" aria-live="polite">
        {shown ? t('duplicates.found', { count: duplicates.length }) : ''}
      </p>
      {shown ? (
        <section className="notice notice-warn duplicates" aria-labelledby={headingId}>
          <h2 id={headingId} ref={heading} tabIndex={-1}>
            {t('duplicates.title')}
          </h2>
          <p>{t(blocking ? 'duplicates.blocking' : 'duplicates.hint')}</p>
          <ul>
            {duplicates.map((client) => (
              <li key={client.id}>
                <Link to={`/clients/${client.id}`} target="_blank" rel="noopener">
                  {client.name}
                  <span className="visually-hidden"> {t('duplicates.newTab')}</span>
                </Link>
                {client.companyName ? ` (${client.companyName})` : ''}
                {' — '}
                {client.reasons.map((reason) => t(`duplicates.reasons.${reason}`)).join(', ')}
              </li>
            ))}
          </ul>
          {duplicates.some((client) => client.reasons.includes('email')) ? <p>{t('duplicates.emailUnique')}</p> : null}
          {blocking ? (
            <button type="button" className="btn" onClick={onCreateAnyway}>
              {t('duplicates.createAnyway')}
            </button>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
