import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { canonicalJson } from '../../src/backtest/alert-hash.ts';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { assessEvent } from '../../src/indicators/evaluate-indicators.ts';
import { type SavedEngine, StateEngine } from '../../src/indicators/state-engine.ts';
import { FORECASTS_BEFORE_CLOCK } from '../../src/indicators/stream-clock.ts';
import { createMetrics, type Metrics } from '../../src/kernel/metrics.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { assessEvents } from '../../src/pipeline/pipeline.ts';
import { loadRuleSet, type RuleSet } from '../../src/rules/rule-set.ts';
import { EventRefs } from '../../src/state/saved-state.ts';
import { crossingAt, rulesWith, STREAMS_DIR } from '../helpers.ts';

const A = 'KZ-KORDAY';
const B = 'KZ-NURZHOLY';
const AIRPORT = 'KZ-ALA';
const SECOND_AIRPORT = 'KZ-NQZ';

/** The crossing as read from an airline's API message: by air, stamped with the flight's arrival. */
function fromAirline(event: Crossing): Crossing {
  return { ...event, mode: 'air', source: { format: 'paxlst', version: 'D05B', messageRef: 'MSG1', segment: 7 } };
}

/** Real rule kinds keyed per post and per traveller, with periods short enough for a few hours of traffic. */
const TEST_RULES = `rules:
  - id: test.post-volume
    title: Crossings per post per 10 minutes
    description: A volume indicator keyed per post.
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
  - id: test.frequent-entries
    title: Three entries of one document within 6 hours
    description: A window keyed per traveller.
    version: 1
    owner: tests
    streams: [crossings]
    severity: medium
    weight: 50
    condition: event.direction == "entry"
    window:
      key: event.document.issuingState + ":" + event.document.number
      within: 6h
      count: { atLeast: 3 }
  - id: test.exit-no-return
    title: Exit with no entry of the same document within 2 hours
    description: An absence keyed per traveller.
    version: 1
    owner: tests
    streams: [crossings]
    severity: medium
    weight: 50
    absence:
      key: event.document.issuingState + ":" + event.document.number
      first: event.direction == "exit"
      then: event.direction == "entry"
      within: 2h
`;

let testRuleSet: RuleSet | undefined;
const testRules = (): RuleSet => (testRuleSet ??= loadRuleSet({ rulesDir: rulesWith({ 'indicators/zz-catch-up.yaml': TEST_RULES }), streamsDir: STREAMS_DIR }));

const timeOf = (e: Crossing): number => Date.parse(e.eventTime);
const inTimeOrder = (events: Crossing[]): Crossing[] => [...events].sort((a, b) => timeOf(a) - timeOf(b) || (a.eventId < b.eventId ? -1 : 1));

/**
 * Ten hours at two posts: an ordinary crossing every 2.5 minutes at each, and, at post A
 * while it is cut off (hours 4 to 5.5): a traveller entering a third time, the return of
 * a traveller who left before the cut, an exit with no return, and a surge; at post B in
 * the same time, a surge of its own.
 */
function traffic(): Crossing[] {
  const events: Crossing[] = [];
  let serial = 0;
  const doc = (): string => `R${String(++serial).padStart(8, '0')}`;
  for (let k = 0; k < 240; k++) {
    events.push(crossingAt(A, 'entry', k / 24 + 0.001, doc()));
    events.push(crossingAt(B, 'entry', k / 24 + 0.002, doc()));
  }
  for (const h of [4.1, 4.5, 4.9]) events.push(crossingAt(A, 'entry', h, 'X0000001'));
  events.push(crossingAt(A, 'exit', 3.0, 'Y0000001'), crossingAt(A, 'entry', 4.8, 'Y0000001'));
  events.push(crossingAt(A, 'exit', 4.3, 'Z0000001'));
  for (let i = 0; i < 15; i++) events.push(crossingAt(A, 'entry', 4.62 + i / 1000, doc()));
  for (let i = 0; i < 15; i++) events.push(crossingAt(B, 'entry', 5.02 + i / 1000, doc()));
  return inTimeOrder(events);
}

