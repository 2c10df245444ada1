import type { OperatorFunction } from 'rxjs';
import type { Assessment, NonMatchRecord, SuppressedIndicator } from '../indicators/evaluate-indicators.ts';
import { type FaultHandler, safeMap } from '../kernel/safe-map.ts';
import type { Evidence } from '../state/condition.ts';
import { subjectKeys } from './subject-keys.ts';

/**
 * Analysts' confirmed non-matches, as the pipeline asks them: the port the suppression
 * stage reads through (the alert database's casework tables implement it).
 */
export interface NonMatchLookup {
  /** How many are in force: 0 lets the stage skip every event at the cost of one comparison. */
  readonly size: number;
  /** The non-match in force for this listed entry (`list:entryId`) and any of these subject keys. */
  find(entry: string, subjects: readonly string[]): NonMatchRecord | undefined;
  /** Told each time one kept an indicator from firing (counted for the analysts who made it). */
  applied?(record: NonMatchRecord): void;
}

/** The listed entries (`list:entryId`) a watchlist indicator's evidence names. */
export function listedEntries(evidence: readonly Evidence[]): string[] {
  const entries: string[] = [];
  for (const e of evidence) {
    if (e.op !== 'watchlist' && e.op !== 'watchlist-document') continue;
    const actual = e.actual as { list?: unknown; entryId?: unknown } | null;
    if (typeof actual === 'object' && actual !== null && typeof actual.list === 'string' && typeof actual.entryId === 'string') entries.push(`${actual.list}:${actual.entryId}`);
  }
  return entries;
}

/**
 * Suppression stage, between the indicators and scoring: a watchlist indicator that fired
 * only on listed entries an analyst has confirmed are not this document's holder (or not
 * this person) is taken out of the fired rules before the event is scored, so a dismissed
 * false positive does not come back at the next crossing. What was taken out, and by
 * which non-match, rides along (`suppressed`) and is shown in the alert's evidence when
 * the event still raises one. An indicator that also matched another entry still fires.
 * Costs one comparison per event while no non-match is in force.
 */
export function suppressNonMatches(lookup: () => NonMatchLookup | undefined, onFault: FaultHandler): OperatorFunction<Assessment, Assessment> {
  return safeMap(
    'suppress',
    (a) => {
      const nonMatches = lookup();
      if (nonMatches === undefined || nonMatches.size === 0 || a.fired.length === 0 || a.enriched.event.kind !== 'crossing') return a;
      let suppressed: SuppressedIndicator[] | undefined;
      let subjects: string[] | undefined;
      for (const rule of a.fired) {
        if (rule.kind?.key !== 'watchlist') continue;
        const evidence: Evidence[] = [];
        rule.condition.explain(a.enriched, evidence);
        const entries = listedEntries(evidence);
        if (entries.length === 0) continue;
        if (subjects === undefined) {
          const keys = subjectKeys(a.enriched.event);
          subjects = keys.person === undefined ? [keys.subject] : [keys.subject, keys.person];
        }
        const found: SuppressedIndicator['entries'] = [];
        for (const entry of entries) {
          const nonMatch = nonMatches.find(entry, subjects);
          if (nonMatch === undefined) break;
          found.push({ entry, nonMatch });
        }
        if (found.length < entries.length) continue;
        (suppressed ??= []).push({ ruleId: rule.def.id, title: rule.def.title, entries: found });
        for (const f of found) nonMatches.applied?.(f.nonMatch);
      }
      if (suppressed === undefined) return a;
      const suppressedIds = new Set(suppressed.map((s) => s.ruleId));
      return { ...a, fired: a.fired.filter((r) => !suppressedIds.has(r.def.id)), suppressed };
    },
    onFault,
  );
}
