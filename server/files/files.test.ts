import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../activity/entity';
import { ADMIN, failure, type SignedIn, startTestApp, type TestApp } from '../test/harness';
import { StoredFile } from './entity';
import { download, heavyPng, image, upload } from './test-uploads';

let t: TestApp;
let admin: SignedIn;
let manager: SignedIn;
let agent: SignedIn;
let otherAgent: SignedIn;
let viewer: SignedIn;
let portal: SignedIn;
let portalClientId: number;
let agentId: number;
let agentName: string;
let otherAgentName: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn(ADMIN.email, ADMIN.password);
  manager = await t.as('manager');
  agent = await t.as('agent');
  otherAgent = await t.as('agent');
  viewer = await t.as('viewer');
  portalClientId = (await admin.api.clients.create.mutate({ name: 'Portal Owner', loginAllowed: true })).id;
  portal = await t.as('client', { clientId: portalClientId });
  const me = await agent.api.auth.me.query();
  agentId = me?.id ?? 0;
  agentName = me?.name ?? '';
  otherAgentName = (await otherAgent.api.auth.me.query())?.name ?? '';
});

afterAll(async () => {
  await t?.close();
});

const newClient = async (name = 'Filed Client') => (await agent.api.clients.create.mutate({ name })).id;

const send = (session: SignedIn | null, fields: Parameters<typeof upload>[2]) =>
  upload(t.url, session?.cookie ?? null, fields);

async function uploaded(session: SignedIn, fields: Parameters<typeof upload>[2]): Promise<number> {
  const answer = await send(session, fields);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  expect(answer.body).toEqual({ id: expect.any(Number) });
  return answer.body.id as number;
}

async function fileEvents(clientId: number) {
  const events = await t.em().find(ClientEvent, { clientId }, { orderBy: { seq: 'asc' } });
  return events
    .filter(
      (event) => event.type.startsWith('file.') || 'photoFileId' in event.changes || 'logoFileId' in event.changes,
    )
    .map((event) => ({ type: event.type, actorName: event.actorName, changes: event.changes }));
}

const storedRows = (clientId: number) => t.em().count(StoredFile, { clientId });

const MZ_EXECUTABLE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 0)]);
const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);

