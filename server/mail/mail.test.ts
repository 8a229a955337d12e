import type { EntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { addEventHook } from '../activity/write-path';
import { Client } from '../clients/entity';
import { upload } from '../files/test-uploads';
import { eventually } from '../live/testing';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { User } from '../users/entity';
import { OutboxMail } from './entity';
import { freePort, startSmtp, type TestSmtp } from './test-smtp';

/** Quick retries, so a test sees the sender try again within a second. */
const FAST = { retryBaseMs: 100, retryMaxMs: 300, pollMs: 100 };

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}@client.test`;

function tokenOf(text: string): string {
  const token = /\/set-password\?token=([\w-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`No link in ${text}`);
  return token;
}

const outboxOf = (t: TestApp, clientId: number) => t.em().find(OutboxMail, { clientId }, { orderBy: { id: 'asc' } });

describe('with SMTP', () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let admin: SignedIn;
  let agent: SignedIn;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ config: { mail: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, ...FAST } } });
    admin = await t.signIn(ADMIN.email, ADMIN.password);
    agent = await t.as('agent');
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('mails a client whose notifications are on about its status change', async () => {
    const email = unique('status');
    const client = await agent.api.clients.create.mutate({ name: 'Stefan Status', email });
    await agent.api.clients.setStatus.mutate({ ids: [client.id], status: 'inactive' });

    await eventually(() => smtp.to(email).length > 0, 'the mail to arrive');
    const [mail] = smtp.to(email);
    expect(mail?.subject).toBe('Your status changed to Inactive');
    expect(mail?.text).toContain('Hello Stefan Status,');
    expect(mail?.text).toContain('the status of your account is now: Inactive.');
    expect(mail?.from?.text).toContain('no-reply@localhost');
    await eventually(async () => (await outboxOf(t, client.id))[0]?.status === 'sent', 'the outbox to say sent');
    expect(await outboxOf(t, client.id)).toEqual([
      expect.objectContaining({ to: email, status: 'sent', attempts: 1, lastError: null, sentAt: expect.any(Date) }),
    ]);
    const outbox = await admin.api.mail.outbox.query({});
    expect(outbox.smtpConfigured).toBe(true);
    expect(outbox.items).toContainEqual(expect.objectContaining({ to: email, status: 'sent' }));
    expect(JSON.stringify(outbox)).not.toContain('the status of your account');
  });

  it('mails nothing to a client whose notifications are off', async () => {
    const quiet = unique('quiet');
    const loud = unique('loud');
    const off = await agent.api.clients.create.mutate({ name: 'Quiet', email: quiet, emailNotifications: false });
    const on = await agent.api.clients.create.mutate({ name: 'Loud', email: loud });
    await agent.api.clients.setStatus.mutate({ ids: [off.id], status: 'inactive' });
    await agent.api.notes.add.mutate({ clientId: off.id, body: 'Public news', visibility: 'public' });
    // The other client's mail, sent after, shows the sender has been through everything queued before it.
    await agent.api.clients.setStatus.mutate({ ids: [on.id], status: 'inactive' });
    await eventually(() => smtp.to(loud).length > 0, 'the other client’s mail');
    expect(smtp.to(quiet)).toEqual([]);
    expect(await outboxOf(t, off.id)).toEqual([]);
  });

  it('mails public notes and documents, not private notes, and not what the client did itself', async () => {
    const email = unique('notes');
    const client = await admin.api.clients.create.mutate({ name: 'Nora Notes', email });
    const granted = await admin.api.clients.update.mutate({
      id: client.id,
      changes: { loginAllowed: { base: false, value: true } },
    });
    await eventually(() => smtp.to(email).length === 1, 'the set-password link');
    expect(granted.portalLink).toMatchObject({ path: null, mailedTo: email });
    const token = tokenOf(smtp.to(email)[0]?.text ?? '');
    await t.anonymous().auth.setPassword.mutate({ token, password: 'nora-reads-her-mail' });
    const portal = await t.signIn(email, 'nora-reads-her-mail');

    await agent.api.notes.add.mutate({
      clientId: client.id,
      body: 'Internal: check her credit',
      visibility: 'private',
    });
    await portal.api.notes.add.mutate({ clientId: client.id, body: 'Written by Nora herself', visibility: 'public' });
    await agent.api.notes.add.mutate({ clientId: client.id, body: 'Your order has shipped.', visibility: 'public' });
    const file = { bytes: Buffer.from('%PDF-1.4 contract'), name: 'contract.pdf', type: 'application/pdf' };
    await upload(t.url, agent.cookie, { clientId: client.id, kind: 'document', file });

    await eventually(() => smtp.to(email).length === 3, 'the note and the document');
    const [, note, document] = smtp.to(email);
    expect(note?.subject).toBe('A new note on your account');
    expect(note?.text).toContain('Your order has shipped.');
    // Her portal account exists, so the mail points her to it.
    expect(note?.text).toContain(`${t.url}/portal`);
    expect(document?.subject).toBe('A new document: contract.pdf');
    const all = smtp
      .to(email)
      .map((mail) => mail.text)
      .join('\n');
    expect(all).not.toContain('check her credit');
    expect(all).not.toContain('Written by Nora herself');
  });

  it('writes in the client’s language', async () => {
    const email = unique('polski');
    const client = await agent.api.clients.create.mutate({ name: 'Paweł Polski', email, language: 'pl' });
    await agent.api.clients.setStatus.mutate({ ids: [client.id], status: 'inactive' });
    await eventually(() => smtp.to(email).length > 0, 'the mail');
    expect(smtp.to(email)[0]?.subject).toBe('Zmiana statusu: Nieaktywny');
    expect(smtp.to(email)[0]?.text).toContain('Dzień dobry Paweł Polski,');
  });

  it('mails a staff invitation instead of showing its link', async () => {
    const email = unique('staff');
    const invited = await admin.api.users.create.mutate({ email, name: 'Mailed Member', role: 'viewer' });
    expect(invited.link).toMatchObject({ path: null, mailedTo: email });
    await eventually(() => smtp.to(email).length > 0, 'the invitation');
    const [mail] = smtp.to(email);
    expect(mail?.subject).toBe('Your Kartoteka account');
    expect(mail?.text).toContain(`${t.url}/set-password?token=`);
    await t.anonymous().auth.setPassword.mutate({ token: tokenOf(mail?.text ?? ''), password: 'mailed-member-pass' });
    await t.signIn(email, 'mailed-member-pass');
  });

  it('queues the mail in the same transaction as the change: a change that fails leaves no mail', async () => {
    let failNext = false;
    addEventHook(t.app.orm.em as EntityManager, async () => {
      if (failNext) throw new Error('Simulated failure after the mail was queued');
    });
    const email = unique('atomic');
    const client = await agent.api.clients.create.mutate({ name: 'Atomic Anna', email });
    failNext = true;
    const error = await failure(agent.api.clients.setStatus.mutate({ ids: [client.id], status: 'inactive' }));
    failNext = false;
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await agent.api.clients.get.query({ id: client.id })).status).toBe('active');
    expect(await t.em().count(ClientEvent, { clientId: client.id, type: 'client.status' })).toBe(0);
    expect(await outboxOf(t, client.id)).toEqual([]);
  });
});

describe('when SMTP is down', () => {
  it('keeps the mail in the outbox, retrying with the error noted, and sends it once SMTP is back', async () => {
    const port = await freePort();
    const t = await startTestApp({ config: { mail: { smtpUrl: `smtp://127.0.0.1:${port}`, ...FAST } } });
    let smtp: TestSmtp | undefined;
    try {
      const agent = await t.as('agent');
      const email = unique('patient');
      const client = await agent.api.clients.create.mutate({ name: 'Patient Pat', email });
      await agent.api.clients.setStatus.mutate({ ids: [client.id], status: 'inactive' });
      await eventually(async () => ((await outboxOf(t, client.id))[0]?.attempts ?? 0) >= 2, 'a few failed attempts');
      const [waiting] = await outboxOf(t, client.id);
      expect(waiting).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });

      smtp = await startSmtp(port);
      const server = smtp;
      await eventually(() => server.to(email).length > 0, 'the mail once SMTP is back');
      expect(server.to(email)[0]?.subject).toBe('Your status changed to Inactive');
      await eventually(async () => (await outboxOf(t, client.id))[0]?.status === 'sent', 'the outbox to say sent');
      expect(server.to(email)).toHaveLength(1);
    } finally {
      await t.close();
      await smtp?.close();
    }
  });
});

