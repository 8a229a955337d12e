export const SALUTATIONS = ['mr', 'mrs', 'miss', 'dr', 'sir', 'madam'] as const;
export type Salutation = (typeof SALUTATIONS)[number];

export const GENDERS = ['male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const CLIENT_STATUSES = ['active', 'inactive'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const ROLES = ['admin', 'manager', 'agent', 'viewer', 'client'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'manager', 'agent', 'viewer'] as const satisfies readonly Role[];

export const NOTE_VISIBILITIES = ['public', 'private'] as const;
export type NoteVisibility = (typeof NOTE_VISIBILITIES)[number];

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** The list's sort columns: here rather than in client-schema so the list page loads without the validation tables. */
export const LIST_SORT_FIELDS = ['name', 'email', 'status', 'createdAt', 'companyName', 'country'] as const;
export type ListSortField = (typeof LIST_SORT_FIELDS)[number];

/** The list's optional columns (DESIGN.md "List"); name, e-mail, status and created at always show. Here rather
 * than in saved-views.ts so the list page loads without zod. */
export const LIST_COLUMNS = ['mobile', 'category', 'country', 'companyName'] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];
