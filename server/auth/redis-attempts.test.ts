import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../faults/tcp-proxy';
import { RedisLink } from '../live/redis';
import { eventually } from '../live/testing';
import { redisEndpoint, testRedis, throughPort } from '../test/redis';
import { RedisAttemptCounter } from './redis-attempts';
import { LoginThrottle, TooManyAttemptsError } from './throttle';

/** Sign-in failure counters shared by instances on a real Redis. */
const redis = testRedis();
let proxy: TcpProxy;
const links: RedisLink[] = [];

beforeAll(async () => {
  proxy = await startTcpProxy(redisEndpoint(redis));
});

afterEach(async () => {
  proxy.restore();
  for (const link of links.splice(0)) await link.close();
});

afterAll(async () => {
  await proxy.close();
  await redis.drop();
});

async function counter(viaProxy = false): Promise<{ counter: RedisAttemptCounter; link: RedisLink }> {
  const link = await RedisLink.connect(viaProxy ? throughPort(redis, proxy.port) : redis);
  links.push(link);
  return { counter: new RedisAttemptCounter(link), link };
}

it('counts the failures of every instance in one fixed window, and forgets them when cleared', async () => {
  const { counter: a } = await counter();
  const { counter: b } = await counter();
  expect(await a.get('account:one@example.com')).toBeNull();
  expect(await a.add('account:one@example.com', 60_000)).toMatchObject({ count: 1 });
  const second = await b.add('account:one@example.com', 60_000);
  expect(second.count).toBe(2);
  expect(second.resetInMs).toBeGreaterThan(0);
  expect(second.resetInMs).toBeLessThanOrEqual(60_000);
  expect(await a.get('account:one@example.com')).toMatchObject({ count: 2 });
  await a.clear('account:one@example.com');
  expect(await b.get('account:one@example.com')).toBeNull();
});

it('starts a new window once the old one has ended', async () => {
  const { counter: a } = await counter();
  await a.add('address:10.0.0.1', 300);
  await a.add('address:10.0.0.1', 300);
  await eventually(async () => (await a.get('address:10.0.0.1')) === null, 'the window to end');
  expect(await a.add('address:10.0.0.1', 300)).toMatchObject({ count: 1 });
});

it('locks an account out on every instance once the failures on all of them reach the limit', async () => {
  const settings = { windowMs: 60_000, maxPerAccount: 3, maxPerAddress: 100 };
  const a = new LoginThrottle((await counter()).counter, settings);
  const b = new LoginThrottle((await counter()).counter, settings);
  await a.failed('Shared@example.com', '10.0.0.2');
  await b.failed('shared@example.com', '10.0.0.3');
  await a.check('shared@example.com', '10.0.0.4');
  await b.failed('shared@example.com', '10.0.0.5');
  await expect(a.check('shared@example.com', '10.0.0.6')).rejects.toBeInstanceOf(TooManyAttemptsError);
});

it('keeps counting in memory while Redis is unreachable', async () => {
  const { counter: cut, link } = await counter(true);
  proxy.cut();
  await eventually(() => !link.ready, 'the connection noticing the cut');
  expect(await cut.add('account:offline@example.com', 60_000)).toMatchObject({ count: 1 });
  expect(await cut.add('account:offline@example.com', 60_000)).toMatchObject({ count: 2 });
  expect(await cut.get('account:offline@example.com')).toMatchObject({ count: 2 });
  proxy.restore();
  await eventually(() => link.ready, 'the connection back');
  expect(await cut.get('account:offline@example.com')).toBeNull();
});
