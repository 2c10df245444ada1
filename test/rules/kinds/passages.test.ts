import { describe, expect, it } from 'vitest';
import { enrichEvent } from '../../../src/enrich/enrich.ts';
import { assessEvent } from '../../../src/indicators/evaluate-indicators.ts';
import { PassageCounter } from '../../../src/rules/kinds/window/passages.ts';
import { StateEngine } from '../../../src/indicators/state-engine.ts';
import type { Crossing } from '../../../src/model/crossing.ts';
import { createMetrics } from '../../../src/kernel/metrics.ts';
import { crossingAt, shippedRules } from '../../helpers.ts';

const RULE = 'crossing.vehicle-shuttle-different-drivers';
const MIN = 1 / 60;

/** One occupant of a vehicle crossing at a post, `hours` after the start. */
function occupant(plate: string, post: string, direction: 'entry' | 'exit', hours: number, document: string): Crossing {
  const event = crossingAt(post, direction, hours, document);
  event.mode = 'road';
  event.vehicle = { plate, country: 'KAZ' };
  return event;
}

/** A vehicle's passage: its occupants one after another, a minute apart, in the order given. */
function passage(plate: string, post: string, direction: 'entry' | 'exit', hours: number, documents: readonly string[]): Crossing[] {
  return documents.map((d, i) => occupant(plate, post, direction, hours + i * MIN, d));
}

function firings(events: Crossing[]): number[] {
  const rules = shippedRules();
  const engine = new StateEngine();
  const metrics = createMetrics();
  const fired: number[] = [];
  events.forEach((e, i) => {
    const { fired: rulesFired } = assessEvent(rules, engine, enrichEvent(i + 1, e, rules.reference), metrics);
    if (rulesFired.some((r) => r.def.id === RULE)) fired.push(i);
  });
  return fired;
}

const people = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

describe('vehicle passages', () => {
  it('counts a bus of forty as one passage: out and back over a crossing point with its driver is quiet', () => {
    const load = ['DRIVER001', ...people('P', 39)];
    // The driver is processed somewhere in the middle, not first.
    const shuffled = [...load.slice(1, 20), load[0]!, ...load.slice(20)];
    const events = [
      ...passage('101BUS02', 'KZ-KORDAY', 'exit', 8, shuffled),
      ...passage('101BUS02', 'KG-AKZHOL', 'entry', 9, shuffled),
      ...passage('101BUS02', 'KG-AKZHOL', 'exit', 18, shuffled),
      ...passage('101BUS02', 'KZ-KORDAY', 'entry', 19, shuffled),
    ];
    expect(firings(events)).toEqual([]);
  });

  it('stays quiet for a minibus line with one driver and new passengers on every run', () => {
    const events: Crossing[] = [];
    for (let run = 0; run < 6; run++) {
      const riders = people(`R${run}`, 6);
      events.push(...passage('202MIN02', 'KZ-KORDAY', run % 2 === 0 ? 'exit' : 'entry', 6 + run * 3, [riders[0]!, riders[1]!, 'DRIVER002', ...riders.slice(2)]));
    }
    expect(firings(events)).toEqual([]);
  });

  it('fires once, on the passage that brings the third new driver, when the vehicle is handed on run after run', () => {
    const events = [
      ...passage('303SHT02', 'KZ-KORDAY', 'exit', 6, ['D1']),
      ...passage('303SHT02', 'KZ-KORDAY', 'entry', 9, ['D2']),
      ...passage('303SHT02', 'KZ-KORDAY', 'exit', 12, ['D3', 'PASSENGER1']),
      ...passage('303SHT02', 'KZ-KORDAY', 'entry', 15, ['D1', 'PASSENGER2', 'PASSENGER3']),
    ];
    // Passage four is the fourth passage, with three crews: it fires on its first event only.
    expect(firings(events)).toEqual([4]);
  });

  it('judges a late occupant in the window of the newest event, so a passage that fired does not fire again', () => {
    const events = [
      ...passage('707SHT02', 'KZ-KORDAY', 'exit', 1, ['D1']),
      ...passage('707SHT02', 'KZ-KORDAY', 'entry', 4, ['D2']),
      ...passage('707SHT02', 'KZ-KORDAY', 'exit', 7, ['D3']),
      ...passage('707SHT02', 'KZ-KORDAY', 'entry', 10, ['D1', 'Q1']),
      // Processed two minutes before D1, delivered after the rest (within the allowed lateness).
      occupant('707SHT02', 'KZ-KORDAY', 'entry', 10 - 2 * MIN, 'P1'),
    ];
    expect(firings(events)).toEqual([3]);
  });

  it('does not let a passage wholly before the window make a driver known', () => {
    const runs = [
      ...passage('808SHT02', 'KZ-KORDAY', 'exit', 1, ['D1']),
      ...passage('808SHT02', 'KZ-KORDAY', 'entry', 8, ['D2']),
      ...passage('808SHT02', 'KZ-KORDAY', 'exit', 16, ['D1']),
      ...passage('808SHT02', 'KZ-KORDAY', 'entry', 24.5, ['D3']),
    ];
    // D1 drove at 0h as well, at another crossing point: 24.5 h before the last run, outside its window.
    expect(firings([...passage('808SHT02', 'KG-DOSTUK', 'exit', 0, ['D1']), ...runs])).toEqual([4]);
  });

  it('completes a long passage cut by the window start: the coach driver came first, an hour before its last passenger', () => {
    const coach = (hours: number, driver: string, riders: number, tag: string) => passage('606BUS02', 'KZ-KORDAY', 'exit', hours, [driver, ...people(tag, riders)]);
    // Two drivers only: D drives at 0h (59 boarding over an hour), 10h and 24.8h; E at 20h.
    expect(firings([...coach(0, 'D', 59, 'PA'), ...coach(10, 'D', 3, 'PB'), ...coach(20, 'E', 3, 'PC'), ...coach(24.8, 'D', 3, 'PD')])).toEqual([]);
  });

  it('would fire on a family car if occupants were counted as crossings, and does not', () => {
    // Four people, out and back through one crossing point: 16 events, 4 documents.
    const family = ['F1', 'F2', 'F3', 'F4'];
    const events = [
      ...passage('404FAM02', 'KZ-KORDAY', 'exit', 9, family),
      ...passage('404FAM02', 'KG-AKZHOL', 'entry', 10, family),
      ...passage('404FAM02', 'KG-AKZHOL', 'exit', 17, family),
      ...passage('404FAM02', 'KZ-KORDAY', 'entry', 18, family),
    ];
    expect(events.length).toBe(16);
    expect(new Set(events.map((e) => e.document.number)).size).toBe(4);
    expect(firings(events)).toEqual([]);
  });
});