/** The order a centre gets them in when post A's link is down from hour 4 to 5.5: B's events first, then A's backlog. */
function cutOff(events: Crossing[], fromHour: number, toHour: number): Crossing[] {
  const start = timeOf(crossingAt(A, 'entry', fromHour));
  const end = timeOf(crossingAt(A, 'entry', toHour));
  const during = (e: Crossing): boolean => timeOf(e) >= start && timeOf(e) < end;
  return [
    ...events.filter((e) => timeOf(e) < start),
    ...events.filter((e) => during(e) && e.post === B),
    ...events.filter((e) => during(e) && e.post === A),
    ...events.filter((e) => timeOf(e) >= end),
  ];
}

/** Runs events through indicators, scoring and alerting, as the processor does. */
async function alertsOf(events: Crossing[], metrics: Metrics = createMetrics()): Promise<Alert[]> {
  const set = testRules();
  const journaled = events.map((event, i) => ({ n: i + 1, event }));
  return lastValueFrom(from(journaled).pipe(assessEvents(() => set, new StateEngine(), metrics, (stage, error) => { throw new Error(`${stage}: ${error.message}`); }), toArray()));
}

/** Alerts as a set: by id, without the record number (the arrival order numbers the records). */
const asSet = (alerts: Alert[]): string[] => alerts.map(({ journalRecord: _, ...alert }) => canonicalJson(alert)).sort();
const byRule = (alerts: Alert[], id: string): Alert[] => alerts.filter((a) => a.indicators.some((i) => i.id === id));
const deadlineOf = (events: Crossing[], number: string): number => timeOf(events.find((e) => e.document.number === number && e.direction === 'exit')!);

