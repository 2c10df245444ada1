import type { EnrichedEvent } from '../../../enrich/enriched.ts';
import type { Crossing } from '../../../model/crossing.ts';
import type { Evidence } from '../../../state/condition.ts';
import type { EventLookup, EventRefs } from '../../../state/saved-state.ts';
import { type AlertLearningState, type AlertNote, type DeferredHit, NO_HITS, type StatefulSpec } from '../../../state/stateful.ts';
import type { WatchlistScreening } from '../watchlist/compile-watchlist.ts';
import { bookingElements } from './link-elements.ts';
import { LINK_SEVERITIES, type LinkDef, type LinkElement } from './link-schema.ts';

/** Whom a marked element belongs to, and why that person counts. */
interface Mark {
  t: number;
  eventId: string;
  /** `issuingState:number` of the marked traveller's document: their own elements never link them to themselves. */
  document: string;
  person: string;
  /** `listed: NAME (list entry)` or `alert ID (severity)`. */
  why: string;
}

/** A booking's crossing, for `split`. */
interface Passage {
  t: number;
  eventId: string;
  document: string;
  person: string;
  post: string;
  direction: string;
  flight: string;
}

/** Crossings remembered per booking (a PNR holds at most 99 travellers; groups are small). */
const MAX_PER_BOOKING = 20;
/** Earlier travellers remembered per element, for a mark that comes after them. */
const MAX_SEEN_PER_ELEMENT = 4;

/** An earlier traveller with an element, not (yet) linked: found again if the element is marked later. */
interface Seen {
  t: number;
  enriched: EnrichedEvent;
  document: string;
}

export interface LinkSpecInput {
  signature: string;
  def: LinkDef;
  within: string;
  screening: WatchlistScreening | undefined;
}

const documentOf = (e: Crossing): string => `${e.document.issuingState}:${e.document.number}`;
const personOf = (e: Crossing): string => `${e.traveller.familyName} ${e.traveller.givenNames}`.trim();

/** PNR link analysis on event time (docs/rules.md, "link"); bounded by `maxKeys`, swept past `within`. */
export function linkSpec(input: LinkSpecInput): StatefulSpec {
  return {
    signature: input.signature,
    horizonMs: input.def.within,
    ...(input.def.match !== 'split' && input.def.alerted !== undefined && { learnsFromAlerts: true }),
    createState: (ruleId, latenessMs) => (input.def.match === 'split' ? new SplitState(input, latenessMs) : new SharedState(input, ruleId, latenessMs)),
  };
}

/** A map used as a bounded, oldest-first queue: an update moves the key to the end. */
function put<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

/** Drops entries from the oldest while they are older than `before` (insertion order is nearly time order). */
function sweepOld<V>(map: Map<string, V>, before: number, timeOf: (v: V) => number): void {
  for (const [key, value] of map) {
    if (timeOf(value) >= before) break;
    map.delete(key);
  }
}

class SharedState implements AlertLearningState {
  private marks = new Map<string, Mark>();
  private seen = new Map<string, Seen[]>();
  /** Earlier travellers linked by a mark made after them: raised on the next `expire`. */
  private pending: DeferredHit[] = [];
  private readonly kinds: ReadonlySet<LinkElement>;
  private readonly minSeverity: number;

  constructor(
    private readonly input: LinkSpecInput,
    private readonly ruleId: string,
    private readonly latenessMs: number,
  ) {
    this.kinds = new Set(input.def.share);
    this.minSeverity = input.def.alerted ? LINK_SEVERITIES.indexOf(input.def.alerted.minSeverity) : Number.POSITIVE_INFINITY;
  }

  get keys(): number {
    return this.marks.size;
  }