describe('photo and logo', () => {
  it('stores a real PNG photo, points the client at it, and serves it and its square thumbnail', async () => {
    const clientId = await newClient('Photo Person');
    const png = await image('png', 640, 480);
    const id = await uploaded(agent, {
      clientId,
      kind: 'photo',
      file: { bytes: png, name: 'me.png', type: 'image/png' },
    });

    expect((await viewer.api.clients.get.query({ id: clientId })).photoFileId).toBe(id);
    const list = await viewer.api.clients.list.query({ search: 'Photo Person' });
    expect(list.items[0]?.photoFileId).toBe(id);

    const original = await download(t.url, viewer.cookie, id);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('content-disposition')).toBe(`inline; filename="me.png"; filename*=UTF-8''me.png`);
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(original.headers.get('cache-control')).toMatch(/^private\b/);
    expect(Buffer.from(await original.arrayBuffer()).equals(png)).toBe(true);

    const thumb = await download(t.url, viewer.cookie, id, true);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'webp',
      width: 256,
      height: 256,
    });
  });

  it('stores a real JPEG logo whatever its name says, with a thumbnail that keeps its shape', async () => {
    const clientId = await newClient();
    const jpeg = await image('jpeg', 800, 200);
    const id = await uploaded(manager, {
      clientId,
      kind: 'logo',
      file: { bytes: jpeg, name: 'logo.bin', type: 'application/octet-stream' },
    });
    const client = await agent.api.clients.get.query({ id: clientId });
    expect({ photo: client.photoFileId, logo: client.logoFileId }).toEqual({ photo: null, logo: id });
    const original = await download(t.url, agent.cookie, id);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(
      Buffer.from(await (await download(t.url, agent.cookie, id, true)).arrayBuffer()),
    ).metadata();
    expect([meta.width, meta.height]).toEqual([320, 80]);
  });

  it('accepts WebP and GIF too', async () => {
    const clientId = await newClient();
    for (const format of ['webp', 'gif'] as const) {
      const id = await uploaded(agent, {
        clientId,
        kind: 'photo',
        file: { bytes: await image(format), name: `me.${format}` },
      });
      expect((await download(t.url, agent.cookie, id)).headers.get('content-type')).toBe(`image/${format}`);
    }
  });

  it('replaces a photo in one change: the new id on the client, the old file gone, every step in the log', async () => {
    const clientId = await newClient();
    const first = await uploaded(agent, {
      clientId,
      kind: 'photo',
      file: { bytes: await image('png'), name: 'a.png' },
    });
    const second = await uploaded(otherAgent, {
      clientId,
      kind: 'photo',
      file: { bytes: await image('jpeg'), name: 'b.jpg' },
    });

    expect((await agent.api.clients.get.query({ id: clientId })).photoFileId).toBe(second);
    expect((await download(t.url, agent.cookie, first)).status).toBe(404);
    expect(await storedRows(clientId)).toBe(1);
    const file = (name: string, id: number, mimeType: string, present: boolean) => ({
      id: present ? { before: null, after: id } : { before: id, after: null },
      fileName: present ? { before: null, after: name } : { before: name, after: null },
      kind: present ? { before: null, after: 'photo' } : { before: 'photo', after: null },
      mimeType: present ? { before: null, after: mimeType } : { before: mimeType, after: null },
      size: expect.any(Object),
    });
    expect(await fileEvents(clientId)).toEqual([
      { type: 'file.added', actorName: agentName, changes: file('a.png', first, 'image/png', true) },
      { type: 'client.updated', actorName: agentName, changes: { photoFileId: { before: null, after: first } } },
      { type: 'file.added', actorName: otherAgentName, changes: file('b.jpg', second, 'image/jpeg', true) },
      { type: 'client.updated', actorName: otherAgentName, changes: { photoFileId: { before: first, after: second } } },
      { type: 'file.deleted', actorName: otherAgentName, changes: file('a.png', first, 'image/png', false) },
    ]);
  });

  it('keeps exactly one photo when two are uploaded at the same moment', async () => {
    const clientId = await newClient();
    const sent = await Promise.all(
      (['png', 'jpeg', 'webp'] as const).map(async (format) =>
        send(agent, { clientId, kind: 'photo', file: { bytes: await image(format), name: `at-once.${format}` } }),
      ),
    );
    expect(sent.map((answer) => answer.status)).toEqual([201, 201, 201]);
    const remaining = await t.em().find(StoredFile, { clientId });
    expect(remaining).toHaveLength(1);
    expect((await agent.api.clients.get.query({ id: clientId })).photoFileId).toBe(remaining[0]?.id);
    // Each upload replaced the one before it, in the order they committed.
    const changes = (await fileEvents(clientId))
      .filter((event) => event.type === 'client.updated')
      .map((event) => event.changes.photoFileId as { before: number | null; after: number });
    expect(changes.map((change) => change.before)).toEqual([null, changes[0]?.after, changes[1]?.after]);
  });

  it('clears a photo with files.delete: the client forgets it and the log says so', async () => {
    const clientId = await newClient();
    const id = await uploaded(agent, { clientId, kind: 'photo', file: { bytes: await image('png'), name: 'a.png' } });
    // A photo is part of the card: anyone who may edit the card may remove it, not only who uploaded it.
    await otherAgent.api.files.delete.mutate({ id });
    expect((await agent.api.clients.get.query({ id: clientId })).photoFileId).toBeNull();
    expect((await download(t.url, agent.cookie, id)).status).toBe(404);
    const events = await fileEvents(clientId);
    expect(events.slice(-2).map((event) => [event.type, event.changes.photoFileId ?? event.changes.id])).toEqual([
      ['client.updated', { before: id, after: null }],
      ['file.deleted', { before: id, after: null }],
    ]);
  });

  it('refuses a Windows program renamed to .png, naming the field and the reason, and stores nothing', async () => {
    const clientId = await newClient();
    const answer = await send(agent, {
      clientId,
      kind: 'photo',
      file: { bytes: MZ_EXECUTABLE, name: 'holiday.png', type: 'image/png' },
    });
    expect(answer.status).toBe(415);
    expect(answer.body.error).toEqual({
      code: 'NOT_AN_IMAGE',
      field: 'file',
      message: 'Profile photo must be a PNG, JPEG, WebP or GIF image; "holiday.png" is not one.',
    });
    expect((await agent.api.clients.get.query({ id: clientId })).photoFileId).toBeNull();
    expect(await storedRows(clientId)).toBe(0);
    expect(await fileEvents(clientId)).toEqual([]);
  });

  it('refuses an SVG as a photo or a logo', async () => {
    const clientId = await newClient();
    for (const kind of ['photo', 'logo']) {
      const answer = await send(agent, {
        clientId,
        kind,
        file: { bytes: SVG, name: 'vector.svg', type: 'image/svg+xml' },
      });
      expect(answer.status).toBe(415);
      expect(answer.body.error?.code).toBe('SVG_NOT_ALLOWED');
      expect(answer.body.error?.field).toBe('file');
      expect(answer.body.error?.message).toMatch(/cannot be an SVG image/);
    }
    expect(await storedRows(clientId)).toBe(0);
  });

  it('refuses a truncated PNG or JPEG: the image must decode to the last pixel', async () => {
    const clientId = await newClient();
    for (const format of ['png', 'jpeg'] as const) {
      const whole = await sharp(Buffer.alloc(200 * 200 * 3, 0x55), { raw: { width: 200, height: 200, channels: 3 } })
        .toFormat(format)
        .toBuffer();
      const answer = await send(agent, {
        clientId,
        kind: 'photo',
        file: { bytes: whole.subarray(0, Math.floor(whole.length * 0.6)), name: `cut.${format}` },
      });
      expect(answer.status, format).toBe(400);
      expect(answer.body.error).toEqual({
        code: 'DAMAGED_IMAGE',
        field: 'file',
        message: `"cut.${format}" could not be read as an image: it is damaged or incomplete.`,
      });
    }
    expect(await storedRows(clientId)).toBe(0);
  });

  it('refuses a 6 MB image with 413 while it is still being sent, and keeps nothing of it', async () => {
    const clientId = await newClient();
    const big = await heavyPng(6 * 1024 * 1024);
    const sending = startRawUpload(clientId, 'photo', 'big.png');
    sending.write(big);
    // The body is never finished: only a server that answers at the limit, without waiting for the rest, answers.
    const [response] = (await once(sending, 'response')) as [IncomingMessage];
    let text = '';
    for await (const chunk of response) text += chunk;
    sending.destroy();
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(text).error).toEqual({
      code: 'FILE_TOO_LARGE',
      field: 'file',
      message: 'Profile photo can be at most 5 MB; "big.png" is larger.',
    });
    expect(await storedRows(clientId)).toBe(0);

    // The same image, sent whole by an ordinary client, gets the same answer.
    const whole = await send(agent, { clientId, kind: 'logo', file: { bytes: big, name: 'big.png' } });
    expect([whole.status, whole.body.error?.code]).toEqual([413, 'FILE_TOO_LARGE']);
    expect(await storedRows(clientId)).toBe(0);
  });
});

