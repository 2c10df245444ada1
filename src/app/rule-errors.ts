import type { RuleErrorHandler } from '../indicators/evaluate-indicators.ts';

/**
 * Logs the first time each rule (id and version) throws, with the event and the error;
 * later throws of the same rule are only counted (`ruleErrors` in /health), so that a
 * rule broken on every event does not flood the log. A new version logs afresh.
 */
export function logRuleErrorsOnce(log: (line: string) => void): RuleErrorHandler {
  const logged = new Set<string>();
  return (rule, error, enriched) => {
    const key = `${rule.def.id}@${rule.def.version}`;
    if (logged.has(key)) return;
    logged.add(key);
    log(`rule ${rule.def.id} (version ${rule.def.version}, ${rule.file}) threw on event ${enriched.event.eventId}: ${error.message}; it counts as not fired, and further throws of it are counted in ruleErrors, not logged`);
  };
}
