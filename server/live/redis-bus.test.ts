import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../faults/tcp-proxy';
import { redisEndpoint, testRedis, throughPort } from '../test/redis';
import { RedisLink } from './redis';
import { RedisBus } from './redis-bus';
import { eventually } from './testing';

/** The bus across instances on a real Redis, each test file under its own key prefix. */
const redis = testRedis();
let proxy: TcpProxy;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  proxy = await startTcpProxy(redisEndpoint(redis));
});

afterEach(async () => {
  proxy.restore();
  for (const closable of opened.splice(0).reverse()) await closable.close();
});

afterAll(async () => {
  await proxy.close();
  await redis.drop();
});

/** One instance's bus; `latest` stands in for the newest seq in the event log. */
async function instance(options: { prefix?: string; viaProxy?: boolean; latest?: () => number } = {}) {
  const settings = {
    ...(options.viaProxy ? throughPort(redis, proxy.port) : redis),
    prefix: options.prefix ?? redis.prefix,
  };
  const link = await RedisLink.connect(settings);
  const bus = await RedisBus.create(link, async () => options.latest?.() ?? 0);
  opened.push(link, bus);
  const heard: number[] = [];
  bus.subscribe((seq) => heard.push(seq));
  return { bus, heard };
}

it('wakes the subscribers of every instance with the new seq, each once', async () => {
  const a = await instance();
  const b = await instance();
  const c = await instance();
  a.bus.publish(5);
  b.bus.publish(6);
  await eventually(() => a.heard.length === 2 && b.heard.length === 2 && c.heard.length === 2, 'both seqs everywhere');
  expect(a.heard).toEqual([5, 6]);
  expect(b.heard.toSorted()).toEqual([5, 6]);
  expect(c.heard).toEqual([5, 6]);
});

it('does not reach instances under another prefix', async () => {
  const a = await instance();
  const other = await instance({ prefix: `${redis.prefix}other:` });
  const b = await instance();
  a.bus.publish(7);
  await eventually(() => b.heard.includes(7), 'the seq on the same prefix');
  expect(other.heard).toEqual([]);
});

it('keeps waking its own subscribers while Redis is unreachable, and catches up with the log when it is back', async () => {
  let newest = 10;
  const a = await instance();
  const b = await instance({ viaProxy: true, latest: () => newest });
  b.bus.publish(10);
  await eventually(() => a.heard.includes(10), 'the seq before the outage');

  proxy.cut();
  // B's connection is gone: its own writes still wake its own subscribers at once.
  newest = 11;
  b.bus.publish(11);
  expect(b.heard).toContain(11);
  // A's write is broadcast while B cannot hear it; it lands in the log all the same.
  newest = 12;
  a.bus.publish(12);

  proxy.restore();
  // Back: B wakes its subscribers with the log's newest seq, and tells A, which missed 11.
  await eventually(() => b.heard.includes(12), 'B catching up with the log');
  await eventually(() => a.heard.includes(12) && a.heard.at(-1) === 12, 'A hearing the newest seq');
  expect(Math.max(...b.heard)).toBe(12);
});
