import type { StoredAlert } from '../store/alert-log.ts';
import type { Metrics } from '../kernel/metrics.ts';

const COLOURS = { low: '\x1b[36m', medium: '\x1b[33m', high: '\x1b[31m', critical: '\x1b[1;41;97m' } as const;
const RESET = '\x1b[0m';

/** One compact line per alert: when, sequence, severity, score, post, subject and indicators. */
export function alertLine({ seq, alert }: StoredAlert, colour: boolean): string {
  const severity = alert.severity.toUpperCase().padEnd(8);
  const tag = colour ? `${COLOURS[alert.severity]}${severity}${RESET}` : severity;
  const indicators = alert.indicators.map((i) => i.id).join(', ');
  if (alert.group && alert.group.count > 1) {
    return `${alert.eventTime.slice(11, 19)} #${String(seq).padEnd(5)} ${' '.repeat(8)} ${String(alert.score).padStart(3)}  ${alert.post.padEnd(15)} ↳ repeat ${alert.group.count} of ${alert.group.id}  ← ${indicators}`;
  }
  return `${alert.eventTime.slice(11, 19)} #${String(seq).padEnd(5)} ${tag} ${String(alert.score).padStart(3)}  ${alert.post.padEnd(15)} ${alert.subject}  ← ${indicators}`;
}

/** The periodic throughput line, from the difference between two metric snapshots. */
export function throughputLine(now: Metrics, before: Metrics, seconds: number, subscribers: number): string {
  const rate = (a: number, b: number): string => ((a - b) / seconds).toFixed(1);
  return (
    `[${new Date().toISOString().slice(11, 19)}] ${rate(now.accepted, before.accepted)} events/s accepted, ` +
    `${rate(now.processed, before.processed)}/s processed, ${rate(now.alerts, before.alerts)} alerts/s | totals: ` +
    `${now.accepted} accepted, ${now.rejected} rejected, ${now.duplicates} duplicate, ${now.late} late, ${now.alerts} alerts, ${subscribers} subscriber(s)`
  );
}

/**
 * Why events count as late, said once when the first ones come: without it a restart whose
 * first events are behind the restored stream clock shows only a growing `late` total.
 */
export function lateExplanation(late: number, lateness: readonly { stream: string; allowed: string }[]): string {
  return (
    `late: ${late} event(s) so far had an event time further behind the newest one of their post than their stream allows, ` +
    `or behind its watermark (${lateness.map((l) => `${l.stream} ${l.allowed}`).join(', ')}; a post more than the stream's idleSourceAfter behind the newest post no longer holds the watermark back; ` +
    'after a restart the clocks are those before the stop); ' +
    'they are journaled and run through the stateless rules, but windows and sequences skip them (docs/rules.md, "Watermarks and late events")'
  );
}
