import { useTranslation } from 'react-i18next';

/**
 * Grey placeholder bars in the shape of what is coming, shown on a first load instead of a spinner. Busy for
 * assistive technology, which hears "Loading…" once.
 */
export function Skeleton({ lines = 5, variant = 'rows' }: { lines?: number; variant?: 'rows' | 'card' | 'tiles' }) {
  const { t } = useTranslation();
  return (
    <div className={`skeleton skeleton-${variant}`} aria-busy="true">
      <span className="visually-hidden">{t('common.loading')}</span>
      {Array.from({ length: lines }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders, never reordered
        <div key={index} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}

/** What went wrong while loading, what to try, and a button that tries again. */
export function LoadError({ error, onRetry }: { error: { message: string }; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="form-alert load-error" role="alert">
      <p>{t('ui.loadFailed', { message: error.message })}</p>
      <button type="button" className="btn" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}
