import type { OperatorFunction } from 'rxjs';
import { type FaultHandler, safeMap } from '../kernel/safe-map.ts';
import type { Assessment } from '../indicators/evaluate-indicators.ts';
import { SEVERITIES, type Severity } from '../rules/rule-schema.ts';
import type { CompiledRule } from '../rules/rule-set.ts';
import type { ScoringConfig } from '../rules/scoring-config.ts';

export interface ScoredAssessment extends Assessment {
  score: number;
  /** Null when the score is under the alert threshold. */
  severity: Severity | null;
}

/** What `scoreFired` gives for no fired rule. */
const UNSCORED = { score: 0, severity: null } as const;

/** Score stage: sums the weights of the fired (non-shadow) indicators and picks a severity band. */
export function scoreEvents(onFault: FaultHandler): OperatorFunction<Assessment, ScoredAssessment> {
  return safeMap(
    'score',
    (a) => {
      // Most events fire nothing: no score to work out. One literal with every field rather
      // than a spread of the assessment, which cost more than the scoring itself.
      const { score, severity } = a.fired.length === 0 ? UNSCORED : scoreFired(a.fired, a.ruleSet.scoring);
      const scored: ScoredAssessment = { enriched: a.enriched, ruleSet: a.ruleSet, fired: a.fired, stateEvidence: a.stateEvidence, deferred: a.deferred, late: a.late, score, severity };
      if (a.suppressed !== undefined) scored.suppressed = a.suppressed;
      return scored;
    },
    onFault,
  );
}

export function scoreFired(fired: readonly CompiledRule[], scoring: ScoringConfig): { score: number; severity: Severity | null } {
  let score = 0;
  let floor = -1;
  for (const rule of fired) {
    if (rule.def.shadow) continue;
    score += rule.def.weight;
    if (rule.severityRank > floor) floor = rule.severityRank;
  }
  if (score < scoring.threshold || score === 0) return { score, severity: null };
  let band = 0;
  for (const b of scoring.bands) if (score >= b.minScore) band = SEVERITIES.indexOf(b.severity);
  return { score, severity: SEVERITIES[Math.max(band, floor)]! };
}
