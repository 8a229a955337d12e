/** A note's text cut into plain runs and web links, for rendering as text nodes and anchors (never as HTML). */
export type Segment =
  | { kind: 'text'; start: number; text: string }
  | { kind: 'link'; start: number; text: string; href: string };

// A candidate runs from http(s):// to the next space, quote or angle bracket; trailing punctuation is cut below.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', "'"]);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const count = (text: string, char: string) => text.split(char).length - 1;

/** "see https://example.com/a)." ends its link before ")." unless the link itself opened that bracket. */
function withoutTrailing(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.slice(-1);
    const opener = CLOSERS[last];
    if (TRAILING_PUNCTUATION.has(last) || (opener && count(url, opener) < count(url, last))) url = url.slice(0, -1);
    else return url;
  }
}

/** The link's address when it is a real http(s) URL with a host, else null (it stays text). */
function hrefOf(text: string): string | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  const pushText = (end: number) => {
    if (end > cursor) segments.push({ kind: 'text', start: cursor, text: text.slice(cursor, end) });
  };
  for (const match of text.matchAll(CANDIDATE)) {
    const url = withoutTrailing(match[0]);
    const href = hrefOf(url);
    if (!href) continue;
    pushText(match.index);
    segments.push({ kind: 'link', start: match.index, text: url, href });
    cursor = match.index + url.length;
  }
  pushText(text.length);
  return segments;
}
