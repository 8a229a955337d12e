import type { EntityManager } from '@mikro-orm/knex';
import { dayIn, daysEndingWith } from '../../shared/time-zone';
import type { Actor } from '../auth/actor';
import { Client } from '../clients/entity';
import { NotFoundError } from '../errors';
import { eventFor } from '../live/events';
import { ClientEvent } from './entity';

/** One calendar day (YYYY-MM-DD in the asked time zone) and how many events fell on it. */
export interface DayCount {
  day: string;
  count: number;
}

interface PerDayInput {
  /** IANA zone whose midnights split the days (the viewer's), validated by the router. */
  timeZone: string;
  days: number;
}

/** Counts per calendar day in `timeZone`, the last `days` days up to today, zeros included. */
function countPerDay(ats: Iterable<Date>, input: PerDayInput): DayCount[] {
  const dayOf = dayIn(input.timeZone);
  const counts = new Map(daysEndingWith(dayOf(new Date()), input.days).map((day) => [day, 0]));
  for (const at of ats) {
    const day = dayOf(at);
    const count = counts.get(day);
    if (count !== undefined) counts.set(day, count + 1);
  }
  return [...counts].map(([day, count]) => ({ day, count }));
}

// Rows are read from a day more than the window back (a day in a far zone starts up to 14 h from UTC's) and each
// is put on its local day; days outside the window drop out.
const since = (days: number) => new Date(Date.now() - (days + 1) * 86_400_000);

/**
 * Status changes across all clients per day (the monitor's chart): the feed's "status" events, i.e. every
 * client.status event and every edit that changed the status along with other fields. Staff only (the router).
 */
export async function statusChangesPerDay(em: EntityManager, input: PerDayInput): Promise<DayCount[]> {
  const rows = await em.find(
    ClientEvent,
    {
      at: { $gte: since(input.days) },
      $or: [{ type: 'client.status' }, { type: 'client.updated', changes: { status: { $ne: null } } }],
    },
    { fields: ['at'] },
  );
  return countPerDay(
    rows.map((row) => row.at),
    input,
  );
}

/** One client's events per day (the card's activity chart), cut down to what `actor` may see, as its history is. */
export async function clientActivityPerDay(
  em: EntityManager,
  actor: Actor,
  input: PerDayInput & { clientId: number },
): Promise<DayCount[]> {
  const exists = await em.count(Client, { id: input.clientId });
  if (!exists || (actor.role === 'client' && actor.clientId !== input.clientId)) {
    throw new NotFoundError('There is no such client.');
  }
  const rows = await em.find(ClientEvent, { clientId: input.clientId, at: { $gte: since(input.days) } });
  return countPerDay(
    rows.flatMap((row) => eventFor(actor, row)?.at ?? []),
    input,
  );
}
