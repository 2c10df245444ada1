import { anomalySpec } from '../state/anomaly-state.ts';
import { pairSpec } from '../state/pair-state.ts';
import type { StatefulSpec } from '../state/stateful.ts';
import { windowSpec } from '../state/window-state.ts';
import type { EventKind } from '../model/event.ts';
import { compileCelCondition, compileCelExpression } from './cel/cel-condition.ts';
import type { CompiledCondition, Scope } from '../state/condition.ts';
import type { ReferenceLists } from '../enrich/lists.ts';
import type { AnomalyDef, PairDef, WindowDef } from './rule-schema.ts';

/** Reports a problem at a path of the rule; `offset` is a position inside that path's CEL text. */
type Report = (path: (string | number)[], message: string, offset?: number) => void;
type ValueFn = (s: Scope) => unknown;

/**
 * Key expressions shared by several rules of a rule set (the document key, say) are
 * computed once per event: each rule asks the same memo, which remembers the last
 * event it saw.
 */
export type SharedValues = Map<string, ValueFn>;

function shared(cache: SharedValues | undefined, source: string, fn: ValueFn): ValueFn {
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
function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(MS)) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Compiles a window's key and values; the signature names the state it keeps. */
export function compileWindow(window: WindowDef, condition: string, kinds: EventKind[], lists: ReferenceLists, report: Report, cache?: SharedValues): StatefulSpec | undefined {
  const expression = (source: string, path: (string | number)[], expected: 'string' | 'number' | 'any') => {
    const result = compileCelExpression(source, kinds, lists, expected);
    for (const problem of result.problems) report(path, problem.message, problem.offset);
    return result.evaluate;
  };
  const key = expression(window.key, ['window', 'key'], 'string');
  const distinct = window.distinct ? expression(window.distinct.of, ['window', 'distinct', 'of'], 'any') : undefined;
  const sum = window.sum ? expression(window.sum.of, ['window', 'sum', 'of'], 'number') : undefined;
  const passageAt = window.passages ? expression(window.passages.at, ['window', 'passages', 'at'], 'string') : undefined;
  const crew = window.passages?.crews ? expression(window.passages.crews.of, ['window', 'passages', 'crews', 'of'], 'string') : undefined;
  if (!key || (window.distinct && !distinct) || (window.sum && !sum) || (window.passages && !passageAt) || (window.passages?.crews && !crew)) return undefined;
  const passages = window.passages;
  return windowSpec({
    signature: JSON.stringify(['window', window, condition, kinds]),
    key: shared(cache, window.key, key),
    keySource: window.key,
    withinMs: window.within,
    within: formatDuration(window.within),
    ...(window.count && { count: window.count }),
    ...(window.distinct && distinct && { distinct: { of: distinct as (e: Scope) => unknown, source: window.distinct.of, atLeast: window.distinct.atLeast } }),
    ...(window.sum && sum && { sum: { of: sum as (e: Scope) => unknown, source: window.sum.of, atLeast: window.sum.atLeast } }),
    ...(window.remember !== undefined && { rememberMs: window.remember, remember: formatDuration(window.remember) }),
    ...(passages && passageAt && {
      passages: {
        at: passageAt as (e: Scope) => unknown,
        atSource: passages.at,
        gapMs: passages.gap,
        gap: formatDuration(passages.gap),
        atLeast: passages.atLeast,
        ...(passages.crews && crew && { crews: { of: crew as (e: Scope) => unknown, source: passages.crews.of, atLeast: passages.crews.atLeast } }),
      },
    }),
  });
}

/** Compiles a sequence or absence: its key, its `first` condition and its `then` condition (which may read `first`). */
export function compilePair(mode: 'sequence' | 'absence', pair: PairDef, kinds: EventKind[], lists: ReferenceLists, report: Report, cache?: SharedValues): StatefulSpec | undefined {
  const key = compileCelExpression(pair.key, kinds, lists, 'string');
  for (const p of key.problems) report([mode, 'key'], p.message, p.offset);
  const first = compileCelCondition(pair.first, kinds, lists);
  for (const p of first.problems) report([mode, 'first'], p.message, p.offset);
  const then = compileCelCondition(pair.then, kinds, lists, { withFirst: true });
  for (const p of then.problems) report([mode, 'then'], p.message, p.offset);
  if (!key.evaluate || !first.condition || !then.condition) return undefined;
  const thenCondition = then.condition;
  const firstCondition = first.condition;
  return pairSpec({
    signature: JSON.stringify([mode, pair, kinds]),
    mode,
    key: shared(cache, pair.key, key.evaluate),
    keySource: pair.key,
    first: (e) => firstCondition.test(e),
    firstSource: pair.first,
    then: (s) => thenCondition.test(s),
    thenSource: pair.then,
    withinMs: pair.within,
    within: formatDuration(pair.within),
  });
}

/** Compiles an anomaly indicator's key and metric; its detector spec was checked with the rule. */
export function compileAnomaly(anomaly: AnomalyDef, condition: string, kinds: EventKind[], lists: ReferenceLists, report: Report, cache?: SharedValues): StatefulSpec | undefined {
  // A distinct count keeps a set per key and bucket: one key per event (a list key would be one observation per element, which distinct does not take).
  const key = compileCelExpression(anomaly.key, kinds, lists, anomaly.aggregate === 'distinct' ? 'string' : 'strings');
  for (const p of key.problems) report(['anomaly', 'key'], p.message, p.offset);
  const metric = anomaly.metric === undefined ? undefined : compileCelExpression(anomaly.metric, kinds, lists, anomaly.aggregate === 'distinct' ? 'string' : 'numbers');
  for (const p of metric?.problems ?? []) report(['anomaly', 'metric'], p.message, p.offset);
  if (!key.evaluate || (metric && !metric.evaluate)) return undefined;
  const aggregate = anomaly.aggregate ?? 'count';
  const every = anomaly.every === undefined ? undefined : formatDuration(anomaly.every);
  return anomalySpec({
    signature: JSON.stringify(['anomaly', anomaly, condition, kinds]),
    key: shared(cache, anomaly.key, key.evaluate),
    keySource: anomaly.key,
    metric: metric?.evaluate,
    measure:
      every === undefined
        ? anomaly.metric!
        : aggregate === 'count' || (aggregate === 'distinct' && anomaly.unit !== undefined)
          ? `${anomaly.unit ?? 'events'} per ${every}`
          : aggregate === 'distinct'
            ? `distinct ${anomaly.metric!} per ${every}`
            : `${aggregate} of ${anomaly.metric!} per ${every}`,
    detector: anomaly.detector,
    everyMs: anomaly.every,
    every,
    aggregate,
    ttlMs: anomaly.ttl,
    maxKeys: anomaly.maxKeys,
    seriesLength: anomaly.series,
  });
}
