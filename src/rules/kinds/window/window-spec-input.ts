import type { EnrichedEvent } from '../../../enrich/enriched.ts';

type Value = (e: EnrichedEvent) => unknown;

/** A window rule compiled: its key and values as closures, with their source text for evidence. */
export interface WindowSpecInput {
  signature: string;
  key: Value;
  keySource: string;
  withinMs: number;
  within: string;
  count?: { atLeast?: number | undefined; atMost?: number | undefined };
  distinct?: { of: Value; source: string; atLeast: number };
  sum?: { of: Value; source: string; atLeast: number };
  /**
   * Alert on a new pattern, not on its repetition: once the window fired for a key, it
   * fires again within this long only when a distinct value comes that it has not fired with.
   */
  rememberMs?: number;
  remember?: string;
  /** Counts passages (and new crews) instead of single events: see passages.ts. */
  passages?: { at: Value; atSource: string; gapMs: number; gap: string; atLeast: number; crews?: { of: Value; source: string; atLeast: number } };
}
