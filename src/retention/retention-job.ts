import fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ConfigError, toError } from '../errors.ts';
import type { DeadLetters } from '../journal/dead-letters.ts';
import type { Journal } from '../journal/journal.ts';
import { listSnapshots, readSnapshotHeader } from '../recovery/snapshot-file.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { type CaseworkForgotten, forgetCasework } from '../casework/casework-retention.ts';
import { depersonaliseAlert } from './depersonalise-alert.ts';

export interface RetentionOptions {
  /** Events, dead letters and snapshots older than this are deleted, alerts depersonalised. */
  maxAgeMs: number;
  /** How often the job runs (it also runs at startup). @default 3_600_000 (an hour) */
  everyMs?: number;
}

/** What one run did. */
export interface RetentionRun {
  /** When it started (wall clock). */
  at: string;
  /** What it removed was received (or stored) before this. */
  before: string;
  ms: number;
  journal: { removed: number; deletedUpTo: number } | null;
  deadLetters: { removed: number } | null;
  alerts: { depersonalised: number } | null;
  /** What went from cases, silences, non-matches and the casework log (`forgetCasework`). */
  casework: CaseworkForgotten | null;
  snapshots: { removed: string[] } | null;
  /** Segments of the live recording deleted. */
  recording: { removed: string[] } | null;
  /** The steps that failed, each with its reason; they are tried again at the next run. */
  errors: string[];
}

/** What /health tells of retention. */
export interface RetentionStatus {
  enabled: boolean;
  maxAgeMs?: number;
  everyMs?: number;
  running?: boolean;
  runs?: number;
  failures?: number;
  last?: RetentionRun | null;
}

export const RETENTION_EVERY_MS = 3_600_000;

/** A configuration error naming the option, for a retention setting that cannot work. */
export function checkRetention(options: RetentionOptions): Required<RetentionOptions> {
  const { maxAgeMs, everyMs = RETENTION_EVERY_MS } = options;
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs < 60_000) throw new ConfigError(`retention maxAgeMs must be at least 60000 (a minute), got ${String(maxAgeMs)}`);
  if (typeof everyMs !== 'number' || !Number.isInteger(everyMs) || everyMs < 10) throw new ConfigError(`retention everyMs must be a whole number of milliseconds ≥ 10, got ${String(everyMs)}`);
  return { maxAgeMs, everyMs };
}

export interface RetentionParts {
  journal: Journal;
  deadLetters: DeadLetters;
  store: AlertStore;
  /** Where state snapshots are kept; undefined when snapshots are off. */
  snapshotsDir: string | undefined;
  /** The live recording (`serve --record-dir`), if any. */
  recording?: RetainedRecording | undefined;
}

/** What retention needs of a live recording (`Recorder`). */
export interface RetainedRecording {
  /** Closes the segment being written: it can go once all its events are past the age. */
  roll(): void;
  /** Deletes the segments holding only records numbered `upTo` or below; returns the files. */
  deleteRecordedUpTo(upTo: number): string[];
}

/**
 * The scheduled retention job: at startup and every `everyMs`, deletes journal records and
 * dead letters received before `now - maxAgeMs`, deletes state snapshots taken before then
 * (or whose journal record it deleted) and the live recording's segments of deleted
 * journal records, and depersonalises alerts stored before then. Each
 * step holds up ingest only briefly (see trimLog; alerts go in small transactions with the
 * event loop free between them). A step that fails is logged and tried again at the next
 * run; the job never throws. One run at a time.
 */
export class RetentionJob {
  private readonly maxAgeMs: number;
  private readonly everyMs: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionRun> | undefined;
  private closed = false;
  private runs = 0;
  private failures = 0;
  private last: RetentionRun | null = null;

  constructor(
    private readonly parts: RetentionParts,
    options: RetentionOptions & { now?: () => number; log: (line: string) => void },
  ) {
    ({ maxAgeMs: this.maxAgeMs, everyMs: this.everyMs } = checkRetention(options));
    this.now = options.now ?? Date.now;
    this.log = options.log;
  }

