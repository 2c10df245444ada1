import { lookBackMs } from '../rules/kinds/registry.ts';
import type { RuleSet } from '../rules/rule-set.ts';

/**
 * The stateful rules that look back further than `maxAgeMs` (a window's, sequence's or
 * absence's `within`, an anomaly's bucket), longest first. Their state holds events for
 * that long, in memory and in snapshots, whatever retention deletes from the journal; and
 * a restart that replays the journal alone rebuilds them from the retained part only.
 */
export function rulesLookingBackBeyond(ruleSet: RuleSet, maxAgeMs: number): { id: string; ms: number }[] {
  const longer: { id: string; ms: number }[] = [];
  for (const { def } of ruleSet.rules) {
    const ms = lookBackMs(def);
    if (ms > maxAgeMs) longer.push({ id: def.id, ms });
  }
  return longer.sort((a, b) => b.ms - a.ms);
}

/** The warning logged at start and at each rule reload when retention is shorter than a rule's look-back. */
export function describeShortRetention(maxAgeMs: number, longer: readonly { id: string; ms: number }[]): string {
  const days = (ms: number): string => `${+(ms / 86_400_000).toFixed(2)} d`;
  return `retention warning: events are kept ${days(maxAgeMs)}, less than ${longer.length} rule(s) look back (${longer.map((r) => `${r.id} ${days(r.ms)}`).join(', ')}): their state still holds events that long (in memory and in snapshots), and a restart without a snapshot rebuilds it from the retained journal only; see docs/security.md#retention`;
}
