import type { EntityManager } from '@mikro-orm/knex';
import { foldForSearch } from '../../shared/fold';
import { taxNumberBody } from '../../shared/tax-numbers';
import type { Actor } from '../auth/actor';
import { runSql, type Sql } from '../db/sql';
import { filterSql } from './search';

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
/**
 * Candidates read per field at most. The SQL pre-filter below keeps the usual count in the tens or hundreds at
 * 100,000 clients; the cap only bounds a pathological name (one made of very common fragments).
 */
const MAX_CANDIDATES = 500;
/**
 * Names this close are "very close": 1 - edit distance / longer length, over folded text (case, accents, Polish
 * letters and repeated spaces do not count), in either word order. 0.85 lets one typo through from seven
 * characters on and two from fourteen ("Jan Kowalski" / "Jan Kowalsky" is 0.92), while a different surname
 * stays apart ("Jan Nowak" / "Jan Kowalski" is 0.67, "Anna Nowak" / "Anna Nowicka" 0.75). Below seven
 * characters one letter is too large a share of the name ("Jan Li" / "Jan Lu" is 0.83): only the same folded
 * name matches. 0.8 would already pair "Jan Nowak" with "Jan Nowik"-like different families at nine letters.
 */
export const NAME_SIMILARITY = 0.85;

/** 1 - Levenshtein distance / the longer length: 1 for equal texts, 0 for nothing in common. */
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

const sortedWords = (folded: string) => folded.split(' ').sort().join(' ');

/** How close two folded names are, in either word order ("Kowalski Jan" is "Jan Kowalski"). */
export function nameSimilarity(a: string, b: string): number {
  return Math.max(similarity(a, b), similarity(sortedWords(a), sortedWords(b)));
}

/**
 * The most edits a name of `length` characters may differ by and still be very close. The other name may be
 * longer (the ratio divides by the longer one): d <= (1 - T) * (length + d) gives d <= length * (1 - T) / T.
 */
export function maxEdits(length: number): number {
  return Math.floor((length * (1 - NAME_SIMILARITY)) / NAME_SIMILARITY + 1e-9);
}

const TRIGRAM = 3;
const WORD_CHARACTERS = /^[\p{L}\p{N}]+$/u;

/** Search terms for the index, and how many of them a very close name holds at least. */
export interface Probes {
  pieces: string[];
  need: number;
}

/**
 * Search terms that reach every very close name through the search index, by the pigeonhole rule: cut the
 * name's words into pieces that never cross a space; each edit spoils at most one piece, so a name within
 * maxEdits edits (in any word order) still holds all but maxEdits of them whole. Cutting maxEdits + 2 pieces
 * means a candidate must hold two of them, which narrows far better than one: a common first name alone no
 * longer makes a candidate. Pieces of 3 or more characters are substring searches (trigram index); a whole word
 * of 1 or 2 letters is a word-prefix search. Longer pieces find fewer clients, so the cuts go to the longest
 * words first. A name of many tiny words may not give that many pieces: it then needs what it can (at least one).
 */
export function probesFor(folded: string): Probes {
  const words = [...new Set(folded.split(' ').filter(Boolean))].map((word) => [...word]);
  const capacity = (word: string[]) =>
    word.length >= TRIGRAM ? Math.floor(word.length / TRIGRAM) : WORD_CHARACTERS.test(word.join('')) ? 1 : 0;
  const counts = words.map(() => 0);
  const edits = maxEdits([...folded].length);
  for (let wanted = edits + 2; wanted > 0; wanted--) {
    let best = -1;
    for (const [index, word] of words.entries()) {
      if ((counts[index] as number) >= capacity(word)) continue;
      const length = word.length / ((counts[index] as number) + 1);
      if (best < 0 || length > (words[best] as string[]).length / ((counts[best] as number) + 1)) best = index;
    }
    if (best < 0) break;
    counts[best] = (counts[best] as number) + 1;
  }
  const cut = words.flatMap((word, index) => {
    const count = counts[index] as number;
    return Array.from({ length: count }, (_, piece) =>
      word.slice(Math.round((piece * word.length) / count), Math.round(((piece + 1) * word.length) / count)).join(''),
    );
  });
  // Two equal pieces are one search: a name keeps at least (distinct pieces - edits) of them.
  const pieces = [...new Set(cut)];
  return { pieces, need: Math.max(1, pieces.length - edits) };
}

interface CandidateRow {
  id: number | string;
  name: string;
  company_name: string | null;
  email: string | null;
  tax_number: string | null;
  country: string | null;
}

const CANDIDATE_COLUMNS = 'c.id, c.name, c.company_name, c.email, c.tax_number, c.country';

/**
 * Live clients found by at least `need` of the searches (each through the search index: see search.ts) that
 * also meet `extra`, a condition on `c`; at most MAX_CANDIDATES of them.
 */
