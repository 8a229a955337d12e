import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let agent: SignedIn;
let otherAgent: SignedIn;
let viewer: SignedIn;
let portal: SignedIn;
let portalClientId: number;
let otherClientId: number;
let agentId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  agent = await t.as('agent');
  otherAgent = await t.as('agent');
  viewer = await t.as('viewer');
  portalClientId = (await admin.api.clients.create.mutate({ name: 'Portal Owner', loginAllowed: true })).id;
  otherClientId = (await admin.api.clients.create.mutate({ name: 'Somebody Else' })).id;
  portal = await t.as('client', { clientId: portalClientId });
  agentId = (await agent.api.auth.me.query())?.id ?? 0;
});

afterAll(async () => {
  await t?.close();
});

const newClient = async (name = 'Noted Client') => (await agent.api.clients.create.mutate({ name })).id;

async function noteEvents(clientId: number) {
  const events = await t.em().find(ClientEvent, { clientId, type: { $like: 'note.%' } }, { orderBy: { seq: 'asc' } });
  return events.map((event) => ({ type: event.type, actorName: event.actorName, changes: event.changes }));
}

describe('adding and listing', () => {
  it('lists a client’s notes newest first, with author, times, visibility and no "edited" mark', async () => {
    const clientId = await newClient();
    const first = await agent.api.notes.add.mutate({ clientId, body: 'First call', visibility: 'private' });
    const second = await manager.api.notes.add.mutate({ clientId, body: 'Second call', visibility: 'public' });
    await agent.api.notes.add.mutate({ clientId: otherClientId, body: 'Not this client', visibility: 'public' });

    const notes = await manager.api.notes.list.query({ clientId });
    expect(notes.map((note) => note.body)).toEqual(['Second call', 'First call']);
    expect(notes[1]).toEqual({
      id: first.id,
      clientId,
      body: 'First call',
      visibility: 'private',
      author: { id: agentId, name: expect.stringMatching(/^agent /) },
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
      editedAt: null,
      edited: false,
    });
    expect(notes[0]?.author?.name).toMatch(/^manager /);
    expect(second.createdAt.getTime()).toBeGreaterThanOrEqual(first.createdAt.getTime());
  });

  it('keeps line breaks, trims the ends and drops invisible control characters', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({
      clientId,
      body: '  \n Line one\r\nLine two\u0000\twith a tab \r\n ',
      visibility: 'private',
    });
    expect(note.body).toBe('Line one\nLine two\twith a tab');
    expect((await agent.api.notes.list.query({ clientId }))[0]?.body).toBe('Line one\nLine two\twith a tab');
  });

  it('stores markup as the text it is', async () => {
    const clientId = await newClient();
    const body = '<img src=x onerror=alert(1)> & <b>bold</b>';
    expect((await agent.api.notes.add.mutate({ clientId, body, visibility: 'public' })).body).toBe(body);
  });

  it('accepts 10,000 characters and refuses bad bodies and visibilities with field errors, storing nothing', async () => {
    const clientId = await newClient();
    const longest = 'x'.repeat(10_000);
    expect((await agent.api.notes.add.mutate({ clientId, body: longest, visibility: 'private' })).body).toBe(longest);

    const empty = await failure(agent.api.notes.add.mutate({ clientId, body: '', visibility: 'private' }));
    expect(empty.code).toBe('BAD_REQUEST');
    expect(empty.fieldErrors?.body).toEqual(['Note is required.']);
    const blank = await failure(agent.api.notes.add.mutate({ clientId, body: ' \n\t \u0000 ', visibility: 'private' }));
    expect(blank.fieldErrors?.body).toEqual(['Note is required.']);
    const tooLong = await failure(agent.api.notes.add.mutate({ clientId, body: `${longest}y`, visibility: 'public' }));
    expect(tooLong.fieldErrors?.body).toEqual(['Note can be at most 10000 characters.']);
    const notText = await failure(
      agent.api.notes.add.mutate({ clientId, body: 42 as unknown as string, visibility: 'public' }),
    );
    expect(notText.fieldErrors?.body).toBeDefined();
    const visibility = await failure(
      agent.api.notes.add.mutate({ clientId, body: 'Hi', visibility: 'secret' as unknown as 'public' }),
    );
    expect(visibility.code).toBe('BAD_REQUEST');
    expect(visibility.fieldErrors?.visibility?.[0]).toMatch(/Visibility must be one of: public, private/);
    expect(visibility.fieldErrors?.body).toBeUndefined();

    expect(await agent.api.notes.list.query({ clientId })).toHaveLength(1);
    expect((await noteEvents(clientId)).map((event) => event.type)).toEqual(['note.added']);
  });

  it('answers NOT_FOUND for a client that does not exist, and refuses notes on a deleted client', async () => {
    expect((await failure(agent.api.notes.list.query({ clientId: 999_999 }))).code).toBe('NOT_FOUND');
    const missing = await failure(agent.api.notes.add.mutate({ clientId: 999_999, body: 'Hi', visibility: 'public' }));
    expect(missing.code).toBe('NOT_FOUND');

    const clientId = await newClient('Soon Deleted');
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Before', visibility: 'private' });
    await manager.api.clients.delete.mutate({ ids: [clientId] });
    const added = await failure(agent.api.notes.add.mutate({ clientId, body: 'After', visibility: 'private' }));
    expect(added.code).toBe('CONFLICT');
    expect(added.message).toBe('Client "Soon Deleted" was deleted; restore it before changing its notes.');
    expect((await failure(agent.api.notes.update.mutate({ id: note.id, body: 'Changed' }))).code).toBe('CONFLICT');
    expect((await failure(agent.api.notes.delete.mutate({ id: note.id }))).code).toBe('CONFLICT');
    // Staff still read a deleted client's notes; nothing changed.
    expect((await manager.api.notes.list.query({ clientId })).map((row) => row.body)).toEqual(['Before']);

    await manager.api.clients.restore.mutate({ ids: [clientId] });
    await agent.api.notes.add.mutate({ clientId, body: 'After', visibility: 'private' });
    expect(await manager.api.notes.list.query({ clientId })).toHaveLength(2);
  });
});

