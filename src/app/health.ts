import type { BrokerStatus } from '../broker/broker.ts';
import type { DeadLetters } from '../journal/dead-letters.ts';
import type { Journal } from '../journal/journal.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import type { WriteHealth } from '../pipeline/write-health.ts';
import type { AlertHub } from '../push/alert-hub.ts';
import type { RecoveryReport } from '../recovery/recover.ts';
import type { SnapshotSchedule } from '../recovery/snapshot-schedule.ts';
import type { RetentionJob } from '../retention/retention-job.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import type { AuthGate } from '../server/auth-gate.ts';
import type { IngestFlow } from '../server/ingest-flow.ts';
import type { AlertStore } from '../store/alert-store.ts';

/** What `GET /health` reads from. */
export interface HealthParts {
  /** Broker mode: the link to the broker and this processor instance's place in the stream. */
  broker?: BrokerStatus | undefined;
  writes: WriteHealth;
  gate: AuthGate | undefined;
  pipeline: Pipeline;
  journal: Journal;
  deadLetters: DeadLetters;
  store: AlertStore;
  hub: AlertHub;
  flow: IngestFlow;
  ruleSet: () => RuleSet;
  recovery: RecoveryReport;
  snapshots: SnapshotSchedule | undefined;
  retention: RetentionJob | undefined;
  metrics: Metrics;
  /** The exchange with partner agencies, when agreements are loaded. */
  exchange?: { status(): unknown } | undefined;
}

/** The body of `GET /health` (docs/protocol.md): `degraded` while ingest is stalled or the audit log cannot be written. */
export function healthReport(p: HealthParts): Record<string, unknown> {
  const auditFailure = p.gate?.audit.failure;
  return {
    status: p.writes.ingestStalled || auditFailure !== undefined || p.broker?.connected === false ? 'degraded' : 'ok',
    ...(p.broker && { broker: p.broker }),
    ...(auditFailure !== undefined && { auditLog: `cannot be written (${auditFailure}): alerts are withheld` }),
    ingest: p.writes.ingestState(),
    ...(p.writes.failures().length > 0 && { writeFailures: p.writes.failures() }),
    heldAlerts: p.pipeline.heldAlerts(),
    deadLetters: p.deadLetters.status(),
    ingestFlow: p.flow.state(),
    memory: memoryFigures(),
    ruleSetVersion: p.ruleSet().version,
    rules: p.ruleSet().rules.length,
    subscribers: p.hub.size,
    journalRecords: p.journal.lastRecord,
    processedRecord: p.pipeline.processed(),
    eventTime: p.pipeline.eventTime(),
    alerts: { firstSeq: p.store.firstSeq, lastSeq: p.store.lastSeq },
    recovery: p.recovery,
    snapshots: p.snapshots?.status() ?? null,
    retention: p.retention?.status() ?? { enabled: false },
    metrics: p.metrics,
    ...(p.exchange && { exchange: p.exchange.status() }),
  };
}

/** The process's memory in bytes, for operators and for the tests that bound it. */
function memoryFigures(): { rss: number; heapUsed: number; external: number } {
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}
