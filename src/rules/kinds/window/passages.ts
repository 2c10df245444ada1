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

/** Reused scratch space: counting runs on every event that enters such a window. */
export class PassageCounter {
  private readonly lastAt = new Map<unknown, number>();
  private readonly passageOfAt = new Map<unknown, number>();
  private readonly firstPassageOf = new Map<unknown, number>();
  private readonly oldCrew = new Set<number>();
  private passageOf: number[] = [];

  constructor(private readonly gapMs: number) {}

  /**
   * Passages and new crews among records `from` (inclusive) to `to` (exclusive), leaving
   * out `skip` (-1: none). `time(i)`, `at(i)` and `crew(i)` read record i; records are in
   * event-time order, so passages are numbered in the order they began. Only passages with
   * a record at `countFrom` or later are counted: the records before it (the window's
   * start reaching into a passage) complete the passage it cuts, so that a minibus whose
   * driver was processed just before the window began is not taken for a new crew.
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
  ): PassageCount {
    const { lastAt, passageOfAt, firstPassageOf, oldCrew } = this;
    lastAt.clear();
    passageOfAt.clear();
    if (this.passageOf.length < to) this.passageOf = new Array<number>(to);
    const passageOf = this.passageOf;
    let passages = 0;
    // Passages that began before `countFrom` and have no record from it on are not counted.
    let uncounted = 0;
    let lastBefore = -1;
    for (let i = from; i < to; i++) {
      if (i === skip) continue;
      const place = at(i);
      const t = time(i);
      const last = lastAt.get(place);
      let p: number;
      if (last !== undefined && t - last <= this.gapMs) p = passageOfAt.get(place)!;
      else {
        p = passages++;
        passageOfAt.set(place, p);
      }
      lastAt.set(place, t);
      passageOf[i] = p;
      if (i < countFrom) lastBefore = passages - 1;
    }
    // Passages are numbered as they begin: every one up to lastBefore began before
    // countFrom; those with a record at countFrom or later are counted all the same.
    const counted = new Set<number>();
    for (let i = countFrom; i < to; i++) if (i !== skip) counted.add(passageOf[i]!);
    for (let p = 0; p <= lastBefore; p++) if (!counted.has(p)) uncounted += 1;
    out.passages = passages - uncounted;
    if (!crew) {
      out.crews = 0;
      return out;
    }
    firstPassageOf.clear();
    oldCrew.clear();
    // Passage numbers grow with their first event, but a later passage's events can
    // interleave with an earlier one's (two posts at once): take each person's earliest.
    // Passages wholly before the window are not counted and do not make anyone known.
    for (let i = from; i < to; i++) {
      if (i === skip || !counted.has(passageOf[i]!)) continue;
      const person = crew(i);
      if (person === undefined || person === null) continue;
      const p = passageOf[i]!;
      const first = firstPassageOf.get(person);
      if (first === undefined || p < first) firstPassageOf.set(person, p);
    }
    for (let i = from; i < to; i++) {
      if (i === skip || !counted.has(passageOf[i]!)) continue;
      const person = crew(i);
      if (person === undefined || person === null) continue;
      const p = passageOf[i]!;
      if (firstPassageOf.get(person)! < p) oldCrew.add(p);
    }
    let crews = 0;
    for (const p of counted) if (!oldCrew.has(p)) crews += 1;
    out.crews = crews;
    return out;
  }
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