  observe(enriched: EnrichedEvent, t: number): Evidence[] | null {
    const event = enriched.event as Crossing;
    if (event.pnr === undefined && event.api === undefined) return null;
    const { def, screening } = this.input;
    const elements = bookingElements(event, this.kinds);
    const document = documentOf(event);
    let evidence: Evidence[] | null = null;
    for (const element of elements) {
      const mark = this.marks.get(element.key);
      if (!mark || mark.document === document || Math.abs(t - mark.t) > def.within) continue;
      (evidence ??= []).push({
        field: element.field,
        op: `shared ${element.kind} with`,
        expected: { linkedTo: mark.why, traveller: mark.person, eventId: mark.eventId },
        actual: element.value,
      });
    }
    for (const element of elements) {
      if (this.marks.has(element.key)) continue;
      const list = (this.seen.get(element.key) ?? []).filter((x) => x.document !== document);
      list.push({ t, enriched, document });
      put(this.seen, element.key, list.slice(-MAX_SEEN_PER_ELEMENT), def.maxKeys);
    }
    if (def.listed && screening) {
      const threshold = def.listed.threshold;
      // A listed person booked together with this traveller: the booking names them.
      if (this.kinds.has('booking') && event.pnr) {
        for (const co of event.pnr.coTravellers) {
          const match = screening.index.screen({ familyName: co.familyName, givenNames: co.givenNames }).find((m) => m.score >= threshold);
          if (!match) continue;
          (evidence ??= []).push({
            field: 'pnr.coTravellers',
            op: 'booked with',
            expected: { linkedTo: `listed: ${match.name} (${match.list} ${match.entryId})`, traveller: `${co.familyName} ${co.givenNames}`.trim(), score: Math.round(match.score * 1000) / 1000 },
            actual: event.pnr.recordLocator,
          });
        }
      }
      const named = screening.names(enriched).find((m) => m.score >= threshold);
      const documented = named ? undefined : screening.documents(enriched)[0];
      if (named || documented) {
        const why = named ? `listed: ${named.name} (${named.list} ${named.entryId})` : `listed document (${documented!.list}${documented!.entryId ? ` ${documented!.entryId}` : ''})`;
        this.mark(event, t, why);
      }
    }
    return evidence;
  }

  /** Remembers a traveller's elements as belonging to a listed or alerted person. */
  private mark(event: Crossing, t: number, why: string): void {
    const mark: Mark = { t, eventId: event.eventId, document: documentOf(event), person: personOf(event), why };
    const found = new Map<string, DeferredHit>();
    for (const element of bookingElements(event, this.kinds)) {
      put(this.marks, element.key, mark, this.input.def.maxKeys);
      // Travellers who showed the element before it was marked are linked now, raised later.
      for (const earlier of this.seen.get(element.key) ?? []) {
        if (earlier.document === mark.document || Math.abs(t - earlier.t) > this.input.def.within) continue;
        const theirs = bookingElements(earlier.enriched.event as Crossing, this.kinds).find((e) => e.key === element.key);
        if (!theirs) continue;
        const id = (earlier.enriched.event as Crossing).eventId;
        let hit = found.get(id);
        if (!hit) found.set(id, (hit = { ruleId: this.ruleId, enriched: earlier.enriched, evidence: [] }));
        hit.evidence.push({ field: theirs.field, op: `shared ${theirs.kind} with`, expected: { linkedTo: why, traveller: mark.person, eventId: mark.eventId }, actual: theirs.value });
      }
      this.seen.delete(element.key);
    }
    this.pending.push(...found.values());
  }

  noteAlert(note: AlertNote): void {
    if (LINK_SEVERITIES.indexOf(note.severity as (typeof LINK_SEVERITIES)[number]) < this.minSeverity) return;
    const event = note.event;
    if (event.kind !== 'crossing' || (event.pnr === undefined && event.api === undefined)) return;
    this.mark(event, note.eventTimeMs, `alert ${note.alertId} (${note.severity}: ${note.ruleIds.join(', ')})`);
  }

  expire(): readonly DeferredHit[] {
    if (this.pending.length === 0) return NO_HITS;
    const hits = this.pending;
    this.pending = [];
    return hits;
  }

  describe(enriched: EnrichedEvent): Evidence[] {
    const event = enriched.event as Crossing;
    const elements = bookingElements(event, this.kinds);
    return [
      { field: 'booking elements', op: 'read', actual: elements.map((e) => `${e.kind}: ${e.value}`) },
      { field: 'marked elements held', op: 'count', actual: this.marks.size },
      { field: 'of them this traveller shares', op: 'count', actual: elements.filter((e) => this.marks.has(e.key)).length },
    ];
  }

  sweep(watermarkMs: number): void {
    const before = watermarkMs - this.input.def.within - this.latenessMs;
    sweepOld(this.marks, before, (m) => m.t);
    sweepOld(this.seen, before, (list) => Math.max(...list.map((x) => x.t)));
  }

