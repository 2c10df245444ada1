import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertGrouper, AlertGrouping } from '../../src/alert/group-alerts.ts';
import type { Alert } from '../../src/alert/alert.ts';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { type Assessment, assessEvent } from '../../src/indicators/evaluate-indicators.ts';
import { Generations } from '../../src/state/generations.ts';
import { KeyTable } from '../../src/state/key-table.ts';
import { EventRefs, restoreValue, saveValue } from '../../src/state/saved-state.ts';
import { type SavedEngine, StateEngine } from '../../src/indicators/state-engine.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { loadRuleSet, type RuleSet } from '../../src/rules/rule-set.ts';
import { crossingAt, generated, rulesWith, shippedRules, STREAMS_DIR } from '../helpers.ts';

const HOUR = 3_600_000;

/** Feeds events to an engine with increasing journal record numbers, as the pipeline does. */
class Run {
  n = 0;
  constructor(
    readonly set: RuleSet,
    public engine = new StateEngine(),
  ) {}

  feed(events: readonly BorderEvent[]): Assessment[] {
    const metrics = createMetrics();
    return events.map((e) => assessEvent(this.set, this.engine, enrichEvent(++this.n, e, this.set.reference), metrics));
  }
}

/** What the engine holds, as JSON text would carry it (events by record number beside it). */
function saved(engine: StateEngine): { events: [number, BorderEvent][]; engine: SavedEngine } {
  const refs = new EventRefs();
  const state = engine.save(refs);
  return JSON.parse(JSON.stringify({ events: [...refs.events], engine: state })) as { events: [number, BorderEvent][]; engine: SavedEngine };
}

/** An engine restored from a JSON round trip of `engine`'s saved state, under `set`. */
function roundTrip(engine: StateEngine, set: RuleSet) {
  const copy = saved(engine);
  const events = new Map(copy.events);
  return StateEngine.restore(set, copy.engine, (n) => enrichEvent(n, events.get(n)!, set.reference));
}

/** What an assessment says: rules fired, the evidence their state gave, and deferred hits. */
const outcome = (a: Assessment) => ({
  fired: a.fired.map((r) => r.def.id),
  evidence: a.stateEvidence ? Object.fromEntries(a.stateEvidence) : null,
  deferred: a.deferred.map((d) => ({ ruleId: d.ruleId, n: d.enriched.n, evidence: d.evidence, alertId: d.alertId })),
});

/**
 * Runs `before`, restores a copy of the state, then runs `after` on both the original and
 * the copy: the copy must say exactly what the original says. Returns the copy's outcomes.
 */
function continueBoth(set: RuleSet, before: BorderEvent[], after: BorderEvent[]) {
  const original = new Run(set);
  original.feed(before);
  const restored = new Run(set, roundTrip(original.engine, set).engine);
  restored.n = original.n;
  // Saving the restored engine gives back what was saved.
  expect(saved(restored.engine)).toEqual(saved(original.engine));
  const expected = original.feed(after).map(outcome);
  const got = restored.feed(after).map(outcome);
  expect(got).toEqual(expected);
  return got;
}

const fired = (outcomes: ReturnType<typeof outcome>[], id: string) => outcomes.map((o) => o.fired.includes(id) || o.deferred.some((d) => d.ruleId === id));

