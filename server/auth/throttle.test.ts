import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type ApiClient, startTestApp, type TestApp } from '../test/harness';
import { LoginThrottle, MemoryAttemptCounter } from './throttle';

const WINDOW_MS = 2_000;

let t: TestApp;
let staff: { email: string; password: string };

beforeAll(async () => {
  // Behind a "proxy" on loopback, so each test can sign in from an address of its own (X-Forwarded-For).
  t = await startTestApp({
    config: { trustProxy: 'loopback', throttle: { windowMs: WINDOW_MS, maxPerAccount: 3, maxPerAddress: 6 } },
  });
  const agent = await t.as('agent');
  staff = { email: agent.email, password: agent.password };
});

afterAll(async () => {
  await t?.close();
});

const from = (address: string): ApiClient => t.anonymous({ 'x-kartoteka-csrf': '1', 'x-forwarded-for': address });

/** The sign-in's outcome: 'ok', or the refusal's code, message and retryAfter. */
async function attempt(api: ApiClient, email: string, password: string) {
  try {
    await api.auth.login.mutate({ email, password });
    return { code: 'ok' as const };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { code: string; retryAfter?: number };
    return { code: data.code, message: error.message, retryAfter: data.retryAfter };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per account', () => {
  it('locks an account after its failures, even for the right password and from another address', async () => {
    const user = await t.as('viewer');
    for (let i = 0; i < 3; i++) {
      expect((await attempt(from('198.51.100.1'), user.email, 'wrong-password-here')).code).toBe('UNAUTHORIZED');
    }
    const locked = await attempt(from('198.51.100.1'), user.email, user.password);
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.message).toMatch(/^Too many attempts\. Try again in \d+ s\.$/);
    expect(locked.retryAfter).toBeGreaterThanOrEqual(1);
    expect(locked.retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(locked.message).toBe(`Too many attempts. Try again in ${locked.retryAfter} s.`);
    expect((await attempt(from('198.51.100.2'), user.email, user.password)).code).toBe('TOO_MANY_REQUESTS');
    // The e-mail in another case is the same account.
    expect((await attempt(from('198.51.100.2'), user.email.toUpperCase(), user.password)).code).toBe(
      'TOO_MANY_REQUESTS',
    );
    // Other accounts from the same address are not locked.
    expect((await attempt(from('198.51.100.1'), staff.email, staff.password)).code).toBe('ok');

    await sleep((locked.retryAfter ?? 0) * 1000 + 100);
    expect((await attempt(from('198.51.100.1'), user.email, user.password)).code).toBe('ok');
  });

  it('forgets an account’s failures after a sign-in that worked', async () => {
    const user = await t.as('viewer');
    for (let i = 0; i < 2; i++) await attempt(from('198.51.100.3'), user.email, 'wrong-password-here');
    expect((await attempt(from('198.51.100.3'), user.email, user.password)).code).toBe('ok');
    for (let i = 0; i < 2; i++) await attempt(from('198.51.100.3'), user.email, 'wrong-password-here');
    expect((await attempt(from('198.51.100.3'), user.email, user.password)).code).toBe('ok');
  });

  it('counts unknown e-mails like known ones, so the answers tell nothing apart', async () => {
    for (let i = 0; i < 3; i++) await attempt(from('198.51.100.4'), 'nobody.here@example.com', 'whatever-it-is');
    expect((await attempt(from('198.51.100.4'), 'nobody.here@example.com', 'whatever-it-is')).code).toBe(
      'TOO_MANY_REQUESTS',
    );
  });
});

describe('per address', () => {
  it('locks an address that tries many accounts, for every account, but not other addresses', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await attempt(from('203.0.113.9'), `spray${i}@example.com`, 'Summer2024!!')).code).toBe('UNAUTHORIZED');
    }
    const locked = await attempt(from('203.0.113.9'), staff.email, staff.password);
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.retryAfter).toBeGreaterThanOrEqual(1);
    expect((await attempt(from('203.0.113.10'), staff.email, staff.password)).code).toBe('ok');
  });
});

describe('audit', () => {
  it('records failed and throttled sign-ins with the address', async () => {
    const admin = await t.signIn(ADMIN.email, ADMIN.password);
    const failed = await admin.api.audit.list.query({ type: 'signInFailed' });
    expect(failed.entries).toContainEqual(
      expect.objectContaining({ email: 'spray0@example.com', address: '203.0.113.9', type: 'signInFailed' }),
    );
    const throttled = await admin.api.audit.list.query({ type: 'signInThrottled' });
    expect(throttled.entries).toContainEqual(expect.objectContaining({ email: staff.email, address: '203.0.113.9' }));
  });
});

describe('LoginThrottle', () => {
  it('waits for the later of the two windows when both are used up', async () => {
    const counter = new MemoryAttemptCounter();
    const throttle = new LoginThrottle(counter, { windowMs: 60_000, maxPerAccount: 1, maxPerAddress: 1 });
    await throttle.failed('a@example.com', '10.0.0.1');
    await expect(throttle.check('a@example.com', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 60 });
    await expect(throttle.check('b@example.com', '10.0.0.2')).resolves.toBeUndefined();
    await throttle.succeeded('a@example.com');
    // The account is cleared; the address still has its failure.
    await expect(throttle.check('a@example.com', '10.0.0.2')).resolves.toBeUndefined();
    await expect(throttle.check('b@example.com', '10.0.0.1')).rejects.toMatchObject({ retryAfterSeconds: 60 });
  });
});
