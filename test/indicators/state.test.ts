import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { assessEvent } from '../../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../../src/indicators/state-engine.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { loadRuleSet, type RuleSet } from '../../src/rules/rule-set.ts';
import { crossingAt, RULES_DIR, STREAMS_DIR, shippedRules, TestClient, tempDir } from '../helpers.ts';

/** A crossing of one traveller's document at a post and hour (hours after 2026-11-02T00:00+05:00). */
const crossing = crossingAt;

function run(set: RuleSet, engine: StateEngine, events: Crossing[]) {
  const metrics = createMetrics();
  return { metrics, results: events.map((e, i) => assessEvent(set, engine, enrichEvent(i + 1, e, set.reference), metrics)) };
}
const ids = (a: { fired: { def: { id: string } }[] }) => a.fired.map((r) => r.def.id);

describe('windows', () => {
  it('alerts once on an established pattern: a commuter between two posts the list does not pair, until a new crossing point comes', () => {
    // Out at one post and in at the other every working day for a week, at posts no list pairs.
    const week: Crossing[] = [];
    for (let day = 0; day < 7; day++) {
      week.push(crossing('KZ-UNLISTEDA', 'exit', day * 24 + 7), crossing('KG-UNLISTEDB', 'entry', day * 24 + 8));
      week.push(crossing('KG-UNLISTEDB', 'exit', day * 24 + 17), crossing('KZ-UNLISTEDA', 'entry', day * 24 + 18));
    }
    const engine = new StateEngine();
    const { results } = run(shippedRules(), engine, week);
    const fired = results.flatMap((r, i) => (ids(r).includes('crossing.repeated-entries-several-posts') ? [i] : []));
    // The third entry (day 2, morning) makes the pattern; the eleven entries after it repeat it.
    expect(fired).toEqual([5]);
    const evidence = results[5]!.stateEvidence!.get('crossing.repeated-entries-several-posts')!;
    expect(evidence).toContainEqual({ field: 'distinct derived.crossingPoint not in an alert of this key within 30d', op: 'new', actual: ['KG-UNLISTEDB', 'KZ-UNLISTEDA'] });
    // A third crossing point is a new pattern: it alerts again, naming what is new.
    const next = run(shippedRules(), engine, [crossing('KZ-NURZHOLY', 'entry', 7 * 24 + 9)]).results[0]!;
    expect(ids(next)).toContain('crossing.repeated-entries-several-posts');
    expect(next.stateEvidence!.get('crossing.repeated-entries-several-posts')).toContainEqual(expect.objectContaining({ op: 'new', actual: ['NURZHOLY-KHORGOS'] }));
  });

  it('fires on the third entry at two posts within 72 h, with what the window held', () => {
    const { results } = run(shippedRules(), new StateEngine(), [crossing('KZ-KORDAY', 'entry', 0), crossing('KZ-NURZHOLY', 'entry', 30), crossing('KZ-KORDAY', 'entry', 60)]);
    expect(results.map((r) => ids(r).includes('crossing.repeated-entries-several-posts'))).toEqual([false, false, true]);
    const evidence = results[2]!.stateEvidence!.get('crossing.repeated-entries-several-posts')!;
    expect(evidence).toEqual(
      expect.arrayContaining([
        { field: 'events within 3d', op: '>=', expected: 3, actual: 3 },
        { field: 'distinct derived.crossingPoint within 3d', op: '>=', expected: 2, actual: 2 },
        { field: 'window held', op: 'events', actual: expect.arrayContaining([expect.objectContaining({ value: 'NURZHOLY-KHORGOS' })]) },
      ]),
    );
  });

  it('does not count entries that fell out of the window, nor other documents', () => {
    const { results } = run(shippedRules(), new StateEngine(), [
      crossing('KZ-KORDAY', 'entry', 0),
      crossing('KZ-NURZHOLY', 'entry', 50),
      crossing('KZ-KORDAY', 'entry', 80, 'N99999999'),
      crossing('KZ-KORDAY', 'entry', 100),
    ]);
    expect(results.some((r) => ids(r).includes('crossing.repeated-entries-several-posts'))).toBe(false);
  });

  it('lets an event that arrives out of order, within the allowed lateness, complete a later window', () => {
    // Crossings allow 10 minutes of lateness; the Nur Zholy entry happened 5 minutes before the last Korday one.
    const { results, metrics } = run(shippedRules(), new StateEngine(), [crossing('KZ-KORDAY', 'entry', 0), crossing('KZ-KORDAY', 'entry', 1), crossing('KZ-NURZHOLY', 'entry', 1 - 5 / 60)]);
    expect(metrics.late).toBe(0);
    expect(results.map((r) => ids(r).includes('crossing.repeated-entries-several-posts'))).toEqual([false, false, true]);
    const held = results[2]!.stateEvidence!.get('crossing.repeated-entries-several-posts')!.find((e) => e.field === 'window held')!.actual as { eventTime: string }[];
    expect(held.map((h) => h.eventTime)).toEqual([...held.map((h) => h.eventTime)].sort());
    expect(held).toHaveLength(3);
  });

  it('counts a late event and keeps it out of the window', () => {
    // Crossings allow 10 minutes of lateness: an entry 2 hours older than the newest is late.
    const { results, metrics } = run(shippedRules(), new StateEngine(), [crossing('KZ-KORDAY', 'entry', 10), crossing('KZ-NURZHOLY', 'entry', 20), crossing('KZ-KORDAY', 'entry', 18)]);
    expect(results.map((r) => r.late)).toEqual([false, false, true]);
    expect(metrics.late).toBe(1);
    expect(ids(results[2]!)).not.toContain('crossing.repeated-entries-several-posts');
  });
});