describe('visibility per role', () => {
  let privateId: number;
  let publicId: number;

  beforeAll(async () => {
    privateId = (
      await agent.api.notes.add.mutate({ clientId: portalClientId, body: 'Staff only', visibility: 'private' })
    ).id;
    publicId = (await agent.api.notes.add.mutate({ clientId: portalClientId, body: 'For all', visibility: 'public' }))
      .id;
  });

  it('shows private notes to the staff who work on cards, and not to viewers', async () => {
    for (const user of [admin, manager, agent]) {
      const ids = (await user.api.notes.list.query({ clientId: portalClientId })).map((note) => note.id);
      expect(ids).toEqual(expect.arrayContaining([privateId, publicId]));
    }
    const seen = await viewer.api.notes.list.query({ clientId: portalClientId });
    expect(seen.map((note) => note.id)).toContain(publicId);
    expect(seen.map((note) => note.id)).not.toContain(privateId);
    expect(seen.every((note) => note.visibility === 'public')).toBe(true);
    // Nor does the card's history show the viewer what the private note said.
    const history = await viewer.api.activity.history.query({ clientId: portalClientId });
    expect(JSON.stringify(history)).toContain('For all');
    expect(JSON.stringify(history)).not.toContain('Staff only');
  });

  it('shows the portal client only the public notes of its own card', async () => {
    const notes = await portal.api.notes.list.query({ clientId: portalClientId });
    expect(notes.map((note) => note.id)).toContain(publicId);
    expect(notes.every((note) => note.visibility === 'public')).toBe(true);
    expect(notes.map((note) => note.body)).not.toContain('Staff only');
  });

  it('gives the portal client nothing of another client', async () => {
    const other = await agent.api.notes.add.mutate({ clientId: otherClientId, body: 'Theirs', visibility: 'public' });
    expect((await failure(portal.api.notes.list.query({ clientId: otherClientId }))).code).toBe('NOT_FOUND');
    const add = await failure(
      portal.api.notes.add.mutate({ clientId: otherClientId, body: 'Hi', visibility: 'public' }),
    );
    expect(add.code).toBe('NOT_FOUND');
    expect((await failure(portal.api.notes.update.mutate({ id: other.id, body: 'Mine now' }))).code).toBe('NOT_FOUND');
    expect((await failure(portal.api.notes.delete.mutate({ id: other.id }))).code).toBe('NOT_FOUND');
    expect((await viewer.api.notes.list.query({ clientId: otherClientId })).map((note) => note.body)).toContain(
      'Theirs',
    );
  });

  it('treats a private note as absent for the portal client, even on its own card', async () => {
    expect((await failure(portal.api.notes.update.mutate({ id: privateId, body: 'Peek' }))).code).toBe('NOT_FOUND');
    expect((await failure(portal.api.notes.delete.mutate({ id: privateId }))).code).toBe('NOT_FOUND');
    expect((await agent.api.notes.list.query({ clientId: portalClientId })).find((n) => n.id === privateId)?.body).toBe(
      'Staff only',
    );
  });

  it('lets the portal client add public notes on its own card and change only those it wrote', async () => {
    const own = await portal.api.notes.add.mutate({
      clientId: portalClientId,
      body: 'Please call me',
      visibility: 'public',
    });
    expect(own.author?.name).toMatch(/^client /);
    expect(await agent.api.notes.list.query({ clientId: portalClientId })).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: own.id, body: 'Please call me' })]),
    );

    const secret = await failure(
      portal.api.notes.add.mutate({ clientId: portalClientId, body: 'Hidden', visibility: 'private' }),
    );
    expect(secret.code).toBe('FORBIDDEN');
    expect(secret.message).toMatch(/Only staff may write private notes/);
    const hide = await failure(portal.api.notes.update.mutate({ id: own.id, visibility: 'private' }));
    expect(hide.code).toBe('FORBIDDEN');

    const staffNote = await failure(portal.api.notes.update.mutate({ id: publicId, body: 'Rewritten' }));
    expect(staffNote.code).toBe('FORBIDDEN');
    expect((await portal.api.notes.update.mutate({ id: own.id, body: 'Please call me after 5' })).edited).toBe(true);
    await portal.api.notes.delete.mutate({ id: own.id });
    const left = (await portal.api.notes.list.query({ clientId: portalClientId })).map((note) => note.id);
    expect(left).not.toContain(own.id);
    expect(left).toContain(publicId);
  });

  it('does not let a viewer write notes', async () => {
    const add = await failure(
      viewer.api.notes.add.mutate({ clientId: portalClientId, body: 'Hi', visibility: 'public' }),
    );
    expect(add.code).toBe('FORBIDDEN');
    expect((await failure(viewer.api.notes.update.mutate({ id: publicId, body: 'Hi' }))).code).toBe('FORBIDDEN');
    expect((await failure(viewer.api.notes.delete.mutate({ id: publicId }))).code).toBe('FORBIDDEN');
  });
});

