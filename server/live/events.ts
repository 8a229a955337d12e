import { EDITABLE_CLIENT_FIELDS } from '../../shared/client-fields';
import type { Role } from '../../shared/enums';
import { can, type Permission } from '../../shared/permissions';
import type { FieldChange } from '../activity/entity';
import type { EventType } from '../activity/write-path';
import { shareSerialization } from './transformer';

/** One event of the log as a subscriber receives it, already cut down to what that subscriber may see. */
export interface LiveEvent {
  kind: 'event';
  seq: number;
  clientId: number;
  type: EventType;
  /** Null for the system, and for portal users unless they made the change themselves. */
  actorId: number | null;
  actorName: string;
  changes: Record<string, FieldChange>;
  at: Date;
}

/**
 * "You are caught up to `seq`": sent once after the replay, so a subscriber that got no event still has a resume
 * point. Its tracked id is that seq too; it may equal the last event's.
 */
export interface LiveHead {
  kind: 'head';
  seq: number;
}

/**
 * Several events that became visible at once (a burst of saves, a replay), in seq order, in one frame: its tracked
 * id is the last one's seq. One message per event would cost a socket write and tRPC's handling per event per
 * subscriber; a subscriber with a backlog gets it in one. Read messages with `eventsIn` (shared/live.ts).
 */
export interface LiveBatch {
  kind: 'batch';
  events: LiveEvent[];
}

export type LiveMessage = LiveEvent | LiveBatch | LiveHead;

/** Who is watching: re-read from the session while the subscription lives, so role changes apply at once. */
export interface Viewer {
  id: number;
  role: Role;
  clientId: number | null;
}

/** A stored row of the event log, as the stream reads it. */
export interface LoggedEvent {
  seq: number;
  clientId: number;
  type: string;
  actorId?: number | null;
  actorName: string;
  changes: Record<string, FieldChange>;
  at: Date;
}

const FAMILIES = ['client', 'note', 'file', 'project', 'contract'] as const;
type Family = (typeof FAMILIES)[number];

/** Families only some roles may read at all; the rest follow `clients.read`. */
const FAMILY_PERMISSION: Partial<Record<Family, Permission>> = {
  project: 'projects.read',
  contract: 'projects.read',
};

/**
 * What a portal user may receive, family by family and field by field: exactly what its own card shows it
 * (clients.get, its public notes, its files). Listing the fields rather than hiding some means a field added
 * to the log later stays internal until someone decides the portal may see it. Families not listed here
 * (projects, contracts: internal) never reach the portal.
 */
const PORTAL_FIELDS: Partial<Record<Family, ReadonlySet<string>>> = {
  client: new Set<string>([...EDITABLE_CLIENT_FIELDS, 'deletedAt', 'photoFileId', 'logoFileId']),
  note: new Set(['id', 'body', 'visibility']),
  file: new Set(['id', 'kind', 'fileName', 'mimeType', 'size']),
};

function familyOf(type: string): Family | undefined {
  return FAMILIES.find((family) => type.startsWith(`${family}.`));
}

/**
 * A note event is about a private note when its visibility was or became private. The notes service always
 * records the visibility; an event without it is treated as private, so a mistake hides rather than leaks.
 */
function aboutPrivateNote(changes: Record<string, FieldChange>): boolean {
  const visibility = changes.visibility;
  return !visibility || visibility.before === 'private' || visibility.after === 'private';
}

/**
 * The event as `viewer` may see it, or null when it may not see it at all. Staff (every role that reads
 * clients, viewers included) see every client's events, private notes only with `notes.readPrivate`. A portal
 * user sees only its own client's events, never private notes, and only the fields its card shows.
 */
export function eventFor(viewer: Viewer, row: LoggedEvent): LiveEvent | null {
  const family = familyOf(row.type);
  if (!family || !can(viewer.role, 'clients.read')) return null;
  const permission = FAMILY_PERMISSION[family];
  if (permission && !can(viewer.role, permission)) return null;
  if (family === 'note' && aboutPrivateNote(row.changes) && !can(viewer.role, 'notes.readPrivate')) return null;

  const event = staffEventOf(row);
  if (viewer.role !== 'client') return event;

  const fields = PORTAL_FIELDS[family];
  if (!fields || row.clientId !== viewer.clientId) return null;
  const changes = Object.fromEntries(Object.entries(row.changes).filter(([field]) => fields.has(field)));
  if (Object.keys(changes).length === 0) return null;
  // Staff accounts are internal: a portal user learns who changed its card by name (as on notes), not by id.
  return { ...event, changes, actorId: row.actorId === viewer.id ? viewer.id : null };
}

/**
 * Every staff member allowed to see a row sees the same event: one object per row, shared by all their streams,
 * so a save seen by a thousand subscribers builds (and serializes: transformer.ts) its event once.
 * Shared, so never changed.
 */
const staffEvents = new WeakMap<LoggedEvent, LiveEvent>();

function staffEventOf(row: LoggedEvent): LiveEvent {
  let event = staffEvents.get(row);
  if (!event) {
    event = shareSerialization<LiveEvent>({
      kind: 'event',
      seq: row.seq,
      clientId: row.clientId,
      type: row.type as EventType,
      actorId: row.actorId ?? null,
      actorName: row.actorName,
      changes: row.changes,
      at: row.at,
    });
    staffEvents.set(row, event);
  }
  return event;
}
