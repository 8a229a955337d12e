import { useTranslation } from 'react-i18next';
import type { CardViewer } from './presence';

/** A list row's marker that others have the client's card open. */
export function ViewedBy({ viewers }: { viewers: CardViewer[] | undefined }) {
  const { t } = useTranslation();
  if (!viewers?.length) return null;
  const names = [...new Set(viewers.map((viewer) => viewer.name))].join(', ');
  const label = t('live.viewedBy', { names });
  return (
    <span className="viewed-by" role="img" aria-label={label} title={label}>
      <span aria-hidden="true">●</span>
    </span>
  );
}
