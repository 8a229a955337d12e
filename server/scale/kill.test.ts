import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../live/testing';
import { apiAt, signInCookie } from '../load/session';
import { CLUSTER_ADMIN, type Cluster, startCluster, type TrackedSocket } from './cluster';
import { acknowledged, editCity, editors, expectNothingLost, subscribersThrough } from './edit-stream';

/**
 * One of three instances behind nginx killed with SIGKILL in the middle of a stream of edits: its WebSocket
 * clients reconnect through nginx to another instance and resume from their last seq, so every subscriber
 * receives every event once, in order; the edits go on through the other instances; the database holds exactly
 * the acknowledged writes (and, of the writes in flight at the kill, each whole or not at all).
 */
const SUBSCRIBERS = 9;
const EDITORS = 4;
const EDITS_BEFORE_KILL = 30;
const EDITS_AFTER_KILL = 30;

let cluster: Cluster;
let cookie: string;
const sockets: TrackedSocket[] = [];

beforeAll(async () => {
  cluster = await startCluster({ instances: 3 });
  cookie = await signInCookie(cluster.url, CLUSTER_ADMIN.email, CLUSTER_ADMIN.password);
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) await socket.close();
  await cluster?.close();
});

it('loses no event and no acknowledged write when an instance is killed mid-stream', async () => {
  const api = apiAt(cluster.url, cookie);
  const all = await editors(api, EDITORS);
  const { received, start } = await subscribersThrough(cluster.url, cookie, SUBSCRIBERS, sockets);
  const victim = cluster.instances.find((instance) =>
    sockets.some((socket) => socket.instances[0] === instance.address),
  );
  if (!victim) throw new Error('no subscriber landed on an instance');
  const onVictim = sockets.filter((socket) => socket.instances[0] === victim.address);

  let running = true;
  const work = all.map((editor, i) => editCity(api, `E${i}`, editor, () => running));
  await eventually(() => acknowledged(all) >= EDITS_BEFORE_KILL, 'edits before the kill', 60_000);
  await victim.kill();
  expect((await victim.exited).signal).toBe('SIGKILL');
  const atKill = acknowledged(all);
  await eventually(() => acknowledged(all) >= atKill + EDITS_AFTER_KILL, 'edits after the kill', 60_000);
  running = false;
  await Promise.all(work);

  const events = await expectNothingLost(cluster.databaseUrl, received, all, start);
  // The victim's clients came back through nginx, on another instance.
  for (const socket of onVictim) {
    expect(socket.instances.length).toBeGreaterThan(1);
    expect(socket.instances.at(-1)).not.toBe(victim.address);
  }
  const unanswered = all.reduce((sum, editor) => sum + editor.unanswered.length, 0);
  console.log(
    `scale kill: ${acknowledged(all)} edits acknowledged (${atKill} before the SIGKILL), ${unanswered} without an answer; ${onVictim.length} of ${SUBSCRIBERS} subscribers moved off the killed instance; ${events} events reached every subscriber once, in order`,
  );
}, 180_000);
