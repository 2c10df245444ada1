import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PassageCount, PassageCounter } from '../../../src/rules/kinds/window/passages.ts';

/**
 * The passage counter as it was before its crews were counted through a person → slot map
 * kept across counts (a map per count, cleared each time), kept here as the reference the
 * counter is held to: counts past 64 people (the slot arrays grow) and past 4,096 (the map
 * is cleared) reach the branches a window's few records never do.
 */
class ReferenceCounter {
  /** The places met so far in this count, with each one's last time and current passage. */
  private readonly places: unknown[] = [];
  private readonly placeLast: number[] = [];
  private readonly placePassage: number[] = [];
  private readonly firstPassageOf = new Map<unknown, number>();
  private passageOf = new Int32Array(64);
  private countedMark = new Uint32Array(64);
  private oldCrewMark = new Uint32Array(64);
  private stamp = 0;

  constructor(private readonly gapMs: number) {}

  /**
   * Passages and new crews among records `from` (inclusive) to `to` (exclusive), leaving
   * out `skip` (-1: none). `time(i)`, `at(i)` and `crew(i)` read record i; records are in
   * event-time order, so passages are numbered in the order they began. Only passages with
   * a record at `countFrom` or later are counted: the records before it (the window's
   * start reaching into a passage) complete the passage it cuts, so that a minibus whose
   * driver was processed just before the window began is not taken for a new crew.
   * Crews are counted only when at least `crewsFrom` passages are (else `crews` is 0): a
   * window short of its passages fails whatever its crews, and counting them is most of
   * the work (a map of the people of every passage).
   */
  count(
    from: number,
    to: number,
    skip: number,
    time: (i: number) => number,
    at: (i: number) => unknown,
    crew: ((i: number) => unknown) | undefined,
    out: PassageCount,
    countFrom = from,
    crewsFrom = 0,
  ): PassageCount {
    const { places, placeLast, placePassage, firstPassageOf } = this;
    let placeCount = 0;
    // Record i's passage is at i - from; there are at most as many passages as records.
    const span = Math.max(0, to - from);
    if (this.passageOf.length < span) {
      const size = Math.max(span, this.passageOf.length * 2);
      this.passageOf = new Int32Array(size);
      this.countedMark = new Uint32Array(size);
      this.oldCrewMark = new Uint32Array(size);
    }
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.countedMark.fill(0);
      this.oldCrewMark.fill(0);
      this.stamp = 1;
    }
    const { passageOf, countedMark, oldCrewMark, stamp } = this;
    let passages = 0;
    let lastBefore = -1;
    for (let i = from; i < to; i++) {
      if (i === skip) continue;
      const place = at(i);
      const t = time(i);
      // A window's records come from a post or two: a scan of the few places met beats a map.
      let k = 0;
      while (k < placeCount && !sameValueZero(places[k], place)) k++;
      let p: number;
      if (k < placeCount && t - placeLast[k]! <= this.gapMs) p = placePassage[k]!;
      else {
        p = passages++;
        if (k === placeCount) {
          places[k] = place;
          placeCount += 1;
        }
        placePassage[k] = p;
      }
      placeLast[k] = t;
      passageOf[i - from] = p;
      if (i < countFrom) lastBefore = passages - 1;
    }
    // Passages are numbered as they begin: every one up to lastBefore began before
    // countFrom; those with a record at countFrom or later are counted all the same.
    let counted = 0;
    for (let i = Math.max(countFrom, from); i < to; i++) {
      if (i === skip) continue;
      const p = passageOf[i - from]!;
      if (countedMark[p] !== stamp) {
        countedMark[p] = stamp;
        counted += 1;
      }
    }
    let uncounted = 0;
    for (let p = 0; p <= lastBefore; p++) if (countedMark[p] !== stamp) uncounted += 1;
    out.passages = passages - uncounted;
    // Drop the places' references so that a count keeps no key alive.
    places.length = 0;
    if (!crew || out.passages < crewsFrom) {
      out.crews = 0;
      return out;
    }
    firstPassageOf.clear();
    // Passage numbers grow with their first event, but a later passage's events can
    // interleave with an earlier one's (two posts at once): take each person's earliest.
    // Passages wholly before the window are not counted and do not make anyone known.
    for (let i = from; i < to; i++) {
      if (i === skip || countedMark[passageOf[i - from]!] !== stamp) continue;
      const person = crew(i);
      if (person === undefined || person === null) continue;
      const p = passageOf[i - from]!;
      const first = firstPassageOf.get(person);
      if (first === undefined || p < first) firstPassageOf.set(person, p);
    }
    let old = 0;
    for (let i = from; i < to; i++) {
      if (i === skip || countedMark[passageOf[i - from]!] !== stamp) continue;
      const person = crew(i);
      if (person === undefined || person === null) continue;
      const p = passageOf[i - from]!;
      if (firstPassageOf.get(person)! < p && oldCrewMark[p] !== stamp) {
        oldCrewMark[p] = stamp;
        old += 1;
      }
    }
    out.crews = counted - old;
    return out;
  }
}

