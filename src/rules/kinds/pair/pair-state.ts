import type { EnrichedEvent } from '../../../enrich/enriched.ts';
import type { Evidence, Scope } from '../../../state/condition.ts';
import type { KeySlot, KeyTable } from '../../../state/key-table.ts';
import type { EventLookup, EventRefs } from '../../../state/saved-state.ts';
import { type DeferredHit, type KeyedState, NO_HITS, type StatefulSpec } from '../../../state/stateful.ts';

export interface PairSpecInput {
  signature: string;
  mode: 'sequence' | 'absence';
  key: (e: EnrichedEvent) => unknown;
  keySource: string;
  first: (e: EnrichedEvent) => boolean;
  firstSource: string;
  /** Reads `first` from the scope: the earlier event. */
  then: (s: Scope) => boolean;
  thenSource: string;
  withinMs: number;
  within: string;
}

interface Pending {
  t: number;
  enriched: EnrichedEvent;
  /** Absence: a matching `then` came, or the hit was already raised. */
  settled: boolean;
}

/** A pending event as saved: `[t, journal record, settled ? 1 : 0]`. */
type SavedPending = [number, number, 0 | 1];
/** An absence deadline as saved: `[deadline, key, ...pending]`. */
type SavedDeadline = [number, string, ...SavedPending];

/** Earlier `first` events kept per key; the newest are the ones a `then` is tried against. */
const MAX_PER_KEY = 4;

/**
 * `first` followed by `then` within a time (sequence), or `first` not followed by
 * `then` within it (absence), per key, on event time. Memory per key: a Map entry and
 * up to four references to earlier enriched events (the events themselves are shared
 * with the pipeline), about 250 bytes; absence adds one queue slot per pending event.
 */
export function pairSpec(input: PairSpecInput): StatefulSpec {
  return { signature: input.signature, horizonMs: input.withinMs, keySource: input.keySource, ...(input.mode === 'sequence' && { partitionKey: input.key }), createState: (ruleId, _latenessMs, keys) => new PairState(input, ruleId, keys!) };
}

interface Deadline {
  deadline: number;
  key: string;
  pending: Pending;
}

/** Deadline order, ties by the event's id: the same whatever order the events came in. */
function before(a: Deadline, b: Deadline): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.pending.enriched.event.eventId < b.pending.enriched.event.eventId);
}

class PairState implements KeyedState {
  private readonly byKey: KeySlot<Pending[]>;
  /**
   * Absence deadlines in deadline order (ties by event id), from `head` on: what the
   * watermark has passed fires in the same order, and as soon, however the events arrived
   * (a post catching up sends old exits after newer ones from other posts).
   */
  private readonly deadlines: Deadline[] = [];
  private head = 0;
  private readonly scope: Scope = { event: undefined, derived: undefined, first: undefined };

  constructor(
    private readonly spec: PairSpecInput,
    private readonly ruleId: string,
    keys: KeyTable,
  ) {
    // Earlier events older than the watermark minus `within` can pair with no future on-time event;
    // an absence's pending event has already been raised or settled by then (its deadline queue holds it apart).
    this.byKey = keys.slot<Pending[]>(spec.withinMs, (list, watermark) => list.every((p) => p.t < watermark - spec.withinMs));
  }

  get keys(): number {
    return this.byKey.size;
  }

  get slot(): KeySlot<Pending[]> {
    return this.byKey;
  }

  observe(enriched: EnrichedEvent, t: number): Evidence[] | null {
    const { spec } = this;
    const key = spec.key(enriched);
    if (typeof key !== 'string' || key === '') return null;
    let evidence: Evidence[] | null = null;
    const earlier = this.byKey.get(key, enriched);
    if (earlier) {
      this.scope.event = enriched.event;
      this.scope.derived = enriched.derived;
      for (let i = earlier.length - 1; i >= 0; i--) {
        const p = earlier[i]!;
        if (p.settled || p.t > t || t - p.t > spec.withinMs) continue;
        this.scope.first = p.enriched.event;
        if (!spec.then(this.scope)) continue;
        if (spec.mode === 'sequence') {
          evidence = pairEvidence(spec, key, p, `followed within ${spec.within} by`, { eventId: enriched.event.eventId, eventTime: enriched.event.eventTime, post: enriched.event.post });
          break;
        }
        p.settled = true;
      }
      this.scope.first = undefined;
    }
    if (spec.first(enriched)) {
      const list = earlier ?? [];
      const pending: Pending = { t, enriched, settled: false };
      list.push(pending);
      // The oldest earlier event makes room; as an absence it no longer counts, so it must not fire later.
      if (list.length > MAX_PER_KEY) list.shift()!.settled = true;
      if (!earlier) this.byKey.set(key, enriched, list);
      if (spec.mode === 'absence') this.addDeadline({ deadline: t + spec.withinMs, key, pending });
    }
    return evidence;
  }