describe('state engine snapshot and restore', () => {
  it('a window spanning the snapshot counts the events before it', () => {
    const after = continueBoth(shippedRules(), [crossingAt('KZ-KORDAY', 'entry', 0), crossingAt('KZ-NURZHOLY', 'entry', 30)], [crossingAt('KZ-KORDAY', 'entry', 60)]);
    expect(fired(after, 'crossing.repeated-entries-several-posts')).toEqual([true]);
  });

  it('a window that remembers the patterns it alerted on keeps them: a repeat after the snapshot stays quiet, a new place alerts', () => {
    const before = [crossingAt('KZ-KORDAY', 'entry', 0), crossingAt('KZ-NURZHOLY', 'entry', 30), crossingAt('KZ-KORDAY', 'entry', 60)];
    const after = continueBoth(shippedRules(), before, [crossingAt('KZ-NURZHOLY', 'entry', 80), crossingAt('KZ-ZHIBEKZHOLY', 'entry', 90)]);
    expect(fired(after, 'crossing.repeated-entries-several-posts')).toEqual([false, true]);
  });

  it('a bucketed distinct count keeps the values of its open bucket: a vehicle seen before the snapshot is not counted again', () => {
    const set = shippedRules();
    const bus = (hours: number, n: string) => ({ ...crossingAt('TM-IMAMNAZAR', 'entry', hours, n), mode: 'road' as const, vehicle: { plate: 'HM1234MR', country: 'TKM' } });
    const original = new Run(set);
    original.feed([bus(0, 'N00000001'), bus(0.01, 'N00000002')]);
    const copy = saved(original.engine);
    const volume = copy.engine.rules.find((r) => r.id === 'crossing.volume-anomaly')!.state as { keys: [string, number, [number, number, number, string[] | null, number][]][] };
    // One open bucket at the post, one arrival in it however many rode in the vehicle; its newest event by record number.
    expect(volume.keys[0]![2]).toEqual([[expect.any(Number), 1, 0, ['TKM:HM1234MR'], 2]]);
    continueBoth(set, [bus(0, 'N00000001'), bus(0.01, 'N00000002')], [bus(0.02, 'N00000003')]);
  });

  it('a window that counts distinct values keeps them, undefined apart from null', () => {
    // Different family names on one document: the distinct window holds the first name.
    const renamed = crossingAt('KZ-KORDAY', 'entry', 5);
    renamed.traveller = { ...renamed.traveller, familyName: 'OTHER' };
    const after = continueBoth(shippedRules(), [crossingAt('KZ-KORDAY', 'entry', 0)], [renamed]);
    expect(fired(after, 'crossing.document-several-names')).toEqual([true]);
  });

  it('a sequence whose first event is before the snapshot fires on its second after it', () => {
    const after = continueBoth(shippedRules(), [crossingAt('UZ-AYRITOM', 'exit', 0, 'N30000003')], [crossingAt('TJ-PANJIPOYON', 'entry', 20, 'N30000003')]);
    expect(fired(after, 'crossing.afghan-exit-then-entry-elsewhere')).toEqual([true]);
  });

  it('an absence pending across the snapshot fires once event time passes it, and an answered one stays quiet', () => {
    const after = continueBoth(
      shippedRules(),
      [crossingAt('UZ-AYRITOM', 'exit', 0, 'N40000004'), crossingAt('UZ-AYRITOM', 'exit', 1, 'N50000005'), crossingAt('KZ-KORDAY', 'entry', 5, 'N50000005')],
      [crossingAt('KZ-KORDAY', 'entry', 24 * 31, 'N10000001'), crossingAt('KZ-KORDAY', 'entry', 24 * 32, 'N10000001')],
    );
    const absences = after.map((o) => o.deferred.filter((d) => d.ruleId === 'crossing.afghan-exit-no-return'));
    expect(absences.map((a) => a.length)).toEqual([1, 0]);
    expect(absences[0]![0]!.n).toBe(1);
  });

  it('an anomaly detector keeps its baseline: a value far off after the snapshot fires as it would have', () => {
    const cargo = generated(20_000, { seed: 8, plantRate: 0 }).filter((g) => g.event.kind === 'cargo').map((g) => g.event);
    const counts = new Map<string, number>();
    for (const e of cargo) if (e.kind === 'cargo') for (const item of e.items) counts.set(item.hsCode, (counts.get(item.hsCode) ?? 0) + 1);
    const [hsCode] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const heavy = structuredClone(cargo.at(-1)!);
    if (heavy.kind !== 'cargo') throw new Error('not cargo');
    heavy.eventId = 'heavy-packages';
    heavy.items = [{ hsCode, description: 'declared goods', packages: 10, grossKg: 90_000, netKg: 85_000, value: { amount: 50_000, currency: 'USD' } }];
    const after = continueBoth(shippedRules(), cargo, [heavy]);
    expect(fired(after, 'cargo.weight-per-package-anomaly')).toEqual([true]);
    // A fresh detector would still be warming up and stay quiet: the baseline is what fired.
    expect(fired(new Run(shippedRules()).feed([heavy]).map(outcome), 'cargo.weight-per-package-anomaly')).toEqual([false]);
  });

  it('a bucketed anomaly keeps its open buckets, series and detector across the snapshot', () => {
    const set = loadRuleSet({
      rulesDir: rulesWith({
        'indicators/zz-volume.yaml': `rules:
  - id: test.post-volume
    title: Crossings per post per 10 minutes
    description: A test indicator whose buckets are short enough to span a snapshot.
    version: 1
    owner: tests
    streams: [crossings]
    severity: medium
    weight: 50
    condition: "true"
    anomaly:
      key: event.post
      every: 10m
      aggregate: count
      detector: { kind: robust, threshold: 0.99, warmup: 5 }
`,
      }),
      streamsDir: STREAMS_DIR,
    });
    const quiet = Array.from({ length: 60 }, (_, i) => crossingAt('KZ-KORDAY', 'entry', i / 6 + 0.01, `N6${String(i).padStart(7, '0')}`));
    // A surge in the bucket open at the snapshot, finished after it.
    const surgeBefore = Array.from({ length: 10 }, (_, i) => crossingAt('KZ-KORDAY', 'entry', 10 + i / 120, `N7${String(i).padStart(7, '0')}`));
    const surgeAfter = Array.from({ length: 10 }, (_, i) => crossingAt('KZ-KORDAY', 'entry', 10 + 0.09 + i / 1200, `N8${String(i).padStart(7, '0')}`));
    const after = continueBoth(set, [...quiet, ...surgeBefore], [...surgeAfter, crossingAt('KZ-KORDAY', 'entry', 11, 'N90000000')]);
    const hit = after.flatMap((o) => o.deferred).find((d) => d.ruleId === 'test.post-volume');
    expect(hit?.evidence[1]).toMatchObject({ op: 'anomaly', actual: { value: 20 } });

    // Saved before buckets kept their newest event: a bucket was [start, count, sum] and a key
    // kept its newest event. It restores, the key's newest event standing in for the bucket's.
    const original = new Run(set);
    original.feed([...quiet, ...surgeBefore]);
    const copy = saved(original.engine);
    const state = copy.engine.rules.find((r) => r.id === 'test.post-volume')!.state as { keys: [string, number, unknown[][], number | null, number, unknown][] };
    const newest = original.n;
    state.keys = state.keys.map(([key, next, open, , lastTimeMs, series]) => [key, next, open.map((b) => b.slice(0, 3)), newest, lastTimeMs, series]);
    const events = new Map(copy.events);
    const restored = new Run(set, StateEngine.restore(set, copy.engine, (n) => enrichEvent(n, events.get(n)!, set.reference)).engine);
    restored.n = original.n;
    const oldHit = restored
      .feed([...surgeAfter, crossingAt('KZ-KORDAY', 'entry', 11, 'N90000000')])
      .flatMap((a) => a.deferred)
      .find((d) => d.ruleId === 'test.post-volume');
    expect(oldHit?.evidence[1]).toMatchObject({ op: 'anomaly', actual: { value: 20 } });
    expect(oldHit?.enriched.event.eventId).toBe(surgeAfter.at(-1)!.eventId);
  });

  it('restores only rules whose stateful definition is unchanged; a changed one starts empty', () => {
    const before = [crossingAt('KZ-KORDAY', 'entry', 0), crossingAt('KZ-NURZHOLY', 'entry', 30), crossingAt('UZ-AYRITOM', 'exit', 31, 'N31000031')];
    const original = new Run(shippedRules());
    original.feed(before);
    const dir = rulesWith({});
    const file = path.join(dir, 'indicators', 'crossing-movement.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('within: 72h', 'within: 96h'));
    const edited = loadRuleSet({ rulesDir: dir, streamsDir: STREAMS_DIR });
    const { engine, kept, reset } = roundTrip(original.engine, edited);
    expect(reset).toEqual(['crossing.repeated-entries-several-posts']);
    expect(kept).toContain('crossing.afghan-exit-then-entry-elsewhere');
    expect(kept).toContain('crossing.document-several-names');
    expect(engine.keyCounts()['crossing.repeated-entries-several-posts']).toBe(0);
    expect(engine.keyCounts()['crossing.document-several-names']).toBe(original.engine.keyCounts()['crossing.document-several-names']);
    const run = new Run(edited, engine);
    run.n = original.n;
    const after = run.feed([crossingAt('KZ-KORDAY', 'entry', 40), crossingAt('TJ-PANJIPOYON', 'entry', 45, 'N31000031')]).map(outcome);
    expect(fired(after, 'crossing.repeated-entries-several-posts')).toEqual([false, false]);
    expect(fired(after, 'crossing.afghan-exit-then-entry-elsewhere')).toEqual([false, true]);
  });

  it('continues generated traffic with planted cases exactly as an uninterrupted engine does, from several snapshot points', () => {
    const events = generated(6_000, { seed: 17, plantRate: 0.2 }).map((g) => g.event);
    for (const at of [1_000, 3_000, 5_500]) {
      const after = continueBoth(shippedRules(), events.slice(0, at), events.slice(at));
      expect(after.some((o) => o.fired.length > 0)).toBe(true);
    }
  });
});

/** A saved state with its events and each table's entries in a fixed order, to compare saves that read in different orders. */
function ordered(state: { events: [number, BorderEvent][]; engine: SavedEngine }) {
  return {
    events: [...state.events].sort((a, b) => a[0] - b[0]),
    engine: { ...state.engine, tables: state.engine.tables.map((t) => ({ ...t, table: { ...t.table, entries: [...t.table.entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)) } })) },
  };
}

