import { StateEngine } from '../indicators/state-engine.ts';
import { type Journal, journalRecords } from '../journal/journal.ts';
import { type Pipeline, type PipelineParts, startPipeline } from '../pipeline/pipeline.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { describeRecovery, planRecovery, type RecoveryReport } from './recover.ts';

export interface RecoveryOptions {
  /** Restore from the newest usable snapshot here; undefined: replay the whole journal. */
  snapshotsDir: string | undefined;
  log: (line: string) => void;
}

export interface RecoveredPipeline {
  pipeline: Pipeline;
  recovery: RecoveryReport;
  /** The journal record the restored snapshot goes up to (0 without one). */
  from: number;
}

/**
 * Starts the pipeline where the last run stopped, before any producer connects: the
 * newest usable snapshot and the journal after it (or the whole journal) rebuild window,
 * sequence, anomaly and grouping state, and events after the last checkpoint (a crash cut
 * their processing short) raise their alerts now; alerts stored before the crash are not
 * stored twice.
 */
/**
 * The pipeline's parts, with the file journal and the alert database themselves: recovery
 * reads the journal file after the snapshot and the checkpoint the database keeps.
 */
type RecoveryParts = Omit<PipelineParts, 'engine' | 'grouping' | 'processedUpTo' | 'journal' | 'store'> & { journal: Journal; store: AlertStore };

export function startRecovered(parts: RecoveryParts, { snapshotsDir, log }: RecoveryOptions): RecoveredPipeline {
  const { journal, store, ruleSet } = parts;
  const started = performance.now();
  const plan = snapshotsDir !== undefined ? planRecovery({ snapshotsDir, journalFile: journal.path, ruleSet: ruleSet(), log, deletedUpTo: journal.deletedUpTo }) : { refused: [], tail: journalRecords(journal.path) };
  const restored = plan.restored;
  const pipeline = startPipeline({
    ...parts,
    engine: restored?.engine ?? new StateEngine(),
    ...(restored && { grouping: restored.grouping, processedUpTo: restored.processedUpTo }),
  });
  const from = plan.snapshot?.record ?? 0;
  // Records up to here had their alerts stored before the stop: they only rebuild state.
  const quietUpTo = Math.max(store.processedRecord, from);
  const recovered = pipeline.replay(withProgress(plan.tail, journal.lastRecord - from, log), quietUpTo);
  const recovery: RecoveryReport = {
    from: plan.snapshot ? 'snapshot' : 'journal',
    snapshot: plan.snapshot ? { file: plan.snapshot.file, record: plan.snapshot.record } : null,
    refused: plan.refused,
    replayed: recovered.replayed,
    afterCheckpoint: Math.max(0, journal.lastRecord - quietUpTo),
    alerts: recovered.alerts,
    snapshotMs: Math.round(plan.snapshot?.ms ?? 0),
    ms: Math.round(performance.now() - started),
  };
  if (recovered.replayed > 0 || plan.snapshot) log(describeRecovery(recovery));
  return { pipeline, recovery, from };
}

/** Passes records through, logging how far a long journal replay has got every 100,000 records. */
function* withProgress<T>(records: Iterable<T>, total: number, log: (line: string) => void): Generator<T> {
  let count = 0;
  const started = Date.now();
  for (const record of records) {
    yield record;
    if (++count % 100_000 === 0) log(`recovering: ${count.toLocaleString('en')} of ${total.toLocaleString('en')} journal records replayed (${Math.round(count / ((Date.now() - started) / 1000 || 1)).toLocaleString('en')}/s)`);
  }
}
