import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '../../../shared/messages';
import { useLocale } from '../../lib/i18n';
import type { Conflict } from '../../lib/trpc';

interface Props {
  conflicts: Conflict[];
  onKeepTheirs: () => void;
  onUseMine: () => void;
  isPending: boolean;
}

export function ConflictDialog({ conflicts, onKeepTheirs, onUseMine, isPending }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const show = (value: unknown) => {
    if (value === null || value === undefined || value === '') return t('card.empty');
    if (typeof value === 'boolean') return value ? t('card.yes') : t('card.no');
    return String(value);
  };
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
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onKeepTheirs} disabled={isPending}>
              {t('card.keepTheirs')}
            </button>
            <button type="button" className="btn btn-primary" onClick={onUseMine} disabled={isPending}>
              {t('card.useMine')}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
