import { useTranslation } from 'react-i18next';
import { FIELD_LABELS } from '../../../shared/client-fields';
import { countryName } from '../../../shared/countries';
import { languageName } from '../../../shared/languages';
import type { Locale } from '../../../shared/locale';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/i18n';
import { useCategories, useContractTypes, useSubcategories } from '../../lib/lookups';
import { useCan } from '../../lib/session';

/** Fields whose stored value is a code with a translated word per value (t(`${field}.${value}`)). */
const CODED_FIELDS = new Set(['status', 'gender', 'salutation']);
/** Fields whose values are the history's own words (t(`history.${field}.${value}`)). */
const HISTORY_WORDS = new Set(['visibility', 'kind']);
const PICTURE_FIELDS = new Set(['photoFileId', 'logoFileId']);
const DATE_FIELDS = new Set(['deletedAt', 'createdAt']);

type Named = { id: number; name: string }[] | undefined;
const nameIn = (rows: Named, value: unknown) => rows?.find((row) => row.id === value)?.name ?? `#${String(value)}`;

/**
 * How the History tab words a change: a field's name (the card's own label for client fields, the history's for
 * the fields of notes, files, projects and contracts) and a value as people read it (names for lookup ids and
 * codes, Yes/No for flags, dates in the user's locale, "—" for nothing).
 */
export function useHistoryText() {
  const { t } = useTranslation();
  const locale = useLocale();
  const lookupsAllowed = useCan()('lookups.read');
  const categories = useCategories(lookupsAllowed);
  const subcategories = useSubcategories(undefined, lookupsAllowed);
  const contractTypes = useContractTypes(lookupsAllowed);

  const fieldName = (type: string, field: string): string => {
    const clientLabel = type.startsWith('client.')
      ? (FIELD_LABELS as Record<string, Record<Locale, string> | undefined>)[field]?.[locale]
      : undefined;
    return clientLabel ?? t(`history.fields.${field}`, { defaultValue: field });
  };

  const valueText = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('common.none');
    if (typeof value === 'boolean') return value ? t('history.yes') : t('history.no');
    if (field === 'categoryId') return nameIn(categories.data, value);
    if (field === 'subcategoryId') return nameIn(subcategories.data, value);
    if (field === 'typeId') return nameIn(contractTypes.data, value);
    if (field === 'country' && typeof value === 'string') return countryName(value, locale);
    if (field === 'language' && typeof value === 'string') return languageName(value, locale);
    if (CODED_FIELDS.has(field)) return t(`${field}.${String(value)}`);
    if (HISTORY_WORDS.has(field)) return t(`history.${field}.${String(value)}`);
    if (PICTURE_FIELDS.has(field)) return t('history.picture');
    if (DATE_FIELDS.has(field)) return formatDateTime(value as Date | string, locale);
    if (field === 'size' && typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
    return String(value);
  };

  return { fieldName, valueText };
}

export type HistoryText = ReturnType<typeof useHistoryText>;