describe('sequences', () => {
  it('fires on an entry elsewhere within 48 h of an exit toward Afghanistan, naming the exit', () => {
    const exit = crossing('UZ-AYRITOM', 'exit', 0);
    const { results } = run(shippedRules(), new StateEngine(), [exit, crossing('TJ-PANJIPOYON', 'entry', 20)]);
    expect(ids(results[1]!)).toContain('crossing.afghan-exit-then-entry-elsewhere');
    const evidence = results[1]!.stateEvidence!.get('crossing.afghan-exit-then-entry-elsewhere')!;
    expect(evidence[1]).toMatchObject({ op: 'first', actual: { eventId: exit.eventId, post: 'UZ-AYRITOM' } });
  });

  it('stays quiet for a return through the same post or after 48 h', () => {
    const same = run(shippedRules(), new StateEngine(), [crossing('UZ-AYRITOM', 'exit', 0), crossing('UZ-AYRITOM', 'entry', 20)]);
    const late = run(shippedRules(), new StateEngine(), [crossing('UZ-AYRITOM', 'exit', 0), crossing('TJ-PANJIPOYON', 'entry', 49)]);
    expect(ids(same.results[1]!)).not.toContain('crossing.afghan-exit-then-entry-elsewhere');
    expect(ids(late.results[1]!)).not.toContain('crossing.afghan-exit-then-entry-elsewhere');
  });
});

describe('absences', () => {
  it('never fires for an earlier exit that made room for newer ones and was then answered', () => {
    const number = 'N77700077';
    const exits = [0, 1, 2, 3, 4].map((h) => crossing('UZ-AYRITOM', 'exit', h, number));
    const { results } = run(shippedRules(), new StateEngine(), [
      ...exits,
      crossing('UZ-AYRITOM', 'entry', 10, number),
      crossing('KZ-KORDAY', 'entry', 24 * 40, 'N10000001'),
    ]);
    expect(results.flatMap((r) => r.deferred)).toEqual([]);
  });

  it('fires once per unanswered exit when event time passes 30 days', () => {
    const { results } = run(shippedRules(), new StateEngine(), [
      crossing('UZ-AYRITOM', 'exit', 0, 'N20000002'),
      crossing('KZ-KORDAY', 'entry', 24 * 31, 'N10000001'),
      crossing('KZ-KORDAY', 'entry', 24 * 32, 'N10000001'),
    ]);
    expect(results.map((r) => r.deferred.length)).toEqual([0, 1, 0]);
  });
});

