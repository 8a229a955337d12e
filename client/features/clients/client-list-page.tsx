import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import {
  Cell,
  Checkbox,
  Column,
  Row,
  type Selection,
  type SortDescriptor,
  Table,
  TableBody,
  TableHeader,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ListSortField } from '../../../shared/client-schema';
import { countryFlag, countryName } from '../../../shared/countries';
import { CLIENT_STATUSES, PAGE_SIZES, type PageSize } from '../../../shared/enums';
import { SearchableSelect } from '../../components/combo-box';
import { countryOptions } from '../../components/options';
import { LoadError, Skeleton } from '../../components/skeleton';
import { formatDate } from '../../lib/format';
import { useFieldLabel, useLocale } from '../../lib/i18n';
import { useCategories, useContractTypes, useProjects, useSubcategories } from '../../lib/lookups';
import { useCan, useUser } from '../../lib/session';
import { trpc } from '../../lib/trpc';
import { ClientAvatar } from '../files/client-avatar';
import { usePresence } from '../live/presence';
import { ViewedBy } from '../live/viewed-by';
import { BulkBar, type BulkTarget } from './bulk-bar';
import { ColumnChooser } from './column-chooser';
import { type ListView, readView, toListInput, writeView } from './list-params';
import { useLiveRows } from './live-rows';
import { SavedViews } from './saved-views';

const SORTABLE: ListSortField[] = ['name', 'email', 'status', 'createdAt'];

/** Every client matching the list's search and filters (all pages), as CSV with headers in the UI's language. */
function exportUrl(view: ListView, locale: string): string {
  const params = writeView({ ...view, page: 1 });
  params.delete('pageSize');
  params.delete('columns');
  params.set('lang', locale);
  return `/api/clients.csv?${params}`;
}

function numberOrUndefined(value: string): number | undefined {
  return value ? Number(value) : undefined;
}