describe('demo data', () => {
  it('mails nobody and makes no portal accounts, though demo clients allow sign-in and get public notes', async () => {
    const t = await startTestApp({ seedDemo: true });
    try {
      const em = t.em();
      expect(await em.count(Client, { loginAllowed: true })).toBeGreaterThan(0);
      expect(await em.count(ClientEvent, { type: 'note.added' })).toBeGreaterThan(0);
      expect(await em.count(OutboxMail, {})).toBe(0);
      expect(await em.count(User, { role: 'client' })).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('without SMTP', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.signIn(ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('keeps the mail pending in the outbox, where administrators see it', async () => {
    const email = unique('waiting');
    const client = await admin.api.clients.create.mutate({ name: 'Waiting Wanda', email });
    await admin.api.clients.setStatus.mutate({ ids: [client.id], status: 'inactive' });
    expect(await outboxOf(t, client.id)).toEqual([
      expect.objectContaining({
        to: email,
        status: 'pending',
        attempts: 0,
        subject: 'Your status changed to Inactive',
      }),
    ]);
    const outbox = await admin.api.mail.outbox.query({ status: 'pending' });
    expect(outbox.smtpConfigured).toBe(false);
    expect(outbox.counts.pending).toBeGreaterThanOrEqual(1);
    expect(outbox.items[0]).toMatchObject({ to: email, status: 'pending', clientId: client.id });
    expect(outbox.items[0]).not.toHaveProperty('body');
  });

  it('answers set-password links to the administrator instead of mailing them', async () => {
    const invited = await admin.api.users.create.mutate({
      email: unique('handed'),
      name: 'Handed Over',
      role: 'agent',
    });
    expect(invited.link).toMatchObject({ mailedTo: null, path: expect.stringMatching(/^\/set-password\?token=/) });
  });

  it('pages the outbox', async () => {
    for (let i = 0; i < 3; i++) {
      const client = await admin.api.clients.create.mutate({ name: `Paged ${i}`, email: unique('paged') });
      await admin.api.clients.setStatus.mutate({ ids: [client.id], status: 'inactive' });
    }
    const first = await admin.api.mail.outbox.query({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await admin.api.mail.outbox.query({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items[0]?.id).toBeLessThan(first.items[1]?.id ?? 0);
    const bad = await failure(admin.api.mail.outbox.query({ limit: 1000 }));
    expect(bad.fieldErrors?.limit?.[0]).toBe('limit can be at most 100.');
  });
});