  /** Keeps the deadlines sorted: appended when in order (nearly always), else put in place. */
  private addDeadline(entry: Deadline): void {
    const { deadlines } = this;
    const last = deadlines[deadlines.length - 1];
    if (deadlines.length === this.head || !before(entry, last!)) {
      deadlines.push(entry);
      return;
    }
    let lo = this.head;
    let hi = deadlines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(entry, deadlines[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    deadlines.splice(lo, 0, entry);
  }

  describe(enriched: EnrichedEvent): Evidence[] {
    const { spec } = this;
    const key = spec.key(enriched);
    if (typeof key !== 'string' || key === '') return [{ field: spec.keySource, op: `${spec.mode} key`, actual: 'none (the key expression gave no string)' }];
    const earlier = (this.byKey.get(key, enriched) ?? []).map((p) => ({ eventId: p.enriched.event.eventId, eventTime: p.enriched.event.eventTime, post: p.enriched.event.post, settled: p.settled }));
    return [
      { field: spec.keySource, op: `${spec.mode} key`, actual: key },
      { field: spec.firstSource, op: `earlier events matching first (within ${spec.within} counts)`, actual: earlier },
    ];
  }

  expire(watermark: number): readonly DeferredHit[] {
    if (this.spec.mode !== 'absence') return NO_HITS;
    if (this.head >= this.deadlines.length || this.deadlines[this.head]!.deadline >= watermark) return NO_HITS;
    const hits: DeferredHit[] = [];
    while (this.head < this.deadlines.length && this.deadlines[this.head]!.deadline < watermark) {
      const { key, pending } = this.deadlines[this.head]!;
      this.head += 1;
      if (pending.settled) continue;
      // The pending event is also in its key's list: a save under way copies that first.
      this.byKey.changing(key);
      pending.settled = true;
      hits.push({
        ruleId: this.ruleId,
        enriched: pending.enriched,
        // The deadline, not the watermark that passed it: how far the watermark had got depends on other posts' traffic.
        evidence: pairEvidence(this.spec, key, pending, `not followed within ${this.spec.within} by`, { deadline: new Date(pending.t + this.spec.withinMs).toISOString() }),
      });
    }
    if (this.head > 1024 && this.head * 2 > this.deadlines.length) {
      this.deadlines.splice(0, this.head);
      this.head = 0;
    }
    return hits;
  }

  sweep(): void {
    // The key table sweeps.
  }

  /** The absence deadlines still to come; the earlier events per key are in the key table. */
  save(refs: EventRefs): SavedDeadline[] {
    const saved: SavedDeadline[] = [];
    for (let i = this.head; i < this.deadlines.length; i++) {
      const { deadline, key, pending } = this.deadlines[i]!;
      saved.push([deadline, key, ...savePending(pending, refs)]);
    }
    return saved;
  }

  saveValue(value: unknown, refs: EventRefs): SavedPending[] {
    return (value as Pending[]).map((p) => savePending(p, refs));
  }

  restore(saved: unknown, events: EventLookup): (value: unknown) => unknown {
    // A deadline and its key's list share one pending object (a `then` settles both): one per
    // event, since an event has one key per rule.
    const pendings = new Map<number, Pending>();
    const pending = ([t, n, settled]: SavedPending): Pending => {
      let p = pendings.get(n);
      if (!p) pendings.set(n, (p = { t, enriched: events(n), settled: settled === 1 }));
      return p;
    };
    this.deadlines.length = 0;
    this.head = 0;
    // Put in place one by one: a snapshot from before deadlines were kept sorted has them in arrival order.
    for (const [deadline, key, ...p] of saved as SavedDeadline[]) this.addDeadline({ deadline, key, pending: pending(p) });
    return (value) => (value as SavedPending[]).map(pending);
  }
}

function savePending(p: Pending, refs: EventRefs): SavedPending {
  return [p.t, refs.ref(p.enriched), p.settled ? 1 : 0];
}

function pairEvidence(spec: PairSpecInput, key: string, first: Pending, relation: string, then: Record<string, unknown>): Evidence[] {
  const e = first.enriched.event;
  return [
    { field: spec.keySource, op: `${spec.mode} key`, actual: key },
    { field: spec.firstSource, op: 'first', actual: { eventId: e.eventId, eventTime: e.eventTime, post: e.post, direction: e.direction } },
    { field: spec.thenSource, op: relation, expected: spec.within, actual: then },
  ];
}
