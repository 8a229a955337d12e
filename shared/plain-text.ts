/**
 * Text as people type it, made safe to store and show: one line-ending style and no invisible control
 * characters (PostgreSQL refuses NUL outright, and the rest only confuse whoever reads the text later).
 */

/** Multi-line text (a note): \r\n and \r become \n; tabs and line breaks stay; other control characters go. */
export function cleanMultiline(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (char) => (char === '\n' || char === '\t' ? char : ''))
    .trim();
}

/** One-line text (a name, a subject): every run of control characters, line breaks included, is one space. */
export function cleanLine(value: string): string {
  return value.replace(/\p{Cc}+/gu, ' ').trim();
}
