import { searchColumns } from './search';

type Execute = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * Recomputes every client's folded search text with the current rules (searchColumns), for a migration that
 * changes what the search text holds. Rows already up to date are left alone.
 */
export async function refreshSearchText(execute: Execute): Promise<void> {
  const rows = await execute('select id, name, email, company_name, tax_number, search_text from client');
  for (const row of rows) {
    const { searchText } = searchColumns({
      name: text(row.name) ?? '',
      email: text(row.email),
      companyName: text(row.company_name),
      taxNumber: text(row.tax_number),
    });
    if (searchText !== row.search_text)
      await execute('update client set search_text = ? where id = ?', [searchText, row.id]);
  }
}
