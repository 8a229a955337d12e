import { useTranslation } from 'react-i18next';
import { isLocale } from '../../shared/locale';
import { changeLocale, useLocale } from '../lib/i18n';

/** The interface language choice: kept in localStorage, switches validation messages too. */
export function LocaleSwitch() {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="locale-switch">
      <label htmlFor="interface-language">{t('locale.label')}</label>
      <select
        id="interface-language"
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) changeLocale(event.target.value);
        }}
      >
        <option value="en">{t('locale.en')}</option>
        <option value="pl">{t('locale.pl')}</option>
      </select>
    </div>
  );
}
