import { readTriageOutcomes as readStoreOutcomes } from '../store/read-alert-database.ts';
import type { TriageReason } from '../triage/triage.ts';

/** How analysts concluded about an alert: the dismissal reason, or `true-hit`. */
export type Outcome = TriageReason;

/**
 * The triage outcome of every concluded alert in an alert database, by alert id, read
 * without writing to it (the processor may be running). Alerts still open are left out.
 */
export function readTriageOutcomes(file: string): Map<string, Outcome> {
  return readStoreOutcomes(file);
}