  /** Runs now, then every `everyMs`. */
  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  status(): RetentionStatus {
    return { enabled: true, maxAgeMs: this.maxAgeMs, everyMs: this.everyMs, running: this.running !== undefined, runs: this.runs, failures: this.failures, last: this.last };
  }

  /** One run (or the one under way). */
  run(): Promise<RetentionRun> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the schedule and waits for a run under way. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async runOnce(): Promise<RetentionRun> {
    const started = performance.now();
    const at = this.now();
    const before = new Date(at - this.maxAgeMs).toISOString();
    const run: RetentionRun = { at: new Date(at).toISOString(), before, ms: 0, journal: null, deadLetters: null, alerts: null, casework: null, snapshots: null, recording: null, errors: [] };
    const { journal, deadLetters, store, snapshotsDir, recording } = this.parts;
    const step = async (name: string, work: () => Promise<void>): Promise<void> => {
      if (this.closed) return;
      try {
        await work();
      } catch (thrown) {
        run.errors.push(`${name}: ${toError(thrown).message}`);
      }
    };
    await step('journal', async () => {
      const r = await journal.deleteReceivedBefore(before);
      run.journal = { removed: r.removed, deletedUpTo: r.deletedUpTo };
    });
    await step('dead letters', async () => {
      const r = await deadLetters.deleteBefore(before);
      run.deadLetters = { removed: r.removed };
    });
    // After the journal: a snapshot whose record is gone from it can no longer be restarted from.
    if (snapshotsDir !== undefined) {
      await step('snapshots', async () => {
        const removed: string[] = [];
        for (const { file, record } of listSnapshots(snapshotsDir)) {
          const header = readSnapshotHeader(file);
          if (record > journal.deletedUpTo && (header === undefined || header.savedAt >= before)) continue;
          fs.rmSync(file, { force: true });
          removed.push(file);
        }
        run.snapshots = { removed };
      });
    }
    // After the journal: the recording holds the same events, numbered alike. Its segment is
    // closed at every run, so that no segment spans much more than a run's interval and
    // what is past the age goes at most that much later than from the journal.
    if (recording !== undefined) {
      await step('recording', async () => {
        recording.roll();
        run.recording = { removed: recording.deleteRecordedUpTo(journal.deletedUpTo) };
      });
    }
    await step('alerts', async () => {
      let depersonalised = 0;
      for (let done = store.depersonalise(before, depersonaliseAlert); done > 0; done = store.depersonalise(before, depersonaliseAlert)) {
        depersonalised += done;
        // Ingest and subscribers run between two batches.
        await nextTurn();
        if (this.closed) break;
      }
      run.alerts = { depersonalised };
    });
    await step('casework', async () => {
      run.casework = forgetCasework(store.database, before);
    });
    run.ms = Math.round(performance.now() - started);
    this.runs += 1;
    if (run.errors.length > 0) this.failures += 1;
    this.last = run;
    this.log(describeRun(run));
    return run;
  }
}

/** The log line of a run: what went, in how long, and what failed. */
export function describeRun(run: RetentionRun): string {
  const parts = [
    run.journal && `${run.journal.removed.toLocaleString('en')} journal record(s) deleted`,
    run.deadLetters && `${run.deadLetters.removed.toLocaleString('en')} dead letter(s) deleted`,
    run.snapshots && `${run.snapshots.removed.length} snapshot(s) deleted`,
    run.recording && `${run.recording.removed.length} recording segment(s) deleted`,
    run.alerts && `${run.alerts.depersonalised.toLocaleString('en')} alert(s) depersonalised`,
    run.casework && `casework: ${run.casework.cases} case(s), ${run.casework.subjects} silence or non-match subject(s) and ${run.casework.logEntries} log detail(s) removed`,
  ].filter((p): p is string => typeof p === 'string');
  const failed = run.errors.length > 0 ? `; failed, tried again at the next run: ${run.errors.join('; ')}` : '';
  return `retention: ${parts.join(', ') || 'nothing done'} (older than ${run.before}) in ${run.ms} ms${failed}`;
}