describe('a save under way', () => {
  it('gives the state as it was when it started while later events change its entries, settle absences, sweep keys away and add new ones', () => {
    const set = shippedRules();
    const run = new Run(set);
    const traffic = generated(3_000, { seed: 23, plantRate: 0.2 }).map((g) => g.event);
    run.feed(traffic.slice(0, 2_000));
    // Two exits toward Afghanistan with no return yet (absences pending), and a document in a window.
    run.feed([crossingAt('UZ-AYRITOM', 'exit', 0, 'N60000006'), crossingAt('UZ-AYRITOM', 'exit', 1, 'N60000007'), crossingAt('KZ-KORDAY', 'entry', 2, 'N60000008'), crossingAt('KZ-NURZHOLY', 'entry', 3, 'N60000008')]);
    const expected = saved(run.engine);

    const refs = new EventRefs();
    const saving = run.engine.startSave(refs);
    const readers = saving.tables.map((t) => ({ id: t.id, read: t.table.entries(), got: [] as [string, unknown[]][] }));
    const read = (count: number): void => {
      for (const r of readers) {
        for (let i = 0; i < count; i++) {
          const next = r.read.next();
          if (next.done) break;
          r.got.push(next.value);
        }
      }
    };
    const later = [
      // The same documents again, and new ones.
      ...traffic.slice(2_000),
      crossingAt('KZ-KORDAY', 'entry', 4, 'N60000008'),
      // A month on: the absences expire (one settled by the deadline queue), and the key tables are swept.
      ...Array.from({ length: 600 }, (_, i) => crossingAt(i % 2 === 0 ? 'KZ-KORDAY' : 'KZ-NURZHOLY', 'entry', 24 * 31 + i, `N7${String(i).padStart(7, '0')}`)),
    ];
    const deferred: string[] = [];
    const sizeBefore = run.engine.keyCounts()['crossing.repeated-entries-several-posts']!;
    for (let i = 0; i < later.length; i += 100) {
      read(40);
      for (const a of run.feed(later.slice(i, i + 100))) for (const d of a.deferred) deferred.push(d.ruleId);
    }
    read(Number.POSITIVE_INFINITY);
    // The later events did what the test needs: absences fired, keys were swept away.
    expect(deferred.filter((id) => id === 'crossing.afghan-exit-no-return').length).toBeGreaterThanOrEqual(2);
    expect(run.engine.keyCounts()['crossing.repeated-entries-several-posts']!).toBeLessThan(sizeBefore);

    const byId = new Map(readers.map((r) => [r.id, r.got]));
    const lazy = JSON.parse(
      JSON.stringify({
        events: [...refs.events],
        engine: { ...saving.head, tables: saving.tables.map(({ id, rules, table }) => ({ id, rules, table: { sweptAt: table.sweptAt, entries: byId.get(id) } })) },
      }),
    ) as { events: [number, BorderEvent][]; engine: SavedEngine };
    saving.release();
    expect(ordered(lazy)).toEqual(ordered(expected));
    // Released: the engine saves again, and what it holds now differs from the start.
    expect(ordered(saved(run.engine))).not.toEqual(ordered(expected));
  });

  it('is one at a time per key table, and a released or fully read table saves again', () => {
    const table = new KeyTable();
    const slot = table.slot<number>(10, () => false);
    table.relayout([slot]);
    slot.set('k', {}, 1);
    const first = table.startSave([(v) => v]);
    expect(() => table.startSave([(v) => v])).toThrow(/already under way/);
    first.release();
    expect(table.save([(v) => v]).entries).toEqual([['k', [1]]]);
    // A save that has given every entry ends by itself: the table copies nothing more, and saves again.
    const read = table.startSave([(v) => v]);
    expect([...read.entries()]).toEqual([['k', [1]]]);
    slot.set('k', { later: true }, 2);
    expect(table.save([(v) => v]).entries).toEqual([['k', [2]]]);
  });

  it('keeps the layout it started with when the rule set changes while it reads', () => {
    const table = new KeyTable();
    const [a, b] = [table.slot<number>(10, () => false), table.slot<number>(10, () => false)];
    table.relayout([a, b]);
    a.set('k1', { e: 1 }, 1);
    b.set('k1', { e: 1 }, 2);
    b.set('k2', { e: 2 }, 3);
    const saving = table.startSave([(v) => v, (v) => v]);
    const reader = saving.entries();
    const first = reader.next().value;
    // A reload drops rule a: its values go, and k2's entry moves to slot 0.
    table.relayout([b]);
    b.set('k2', { e: 3 }, 30);
    b.set('k3', { e: 4 }, 40);
    const rest = [...reader];
    saving.release();
    expect([first, ...rest]).toEqual([
      ['k1', [1, 2]],
      ['k2', [null, 3]],
    ]);
  });
});

