import { useTranslation } from 'react-i18next';
import { isTheme, setTheme, THEMES, useTheme } from './theme';

/** System, light or dark; remembered in this browser. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const theme = useTheme();
  return (
    <div className="locale-switch">
      <label htmlFor="interface-theme">{t('theme.label')}</label>
      <select
        id="interface-theme"
        value={theme}
        onChange={(event) => {
          if (isTheme(event.target.value)) setTheme(event.target.value);
        }}
      >
        {THEMES.map((option) => (
          <option key={option} value={option}>
            {t(`theme.${option}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
