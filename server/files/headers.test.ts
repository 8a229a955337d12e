import { describe, expect, it } from 'vitest';
import { contentDisposition, documentContentType } from './headers';

describe('contentDisposition', () => {
  it('gives the exact name in filename* and an ASCII fallback that cannot break out of its quotes', () => {
    expect(contentDisposition('attachment', 'Zażółć "gęślą" \\ jaźń 100%.txt')).toBe(
      `attachment; filename="Zazo_c _gesla_ _ jazn 100_.txt"; filename*=UTF-8''Za%C5%BC%C3%B3%C5%82%C4%87%20%22g%C4%99%C5%9Bl%C4%85%22%20%5C%20ja%C5%BA%C5%84%20100%25.txt`,
    );
  });

  it('keeps a header on one line whatever the name holds', () => {
    const header = contentDisposition('inline', 'a\r\nSet-Cookie: x=1.png');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(`inline; filename="a__Set-Cookie: x=1.png"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.png`);
  });

  it('falls back to "file" for an empty name', () => {
    expect(contentDisposition('attachment', '')).toBe(`attachment; filename="file"; filename*=UTF-8''`);
  });
});

describe('documentContentType', () => {
  it('keeps inert types and turns anything a browser could run into plain bytes', () => {
    expect(documentContentType('application/pdf')).toBe('application/pdf');
    expect(documentContentType('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    for (const active of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript', 'text/xml']) {
      expect(documentContentType(active), active).toBe('application/octet-stream');
    }
  });
});
