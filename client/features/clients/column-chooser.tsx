import { useTranslation } from 'react-i18next';
import { LIST_COLUMNS, type ListColumn } from '../../../shared/enums';
import { useFieldLabel } from '../../lib/i18n';

interface Props {
  columns: readonly ListColumn[];
  onChange: (columns: ListColumn[]) => void;
}

/** The field each optional column shows, for its label. */
export const COLUMN_FIELDS = {
  mobile: 'mobile',
  category: 'categoryId',
  country: 'country',
  companyName: 'companyName',
} as const satisfies Record<ListColumn, string>;

/** Ticks the list's optional columns (kept in the URL and in saved views). */
export function ColumnChooser({ columns, onChange }: Props) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  return (
    <details className="column-chooser">
      <summary className="btn btn-ghost">{t('views.columns')}</summary>
      <fieldset aria-label={t('views.columns')}>
        {LIST_COLUMNS.map((column) => (
          <label key={column} className="check">
            <input
              type="checkbox"
              checked={columns.includes(column)}
              onChange={(event) =>
                onChange(
                  LIST_COLUMNS.filter((each) => (each === column ? event.target.checked : columns.includes(each))),
                )
              }
            />
            {label(COLUMN_FIELDS[column])}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
