import type { EventKind } from '../../../model/event.ts';
import type { ReferenceLists } from '../../../enrich/lists.ts';
import type { StatefulSpec } from '../../../state/stateful.ts';
import { compileCelCondition, compileCelExpression } from '../../cel/cel-condition.ts';
import { ALWAYS, formatDuration, type Report, type RuleKind, type SharedValues, shared } from '../rule-kind.ts';
import type { PairDef } from './pair-schema.ts';
import { pairSpec } from './pair-state.ts';

function pairKind(mode: 'sequence' | 'absence'): RuleKind<PairDef> {
  return {
    key: mode,
    condition: 'none',
    stateful: true,
    compile(pair, context) {
      const stateful = compilePair(mode, pair, context.kinds, context.lists, context.report, context.shared);
      return stateful && { condition: ALWAYS, stateful };
    },
    lookBackMs: (pair) => pair.within,
  };
}

/** `first` then `then` of the same key within a time: fires on the `then` event. */
export const sequenceKind = pairKind('sequence');
/** `first` with no `then` of the same key within a time: fires when the watermark passes it. */
export const absenceKind = pairKind('absence');

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
