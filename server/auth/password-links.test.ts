import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { PasswordToken } from './entity';
import { LINK_NOT_VALID } from './password-links';
import { hashToken } from './session-sockets';

const LINK_TTL_MS = 1_500;

let t: TestApp;
let admin: SignedIn;
let counter = 0;

beforeAll(async () => {
  t = await startTestApp({ config: { passwordLinkTtlMs: LINK_TTL_MS } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await t?.close();
});

/** Invites a new staff member without a password; answers the e-mail and the link's token. */
async function invite(): Promise<{ email: string; token: string }> {
  const email = `invitee${++counter}@example.com`;
  const created = await admin.api.users.create.mutate({ email, name: `Invitee ${counter}`, role: 'agent' });
  const token = new URLSearchParams(created.link?.path?.split('?')[1]).get('token');
  if (!token) throw new Error('no link');
  return { email, token };
}

describe('set-password links', () => {
  it('are stored only as a hash', async () => {
    const { token } = await invite();
    expect(await t.em().count(PasswordToken, { tokenHash: hashToken(token) })).toBe(1);
    expect(await t.em().count(PasswordToken, { tokenHash: token })).toBe(0);
  });

  it('work once: a second use is refused, and the first password stays', async () => {
    const { email, token } = await invite();
    expect(await t.anonymous().auth.setPassword.mutate({ token, password: 'first-choice-password' })).toEqual({
      email,
    });
    const again = await failure(t.anonymous().auth.setPassword.mutate({ token, password: 'second-try-password' }));
    expect(again.code).toBe('BAD_REQUEST');
    expect(again.fieldErrors).toEqual({ token: [LINK_NOT_VALID] });
    expect((await failure(t.anonymous().auth.passwordLink.query({ token }))).fieldErrors).toEqual({
      token: [LINK_NOT_VALID],
    });
    await t.signIn(email, 'first-choice-password');
    expect((await failure(t.signIn(email, 'second-try-password'))).code).toBe('UNAUTHORIZED');
  });

  it('work once even when two requests race with the same link', async () => {
    const { email, token } = await invite();
    const outcomes = await Promise.allSettled([
      t.anonymous().auth.setPassword.mutate({ token, password: 'racer-number-one' }),
      t.anonymous().auth.setPassword.mutate({ token, password: 'racer-number-two' }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const winner = outcomes[0]?.status === 'fulfilled' ? 'racer-number-one' : 'racer-number-two';
    const loser = winner === 'racer-number-one' ? 'racer-number-two' : 'racer-number-one';
    await t.signIn(email, winner);
    expect((await failure(t.signIn(email, loser))).code).toBe('UNAUTHORIZED');
  });

  it('are not spent by a password that breaks the rules', async () => {
    const { email, token } = await invite();
    const short = await failure(t.anonymous().auth.setPassword.mutate({ token, password: 'too-short' }));
    expect(short.fieldErrors).toEqual({ password: ['Password must be at least 12 characters.'] });
    const common = await failure(t.anonymous().auth.setPassword.mutate({ token, password: 'qwertyuiop123' }));
    expect(common.fieldErrors?.password?.[0]).toMatch(/most common passwords/);
    await t.anonymous().auth.setPassword.mutate({ token, password: 'a-better-password' });
    await t.signIn(email, 'a-better-password');
  });

  it('expire', async () => {
    const { email, token } = await invite();
    expect(await t.anonymous().auth.passwordLink.query({ token })).toMatchObject({ email, purpose: 'invite' });
    await new Promise((resolve) => setTimeout(resolve, LINK_TTL_MS + 200));
    expect((await failure(t.anonymous().auth.passwordLink.query({ token }))).fieldErrors).toEqual({
      token: [LINK_NOT_VALID],
    });
    const late = await failure(t.anonymous().auth.setPassword.mutate({ token, password: 'too-late-password' }));
    expect(late.fieldErrors).toEqual({ token: [LINK_NOT_VALID] });
    expect((await failure(t.signIn(email, 'too-late-password'))).code).toBe('UNAUTHORIZED');
  });

  it('stop working when the account is deactivated', async () => {
    const { email, token } = await invite();
    const user = (await admin.api.users.list.query()).find((row) => row.email === email);
    await admin.api.users.update.mutate({ id: user?.id ?? 0, active: false });
    const refused = await failure(t.anonymous().auth.setPassword.mutate({ token, password: 'deactivated-anyway' }));
    expect(refused.fieldErrors).toEqual({ token: [LINK_NOT_VALID] });
  });

  it('refuse made-up and malformed tokens the same way', async () => {
    for (const token of ['', 'abc', 'x'.repeat(43)]) {
      const error = await failure(t.anonymous().auth.passwordLink.query({ token }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors).toEqual({ token: [LINK_NOT_VALID] });
    }
    const tooLong = await failure(t.anonymous().auth.passwordLink.query({ token: 'x'.repeat(300) }));
    expect(tooLong.fieldErrors?.token).toBeDefined();
  });

  it('need the CSRF header to be used, like every mutation', async () => {
    const { token } = await invite();
    const noHeader = t.anonymous({});
    expect((await failure(noHeader.auth.setPassword.mutate({ token, password: 'cross-site-forgery' }))).code).toBe(
      'FORBIDDEN',
    );
  });
});
