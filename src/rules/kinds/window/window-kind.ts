import type { EventKind } from '../../../model/event.ts';
import type { ReferenceLists } from '../../../enrich/lists.ts';
import type { Scope } from '../../../state/condition.ts';
import type { StatefulSpec } from '../../../state/stateful.ts';
import { compileCelExpression } from '../../cel/cel-condition.ts';
import { formatDuration, type Report, type RuleKind, type SharedValues, shared } from '../rule-kind.ts';
import type { WindowDef } from './window-schema.ts';
import { windowSpec } from './window-state.ts';

/** A sliding window on event time per key: counts, distinct values, sums and passages (docs/rules.md). */
export const windowKind: RuleKind<WindowDef> = {
  key: 'window',
  condition: 'required',
  stateful: true,
  compile(window, context) {
    // Without its condition the window has nothing to count; that problem is reported already.
    if (!context.condition) return undefined;
    const stateful = compileWindow(window, context.conditionSource, context.kinds, context.lists, context.report, context.shared);
    return stateful && { condition: context.condition, stateful };
  },
  lookBackMs: (window) => window.within,
};

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