async function candidates(
  em: EntityManager,
  actor: Actor,
  { pieces, need }: Probes,
  extra: Sql,
): Promise<CandidateRow[]> {
  if (pieces.length === 0) return [];
  const found = await Promise.all(pieces.map((search) => filterSql(em, actor, { search })));
  const hits = found.map((where) => `select c.id from client c where ${where.sql}`).join(' union all ');
  // The narrowing condition is applied after counting: inside each search, PostgreSQL misjudges how few rows
  // a length window leaves and would scan the table instead of using the search index.
  return runSql<CandidateRow>(em, {
    sql: `select ${CANDIDATE_COLUMNS} from (select id, count(*) as hits from (${hits}) found group by id having count(*) >= ?) g join client c on c.id = g.id where ${extra.sql} order by g.hits desc, c.id limit ?`,
    params: [...found.flatMap((where) => where.params), need, ...extra.params, MAX_CANDIDATES],
  });
}

/**
 * Very close names among the clients sharing pieces of this one: only those of a length within reach (an edit
 * changes the length by one at most) are read. Names are compared by their folded copy (sort_name); company
 * names are stored as typed, so their length gets a little slack for what folding changes (ß -> ss, "  " -> " ").
 */
function nameCandidates(em: EntityManager, actor: Actor, field: 'name' | 'companyName', folded: string) {
  const length = [...folded].length;
  const edits = maxEdits(length);
  const slack = field === 'name' ? 0 : 3;
  const column = field === 'name' ? 'c.sort_name' : 'c.company_name';
  return candidates(em, actor, probesFor(folded), {
    sql: `length(${column}) between ? and ?`,
    params: [Math.max(1, length - edits - slack), length + edits + slack],
  });
}

interface Match {
  row: CandidateRow;
  reasons: Set<DuplicateReason>;
  /** The closest name or company name, for the order of the answer. */
  closeness: number;
}

/**
 * Active clients that may be the one about to be created (or edited): the same e-mail, the same tax number
 * however it is written, or a very close name or company name. Candidates come from SQL through the indexes
 * (e-mail equality, the search index with a length window); only they are compared in memory, never the table.
 * Ordered by strength: e-mail, then tax number, then the closest names.
 */
export async function findDuplicates(
  em: EntityManager,
  actor: Actor,
  input: DuplicateQuery,
): Promise<DuplicateCandidate[]> {
  const matches = new Map<number, Match>();
  const note = (row: CandidateRow, reason: DuplicateReason, closeness = 0) => {
    const id = Number(row.id);
    if (id === input.excludeId) return;
    const match = matches.get(id) ?? { row, reasons: new Set<DuplicateReason>(), closeness: 0 };
    match.reasons.add(reason);
    match.closeness = Math.max(match.closeness, closeness);
    matches.set(id, match);
  };

  const email = input.email?.trim().toLowerCase();
  if (email) {
    const rows = await runSql<CandidateRow>(em, {
      sql: `select ${CANDIDATE_COLUMNS} from client c where c.email = ? and c.deleted_at is null limit ?`,
      params: [email, MAX_RESULTS],
    });
    for (const row of rows) note(row, 'email');
  }

  const taxBody = input.taxNumber ? taxNumberBody(input.taxNumber, input.country ?? null) : '';
  // Shorter "numbers" are too little to tell one client from another.
  if (taxBody.length >= 5) {
    for (const row of await candidates(
      em,
      actor,
      { pieces: [taxBody], need: 1 },
      { sql: 'c.tax_number is not null', params: [] },
    )) {
      if (row.tax_number && taxNumberBody(row.tax_number, row.country) === taxBody) note(row, 'taxNumber');
    }
  }

  for (const field of ['name', 'companyName'] as const) {
    const folded = foldForSearch(input[field] ?? '');
    if (!folded) continue;
    for (const row of await nameCandidates(em, actor, field, folded)) {
      const theirs = field === 'name' ? row.name : row.company_name;
      const closeness = theirs ? nameSimilarity(foldForSearch(theirs), folded) : 0;
      if (closeness >= NAME_SIMILARITY) note(row, field, closeness);
    }
  }

  const strength = ({ reasons }: Match) => (reasons.has('email') ? 2 : 0) + (reasons.has('taxNumber') ? 1 : 0);
  return [...matches.values()]
    .sort(
      (a, b) =>
        strength(b) - strength(a) ||
        b.reasons.size - a.reasons.size ||
        b.closeness - a.closeness ||
        Number(a.row.id) - Number(b.row.id),
    )
    .slice(0, MAX_RESULTS)
    .map(({ row, reasons }) => ({
      id: Number(row.id),
      name: row.name,
      companyName: row.company_name,
      email: row.email,
      taxNumber: row.tax_number,
      reasons: [...reasons],
    }));
}
