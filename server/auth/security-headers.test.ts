import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/harness';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

/** The policy's directives: name -> its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('security headers', () => {
  for (const path of ['/', '/healthz', '/trpc/auth.me', '/api/files/1', '/no/such/page']) {
    it(`are on ${path}`, async () => {
      const response = await fetch(`${t.url}${path}`);
      await response.arrayBuffer();
      const csp = directives(response.headers.get('content-security-policy') ?? '');
      // Scripts only from our own origin: no inline script, no eval, no plugins.
      const scripts = csp.get('script-src') ?? csp.get('default-src');
      expect(scripts).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });
  }

  it('fit the page: it has no inline script or handler the policy would block (source, and the build when there is one)', () => {
    const pages = ['../../client/index.html', '../../dist/client/index.html']
      .map((path) => resolve(import.meta.dirname, path))
      .filter((path, index) => index === 0 || existsSync(path));
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes, page).toMatch(/\bsrc="\/[^"]+"/);
        expect(body?.trim(), page).toBe('');
      }
      expect(html, page).not.toMatch(/\son[a-z]+\s*=/i);
    }
  });
});
