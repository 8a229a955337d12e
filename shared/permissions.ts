import type { Role } from './enums';

/**
 * Who may do what: the one table every procedure and every screen consults.
 * A portal client ('client') is limited to its own card by the services; the table only says which
 * actions the role may attempt at all.
 */
export const PERMISSIONS = {
  'clients.read': ['admin', 'manager', 'agent', 'viewer', 'client'],
  'clients.write': ['admin', 'manager', 'agent'],
  'clients.setStatus': ['admin', 'manager', 'agent'],
  'clients.delete': ['admin', 'manager'],
  'clients.bulk': ['admin', 'manager'],
  'notes.readPrivate': ['admin', 'manager', 'agent', 'viewer'],
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
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
