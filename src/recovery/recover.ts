import { toError } from '../errors.ts';
import type { JournalRecord } from '../journal/journal.ts';
import { linesSync } from '../kernel/read-lines.ts';
import { type RestoredState, restoreState } from '../pipeline/pipeline.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import { listSnapshots, readSnapshot, removeUnfinished } from './snapshot-file.ts';

export interface RecoveryPlan {
  /** State to start from; undefined: start empty and replay the whole journal. */
  restored?: RestoredState;
  /** The snapshot restored from. */
  snapshot?: { file: string; record: number; ms: number };
  /** Snapshots refused, each with the reason (the next older one, or a full replay, was used instead). */
  refused: { file: string; reason: string }[];
  /** The journal records to replay: those after the snapshot, or all of them. */
  tail: Iterable<JournalRecord>;
}

/**
 * How the processor gets its state back at startup: the newest snapshot that reads back
 * whole, fits the journal (the journal holds the snapshot's last record, with the same
 * event id) and restores into the current rule set, then only the journal records after
 * it. Every snapshot refused is reported with its reason; with none usable the whole
 * journal is replayed, as before snapshots existed. Nothing here throws for a bad
 * snapshot.
 */
export function planRecovery(options: { snapshotsDir: string; journalFile: string; ruleSet: RuleSet; log: (line: string) => void; deletedUpTo?: number }): RecoveryPlan {
  const { snapshotsDir, journalFile, ruleSet, log, deletedUpTo = 0 } = options;
  const refused: RecoveryPlan['refused'] = [];
  for (const name of removeUnfinished(snapshotsDir)) log(`recovery: removed ${name}, a snapshot whose write a stop cut short`);
  for (const { file } of listSnapshots(snapshotsDir)) {
    const started = performance.now();
    const refuse = (reason: string): void => {
      refused.push({ file, reason });
      log(`recovery: snapshot ${file} not used: ${reason}`);
    };
    const read = readSnapshot(file);
    if (!read.ok) {
      refuse(read.reason);
      continue;
    }
    const { state } = read;
    if (state.record > 0 && state.record <= deletedUpTo) {
      // Retention deleted its record (and would have deleted the snapshot, had it not stopped first).
      refuse(`retention deleted its journal record ${state.record} (records up to ${deletedUpTo} are gone); the state it holds is past the retention age`);
      continue;
    }
    const position = journalAfter(journalFile, state.record, state.eventId);
    if (!position.ok) {
      refuse(position.reason);
      continue;
    }
    let restored: RestoredState;
    try {
      restored = restoreState(state, ruleSet);
    } catch (thrown) {
      refuse(`its state does not restore: ${toError(thrown).message}`);
      continue;
    }
    if (restored.reset.length > 0) log(`recovery: ${restored.reset.length} stateful rule(s) new or changed since the snapshot start empty: ${restored.reset.join(', ')}`);
    return { restored, snapshot: { file, record: state.record, ms: performance.now() - started }, refused, tail: position.tail };
  }
  return { refused, tail: records(linesSync(journalFile)) };
}

type Position = { ok: true; tail: Iterable<JournalRecord> } | { ok: false; reason: string };

/**
 * Reads the journal up to record `record`, checks that it holds that record with the event
 * the snapshot was taken after, and gives the records after it. Records before it are
 * skipped on their record number alone, not parsed.
 */
function journalAfter(file: string, record: number, eventId: string | null): Position {
  const lines = linesSync(file);
  if (record === 0) return { ok: true, tail: records(lines) };
  const fail = (reason: string): Position => {
    lines.return(0); // closes the file
    return { ok: false, reason: `${reason}: the snapshot is not of this journal` };
  };
  for (;;) {
    const next = lines.next();
    if (next.done) return fail(`the journal ends before record ${record}, the snapshot's last`);
    const n = recordNumber(next.value);
    if (n < record) continue;
    if (n > record) return fail(`the journal has no record ${record}, the snapshot's last`);
    const found = (JSON.parse(next.value) as JournalRecord).event.eventId;
    if (found !== eventId) return fail(`journal record ${record} is event ${found}, the snapshot's is ${String(eventId)}`);
    return { ok: true, tail: records(lines) };
  }
}

/** The record number of a journal line, read from its start (`{"n":123,...`), which the journal always writes first. */
function recordNumber(line: string): number {
  const match = /^\{"n":(\d+),/.exec(line);
  return match ? Number(match[1]) : (JSON.parse(line) as JournalRecord).n;
}

function* records(lines: Iterator<string>): Generator<JournalRecord> {
  for (let next = lines.next(); !next.done; next = lines.next()) yield JSON.parse(next.value) as JournalRecord;
}

/** How the processor got its state back, for the log and /health. */
export interface RecoveryReport {
  /** `snapshot`: a snapshot plus the journal after it; `journal`: the whole journal (no usable snapshot, or snapshots off). */
  from: 'snapshot' | 'journal';
  snapshot: { file: string; record: number } | null;
  refused: { file: string; reason: string }[];
  /** Journal records run through the pipeline. */
  replayed: number;
  /** Of them, records after the alert store's checkpoint, whose alerts were raised now. */
  afterCheckpoint: number;
  /** Alerts raised that the last run had not stored. */
  alerts: number;
  /** Loading and checking the snapshot and restoring state from it. */
  snapshotMs: number;
  /** Everything: snapshot, journal replay. */
  ms: number;
}

export function describeRecovery(r: RecoveryReport): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const source = r.snapshot
    ? `snapshot at journal record ${r.snapshot.record.toLocaleString('en')} (${seconds(r.snapshotMs)}) plus ${r.replayed.toLocaleString('en')} journal record(s) after it`
    : `the whole journal, ${r.replayed.toLocaleString('en')} record(s)${r.refused.length > 0 ? ` (no usable snapshot: ${r.refused.length} refused)` : ''}`;
  return `recovered state from ${source} in ${seconds(r.ms)}; ${r.afterCheckpoint.toLocaleString('en')} record(s) after the last checkpoint, ${r.alerts} alert(s) raised that the last run had not stored`;
}