describe('parts saved beside the engine', () => {
  it('a key table saves its entries per slot and loads them into a new layout', () => {
    const table = new KeyTable();
    const [a, b] = [table.slot<number>(10, () => false), table.slot<number>(10, () => false)];
    table.relayout([a, b]);
    a.set('k1', {}, 1);
    b.set('k1', {}, 2);
    b.set('k2', {}, 3);
    const copy = JSON.parse(JSON.stringify(table.save([(v) => v, (v) => v]))) as ReturnType<KeyTable['save']>;
    const next = new KeyTable();
    const [c, a2] = [next.slot<number>(10, () => false), next.slot<number>(10, () => false)];
    next.relayout([c, a2]);
    // Saved slot 0 (a) goes to slot 1 here; saved slot 1 (b) is a rule that changed: left out.
    next.load(copy, [{ index: 1, restore: (v) => (v as number) * 10 }, undefined]);
    expect([a2.get('k1', {}), c.get('k1', {}), a2.get('k2', {}), next.size]).toEqual([10, undefined, undefined, 1]);
  });

  it('generations keep each key with the generation it was last touched in', () => {
    const g = new Generations<{ v: number }>(10);
    g.rotate(0);
    g.set('old', { v: 1 });
    g.rotate(10);
    g.set('new', { v: 2 });
    const copy = new Generations<{ v: number }>(10);
    copy.restore(JSON.parse(JSON.stringify(g.save((x) => x.v))) as ReturnType<typeof g.save<number>>, (v) => ({ v }));
    // At 20 'old' (touched two generations back) goes in both, 'new' stays.
    g.rotate(20);
    copy.rotate(20);
    expect([g.get('old'), g.get('new'), copy.get('old'), copy.get('new')]).toEqual([undefined, { v: 2 }, undefined, { v: 2 }]);
  });

  it('alert grouping continues its open groups', () => {
    const alert = (id: string, number: string, hours: number) => {
      const event = crossingAt('KZ-KORDAY', 'entry', hours, number);
      return { alertId: `alert:${id}`, event, eventTime: event.eventTime } as Alert;
    };
    const grouping = new AlertGrouping();
    grouping.assign([alert('a', 'N1', 0), alert('b', 'N2', 1)], 6 * HOUR);
    const copy = AlertGrouping.restore(JSON.parse(JSON.stringify(grouping.save())) as ReturnType<AlertGrouping['save']>);
    const [x, y] = [alert('c', 'N1', 2), alert('d', 'N1', 2)];
    grouping.assign([x], 6 * HOUR);
    copy.assign([y], 6 * HOUR);
    expect(x.group).toEqual({ id: 'alert:a', count: 2, subject: 'document KAZ:N1' });
    expect(y.group).toEqual(x.group);
    expect(AlertGrouping.restore(null).save()).toBeNull();
    expect(new AlertGrouper(HOUR).save().slots).toEqual([]);
  });

  it('rule values keep undefined, non-finite numbers, big integers and objects apart from plain JSON', () => {
    const values = [undefined, null, 'KZ', 0, -1.5, true, Number.NaN, Number.POSITIVE_INFINITY, 12n, { a: [1] }, [1, 2]];
    const back = values.map((v) => restoreValue(JSON.parse(JSON.stringify(saveValue(v)))));
    expect(back).toEqual(values);
    expect(back[0]).toBeUndefined();
    expect(back[1]).toBeNull();
  });
});
