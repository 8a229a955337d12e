import type { ClientListInput } from '../../../shared/client-schema';
import { isCountryCode } from '../../../shared/countries';
import {
  CLIENT_STATUSES,
  type ClientStatus,
  LIST_COLUMNS,
  LIST_SORT_FIELDS,
  type ListColumn,
  type ListSortField,
  PAGE_SIZES,
  type PageSize,
} from '../../../shared/enums';

export interface ListView {
  search: string;
  status?: ClientStatus;
  categoryId?: number;
  subcategoryId?: number;
  projectId?: number;
  contractTypeId?: number;
  country?: string;
  createdFrom?: string;
  createdTo?: string;
  sort: ListSortField;
  direction: 'asc' | 'desc';
  page: number;
  pageSize: PageSize;
  /** The optional columns shown, in LIST_COLUMNS order. */
  columns: ListColumn[];
}

export const DEFAULT_SORT: ListSortField = 'createdAt';
export const DEFAULT_DIRECTION = 'desc';

function positiveInt(value: string | null): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number > 0 ? number : undefined;
}

function isoDate(value: string | null): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

function readColumns(value: string | null): ListColumn[] {
  const named = new Set(value?.split(',') ?? []);
  return LIST_COLUMNS.filter((column) => named.has(column));
}

/** The list's view, read from the URL; anything malformed is ignored rather than fatal. */
export function readView(params: URLSearchParams): ListView {
  const status = params.get('status');
  const sort = params.get('sort');
  const direction = params.get('direction');
  const pageSize = Number(params.get('pageSize'));
  const country = params.get('country')?.toUpperCase();
  const categoryId = positiveInt(params.get('categoryId'));
  return {
    search: params.get('search') ?? '',
    status: (CLIENT_STATUSES as readonly string[]).includes(status ?? '') ? (status as ClientStatus) : undefined,
    categoryId,
    subcategoryId: categoryId ? positiveInt(params.get('subcategoryId')) : undefined,
    projectId: positiveInt(params.get('projectId')),
    contractTypeId: positiveInt(params.get('contractTypeId')),
    country: country && isCountryCode(country) ? country : undefined,
    createdFrom: isoDate(params.get('createdFrom')),
    createdTo: isoDate(params.get('createdTo')),
    sort: (LIST_SORT_FIELDS as readonly string[]).includes(sort ?? '') ? (sort as ListSortField) : DEFAULT_SORT,
    direction: direction === 'asc' || direction === 'desc' ? direction : DEFAULT_DIRECTION,
    page: positiveInt(params.get('page')) ?? 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? (pageSize as PageSize) : 25,
    columns: readColumns(params.get('columns')),
  };
}

/** Writes a view back to URL params, leaving defaults out so links stay short. */
export function writeView(view: ListView): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') params.set(key, String(value));
  };
  set('search', view.search.trim());
  set('status', view.status);
  set('categoryId', view.categoryId);
  set('subcategoryId', view.categoryId ? view.subcategoryId : undefined);
  set('projectId', view.projectId);
  set('contractTypeId', view.contractTypeId);
  set('country', view.country);
  set('createdFrom', view.createdFrom);
  set('createdTo', view.createdTo);
  if (view.sort !== DEFAULT_SORT || view.direction !== DEFAULT_DIRECTION) {
    set('sort', view.sort);
    set('direction', view.direction);
  }
  if (view.page > 1) set('page', view.page);
  if (view.pageSize !== 25) set('pageSize', view.pageSize);
  set('columns', view.columns.join(','));
  return params;
}

export function toListInput(view: ListView): ClientListInput {
  const input: ClientListInput = {
    sort: view.sort,
    direction: view.direction,
    page: view.page,
    pageSize: view.pageSize,
  };
  if (view.search.trim()) input.search = view.search.trim();
  if (view.status) input.status = view.status;
  if (view.categoryId) input.categoryId = view.categoryId;
  if (view.categoryId && view.subcategoryId) input.subcategoryId = view.subcategoryId;
  if (view.projectId) input.projectId = view.projectId;
  if (view.contractTypeId) input.contractTypeId = view.contractTypeId;
  if (view.country) input.country = view.country;
  // A reversed range would be refused by the server: swap it instead.
  if (view.createdFrom && view.createdTo && view.createdFrom > view.createdTo) {
    input.createdFrom = view.createdTo;
    input.createdTo = view.createdFrom;
  } else {
    if (view.createdFrom) input.createdFrom = view.createdFrom;
    if (view.createdTo) input.createdTo = view.createdTo;
  }
  return input;
}

/** The view a saved view opens: its list input and columns, on page 1. */
export function viewOfSaved(saved: { input: Partial<ClientListInput>; columns: ListColumn[] }): ListView {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(saved.input)) if (value !== undefined) params.set(key, String(value));
  params.set('columns', saved.columns.join(','));
  return readView(params);
}

/** Whether two views show the same thing (the page aside). */
export function sameView(a: ListView, b: ListView): boolean {
  return writeView({ ...a, page: 1 }).toString() === writeView({ ...b, page: 1 }).toString();
}
