import type { EnrichedEvent } from '../enrich/enriched.ts';
import type { BorderEvent } from '../model/event.ts';

/**
 * While state is saved: the events it holds (a sequence's earlier event, the newest event
 * of an anomaly key), each kept once however many rules hold it, and referred to by its
 * journal record number. Only the event is kept; what enrichment derived from it is
 * derived again on restore, as a journal replay would.
 */
export class EventRefs {
  readonly events = new Map<number, BorderEvent>();

  ref(enriched: EnrichedEvent): number {
    this.events.set(enriched.n, enriched.event);
    return enriched.n;
  }
}

/** While state is restored: a saved event by its journal record number, enriched again. */
export type EventLookup = (n: number) => EnrichedEvent;

/** An event-time clock as JSON: ±Infinity (nothing seen yet, nothing due) is not a JSON number. */
export function saveTime(t: number): number | null {
  return Number.isFinite(t) ? t : null;
}

export function restoreTime(t: number | null, missing: number): number {
  return t === null ? missing : t;
}

/**
 * A value a rule computed (a window's distinct value) as JSON that restores to a value
 * that compares the same: strings, booleans, null and finite numbers as they are;
 * undefined, non-finite numbers, big integers and objects tagged in an array, so that
 * `undefined` (no value, not counted) does not come back as `null` (a value).
 */
export function saveValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : [1, String(value)];
    case 'undefined':
      return [0];
    case 'bigint':
      return [2, value.toString()];
    default:
      return value === null ? null : [3, value];
  }
}

export function restoreValue(saved: unknown): unknown {
  if (!Array.isArray(saved)) return saved;
  const [tag, body] = saved as [number, unknown];
  if (tag === 0) return undefined;
  if (tag === 1) return Number(body);
  if (tag === 2) return BigInt(body as string);
  return body;
}
