import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BulkHistogram } from './bulk-histogram';
import { Metrics } from './metrics';

const BUCKETS = [0.005, 0.01, 0.05, 1];

describe('BulkHistogram', () => {
  it('is scraped exactly as prom-client’s Histogram given the same observations one at a time', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const bulk = new BulkHistogram('lag_seconds', 'Lag.', BUCKETS, ours);
    const single = new Histogram({ name: 'lag_seconds', help: 'Lag.', buckets: BUCKETS, registers: [theirs] });
    // Below the first bound, on a bound, between bounds, above the last one (only +Inf), and zero.
    for (const [value, times] of [
      [0.001, 3],
      [0.01, 2],
      [0.02, 5],
      [7, 4],
      [0, 1],
    ] as const) {
      bulk.observe(value, times);
      for (let i = 0; i < times; i++) single.observe(value);
    }
    bulk.observe(0.5);
    single.observe(0.5);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('lag_seconds_bucket{le="0.01"} 6');
    expect(text).toContain('lag_seconds_bucket{le="+Inf"} 16');
    expect(text).toContain('lag_seconds_count 16');
  });
});

describe('Metrics.delivered', () => {
  it('observes the lag of every event delivered live, a commit’s events together, and none of a replay', async () => {
    const metrics = new Metrics();
    const now = Date.now();
    const commit = new Date(now - 2_000);
    // Three events of one commit (read back from the log: equal times, not one Date), then one of a later commit.
    metrics.delivered([commit, new Date(commit.getTime()), new Date(commit.getTime()), new Date(now - 20)]);
    metrics.delivered([new Date(now - 60_000)], false);
    const text = await metrics.registry.metrics();
    expect(text).toContain('kartoteka_events_delivered_total 5');
    expect(text).toContain('kartoteka_event_delivery_lag_seconds_count 4');
    expect(text).toContain('kartoteka_event_delivery_lag_seconds_bucket{le="0.01"} 0');
    expect(text).toContain('kartoteka_event_delivery_lag_seconds_bucket{le="0.025"} 1');
    expect(text).toContain('kartoteka_event_delivery_lag_seconds_bucket{le="1"} 1');
    expect(text).toContain('kartoteka_event_delivery_lag_seconds_bucket{le="2.5"} 4');
    expect(text).toContain('kartoteka_event_delivery_lag_seconds_bucket{le="60"} 4');
  });
});