  save(refs: EventRefs): unknown {
    return {
      marks: [...this.marks].map(([k, m]) => [k, { ...m }]),
      seen: [...this.seen].map(([k, list]) => [k, list.map((x) => [x.t, refs.ref(x.enriched), x.document])]),
      pending: this.pending.map((h) => [refs.ref(h.enriched), h.evidence]),
    };
  }

  restore(saved: unknown, events: EventLookup): (value: unknown) => unknown {
    const state = (saved ?? {}) as { marks?: [string, Mark][]; seen?: [string, [number, number, string][]][]; pending?: [number, Evidence[]][] };
    this.marks = new Map((state.marks ?? []).map(([k, m]) => [k, { ...m }]));
    this.seen = new Map((state.seen ?? []).map(([k, list]) => [k, list.map(([t, n, document]) => ({ t, enriched: events(n), document }))]));
    this.pending = (state.pending ?? []).map(([n, evidence]) => ({ ruleId: this.ruleId, enriched: events(n), evidence }));
    return (value) => value;
  }
}

class SplitState implements AlertLearningState {
  private bookings = new Map<string, Passage[]>();

  constructor(
    private readonly input: LinkSpecInput,
    private readonly latenessMs: number,
  ) {}

  get keys(): number {
    return this.bookings.size;
  }

  observe(enriched: EnrichedEvent, t: number): Evidence[] | null {
    const event = enriched.event as Crossing;
    const locator = event.pnr?.recordLocator ?? event.api?.reservation?.toUpperCase();
    const carrier = event.itinerary?.carrier ?? event.api?.carrier;
    const number = event.itinerary?.flight ?? event.api?.flight;
    if (!locator || !carrier || !number) return null;
    const flight = `${carrier}${number}`;
    const document = documentOf(event);
    const within = this.input.def.within;
    const list = this.bookings.get(locator) ?? [];
    let evidence: Evidence[] | null = null;
    for (const p of list) {
      if (p.document === document || p.direction !== event.direction || Math.abs(t - p.t) > within) continue;
      if (p.post === event.post && p.flight === flight) continue;
      (evidence ??= []).push({
        field: event.pnr ? 'pnr.recordLocator' : 'api.reservation',
        op: 'booked together, crossed apart from',
        expected: { traveller: p.person, post: p.post, flight: p.flight, eventId: p.eventId },
        actual: { booking: locator, post: event.post, flight },
      });
    }
    const own = list.findIndex((p) => p.document === document && p.post === event.post && p.flight === flight);
    const passage: Passage = { t, eventId: event.eventId, document, person: personOf(event), post: event.post, direction: event.direction, flight };
    const next = own >= 0 ? list.map((p, i) => (i === own ? passage : p)) : [...list, passage].slice(-MAX_PER_BOOKING);
    put(this.bookings, locator, next, this.input.def.maxKeys);
    return evidence;
  }

  noteAlert(): void {
    // A split is found from the bookings' own crossings; alerts do not add to it.
  }

  expire(): typeof NO_HITS {
    return NO_HITS;
  }

  describe(enriched: EnrichedEvent): Evidence[] {
    const event = enriched.event as Crossing;
    const locator = event.pnr?.recordLocator ?? event.api?.reservation?.toUpperCase();
    const held = locator ? (this.bookings.get(locator) ?? []) : [];
    return [{ field: 'crossings held of this booking', op: 'list', actual: held.map((p) => `${p.person} ${p.direction} ${p.post} ${p.flight}`) }];
  }

  sweep(watermarkMs: number): void {
    sweepOld(this.bookings, watermarkMs - this.input.def.within - this.latenessMs, (list) => Math.max(...list.map((p) => p.t)));
  }

  save(): unknown {
    return { bookings: [...this.bookings].map(([k, list]) => [k, list.map((p) => ({ ...p }))]) };
  }

  restore(saved: unknown): (value: unknown) => unknown {
    const bookings = (saved as { bookings?: [string, Passage[]][] } | null)?.bookings ?? [];
    this.bookings = new Map(bookings.map(([k, list]) => [k, list.map((p) => ({ ...p }))]));
    return (value) => value;
  }
}