export function ClientListPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useFieldLabel();
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readView(params), [params]);
  const lookupsAllowed = can('lookups.read');
  const me = useUser().id;
  const viewers = usePresence(null, me);

  const update = (changes: Partial<ListView>, options: { keepPage?: boolean; replace?: boolean } = {}) => {
    const next: ListView = { ...view, ...changes };
    if (!options.keepPage) next.page = changes.page ?? 1;
    setParams(writeView(next), { replace: options.replace });
  };

  // The search box types freely; the URL (and the query) follows after a short pause.
  const [searchText, setSearchText] = useState(view.search);
  useEffect(() => setSearchText(view.search), [view.search]);
  useEffect(() => {
    if (searchText === view.search) return;
    const timer = window.setTimeout(() => update({ search: searchText }, { replace: true }), 300);
    return () => window.clearTimeout(timer);
  });

  const input = toListInput(view);
  const list = useQuery({ ...trpc.clients.list.queryOptions(input), placeholderData: keepPreviousData });
  const categories = useCategories(lookupsAllowed);
  const subcategories = useSubcategories(view.categoryId, lookupsAllowed && Boolean(view.categoryId));
  const projects = useProjects(lookupsAllowed);
  const contractTypes = useContractTypes(lookupsAllowed);
  const countries = useMemo(() => countryOptions(locale), [locale]);

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  const items = list.data?.items ?? [];
  const live = useLiveRows(
    input,
    items.map((item) => item.id),
    me,
  );
  const shows = (column: ListView['columns'][number]) => view.columns.includes(column);
  const hasFilters =
    params.toString() !== '' &&
    [...params.keys()].some((key) => !['sort', 'direction', 'pageSize', 'columns'].includes(key));

  // Ticked rows, or every client matching the view ("all N"); a different view starts a fresh choice.
  const mayBulk = can('clients.setStatus');
  const [selected, setSelected] = useState<Selection>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const viewKey = JSON.stringify(input);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view's key is the reason to clear the choice
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [viewKey]);
  const selectedIds = selected === 'all' ? items.map((item) => item.id) : [...selected].map((key) => Number(key));
  const { page: _page, pageSize: _pageSize, ...filter } = input;
  const bulkTarget: BulkTarget = allMatching ? { filter } : { ids: selectedIds };
  const wholePage = items.length > 0 && selectedIds.length === items.length;

  const sortDescriptor: SortDescriptor = {
    column: view.sort,
    direction: view.direction === 'asc' ? 'ascending' : 'descending',
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('list.title')}</h1>
        <p className="count" aria-live="polite">
          {list.data ? t('list.total', { count: total }) : t('common.loading')}
        </p>
        <a className="btn" href={exportUrl(view, locale)} download>
          {t('list.exportCsv')}
        </a>
        {can('clients.bulk') ? (
          <Link className="btn" to="/clients/import">
            {t('import.open')}
          </Link>
        ) : null}
        {can('clients.write') ? (
          <Link className="btn btn-primary" to="/clients/new">
            {t('list.newClient')}
          </Link>
        ) : null}
      </div>

      <search className="filters" aria-label={t('list.filters')}>
        <div className="field field-search">
          <label htmlFor="list-search">{t('list.search')}</label>
          <input
            id="list-search"
            type="search"
            value={searchText}
            placeholder={t('list.searchPlaceholder')}
            onChange={(event) => setSearchText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') update({ search: searchText });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-status">{label('status')}</label>
          <select
            id="filter-status"
            value={view.status ?? ''}
            onChange={(event) => update({ status: (event.target.value || undefined) as ListView['status'] })}
          >
            <option value="">{t('list.allStatuses')}</option>
            {CLIENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        {lookupsAllowed ? (
          <>
            <div className="field">
              <label htmlFor="filter-category">{label('categoryId')}</label>
              <select
                id="filter-category"
                value={view.categoryId ?? ''}
                onChange={(event) =>
                  update({ categoryId: numberOrUndefined(event.target.value), subcategoryId: undefined })
                }
              >
                <option value="">{t('list.allCategories')}</option>
                {(categories.data ?? []).map((category) => (
                  <option key={category.id} value={category.id}>
                    {category.name}
                  </option>
                ))}
              </select>
            </div>
            {view.categoryId ? (
              <div className="field">
                <label htmlFor="filter-subcategory">{label('subcategoryId')}</label>
                <select
                  id="filter-subcategory"
                  value={view.subcategoryId ?? ''}
                  onChange={(event) => update({ subcategoryId: numberOrUndefined(event.target.value) })}
                >
                  <option value="">{t('list.allSubcategories')}</option>
                  {(subcategories.data ?? [])
                    .filter((sub) => sub.categoryId === view.categoryId)
                    .map((sub) => (
                      <option key={sub.id} value={sub.id}>
                        {sub.name}
                      </option>
                    ))}
                </select>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="filter-project">{t('list.project')}</label>
              <select
                id="filter-project"
                value={view.projectId ?? ''}
                onChange={(event) => update({ projectId: numberOrUndefined(event.target.value) })}
              >
                <option value="">{t('list.allProjects')}</option>
                {(projects.data ?? []).map((project) => (
                  <option key={project.id} value={project.id}>
                    {/* Several clients may each have an "ERP rollout": the client's name tells them apart. */}
                    {`${project.name} — ${project.clientName}`}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="filter-contract-type">{t('list.contractType')}</label>
              <select
                id="filter-contract-type"
                value={view.contractTypeId ?? ''}
                onChange={(event) => update({ contractTypeId: numberOrUndefined(event.target.value) })}
              >
                <option value="">{t('list.allContractTypes')}</option>
                {(contractTypes.data ?? []).map((type) => (
                  <option key={type.id} value={type.id}>
                    {type.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <SearchableSelect
          label={label('country')}
          options={countries}
          value={view.country ?? null}
          placeholder={t('list.allCountries')}
          onChange={(country) => update({ country: country ?? undefined })}
        />
        <div className="field">
          <label htmlFor="filter-from">{t('list.createdFrom')}</label>
          <input
            id="filter-from"
            type="date"
            value={view.createdFrom ?? ''}
            max={view.createdTo}
            onChange={(event) => update({ createdFrom: event.target.value || undefined })}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">{t('list.createdTo')}</label>
          <input
            id="filter-to"
            type="date"
            value={view.createdTo ?? ''}
            min={view.createdFrom}
            onChange={(event) => update({ createdTo: event.target.value || undefined })}
          />
        </div>
        {hasFilters ? (
          <div className="field field-action">
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setSearchText('');
                setParams(
                  writeView({ ...readView(new URLSearchParams()), pageSize: view.pageSize, columns: view.columns }),
                );
              }}
            >
              {t('list.clearFilters')}
            </button>
          </div>
        ) : null}
      </search>

      <div className="list-toolbar">
        {can('views.use') ? <SavedViews view={view} onOpen={(saved) => setParams(writeView(saved))} /> : null}
        <ColumnChooser
          columns={view.columns}
          onChange={(columns) => update({ columns }, { keepPage: true, replace: true })}
        />
      </div>
      <p className="visually-hidden" aria-live="polite">
        {live.message}
      </p>

      {list.isError ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}

      {mayBulk ? (
        <BulkBar
          target={bulkTarget}
          count={allMatching ? total : selectedIds.length}
          total={total}
          onSelectAll={
            wholePage && !allMatching && total > items.length && can('clients.bulk') ? () => setAllMatching(true) : null
          }
          onDone={() => {
            setSelected(new Set());
            setAllMatching(false);
          }}
          categories={categories.data ?? []}
        />
      ) : null}

      <div className={`table-wrap${list.isFetching && list.isPlaceholderData ? ' is-stale' : ''}`}>
        <Table
          aria-label={t('list.tableLabel')}
          className="table"
          sortDescriptor={sortDescriptor}
          onSortChange={(descriptor) =>
            update(
              {
                sort: descriptor.column as ListSortField,
                direction: descriptor.direction === 'ascending' ? 'asc' : 'desc',
              },
              { keepPage: false },
            )
          }
          onRowAction={(key) => navigate(`/clients/${key}`)}
          selectionMode={mayBulk ? 'multiple' : 'none'}
          selectionBehavior="toggle"
          selectedKeys={allMatching ? 'all' : selected}
          onSelectionChange={(keys) => {
            setAllMatching(false);
            setSelected(keys);
          }}
        >
          <TableHeader>
            {mayBulk ? (
              <Column className="select-column">
                <Checkbox slot="selection" className="select-box" aria-label={t('bulk.selectPage')} />
              </Column>
            ) : null}
            <Column id="name" isRowHeader allowsSorting={SORTABLE.includes('name')}>
              {label('name')}
            </Column>
            <Column id="email" allowsSorting>
              {label('email')}
            </Column>
            <Column id="status" allowsSorting>
              {label('status')}
            </Column>
            {shows('mobile') ? <Column id="mobile">{label('mobile')}</Column> : null}
            {shows('category') ? <Column id="category">{label('categoryId')}</Column> : null}
            {shows('country') ? <Column id="country">{label('country')}</Column> : null}
            {shows('companyName') ? <Column id="companyName">{label('companyName')}</Column> : null}
            <Column id="createdAt" allowsSorting>
              {label('createdAt')}
            </Column>
          </TableHeader>
          <TableBody
            items={items}
            dependencies={[viewers, live.changed, view.columns]}
            renderEmptyState={() =>
              list.isPending ? (
                <Skeleton lines={8} />
              ) : (
                <div className="empty">
                  <p className="empty-title">{t('list.empty')}</p>
                  <p>{t('list.emptyHint')}</p>
                </div>
              )
            }
          >
            {(client) => (
              <Row id={client.id} className={live.changed.has(client.id) ? 'row row-changed' : 'row'}>
                {mayBulk ? (
                  <Cell>
                    <Checkbox
                      slot="selection"
                      className="select-box"
                      aria-label={t('bulk.selectRow', { name: client.name })}
                    />
                  </Cell>
                ) : null}
                <Cell>
                  <div className="name-cell">
                    <ClientAvatar name={client.name} photoFileId={client.photoFileId} />
                    <span>
                      <Link to={`/clients/${client.id}`} className="name-link">
                        {client.name}
                      </Link>
                      {client.companyName ? <span className="sub">{client.companyName}</span> : null}
                    </span>
                    <ViewedBy viewers={viewers.get(client.id)} />
                    {client.country ? (
                      <span className="flag" title={countryName(client.country, locale)}>
                        {countryFlag(client.country)}
                      </span>
                    ) : null}
                  </div>
                </Cell>
                <Cell>{client.email ?? ''}</Cell>
                <Cell>
                  <span className={`badge badge-${client.status}`}>{t(`status.${client.status}`)}</span>
                </Cell>
                {shows('mobile') ? <Cell>{client.mobile ?? ''}</Cell> : null}
                {shows('category') ? <Cell>{client.categoryName ?? ''}</Cell> : null}
                {shows('country') ? <Cell>{client.country ? countryName(client.country, locale) : ''}</Cell> : null}
                {shows('companyName') ? <Cell>{client.companyName ?? ''}</Cell> : null}
                <Cell>
                  <time dateTime={new Date(client.createdAt).toISOString()}>
                    {formatDate(client.createdAt, locale)}
                  </time>
                </Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      </div>

      <nav className="pagination" aria-label={t('list.pagination')}>
        <div className="field field-inline">
          <label htmlFor="page-size">{t('list.pageSize')}</label>
          <select
            id="page-size"
            value={view.pageSize}
            onChange={(event) => update({ pageSize: Number(event.target.value) as PageSize })}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <span>{t('list.pageOf', { page: Math.min(view.page, pages), pages })}</span>
        <div className="pager">
          <button
            type="button"
            className="btn"
            disabled={view.page <= 1}
            onClick={() => update({ page: view.page - 1 }, { keepPage: true })}
          >
            {t('list.previous')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={view.page >= pages}
            onClick={() => update({ page: view.page + 1 }, { keepPage: true })}
          >
            {t('list.next')}
          </button>
        </div>
      </nav>
    </div>
  );
}