/** A multipart upload written by hand over a raw connection, so a test decides when (and whether) it ends. */
function startRawUpload(clientId: number, kind: string, fileName: string) {
  const boundary = 'kartoteka-test-boundary';
  const sending = request(`${t.url}/api/files`, {
    method: 'POST',
    headers: {
      cookie: agent.cookie,
      'x-kartoteka-csrf': '1',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
  sending.on('error', () => {}); // the server may close the connection while we still write: that is the point
  sending.write(
    [
      `--${boundary}\r\nContent-Disposition: form-data; name="clientId"\r\n\r\n${clientId}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n\r\n`,
    ].join(''),
  );
  return sending;
}

describe('documents', () => {
  it('uploads, lists with uploader and time, and downloads as an attachment with a safe file name', async () => {
    const clientId = await newClient();
    const pdf = Buffer.from('%PDF-1.4\n% a tiny document\n%%EOF\n');
    const name = "Umowa końcowa (2026) 'v2'.pdf";
    const id = await uploaded(agent, {
      clientId,
      kind: 'document',
      file: { bytes: pdf, name, type: 'application/pdf' },
    });
    const other = await uploaded(manager, {
      clientId,
      kind: 'document',
      file: { bytes: Buffer.from('a,b\n1,2\n'), name: 'numbers.csv', type: 'text/csv' },
    });

    const documents = await viewer.api.files.list.query({ clientId });
    expect(documents.map((document) => document.id)).toEqual([other, id]);
    expect(documents[1]).toEqual({
      id,
      clientId,
      fileName: name,
      size: pdf.length,
      mimeType: 'application/pdf',
      uploadedBy: { id: agentId, name: agentName },
      createdAt: expect.any(Date),
    });
    // Photos and logos are not documents.
    await uploaded(agent, { clientId, kind: 'photo', file: { bytes: await image('png'), name: 'p.png' } });
    expect(await viewer.api.files.list.query({ clientId })).toHaveLength(2);

    const response = await download(t.url, viewer.cookie, id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Umowa koncowa (2026) 'v2'.pdf"; filename*=UTF-8''Umowa%20ko%C5%84cowa%20%282026%29%20%27v2%27.pdf`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(response.headers.get('cache-control')).toMatch(/^private\b/);
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await download(t.url, viewer.cookie, id, true)).status).toBe(404);
  });

  it('never serves an uploaded page or SVG as what it claims to be', async () => {
    const clientId = await newClient();
    const html = await uploaded(agent, {
      clientId,
      kind: 'document',
      file: { bytes: Buffer.from('<script>alert(document.cookie)</script>'), name: 'page.html', type: 'text/html' },
    });
    const svg = await uploaded(agent, {
      clientId,
      kind: 'document',
      file: { bytes: SVG, name: 'drawing.svg', type: 'image/svg+xml' },
    });
    const listed = await agent.api.files.list.query({ clientId });
    expect(listed.map((file) => file.mimeType).sort()).toEqual(['image/svg+xml', 'text/html']);
    for (const id of [html, svg]) {
      const response = await download(t.url, agent.cookie, id);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
  });

  it('keeps only the name of a path, without control or direction-changing characters', async () => {
    const clientId = await newClient();
    await uploaded(agent, {
      clientId,
      kind: 'document',
      file: { bytes: Buffer.from('x'), name: 'C:\\Users\\ana\\report\u202Efdp.exe', type: 'application/x-msdownload' },
    });
    expect((await agent.api.files.list.query({ clientId }))[0]?.fileName).toBe('reportfdp.exe');
  });

  it('keeps nothing of an upload whose sender goes away halfway, and goes on serving', async () => {
    const clientId = await newClient();
    const sending = startRawUpload(clientId, 'document', 'half.bin');
    sending.write(Buffer.alloc(256 * 1024, 1));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server start reading
    await new Promise((resolve) => sending.destroy().once('close', resolve));
    const after = await send(agent, {
      clientId,
      kind: 'document',
      file: { bytes: Buffer.from('whole'), name: 'whole.txt' },
    });
    expect(after.status).toBe(201);
    expect((await agent.api.files.list.query({ clientId })).map((file) => file.fileName)).toEqual(['whole.txt']);
  });

  it('refuses a document over 20 MB while it arrives', async () => {
    const clientId = await newClient();
    const answer = await send(agent, {
      clientId,
      kind: 'document',
      file: { bytes: Buffer.alloc(20 * 1024 * 1024 + 1, 0x61), name: 'huge.txt', type: 'text/plain' },
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual({
      code: 'FILE_TOO_LARGE',
      field: 'file',
      message: 'Document can be at most 20 MB; "huge.txt" is larger.',
    });
    expect(await storedRows(clientId)).toBe(0);
  });

  it('is deleted by its uploader or an administrator, never by another agent or a manager', async () => {
    const clientId = await newClient();
    const doc = (name: string) => ({ clientId, kind: 'document', file: { bytes: Buffer.from(name), name } });
    const mine = await uploaded(agent, doc('mine.txt'));
    const forAdmin = await uploaded(agent, doc('admin-removes.txt'));

    for (const session of [otherAgent, manager]) {
      const refused = await failure(session.api.files.delete.mutate({ id: mine }));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toBe('Only the person who uploaded this document or an administrator may delete it.');
    }
    expect((await failure(viewer.api.files.delete.mutate({ id: mine }))).code).toBe('FORBIDDEN');
    expect((await download(t.url, agent.cookie, mine)).status).toBe(200);

    await agent.api.files.delete.mutate({ id: mine });
    await admin.api.files.delete.mutate({ id: forAdmin });
    expect(await agent.api.files.list.query({ clientId })).toEqual([]);
    expect((await download(t.url, agent.cookie, mine)).status).toBe(404);
    expect((await failure(agent.api.files.delete.mutate({ id: mine }))).code).toBe('NOT_FOUND');

    const deletions = (await fileEvents(clientId)).filter((event) => event.type === 'file.deleted');
    expect(deletions.map((event) => [event.actorName, event.changes.id, event.changes.fileName])).toEqual([
      [agentName, { before: mine, after: null }, { before: 'mine.txt', after: null }],
      ['Administrator', { before: forAdmin, after: null }, { before: 'admin-removes.txt', after: null }],
    ]);
  });
});

describe('who may', () => {
  it('refuses an upload from a viewer or a portal user (403) and from nobody signed in (401)', async () => {
    const clientId = await newClient();
    const file = { bytes: Buffer.from('hello'), name: 'hello.txt' };
    for (const session of [viewer, portal]) {
      const answer = await send(session, {
        clientId: session === portal ? portalClientId : clientId,
        kind: 'document',
        file,
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe('FORBIDDEN');
    }
    const anonymous = await send(null, { clientId, kind: 'document', file });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'Sign in first.', field: null });
    expect(await storedRows(clientId)).toBe(0);
  });

  it('refuses an upload without the CSRF header, even with a valid session', async () => {
    const clientId = await newClient();
    const answer = await upload(
      t.url,
      agent.cookie,
      { clientId, kind: 'document', file: { bytes: Buffer.from('x'), name: 'x' } },
      {},
    );
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('CSRF');
    expect(await storedRows(clientId)).toBe(0);
  });

  it('serves files only to a signed-in user who may see the client', async () => {
    const otherClient = await newClient('Not The Portal');
    const theirs = await uploaded(agent, {
      clientId: otherClient,
      kind: 'document',
      file: { bytes: Buffer.from('secret'), name: 'secret.txt' },
    });
    const ownPhoto = await uploaded(agent, {
      clientId: portalClientId,
      kind: 'photo',
      file: { bytes: await image('png'), name: 'portal.png' },
    });
    const ownDocument = await uploaded(agent, {
      clientId: portalClientId,
      kind: 'document',
      file: { bytes: Buffer.from('terms'), name: 'terms.txt' },
    });

    const anonymous = await download(t.url, null, theirs);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHORIZED');

    const refused = await download(t.url, portal.cookie, theirs);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      error: { code: 'NOT_FOUND', message: `File ${theirs} does not exist.`, field: null },
    });
    expect((await download(t.url, portal.cookie, theirs, true)).status).toBe(404);
    expect((await failure(portal.api.files.list.query({ clientId: otherClient }))).code).toBe('NOT_FOUND');

    expect((await download(t.url, portal.cookie, ownPhoto, true)).status).toBe(200);
    expect((await download(t.url, portal.cookie, ownDocument)).status).toBe(200);
    expect((await portal.api.files.list.query({ clientId: portalClientId })).map((file) => file.id)).toEqual([
      ownDocument,
    ]);
    expect((await failure(portal.api.files.delete.mutate({ id: ownDocument }))).code).toBe('FORBIDDEN');
  });
});

describe('bad uploads', () => {
  const file = { bytes: Buffer.from('content'), name: 'a.txt' };

  it('names the missing, unknown or malformed field', async () => {
    const clientId = await newClient();
    const cases: [Parameters<typeof upload>[2], number, string, string | null][] = [
      [{ kind: 'document', file }, 400, 'MISSING_FIELD', 'clientId'],
      [{ clientId, file }, 400, 'MISSING_FIELD', 'kind'],
      [{ clientId, kind: 'document' }, 400, 'NO_FILE', 'file'],
      [{ clientId: 'twelve', kind: 'document', file }, 400, 'INVALID_CLIENT_ID', 'clientId'],
      [{ clientId: -3, kind: 'document', file }, 400, 'INVALID_CLIENT_ID', 'clientId'],
      [{ clientId, kind: 'avatar', file }, 400, 'INVALID_KIND', 'kind'],
      [{ clientId, kind: 'document', file: { bytes: Buffer.alloc(0), name: 'empty.txt' } }, 400, 'EMPTY_FILE', 'file'],
      [{ clientId: 999_999, kind: 'document', file }, 404, 'NOT_FOUND', 'clientId'],
    ];
    for (const [fields, status, code, field] of cases) {
      const answer = await send(agent, fields);
      expect([answer.status, answer.body.error?.code, answer.body.error?.field], JSON.stringify(fields)).toEqual([
        status,
        code,
        field,
      ]);
      expect(answer.body.error?.message).toBeTruthy();
    }
    const invalidKind = await send(agent, { clientId, kind: 'avatar', file });
    expect(invalidKind.body.error?.message).toBe('The field "kind" must be photo, logo or document, not "avatar".');
    expect(await storedRows(clientId)).toBe(0);
  });

  it('refuses a second file, an unknown field, fields sent after the file, and a body that is not multipart', async () => {
    const clientId = await newClient();
    const raw = async (parts: [string, string | Blob, string?][]) => {
      const form = new FormData();
      for (const [name, value, fileName] of parts) {
        if (typeof value === 'string') form.append(name, value);
        else form.append(name, value, fileName);
      }
      const response = await fetch(`${t.url}/api/files`, {
        method: 'POST',
        body: form,
        headers: { cookie: agent.cookie, 'x-kartoteka-csrf': '1' },
      });
      return [response.status, ((await response.json()) as { error: { code: string; field: string | null } }).error];
    };
    const blob = new Blob(['x']);
    expect(
      await raw([
        ['clientId', String(clientId)],
        ['kind', 'document'],
        ['file', blob, 'one.txt'],
        ['file', blob, 'two.txt'],
      ]),
    ).toEqual([400, expect.objectContaining({ code: 'TOO_MANY_FILES', field: 'file' })]);
    expect(
      await raw([
        ['clientId', String(clientId)],
        ['kind', 'document'],
        ['comment', 'hello'],
        ['file', blob, 'one.txt'],
      ]),
    ).toEqual([400, expect.objectContaining({ code: 'UNKNOWN_FIELD' })]);
    expect(
      await raw([
        ['file', blob, 'one.txt'],
        ['clientId', String(clientId)],
        ['kind', 'document'],
      ]),
    ).toEqual([400, expect.objectContaining({ code: 'MISSING_FIELD', field: 'clientId' })]);
    expect(
      await raw([
        ['clientId', String(clientId)],
        ['clientId', String(clientId)],
        ['kind', 'document'],
        ['file', blob, 'one.txt'],
      ]),
    ).toEqual([400, expect.objectContaining({ code: 'DUPLICATE_FIELD', field: 'clientId' })]);

    const json = await fetch(`${t.url}/api/files`, {
      method: 'POST',
      body: JSON.stringify({ clientId, kind: 'document' }),
      headers: { cookie: agent.cookie, 'x-kartoteka-csrf': '1', 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect((await json.json()).error.code).toBe('NOT_MULTIPART');
    expect(await storedRows(clientId)).toBe(0);
  });

  it('refuses files for a deleted client until it is restored', async () => {
    const clientId = await newClient('Deleted With Files');
    const id = await uploaded(agent, { clientId, kind: 'document', file });
    await admin.api.clients.delete.mutate({ ids: [clientId] });
    const answer = await send(agent, { clientId, kind: 'document', file });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toEqual({
      code: 'CONFLICT',
      field: 'clientId',
      message: 'Client "Deleted With Files" was deleted; restore it before changing its files.',
    });
    expect((await failure(admin.api.files.delete.mutate({ id }))).code).toBe('CONFLICT');
    await admin.api.clients.restore.mutate({ ids: [clientId] });
    await uploaded(agent, { clientId, kind: 'document', file });
  });
});
