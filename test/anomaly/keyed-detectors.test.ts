import { describe, expect, it } from 'vitest';
import { DetectorSpecSchema } from '../../src/anomaly/detector-spec.ts';
import { KeyedDetectors } from '../../src/anomaly/keyed-detectors.ts';
import { ProcessorError } from '../../src/errors.ts';
import { Random } from '../../src/generate/random.ts';

const MINUTE = 60_000;
const spec = DetectorSpecSchema.parse({ kind: 'robust', warmup: 20 });

describe('keyed detectors', () => {
  it('keeps one detector per key, each learning only its own series', () => {
    const keyed = new KeyedDetectors({ spec, ttlMs: 60 * MINUTE, maxKeys: 10 });
    const rng = new Random(1);
    for (let i = 0; i < 200; i++) {
      keyed.update('KZ-A', i * MINUTE, 10 + rng.normal());
      keyed.update('UZ-B', i * MINUTE, 1000 + 10 * rng.normal());
    }
    expect(keyed.size).toBe(2);
    // 60 is ordinary for neither post but far more unusual for the first.
    expect(keyed.update('KZ-A', 200 * MINUTE, 60).anomalous).toBe(true);
    expect(keyed.update('UZ-B', 200 * MINUTE, 1005).anomalous).toBe(false);
  });

  it('forgets a key idle for longer than the TTL in event time, and starts it afresh', () => {
    const keyed = new KeyedDetectors({ spec, ttlMs: 30 * MINUTE, maxKeys: 10 });
    for (let i = 0; i < 50; i++) keyed.update('a', i * MINUTE, i % 3);
    keyed.update('b', 60 * MINUTE, 1);
    expect(keyed.has('a')).toBe(true); // idle exactly 11 minutes: 49 → 60
    keyed.update('b', 79 * MINUTE, 1);
    expect(keyed.has('a')).toBe(true); // idle 30 minutes: not longer than the TTL
    keyed.update('b', 80 * MINUTE, 1);
    expect(keyed.has('a')).toBe(false);
    expect(keyed.expired).toBe(1);
    expect(keyed.update('a', 81 * MINUTE, 5).warm).toBe(false);
    expect(keyed.size).toBe(2);
  });

  it('evicts the least recently updated key beyond the cap', () => {
    const keyed = new KeyedDetectors({ spec, ttlMs: 1e12, maxKeys: 3 });
    keyed.update('a', 1, 1);
    keyed.update('b', 2, 1);
    keyed.update('c', 3, 1);
    keyed.update('a', 4, 1); // a is now the most recent; b the least
    keyed.update('d', 5, 1);
    expect(['a', 'b', 'c', 'd'].filter((k) => keyed.has(k))).toEqual(['a', 'c', 'd']);
    expect(keyed.evicted).toBe(1);
    expect(keyed.size).toBe(3);
  });

  it('continues exactly from a snapshot, eviction order included', () => {
    const make = () => new KeyedDetectors({ spec, ttlMs: 500 * MINUTE, maxKeys: 40 });
    const rng = new Random(2);
    const events = Array.from({ length: 4000 }, (_, i) => ({ key: `k${rng.int(0, 59)}`, t: i * MINUTE, v: rng.int(0, 9) === 0 ? 100 * rng.next() : rng.normal() }));
    const whole = make();
    const first = make();
    for (const e of events.slice(0, 2500)) {
      whole.update(e.key, e.t, e.v);
      first.update(e.key, e.t, e.v);
    }
    const restored = make();
    restored.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(restored.size).toBe(whole.size);
    for (const e of events.slice(2500)) expect({ ...restored.update(e.key, e.t, e.v) }).toEqual({ ...whole.update(e.key, e.t, e.v) });
    expect(restored.snapshot()).toEqual(whole.snapshot());
  });

  it('rejects bounds that cannot work', () => {
    expect(() => new KeyedDetectors({ spec, ttlMs: 0, maxKeys: 1 })).toThrow(ProcessorError);
    expect(() => new KeyedDetectors({ spec, ttlMs: 1, maxKeys: 0.5 })).toThrow(/maxKeys/);
  });
});
