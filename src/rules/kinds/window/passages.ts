/**
 * Passages: a window's events grouped into occasions. A vehicle's bus load of forty
 * passengers at a post is forty crossing events but one passage of the vehicle; a rule
 * about a vehicle counts its passages and the people who drove it, never its occupants.
 *
 * Events of a key with the same `at` value (the post, or the crossing point) belong to one
 * passage while each comes within `gap` of the one before it. A passage brings a *new
 * crew* when none of its people (the `crew` value of its events, e.g. the document) came
 * in an earlier passage of the window: a vehicle driven by the same person each time,
 * with passengers changing, has one crew however many passages it makes; a vehicle
 * handed from one driver to the next has a crew per driver.
 */
import type { Evidence } from '../../../state/condition.ts';

export interface PassageCount {
  passages: number;
  crews: number;
}

/** People remembered across counts before the list starts afresh (it holds their crew values alive). */
const PEOPLE_HELD = 4096;

/**
 * Reused scratch space: counting runs on every event that enters such a window, over every
 * record the window holds, so it allocates nothing: per-passage facts live in typed arrays
 * marked with the call's stamp (a passage is counted, or has an old crew, when its mark is
 * the current stamp), grown as windows grow.
 */
export class PassageCounter {
  /** The places met so far in this count, with each one's last time and current passage. */
  private readonly places: unknown[] = [];
  private readonly placeLast: number[] = [];
  private readonly placePassage: number[] = [];
  /**
   * Each person met in counts so far and their slot in `personMark` and `personFirst` (a
   * person's earliest passage in the count whose stamp is in `personMark`): kept across
   * counts rather than a map cleared on each, whose table V8 made afresh and grew every time.
   */
  private readonly people = new Map<unknown, number>();
  private personMark = new Uint32Array(64);
  private personFirst = new Int32Array(64);
  /** Record i's person slot (-1: none counted), at i - from. */
  private personSlotOf = new Int32Array(64);
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
    const { places, placeLast, placePassage } = this;
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
      this.personMark.fill(0);
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
    const { people } = this;
    if (people.size > PEOPLE_HELD) people.clear();
    if (this.personSlotOf.length < span) this.personSlotOf = new Int32Array(Math.max(span, this.personSlotOf.length * 2));
    const { personSlotOf } = this;
    // Passage numbers grow with their first event, but a later passage's events can
    // interleave with an earlier one's (two posts at once): take each person's earliest.
    // Passages wholly before the window are not counted and do not make anyone known.
    for (let i = from; i < to; i++) {
      personSlotOf[i - from] = -1;
      if (i === skip || countedMark[passageOf[i - from]!] !== stamp) continue;
      const person = crew(i);
      if (person === undefined || person === null) continue;
      const p = passageOf[i - from]!;
      let slot = people.get(person);
      if (slot === undefined) {
        slot = people.size;
        people.set(person, slot);
        if (slot >= this.personMark.length) this.growPeople(slot + 1);
      }
      personSlotOf[i - from] = slot;
      if (this.personMark[slot] !== stamp) {
        this.personMark[slot] = stamp;
        this.personFirst[slot] = p;
      } else if (p < this.personFirst[slot]!) this.personFirst[slot] = p;
    }
    const { personFirst } = this;
    let old = 0;
    for (let i = from; i < to; i++) {
      const slot = personSlotOf[i - from]!;
      if (slot < 0) continue;
      const p = passageOf[i - from]!;
      if (personFirst[slot]! < p && oldCrewMark[p] !== stamp) {
        oldCrewMark[p] = stamp;
        old += 1;
      }
    }
    out.crews = counted - old;
    return out;
  }

  private growPeople(size: number): void {
    const grown = Math.max(size, this.personMark.length * 2);
    const mark = new Uint32Array(grown);
    mark.set(this.personMark);
    const first = new Int32Array(grown);
    first.set(this.personFirst);
    this.personMark = mark;
    this.personFirst = first;
  }
}

/** Equality as a Map's keys have it: how places are compared. */
function sameValueZero(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the one value not equal to itself, and a Map key equal to NaN.
  return a === b || (a !== a && b !== b);
}

/**
 * A bound on the passages `PassageCounter.count` finds among records `from` to `to` (leaving
 * out `skip`), counted up to `enough`: a record of the same place as the record before it,
 * and within `gapMs` of it, is in that record's passage (the place's last time is that
 * record's), so only the first record and those breaking from the one before can bring a
 * passage. A coach's forty passengers are one run of the same place: below `enough`, the
 * count and its map of crews are not needed.
 */
export function passagesAtMost(from: number, to: number, skip: number, enough: number, gapMs: number, time: (i: number) => number, at: (i: number) => unknown): number {
  let bound = 0;
  let previous = -1;
  for (let i = from; i < to && bound < enough; i++) {
    if (i === skip) continue;
    if (previous < 0 || !sameValueZero(at(i), at(previous)) || time(i) - time(previous) > gapMs) bound += 1;
    previous = i;
  }
  return bound;
}

/**
 * Where the passages of a window starting at record `from` begin: the records just before
 * it (back to `first`, leaving out `skip`) that chain to it, each within `gapMs` of the
 * next, complete a passage the window's start cuts in two (a coach processed over an hour
 * whose driver came first).
 */
export function passageChainStart(from: number, first: number, count: number, skip: number, time: (i: number) => number, gapMs: number): number {
  let i = from;
  let next = from < count ? time(from) : Number.POSITIVE_INFINITY;
  while (i > first) {
    if (i - 1 === skip) {
      i -= 1;
      continue;
    }
    const t = time(i - 1);
    if (next - t > gapMs) break;
    next = t;
    i -= 1;
  }
  return i;
}

/** The passages and crews counted against a window's thresholds: as it fired (`>=`) or as it stands (`now`). */
export function passageEvidence(
  passages: { atSource: string; gap: string; atLeast: number; crews?: { source: string; atLeast: number } },
  within: string,
  op: '>=' | 'now',
  counted: PassageCount,
): Evidence[] {
  const evidence: Evidence[] = [{ field: `passages (same ${passages.atSource}, ${passages.gap} apart at most) within ${within}`, op, expected: passages.atLeast, actual: counted.passages }];
  if (passages.crews) evidence.push({ field: `passages with none of an earlier passage's ${passages.crews.source}`, op, expected: passages.crews.atLeast, actual: counted.crews });
  return evidence;
}
