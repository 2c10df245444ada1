import type { EventKind } from '../../model/event.ts';
import type { ReferenceLists } from '../../enrich/lists.ts';
import type { CompiledCondition, Scope } from '../../state/condition.ts';
import type { StatefulSpec } from '../../state/stateful.ts';
import type { WatchlistScreening } from './watchlist/compile-watchlist.ts';
import type { PartnerTokens } from '../../exchange/partner-tokens.ts';

/** Reports a problem at a path of the rule's kind part (`['window', 'key']`); `offset` is a position inside that path's CEL text. */
export type Report = (path: (string | number)[], message: string, offset?: number) => void;
type ValueFn = (s: Scope) => unknown;

/** What a kind's compiler gets besides its own part of the rule. */
export interface CompileContext {
  /** The rule's `condition` as written ('' without one), for the state's signature. */
  conditionSource: string;
  /** The rule's condition compiled, if it has one and it compiled. */
  condition: CompiledCondition | undefined;
  /** The event kinds of the rule's streams. */
  kinds: EventKind[];
  lists: ReferenceLists;
  report: Report;
  /** Key expressions shared by the rule set's rules, computed once per event. */
  shared: SharedValues;
  /** The loaded watchlists, when a rule of the set screens against them. */
  screening: WatchlistScreening | undefined;
  /** Partner agencies' match tokens, when the processor runs exchange agreements (docs/exchange.md). */
  partners?: PartnerTokens | undefined;
}

/** What a kind adds to a compiled rule: the condition the hot path tests, and the state it keeps. */
export interface KindParts {
  condition: CompiledCondition;
  stateful?: StatefulSpec;
}

/**
 * One kind of rule (window, sequence, absence, anomaly, watchlist): everything about it
 * in one place, as a zod check keeps its definition beside the closure it builds. The
 * registry (registry.ts) lists them; the rule schema, the rule-set compiler, alert
 * evidence, `rules explain` and the retention warning read them from there.
 */
export interface RuleKind<Def> {
  /** The rule file's key for the kind's part (`window:`). */
  readonly key: string;
  /** What the rule's own `condition` is: required, absent (sequence and absence test `first` and `then`), or optional. */
  readonly condition: 'required' | 'none' | 'optional';
  /** Keeps state per key: `rules explain` describes it when the rule did not fire. */
  readonly stateful: boolean;
  /** Compiles the kind's part; undefined when it has problems (all reported). */
  compile(part: Def, context: CompileContext): KindParts | undefined;
  /** How far back (event time) the kind's state reaches: retention shorter than this is warned of. */
  lookBackMs(part: Def): number;
}

/**
 * Key expressions shared by several rules of a rule set (the document key, say) are
 * computed once per event: each rule asks the same memo, which remembers the last
 * event it saw.
 */
export type SharedValues = Map<string, ValueFn>;

export function shared(cache: SharedValues | undefined, source: string, fn: ValueFn): ValueFn {
  if (!cache) return fn;
  const known = cache.get(source);
  if (known) return known;
  let lastScope: Scope | undefined;
  let lastValue: unknown;
  const memo: ValueFn = (s) => {
    if (s !== lastScope) {
      lastScope = s;
      lastValue = fn(s);
    }
    return lastValue;
  };
  cache.set(source, memo);
  return memo;
}

/** The condition of sequence and absence rules, whose logic lives in their state. */
export const ALWAYS: CompiledCondition = { test: () => true, explain: () => true };

const MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
export function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(MS)) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}


