/** One value a rule looked at: the field, the comparison, what it was compared with, and what it held. */
export interface Evidence {
  field: string;
  op: string;
  expected?: unknown;
  actual: unknown;
}

/** What a condition reads: the enriched event (`event`, `derived`) and, in a sequence's `then`, `first`. */
export interface Scope {
  event: unknown;
  derived: unknown;
  /** In a sequence's `then`, the earlier event that matched `first`. */
  first?: unknown;
}

/**
 * A condition compiled once into closures. `test` is the hot path and allocates
 * nothing; `explain` runs only for rules that fired (or when asked why not) and
 * records every value that decided the outcome.
 */
export interface CompiledCondition {
  test(scope: Scope): boolean;
  explain(scope: Scope, out: Evidence[]): boolean;
}
