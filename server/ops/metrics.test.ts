import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, subscribeEvents } from '../live/testing';
import { ADMIN, type SignedIn, startTestApp, type TestApp } from '../test/harness';

const TOKEN = 'metrics-token-for-the-test-0123';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await startTestApp({ config: { metricsToken: TOKEN } });
  admin = await t.signIn(ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await t?.close();
});

const scrape = (authorization?: string) =>
  fetch(`${t.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });

/** The value of one series (name and labels exactly as exposed), or undefined when it is not there. */
async function sample(series: string): Promise<number | undefined> {
  const text = await (await scrape(`Bearer ${TOKEN}`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('is refused without the token and with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', `Basic ${TOKEN}`, TOKEN]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('kartoteka_');
    }
  });

  it('exposes every named series to Prometheus with the token', async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const series of [
      '# TYPE kartoteka_http_request_duration_seconds histogram',
      '# TYPE kartoteka_trpc_call_duration_seconds histogram',
      '# TYPE kartoteka_websocket_connections gauge',
      '# TYPE kartoteka_live_subscriptions gauge',
      '# TYPE kartoteka_events_appended_total counter',
      '# TYPE kartoteka_events_delivered_total counter',
      '# TYPE kartoteka_event_delivery_lag_seconds histogram',
      '# TYPE kartoteka_presence_entries gauge',
      '# TYPE kartoteka_db_pool_connections gauge',
      '# TYPE kartoteka_db_pool_max gauge',
      '# TYPE process_cpu_seconds_total counter',
      '# TYPE nodejs_eventloop_lag_seconds gauge',
    ]) {
      expect(text).toContain(series);
    }
  });

  it('counts calls, sockets, subscriptions, events and presence as they happen', async () => {
    const live = admin.connection();
    const received = subscribeEvents(live.api);
    const watching = live.api.presence.watch.subscribe({ tabId: 'metrics-tab' }, { onData: () => {} });
    await eventually(() => received.heads().length > 0, 'the head marker');
    const { id } = await admin.api.clients.create.mutate({ name: 'Counted Client' });
    await live.api.presence.set.mutate({ clientId: id, tabId: 'metrics-tab', field: null });
    await eventually(() => received.events().length > 0, 'the event');

    await eventually(async () => (await sample('kartoteka_presence_entries')) === 1, 'one presence entry');
    expect(await sample('kartoteka_websocket_connections')).toBe(1);
    expect(await sample('kartoteka_live_subscriptions{kind="events"}')).toBe(1);
    expect(await sample('kartoteka_live_subscriptions{kind="presence"}')).toBe(1);
    expect(await sample('kartoteka_events_appended_total')).toBeGreaterThanOrEqual(1);
    expect(await sample('kartoteka_events_delivered_total')).toBe(1);
    expect(await sample('kartoteka_event_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(
      await sample(
        'kartoteka_trpc_call_duration_seconds_count{procedure="clients.create",type="mutation",transport="http",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      await sample(
        'kartoteka_trpc_call_duration_seconds_count{procedure="presence.set",type="mutation",transport="ws",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      await sample('kartoteka_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'),
    ).toBeUndefined();
    await fetch(`${t.url}/healthz`);
    expect(
      await sample('kartoteka_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'),
    ).toBe(1);
    expect(await sample('kartoteka_db_pool_max')).toBeGreaterThanOrEqual(1);

    watching.unsubscribe();
    received.stop();
    await live.close();
    await eventually(async () => (await sample('kartoteka_websocket_connections')) === 0, 'the socket closed');
    await eventually(
      async () => (await sample('kartoteka_live_subscriptions{kind="events"}')) === 0,
      'the event stream ended',
    );
    await eventually(async () => (await sample('kartoteka_presence_entries')) === 0, 'the tab left its card');
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  it('does not exist', async () => {
    const plain = await startTestApp();
    try {
      const response = await fetch(`${plain.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
