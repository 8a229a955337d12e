import { expect, test } from '@playwright/test';

// The built scripts go out gzipped to a browser that accepts it (bench/bundle.ts measures that size).
test('the app’s scripts are sent compressed', async ({ request }) => {
  const page = await (await request.get('/')).text();
  const script = /<script[^>]+src="([^"]+\.js)"/.exec(page)?.[1];
  expect(script, page).toBeDefined();
  const response = await request.get(script ?? '', { headers: { 'accept-encoding': 'gzip' } });
  expect(response.ok()).toBe(true);
  expect(response.headers()['content-encoding']).toBe('gzip');
});