describe('state across rule reloads', () => {
  it('keeps the window of an unchanged rule and starts a changed rule afresh', () => {
    const dir = tempDir();
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    const load = () => loadRuleSet({ rulesDir: dir, streamsDir: STREAMS_DIR });
    const file = path.join(dir, 'indicators', 'crossing-movement.yaml');
    const engine = new StateEngine();
    run(load(), engine, [crossing('KZ-KORDAY', 'entry', 0), crossing('KZ-NURZHOLY', 'entry', 10)]);

    // An unrelated edit: new rule-set version, same window definition.
    fs.appendFileSync(path.join(dir, 'indicators', 'cargo.yaml'), '\n# edited\n');
    const edited = load();
    const kept = run(edited, engine, [crossing('KZ-KORDAY', 'entry', 20)]);
    expect(ids(kept.results[0]!)).toContain('crossing.repeated-entries-several-posts');

    // Changing the window itself resets its state.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('within: 72h', 'within: 96h'));
    const changed = run(load(), engine, [crossing('KZ-KORDAY', 'entry', 30)]);
    expect(ids(changed.results[0]!)).not.toContain('crossing.repeated-entries-several-posts');
  });

  it('keeps the state of unchanged rules keyed by the same document when another of them changes', () => {
    const dir = tempDir();
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    const load = () => loadRuleSet({ rulesDir: dir, streamsDir: STREAMS_DIR });
    const file = path.join(dir, 'indicators', 'crossing-movement.yaml');
    const engine = new StateEngine();
    run(load(), engine, [crossing('UZ-AYRITOM', 'exit', 0)]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('within: 72h', 'within: 96h'));
    const renamed = structuredClone(crossing('TJ-PANJIPOYON', 'entry', 20));
    renamed.traveller.familyName = `${renamed.traveller.familyName}-OTHER`;
    const { results } = run(load(), engine, [renamed]);
    expect(ids(results[0]!)).toEqual(expect.arrayContaining(['crossing.afghan-exit-then-entry-elsewhere', 'crossing.document-several-names']));
  });
});

describe('absence, end to end', () => {
  let processor: Processor | undefined;
  afterAll(() => processor?.close());

  it('raises an alert about the exit once event time passes 30 days with no return', async () => {
    processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
    const subscriber = new TestClient(`${processor.url}/alerts`);
    const producer = new TestClient(`${processor.url}/ingest`);
    await Promise.all([subscriber.opened(), producer.opened()]);
    const gone = crossing('TJ-PANJIPOYON', 'exit', 0, 'N00000001');
    const back = crossing('TJ-PANJIPOYON', 'exit', 1, 'N00000002');
    producer.send(JSON.stringify([gone, back, crossing('KZ-KORDAY', 'entry', 24 * 10, 'N00000002')]));
    // Other travellers' crossings move event time past 30 days.
    producer.send(JSON.stringify([crossing('KZ-KORDAY', 'entry', 24 * 31, 'N55555555')]));
    await producer.until((m) => m.length === 2);
    await subscriber.until((m) => m.some((x) => (x as { type: string }).type === 'alert'));
    const alerts = subscriber.messages.filter((x) => (x as { type: string }).type === 'alert') as { alert: { eventId: string; trigger: string; indicators: { id: string }[] } }[];
    expect(alerts.map((a) => a.alert.eventId)).toEqual([gone.eventId]);
    expect(alerts[0]!.alert).toMatchObject({ trigger: 'absence', indicators: [{ id: 'crossing.afghan-exit-no-return' }] });
    subscriber.close();
    producer.close();
  });
});