describe('PassageCounter', () => {
  const times = [0, 60_000, 120_000, 10 * 60_000, 11 * 60_000, 90 * 60_000];
  const places = ['A', 'A', 'A', 'B', 'A', 'A'];
  const crew = ['x', 'y', 'z', 'w', 'x', 'v'];
  const out = { passages: 0, crews: 0 };

  it('joins events at one place within the gap and splits at a longer pause', () => {
    const counter = new PassageCounter(30 * 60_000);
    counter.count(0, 6, -1, (i) => times[i]!, (i) => places[i], (i) => crew[i], out);
    // A at 0-11 min is one passage, B at 10 min another, A at 90 min a third.
    expect(out.passages).toBe(3);
    // The passage at B has only w (new); the passage at 90 min has only v (new).
    expect(out.crews).toBe(3);
  });

  it('leaves out the skipped record', () => {
    const counter = new PassageCounter(30 * 60_000);
    counter.count(0, 6, 3, (i) => times[i]!, (i) => places[i], (i) => crew[i], out);
    expect(out).toEqual({ passages: 2, crews: 2 });
  });

  it('counts only passages with a record from countFrom on, and lets the records before it say who was in them', () => {
    const counter = new PassageCounter(30 * 60_000);
    // Records 0-1: a passage at A cut by the window's start (its driver d is record 0);
    // records 2-3 the rest of it; record 4 a passage at B wholly before the window.
    const t = [0, 60_000, 120_000, 180_000, 100_000];
    const order = [0, 1, 4, 2, 3];
    const times = order.map((i) => t[i]!);
    const place = order.map((i) => (i === 4 ? 'B' : 'A'));
    const people = order.map((i) => ['d', 'p1', 'p2', 'p3', 'x'][i]);
    // The window starts at the fourth record (index 3): the passage at B is not counted,
    // and the passage at A is one passage whose driver came before the window.
    counter.count(0, 5, -1, (i) => times[i]!, (i) => place[i], (i) => people[i], out, 3);
    expect(out.passages).toBe(1);
    expect(out.crews).toBe(1);
  });

  it('counts crews only when the passages reach crewsFrom, and the same crews when they do', () => {
    const counter = new PassageCounter(30 * 60_000);
    counter.count(0, 6, -1, (i) => times[i]!, (i) => places[i], (i) => crew[i], out, 0, 4);
    expect(out).toEqual({ passages: 3, crews: 0 });
    counter.count(0, 6, -1, (i) => times[i]!, (i) => places[i], (i) => crew[i], out, 0, 3);
    expect(out).toEqual({ passages: 3, crews: 3 });
  });

  it('counts a passage whose people all came before as no new crew', () => {
    const counter = new PassageCounter(5 * 60_000);
    counter.count(0, 3, -1, (i) => [0, 60 * 60_000, 120 * 60_000][i]!, () => 'A', (i) => ['x', 'x', 'y'][i], out);
    expect(out).toEqual({ passages: 3, crews: 2 });
  });
});
