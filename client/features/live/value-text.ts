import { useTranslation } from 'react-i18next';

/** A field's value as people read it: "empty" for nothing, yes/no for flags. */
export function useValueText(): (value: unknown) => string {
  const { t } = useTranslation();
  return (value) => {
    if (value === null || value === undefined || value === '') return t('card.empty');
    if (typeof value === 'boolean') return value ? t('card.yes') : t('card.no');
    return String(value);
  };
}
