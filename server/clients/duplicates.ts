import type { EntityManager } from '@mikro-orm/knex';
import { clientListInputSchema } from '../../shared/client-schema';
import { foldForSearch } from '../../shared/fold';
import { taxNumberBody } from '../../shared/tax-numbers';
import type { Actor } from '../auth/actor';
import { Client } from './entity';
import { listClients } from './service';

export type DuplicateReason = 'email' | 'taxNumber' | 'name' | 'companyName';

export interface DuplicateCandidate {
  id: number;
  name: string;
  companyName: string | null;
  email: string | null;
  taxNumber: string | null;
  reasons: DuplicateReason[];
}

export interface DuplicateQuery {
  email?: string | null;
  taxNumber?: string | null;
  /** The country the tax number belongs to, so "PL 526-000-12-46" and "5260001246" are the same number. */
  country?: string | null;
  name?: string | null;
  companyName?: string | null;
  /** The client being edited, which is never its own duplicate. */
  excludeId?: number;
}

const MAX_RESULTS = 10;
// Candidates read per search probe; the similarity below decides among them.
const PROBE_SIZE = 100;
/**
 * Names this close are "very close": 1 - edit distance / longer length, over folded text. 0.85 lets one typo
 * through in a name of seven letters or more ("Jan Kowalski" / "Jan Kowalsky" is 0.92) while two different
 * surnames stay apart ("Jan Nowak" / "Jan Kowalski" is 0.67).
 */
export const NAME_SIMILARITY = 0.85;

export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return 1 - (previous[b.length] as number) / Math.max(a.length, b.length);
}

/**
 * Search terms that reach every close spelling of a name through the search index: the two halves of its
 * longest word (a typo spoils at most one half). The index answers substrings of three characters or more.
 */
function probesFor(folded: string): string[] {
  const longest = folded.split(' ').reduce((best, word) => (word.length > best.length ? word : best), '');
  if (longest.length < 3) return folded.length >= 3 ? [folded] : [];
  if (longest.length < 6) return [longest];
  const half = Math.ceil(longest.length / 2);
  return [longest.slice(0, half), longest.slice(longest.length - half)];
}

async function searchIds(em: EntityManager, actor: Actor, search: string): Promise<number[]> {
  const query = clientListInputSchema.parse({ search, pageSize: PROBE_SIZE, sort: 'name', direction: 'asc' });
  return (await listClients(em, actor, query)).items.map((item) => item.id);
}

/**
 * Active clients that may be the one about to be created (or edited): the same e-mail, the same tax number
 * however it is written, or a very close name or company name. Candidates come from the indexes (e-mail
 * equality, the search index); only they are compared in memory, never the whole table.
 */
export async function findDuplicates(
  em: EntityManager,
  actor: Actor,
  input: DuplicateQuery,
): Promise<DuplicateCandidate[]> {
  const reasons = new Map<number, Set<DuplicateReason>>();
  const note = (id: number, reason: DuplicateReason) => {
    if (id === input.excludeId) return;
    const set = reasons.get(id) ?? new Set<DuplicateReason>();
    set.add(reason);
    reasons.set(id, set);
  };

  const email = input.email?.trim().toLowerCase();
  if (email) {
    for (const client of await em.find(Client, { email, deletedAt: null }, { fields: ['id'], limit: MAX_RESULTS })) {
      note(client.id, 'email');
    }
  }

  const candidateIds = new Set<number>();
  const taxBody = input.taxNumber ? taxNumberBody(input.taxNumber, input.country ?? null) : '';
  if (taxBody.length >= 5) for (const id of await searchIds(em, actor, taxBody)) candidateIds.add(id);
  const names: [DuplicateReason, string][] = [];
  for (const field of ['name', 'companyName'] as const) {
    const folded = foldForSearch(input[field] ?? '');
    if (!folded) continue;
    names.push([field, folded]);
    for (const probe of probesFor(folded)) for (const id of await searchIds(em, actor, probe)) candidateIds.add(id);
  }

  if (candidateIds.size > 0) {
    const candidates = await em.find(
      Client,
      { id: { $in: [...candidateIds] }, deletedAt: null },
      { fields: ['id', 'name', 'companyName', 'taxNumber', 'country'] },
    );
    for (const client of candidates) {
      if (taxBody && client.taxNumber && taxNumberBody(client.taxNumber, client.country ?? null) === taxBody) {
        note(client.id, 'taxNumber');
      }
      for (const [field, folded] of names) {
        const theirs = [client.name, client.companyName].filter(Boolean).map((text) => foldForSearch(text as string));
        if (theirs.some((text) => similarity(text, folded) >= NAME_SIMILARITY)) note(client.id, field);
      }
    }
  }

  if (reasons.size === 0) return [];
  const rank = (set: Set<DuplicateReason>) => (set.has('email') ? 4 : 0) + (set.has('taxNumber') ? 2 : 0) + set.size;
  const ids = [...reasons.entries()]
    .sort(([a, left], [b, right]) => rank(right) - rank(left) || a - b)
    .slice(0, MAX_RESULTS)
    .map(([id]) => id);
  const rows = await em.find(
    Client,
    { id: { $in: ids } },
    { fields: ['id', 'name', 'companyName', 'email', 'taxNumber'] },
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id: row.id,
        name: row.name,
        companyName: row.companyName ?? null,
        email: row.email ?? null,
        taxNumber: row.taxNumber ?? null,
        reasons: [...(reasons.get(id) ?? [])],
      },
    ];
  });
}
