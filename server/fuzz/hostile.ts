import fc from 'fast-check';

/**
 * Hostile inputs for the bad-input suites: strings people and attackers actually send (SQL, HTML, path tricks,
 * control characters, unicode that breaks naive code), wrong types, huge and deeply nested values, and objects
 * whose keys are the API's own field names, so many inputs get past the first shape check and reach the rules
 * behind it. FUZZ_RUNS sets the inputs per target (CI default below); more find more.
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);
/** Fixed by default, so a CI failure can be replayed; FUZZ_SEED picks another. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);

export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83Dy',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\uFEFF',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359',
  '👩🏽‍💻🏳️‍🌈',
  'ﷺ',
  '𝕂𝕒𝕣𝕥𝕠𝕥𝕖𝕜𝕒',
  "' OR '1'='1",
  "'; DROP TABLE client; --",
  '" OR 1=1 --',
  '1; SELECT * FROM app_user',
  "admin@example.com' --",
  '%',
  '_',
  '\\',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg/onload=alert(1)>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, on purpose.
  '${7*7}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  '\r\nSet-Cookie: x=1',
  '=cmd|"/c calc"!A1',
  '@SUM(1+1)',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '9007199254740993',
  '1e309',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  'x'.repeat(300),
  'ł'.repeat(5_000),
  'A'.repeat(70_000),
];

/** Names the API's inputs use, so generated objects look like real inputs with hostile values. */
export const FIELD_NAMES = [
  'id',
  'ids',
  'clientId',
  'name',
  'email',
  'password',
  'role',
  'active',
  'changes',
  'base',
  'value',
  'city',
  'country',
  'status',
  'body',
  'visibility',
  'filter',
  'search',
  'sort',
  'direction',
  'page',
  'pageSize',
  'lastEventId',
  'tabId',
  'field',
  'types',
  'cursor',
  'kind',
  'typeId',
  'subject',
  'categoryId',
  'subcategoryId',
  'token',
  'query',
  'locale',
  '__proto__',
  'constructor',
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0),
  fc.integer(),
  fc.double(),
);

/** An object nested `depth` levels deep: stack-hungry code falls over on these. */
function nested(depth: number, key: string): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = key === '[]' ? [value] : { [key]: value };
  return value;
}

const deep = fc.constantFrom(nested(64, 'a'), nested(1_000, 'changes'), nested(1_000, '[]'), nested(1_500, 'id'));

const scalar = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 1, arbitrary: fc.bigInt() },
);

/** Any value: scalars, arrays and objects of them (keys mostly the API's field names), huge and deep ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    {
      weight: 4,
      arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), hostileString), tie('value'), {
        maxKeys: 4,
      }),
    },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 5_000 }, (_, i) => i + 1)) },
  ),
})).value;

/** An input for a procedure: mostly objects shaped like the API's, sometimes anything at all. */
export const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { maxKeys: 5 }) },
  { weight: 1, arbitrary: hostileValue },
);

/** A short description of an input for failure messages (huge ones cut down). */
export function describeInput(input: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(input, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)) ?? 'undefined';
  } catch {
    text = String(input);
  }
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}