describe('editing and deleting', () => {
  it('lets the author edit, marks the note edited, and refuses another agent and a manager', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Draft', visibility: 'private' });

    for (const user of [otherAgent, manager]) {
      const refused = await failure(user.api.notes.update.mutate({ id: note.id, body: 'Not yours' }));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toBe('Only the author of this note or an administrator may change it.');
      expect((await failure(user.api.notes.delete.mutate({ id: note.id }))).code).toBe('FORBIDDEN');
    }
    let [stored] = await manager.api.notes.list.query({ clientId });
    expect(stored).toMatchObject({ body: 'Draft', edited: false, editedAt: null });

    const edited = await agent.api.notes.update.mutate({ id: note.id, body: 'Final', visibility: 'public' });
    expect(edited).toMatchObject({ id: note.id, body: 'Final', visibility: 'public', edited: true });
    expect(edited.editedAt).toBeInstanceOf(Date);
    [stored] = await manager.api.notes.list.query({ clientId });
    expect(stored).toMatchObject({ body: 'Final', visibility: 'public', edited: true, createdAt: note.createdAt });
  });

  it('lets an administrator edit and delete anybody’s note', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Typo herre', visibility: 'private' });
    const fixed = await admin.api.notes.update.mutate({ id: note.id, body: 'Typo here' });
    expect(fixed).toMatchObject({ body: 'Typo here', edited: true, author: note.author });
    await admin.api.notes.delete.mutate({ id: note.id });
    expect(await manager.api.notes.list.query({ clientId })).toEqual([]);
  });

  it('lets the author delete; a deleted note is gone and answers NOT_FOUND', async () => {
    const clientId = await newClient();
    const keep = await agent.api.notes.add.mutate({ clientId, body: 'Keep', visibility: 'private' });
    const drop = await agent.api.notes.add.mutate({ clientId, body: 'Drop', visibility: 'private' });
    expect(await agent.api.notes.delete.mutate({ id: drop.id })).toEqual({ id: drop.id });
    expect((await manager.api.notes.list.query({ clientId })).map((note) => note.id)).toEqual([keep.id]);
    expect((await failure(agent.api.notes.update.mutate({ id: drop.id, body: 'Back' }))).code).toBe('NOT_FOUND');
    expect((await failure(agent.api.notes.delete.mutate({ id: drop.id }))).code).toBe('NOT_FOUND');
    expect((await failure(admin.api.notes.delete.mutate({ id: 999_999 }))).code).toBe('NOT_FOUND');
  });

  it('refuses a bad body on edit with a field error and keeps the note', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Original', visibility: 'private' });
    const error = await failure(agent.api.notes.update.mutate({ id: note.id, body: '   ' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.body).toEqual(['Note is required.']);
    expect(await manager.api.notes.list.query({ clientId })).toEqual([
      expect.objectContaining({ body: 'Original', edited: false }),
    ]);
  });

  it('does not mark a note edited when nothing changed', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Same', visibility: 'private' });
    const unchanged = await agent.api.notes.update.mutate({ id: note.id, body: ' Same ', visibility: 'private' });
    expect(unchanged.edited).toBe(false);
    expect((await noteEvents(clientId)).map((event) => event.type)).toEqual(['note.added']);
  });
});