/** Equality as a Map's keys have it: how places are compared. */
function sameValueZero(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the one value not equal to itself, and a Map key equal to NaN.
  return a === b || (a !== a && b !== b);
}

interface Rec {
  t: number;
  place: string;
  person: string | undefined;
}

/** A window's records in time order: runs of occupants at a post, passages minutes to hours apart. */
const recordsArb = (people: number): fc.Arbitrary<Rec[]> =>
  fc
    .array(
      fc.record({
        dt: fc.oneof(fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 0, max: 20_000_000 })),
        place: fc.constantFrom('KZ-KORDAY', 'KG-AKZHOL', 'UZ-ALAT'),
        person: fc.option(fc.integer({ min: 0, max: people - 1 }).map((n) => `P${n}`), { nil: undefined, freq: 12 }),
      }),
      { minLength: 0, maxLength: 120 },
    )
    .map((steps) => {
      let t = 0;
      return steps.map(({ dt, place, person }) => ({ t: (t += dt), place, person }));
    });

const countArb = (people: number) =>
  recordsArb(people).chain((records) =>
    fc.record({
      records: fc.constant(records),
      skip: fc.integer({ min: -1, max: Math.max(-1, records.length - 1) }),
      countFrom: fc.integer({ min: 0, max: records.length }),
      crewsFrom: fc.integer({ min: 0, max: 3 }),
    }),
  );

function both(counter: PassageCounter, reference: ReferenceCounter, c: { records: Rec[]; skip: number; countFrom: number; crewsFrom: number }): [PassageCount, PassageCount] {
  const { records, skip, countFrom, crewsFrom } = c;
  const time = (i: number): number => records[i]!.t;
  const at = (i: number): unknown => records[i]!.place;
  const crew = (i: number): unknown => records[i]!.person;
  return [
    { ...counter.count(0, records.length, skip, time, at, crew, { passages: 0, crews: 0 }, countFrom, crewsFrom) },
    { ...reference.count(0, records.length, skip, time, at, crew, { passages: 0, crews: 0 }, countFrom, crewsFrom) },
  ];
}

describe('the passage counter', () => {
  it('counts passages and new crews as a map per count does, one counter across many counts, with a few people or thousands', () => {
    for (const people of [8, 200, 9_000]) {
      const counter = new PassageCounter(300_000);
      const reference = new ReferenceCounter(300_000);
      fc.assert(
        fc.property(fc.array(countArb(people), { minLength: 1, maxLength: 40 }), (counts) => {
          for (const c of counts) {
            const [got, expected] = both(counter, reference, c);
            expect(got).toEqual(expected);
          }
        }),
        { numRuns: 150 },
      );
    }
  });

  it('counts a window of over 4,096 people alike, after the counter has met more people than it keeps', () => {
    const counter = new PassageCounter(60_000);
    const reference = new ReferenceCounter(60_000);
    // Each record a passage of its own (ten minutes apart), everyone new, then the first driver again.
    for (const size of [70, 5_000, 300, 9_000]) {
      const records: Rec[] = Array.from({ length: size }, (_, i) => ({ t: i * 600_000, place: 'KZ-KORDAY', person: `D${size}-${i}` }));
      records.push({ t: size * 600_000, place: 'KZ-KORDAY', person: `D${size}-0` });
      const [got, expected] = both(counter, reference, { records, skip: -1, countFrom: 0, crewsFrom: 0 });
      expect(got).toEqual(expected);
      expect(got).toEqual({ passages: size + 1, crews: size });
    }
  });
});