describe('watermarks per source', () => {
  it('raises absences in the order of their deadlines, as soon as the watermark passes each, whatever order their exits came in', async () => {
    // An exit at post B during post A's cut, and an earlier one at post A that reaches the centre only with A's backlog.
    const events = inTimeOrder([...traffic(), crossingAt(B, 'exit', 4.2, 'W0000001'), crossingAt(A, 'exit', 4.01, 'V0000001')]);
    const order = (alerts: Alert[]): string[] => byRule(alerts, 'test.exit-no-return').map((a) => (a.event as Crossing).document.number);
    const interleaved = order(await alertsOf(events));
    expect(interleaved).toEqual(['Z0000001', 'V0000001', 'W0000001'].sort((x, y) => deadlineOf(events, x) - deadlineOf(events, y)));
    expect(order(await alertsOf(cutOff(events, 4, 5.5)))).toEqual(interleaved);
  });

  it('assesses a post that catches up after being cut off for longer than the allowed lateness as if it never had been', async () => {
    const events = traffic();
    const interleaved = await alertsOf(events);
    const metrics = createMetrics();
    const caughtUp = await alertsOf(cutOff(events, 4, 5.5), metrics);
    // Ninety minutes behind post B, against ten minutes of allowed lateness: none of post A's backlog is late.
    expect(metrics.late).toBe(0);
    expect(asSet(caughtUp)).toEqual(asSet(interleaved));
    // What the backlog holds is found: the third entry, the exit with no return, both surges.
    expect(byRule(caughtUp, 'test.frequent-entries').map((a) => a.event.eventTime)).toEqual([crossingAt(A, 'entry', 4.9).eventTime]);
    expect(byRule(caughtUp, 'test.exit-no-return').map((a) => (a.event as Crossing).document.number)).toEqual(['Z0000001']);
    const surges = byRule(caughtUp, 'test.post-volume');
    expect(surges.map((a) => a.post).sort()).toEqual([A, B]);
    for (const surge of surges) expect(surge.trigger).toBe('bucket');
    // A bucket's alert is about its own newest event (05:07 in 05:00-05:10), whatever post B had sent by the time post A let it close.
    expect(surges.find((a) => a.post === B)!.event.eventTime).toBe(crossingAt(B, 'entry', 123 / 24 + 0.002).eventTime);
  });

  it('stops holding the watermark back for a source idle for longer than the stream allows, and never moves it back', () => {
    const set = testRules();
    const engine = new StateEngine();
    const metrics = createMetrics();
    let n = 0;
    const feed = (e: Crossing) => assessEvent(set, engine, enrichEvent(++n, e, set.reference), metrics);
    const lateness = 10 * 60_000;
    feed(crossingAt(A, 'entry', 0));
    feed(crossingAt(B, 'entry', 0.5));
    // Post A holds the watermark at its own newest event while it is less than two hours (idleSourceAfter) behind.
    feed(crossingAt(B, 'entry', 1.9));
    expect(engine.clockOf('crossing')).toMatchObject({ watermarkMs: timeOf(crossingAt(A, 'entry', 0)) - lateness, sources: 2 });
    // As /health tells it: post A is 114 minutes behind the newest event and holds the watermark.
    expect(engine.clockStatus()).toEqual({ crossing: { watermark: new Date(timeOf(crossingAt(A, 'entry', 0)) - lateness).toISOString(), newest: new Date(timeOf(crossingAt(B, 'entry', 1.9))).toISOString(), sources: 2, behind: { [A]: 114 } } });
    // Beyond that it is idle: post B alone moves the watermark, and A is forgotten.
    feed(crossingAt(B, 'entry', 2.5));
    expect(engine.clockOf('crossing')).toMatchObject({ watermarkMs: timeOf(crossingAt(B, 'entry', 2.5)) - lateness, sources: 1 });
    // Back, with its backlog: what is behind the watermark is late; what is not holds the watermark there, not before it.
    expect(feed(crossingAt(A, 'entry', 1)).late).toBe(true);
    expect(feed(crossingAt(A, 'entry', 2.45)).late).toBe(false);
    expect(engine.clockOf('crossing')!.watermarkMs).toBe(timeOf(crossingAt(B, 'entry', 2.5)) - lateness);
    feed(crossingAt(B, 'entry', 3));
    expect(engine.clockOf('crossing')!.watermarkMs).toBe(timeOf(crossingAt(B, 'entry', 2.5)) - lateness);
    feed(crossingAt(A, 'entry', 2.8));
    expect(engine.clockOf('crossing')).toMatchObject({ watermarkMs: timeOf(crossingAt(A, 'entry', 2.8)) - lateness, sources: 2 });
    expect(metrics.late).toBe(1);
  });

  it('keeps the clock of each source across a snapshot, and restores a snapshot of one clock per stream', () => {
    const set = testRules();
    const events = cutOff(traffic(), 4, 5.5);
    const middle = events.findIndex((e) => e.post === A && timeOf(e) >= timeOf(crossingAt(A, 'entry', 4.5)));
    const original = new StateEngine();
    let n = 0;
    const metrics = createMetrics();
    for (const e of events.slice(0, middle)) assessEvent(set, original, enrichEvent(++n, e, set.reference), metrics);
    const refs = new EventRefs();
    const saved = JSON.parse(JSON.stringify(original.save(refs))) as SavedEngine;
    const held = new Map([...refs.events]);
    const { engine: copy } = StateEngine.restore(set, saved, (k) => enrichEvent(k, held.get(k)!, set.reference));
    expect(copy.clockOf('crossing')).toEqual(original.clockOf('crossing'));
    const rest = events.slice(middle);
    const outcome = (engine: StateEngine, at: number) =>
      rest.map((e, i) => {
        const a = assessEvent(set, engine, enrichEvent(at + i + 1, e, set.reference), metrics);
        return { late: a.late, fired: a.fired.map((r) => r.def.id), deferred: a.deferred.map((d) => d.alertId ?? d.ruleId) };
      });
    expect(outcome(copy, n)).toEqual(outcome(original, n));
    expect(metrics.late).toBe(0);

    // Written when there was one clock per stream: its watermark was the newest event time minus the lateness.
    const newest = timeOf(crossingAt(B, 'entry', 5));
    const old: SavedEngine = { clocks: [['crossing', newest]], sinceSweep: 0, rules: [], tables: [] };
    const { engine } = StateEngine.restore(set, old, () => {
      throw new Error('no events saved');
    });
    expect(engine.clockOf('crossing')).toMatchObject({ watermarkMs: newest - 10 * 60_000, newestMs: newest, sources: 0 });
    let k = 0;
    const lateness = (hours: number) => assessEvent(set, engine, enrichEvent(++k, crossingAt(A, 'entry', hours), set.reference), createMetrics()).late;
    expect([lateness(5 - 0.5), lateness(5 - 0.1)]).toEqual([true, false]);
  });

  it('takes a crossing read from an airline message, stamped hours ahead with its flight, without making the posts idle or their crossings late', async () => {
    const events = traffic();
    const alone = await alertsOf(events);
    // At hour 2, an API message for a flight landing at hour 8 (six hours ahead, past the two-hour idleSourceAfter): fifty travellers.
    const at = events.findIndex((e) => timeOf(e) >= timeOf(crossingAt(A, 'entry', 2)));
    const flight = Array.from({ length: 50 }, (_, i) => fromAirline(crossingAt(AIRPORT, 'entry', 8 + i / 3600, `F${String(i).padStart(7, '0')}`)));
    const metrics = createMetrics();
    const mixed = await alertsOf([...events.slice(0, at), ...flight, ...events.slice(at)], metrics);
    // Before, the flight made both posts idle: every later crossing at them was late, and the stateful rules never saw them.
    expect(metrics.late).toBe(0);
    expect(asSet(mixed.filter((a) => a.post !== AIRPORT))).toEqual(asSet(alone));
    expect(byRule(mixed, 'test.frequent-entries')).toHaveLength(1);

    // A flight's crossings behind the watermark (a message sent after the flight landed, long after) are late.
    const set = testRules();
    const engine = new StateEngine();
    let n = 0;
    const feed = (e: Crossing) => assessEvent(set, engine, enrichEvent(++n, e, set.reference), metrics).late;
    feed(crossingAt(A, 'entry', 3));
    feed(crossingAt(B, 'entry', 3));
    const clock = engine.clockOf('crossing');
    expect([feed(fromAirline(crossingAt(AIRPORT, 'entry', 1))), feed(fromAirline(crossingAt(AIRPORT, 'entry', 9)))]).toEqual([true, false]);
    expect(engine.clockOf('crossing')).toEqual(clock);
  });

  it('takes a flight stamped hours ahead as the stream\'s first events without making the posts\' first crossings late', async () => {
    const flight = Array.from({ length: 50 }, (_, i) => fromAirline(crossingAt(AIRPORT, 'entry', 8 + i / 3600, `F${String(i).padStart(7, '0')}`)));
    const events = traffic();
    const metrics = createMetrics();
    const mixed = await alertsOf([...flight, ...events], metrics);
    // Before, the flight's schedule ran the clock: every crossing of the posts' first hours was late.
    expect(metrics.late).toBe(0);
    expect(asSet(mixed.filter((a) => a.post !== AIRPORT))).toEqual(asSet(await alertsOf(events)));
  });

  it('moves the clock with scheduled times once a stream has taken a thousand and no observed crossing (a unit screening airline messages alone), across a snapshot', () => {
    const set = testRules();
    const engine = new StateEngine();
    const metrics = createMetrics();
    let n = 0;
    const feed = (target: StateEngine, e: Crossing) => assessEvent(set, target, enrichEvent(++n, e, set.reference), metrics).late;
    const lateness = 10 * 60_000;
    // A few flights ahead of the posts' first crossings do not run the clock; a thousand crossings read from messages alone do.
    for (let i = 1; i < FORECASTS_BEFORE_CLOCK; i++) feed(engine, fromAirline(crossingAt(AIRPORT, 'entry', 3.5)));
    expect(engine.clockOf('crossing')!.watermarkMs).toBe(Number.NEGATIVE_INFINITY);
    expect(engine.clockStatus().crossing).toEqual({ watermark: null, newest: null, sources: 0, behind: {}, schedules: { newest: new Date(timeOf(crossingAt(AIRPORT, 'entry', 3.5))).toISOString(), sources: 1, taken: FORECASTS_BEFORE_CLOCK - 1 } });
    feed(engine, fromAirline(crossingAt(AIRPORT, 'entry', 4)));
    feed(engine, fromAirline(crossingAt(SECOND_AIRPORT, 'entry', 5)));
    expect(engine.clockOf('crossing')!.watermarkMs).toBe(timeOf(crossingAt(AIRPORT, 'entry', 4)) - lateness);
    const refs = new EventRefs();
    const saved = JSON.parse(JSON.stringify(engine.save(refs))) as SavedEngine;
    const held = new Map([...refs.events]);
    const { engine: copy } = StateEngine.restore(set, saved, (k) => enrichEvent(k, held.get(k)!, set.reference));
    for (const target of [engine, copy]) {
      feed(target, fromAirline(crossingAt(AIRPORT, 'entry', 6)));
      expect(target.clockOf('crossing')!.watermarkMs).toBe(timeOf(crossingAt(SECOND_AIRPORT, 'entry', 5)) - lateness);
      expect(feed(target, fromAirline(crossingAt(SECOND_AIRPORT, 'entry', 4.5)))).toBe(true);
    }
  });
});
