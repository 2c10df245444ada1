/** Counters the pipeline keeps; read by the throughput line and the health endpoint. */
export interface Metrics {
  frames: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
  processed: number;
  alerts: number;
  /** Rule closures that threw; the rule is counted as not fired for that event. */
  ruleErrors: number;
  /** Events behind their stream's watermark: recorded and run through stateless rules, kept out of windows. */
  late: number;
}

export function createMetrics(): Metrics {
  return { frames: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, processed: 0, alerts: 0, ruleErrors: 0, late: 0 };
}