describe('events', () => {
  it('records every change with the note’s id, body and visibility before and after', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Hello', visibility: 'private' });
    await agent.api.notes.update.mutate({ id: note.id, body: 'Hello again' });
    await agent.api.notes.update.mutate({ id: note.id, visibility: 'public' });
    await failure(otherAgent.api.notes.update.mutate({ id: note.id, body: 'Refused' }));
    await admin.api.notes.delete.mutate({ id: note.id });

    const agentName = (await agent.api.auth.me.query())?.name;
    expect(await noteEvents(clientId)).toEqual([
      {
        type: 'note.added',
        actorName: agentName,
        changes: {
          id: { before: null, after: note.id },
          body: { before: null, after: 'Hello' },
          visibility: { before: null, after: 'private' },
        },
      },
      {
        type: 'note.updated',
        actorName: agentName,
        changes: {
          id: { before: null, after: note.id },
          body: { before: 'Hello', after: 'Hello again' },
          // Always there, so a live subscriber can tell who may see the event.
          visibility: { before: 'private', after: 'private' },
        },
      },
      {
        type: 'note.updated',
        actorName: agentName,
        changes: { id: { before: null, after: note.id }, visibility: { before: 'private', after: 'public' } },
      },
      {
        type: 'note.deleted',
        actorName: 'Administrator',
        changes: {
          id: { before: note.id, after: null },
          body: { before: 'Hello again', after: null },
          visibility: { before: 'public', after: null },
        },
      },
    ]);
  });

  it('chains concurrent edits: each edit’s "before" is the body the previous edit left', async () => {
    const clientId = await newClient();
    const note = await agent.api.notes.add.mutate({ clientId, body: 'Edit 0', visibility: 'private' });
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        agent.api.notes.update.mutate({ id: note.id, body: `Edit ${index + 1}` }),
      ),
    );
    const bodies = (await noteEvents(clientId)).map((event) => event.changes.body);
    expect(bodies).toHaveLength(9);
    for (let index = 1; index < bodies.length; index++) {
      expect(bodies[index]?.before).toBe(bodies[index - 1]?.after);
    }
    const [stored] = await agent.api.notes.list.query({ clientId });
    expect(stored?.body).toBe(bodies.at(-1)?.after);
  });
});
