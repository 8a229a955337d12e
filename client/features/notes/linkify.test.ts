import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

const links = (text: string) => linkify(text).filter((segment) => segment.kind === 'link');

describe('linkify', () => {
  it('keeps plain text as one text segment, line breaks included', () => {
    expect(linkify('Line one\nLine two')).toEqual([{ kind: 'text', start: 0, text: 'Line one\nLine two' }]);
    expect(linkify('')).toEqual([]);
  });

  it('cuts http and https links out of the text, in order, losing no character', () => {
    const text = 'See https://example.com/a?b=1#c and\nhttp://intranet.local/x, then stop.';
    const segments = linkify(text);
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(links(text)).toEqual([
      { kind: 'link', start: 4, text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'link', start: 36, text: 'http://intranet.local/x', href: 'http://intranet.local/x' },
    ]);
  });

  it('leaves trailing punctuation and unopened brackets outside the link', () => {
    expect(links('Go to https://example.com.').map((link) => link.text)).toEqual(['https://example.com']);
    expect(links('(see https://example.com/docs)').map((link) => link.text)).toEqual(['https://example.com/docs']);
    expect(links('https://en.wikipedia.org/wiki/Ada_(language)!').map((link) => link.text)).toEqual([
      'https://en.wikipedia.org/wiki/Ada_(language)',
    ]);
    expect(links('"https://example.com/q"').map((link) => link.text)).toEqual(['https://example.com/q']);
  });

  it('makes nothing of other schemes, bare domains or addresses without a host', () => {
    for (const text of [
      'javascript:alert(1)',
      'ftp://example.com/file',
      'example.com',
      'mailto:someone@example.com',
      'https://',
      'xhttps://example.com',
    ]) {
      expect(links(text), text).toEqual([]);
    }
  });

  it('treats markup as text: only the address inside it becomes a link, the quotes stay out', () => {
    const segments = linkify('<a href="https://example.com" onclick="x">');
    expect(segments.filter((segment) => segment.kind === 'link').map((link) => link.text)).toEqual([
      'https://example.com',
    ]);
    expect(segments[0]).toEqual({ kind: 'text', start: 0, text: '<a href="' });
  });

  it('normalizes the address it links to, but shows what was written', () => {
    expect(links('HTTPS://Example.COM/Path')).toEqual([
      { kind: 'link', start: 0, text: 'HTTPS://Example.COM/Path', href: 'https://example.com/Path' },
    ]);
  });
});
