import type { EventKind } from '../../../model/event.ts';
import type { ReferenceLists } from '../../../enrich/lists.ts';
import type { StatefulSpec } from '../../../state/stateful.ts';
import { compileCelExpression } from '../../cel/cel-condition.ts';
import { formatDuration, type Report, type RuleKind, type SharedValues, shared } from '../rule-kind.ts';
import type { AnomalyDef } from './anomaly-schema.ts';
import { anomalySpec } from './anomaly-state.ts';

/** A streaming detector per key over a metric of the matching events (docs/anomaly.md). */
export const anomalyKind: RuleKind<AnomalyDef> = {
  key: 'anomaly',
  condition: 'required',
  stateful: true,
  compile(anomaly, context) {
    if (!context.condition) return undefined;
    const stateful = compileAnomaly(anomaly, context.conditionSource, context.kinds, context.lists, context.report, context.shared);
    return stateful && { condition: context.condition, stateful };
  },
  lookBackMs: (anomaly) => anomaly.every ?? 0,
};

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
