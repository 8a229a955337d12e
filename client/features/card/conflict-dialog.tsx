import { useEffect, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '../../../shared/messages';
import { useLocale } from '../../lib/i18n';
import type { Conflict } from '../../lib/trpc';
import { useValueText } from '../live/value-text';

interface Props {
  conflicts: Conflict[];
  onKeepTheirs: () => void;
  /** Saves the user's own value for these fields; theirs stays in the others. */
  onUseMine: (fields: string[]) => void;
  isPending: boolean;
}

export function ConflictDialog({ conflicts, onKeepTheirs, onUseMine, isPending }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const show = useValueText();
  // Per field: use mine (the default, so no edit is dropped without a choice) or keep theirs.
  const [mine, setMine] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setMine(new Set(conflicts.map((conflict) => conflict.field))), [conflicts]);
  const choose = (field: string, useMine: boolean) =>
    setMine((current) => {
      const next = new Set(current);
      if (useMine) next.add(field);
      else next.delete(field);
      return next;
    });
  return (
    <ModalOverlay className="modal-overlay" isOpen={conflicts.length > 0}>
      <Modal className="modal modal-wide">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title" className="dialog-title">
            {t('card.conflictTitle')}
          </Heading>
          <p>{t('card.conflictIntro')}</p>
          <div className="table-scroll">
            <table className="conflicts">
              <thead>
                <tr>
                  <th scope="col" className="conflicts-head">
                    {t('card.conflictField')}
                  </th>
                  <th scope="col" className="conflicts-head">
                    {t('card.conflictYours')}
                  </th>
                  <th scope="col" className="conflicts-head">
                    {t('card.conflictTheirs')}
                  </th>
                  <th scope="col" className="conflicts-head">
                    {t('card.conflictBase')}
                  </th>
                  <th scope="col" className="conflicts-head">
                    {t('live.conflictChoice')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {conflicts.map((conflict) => (
                  <tr key={conflict.field}>
                    <th scope="row">{fieldLabel(conflict.field, locale)}</th>
                    <td>{show(conflict.yours)}</td>
                    <td>
                      {show(conflict.theirs)}
                      {conflict.by ? <span className="sub">{t('card.conflictBy', { name: conflict.by })}</span> : null}
                    </td>
                    <td>{show(conflict.base)}</td>
                    <td>
                      <fieldset className="conflict-choice">
                        <legend className="visually-hidden">{fieldLabel(conflict.field, locale)}</legend>
                        <label className="check">
                          <input
                            type="radio"
                            name={`conflict-${conflict.field}`}
                            checked={!mine.has(conflict.field)}
                            onChange={() => choose(conflict.field, false)}
                          />
                          {t('card.keepTheirs')}
                        </label>
                        <label className="check">
                          <input
                            type="radio"
                            name={`conflict-${conflict.field}`}
                            checked={mine.has(conflict.field)}
                            onChange={() => choose(conflict.field, true)}
                          />
                          {t('card.useMine')}
                        </label>
                      </fieldset>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onKeepTheirs} disabled={isPending}>
              {t('live.keepAllTheirs')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => (mine.size > 0 ? onUseMine([...mine]) : onKeepTheirs())}
              disabled={isPending}
            >
              {t('live.applyChoices')}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
