import type { EditableClientField } from './client-fields';
import type { Role } from './enums';

/**
 * Who may do what: the one table every procedure and every screen consults (README.md "Roles" is generated from
 * it and a test keeps the two equal). A portal client ('client') is limited to its own card by the services; the
 * table only says which actions the role may attempt at all.
 */
export const PERMISSIONS = {
  'clients.read': ['admin', 'manager', 'agent', 'viewer', 'client'],
  'clients.write': ['admin', 'manager', 'agent'],
  // A portal client edits its own card's contact, address and e-invoicing fields (PORTAL_EDITABLE_FIELDS).
  'clients.writeOwn': ['client'],
  'clients.setStatus': ['admin', 'manager', 'agent'],
  'clients.delete': ['admin', 'manager'],
  'clients.bulk': ['admin', 'manager'],
  // Private notes are for the staff who work on the cards: not viewers (read-only guests), never the portal.
  'notes.readPrivate': ['admin', 'manager', 'agent'],
  // Portal clients add public notes on their own card and change their own (shared/notes.ts, the notes service).
  'notes.write': ['admin', 'manager', 'agent', 'client'],
  // Edit or delete anybody's note, not only one's own.
  'notes.moderate': ['admin'],
  // A client's projects and contracts are internal: staff only, never the portal.
  'projects.read': ['admin', 'manager', 'agent', 'viewer'],
  // Files are added and removed with clients.write (the portal only reads them); delete anybody's document.
  'files.moderate': ['admin'],
  // The activity feed across every client (the status monitor): staff only.
  'activity.feed': ['admin', 'manager', 'agent', 'viewer'],
  'lookups.read': ['admin', 'manager', 'agent', 'viewer'],
  // Saved list views: staff keep their own and see the shared ones; administrators may change or delete anyone's.
  'views.use': ['admin', 'manager', 'agent', 'viewer'],
  'views.moderate': ['admin'],
  'lookups.write': ['admin'],
  'users.manage': ['admin'],
  'clients.portalAccess': ['admin'],
  // The audit log (sign-ins, failed sign-ins, role and access changes, password resets) and the mail outbox.
  'audit.read': ['admin'],
  'mail.read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** What each permission lets a role do, in words: the README's role table is built from these and PERMISSIONS. */
export const PERMISSION_DESCRIPTIONS = {
  'clients.read':
    'Open client cards and the list, their public notes, documents and history (portal: its own card only)',
  'clients.write': 'Create and edit clients, add and remove their files, projects and contracts',
  'clients.writeOwn': "Edit its own card's contact, address and e-invoicing fields",
  'clients.setStatus': 'Change the status of chosen clients',
  'clients.delete': 'Delete clients and restore deleted ones',
  'clients.bulk': 'Bulk actions on every client matching a filter, and CSV import',
  'notes.readPrivate': 'Read and write private notes',
  'notes.write': 'Add notes and change or delete their own',
  'notes.moderate': "Change or delete anybody's note",
  'projects.read': "See a client's projects and contracts",
  'files.moderate': "Delete anybody's document",
  'activity.feed': 'Follow the status monitor (activity across all clients)',
  'lookups.read': 'Read the lookup lists (categories, sub-categories, contract types)',
  'views.use': 'Keep their own saved list views and use the shared ones',
  'views.moderate': "Change or delete anybody's saved view",
  'lookups.write': 'Manage the lookup lists',
  'users.manage': 'Manage staff accounts: invite, change roles, deactivate, reset passwords',
  'clients.portalAccess':
    "Turn a client's portal sign-in (Login allowed) on and off and hand out its set-password link",
  'audit.read': 'Read the audit log',
  'mail.read': 'See the e-mail outbox',
} as const satisfies Record<Permission, string>;

/**
 * What a portal client may change on its own card: its contact, address and e-invoicing details. Not its name,
 * e-mail (its sign-in address, managed by staff), tax data, category, status or access settings.
 */
export const PORTAL_EDITABLE_FIELDS: ReadonlySet<EditableClientField> = new Set<EditableClientField>([
  'mobile',
  'officePhone',
  'city',
  'state',
  'postalCode',
  'companyAddress',
  'shippingAddress',
  'electronicAddressScheme',
  'electronicAddress',
]);

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
