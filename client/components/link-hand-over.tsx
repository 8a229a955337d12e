import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/format';
import { useLocale } from '../lib/i18n';
import { useAnnounce } from './announcer';

/** A set-password link as the server answers it: a path to hand over, or the address it was mailed to. */
export interface HandedOverLink {
  path: string | null;
  mailedTo: string | null;
  expiresAt: Date;
}

/**
 * Shows a one-time set-password link for an administrator to pass on (with a Copy button), or says where it was
 * e-mailed. The link is absolute on this site's address, which is where the person will open it.
 */
export function LinkHandOver({ link, name }: { link: HandedOverLink; name: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const announce = useAnnounce();
  const id = useId();
  const date = formatDateTime(link.expiresAt, locale);
  if (!link.path) {
    return (
      <p className="notice link-hand-over" role="status">
        {t('link.mailed', { email: link.mailedTo ?? '', date })}
      </p>
    );
  }
  const url = `${window.location.origin}${link.path}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      announce(t('link.copied'));
    } catch {
      announce(t('link.copyFailed'), 'error');
    }
  };
  return (
    <div className="link-hand-over" role="status">
      <div className="field">
        <label htmlFor={id}>{t('link.label')}</label>
        <div className="link-hand-over-row">
          <input id={id} readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
          <button type="button" className="btn" onClick={() => void copy()}>
            {t('link.copy')}
          </button>
        </div>
      </div>
      <p className="hint">{t('link.handOver', { name, date })}</p>
    </div>
  );
}
