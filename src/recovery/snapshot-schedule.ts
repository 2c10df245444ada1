import { ConfigError, toError } from '../errors.ts';
import type { StateCapture } from '../pipeline/pipeline.ts';
import { pruneSnapshots, writeSnapshot } from './snapshot-file.ts';

export interface SnapshotScheduleOptions {
  dir: string;
  /** A snapshot once this many events were processed since the last; 0: not by count. @default 100_000 */
  everyEvents?: number;
  /** A snapshot once this long has passed since the last, if anything was processed; 0: not by time. @default 300_000 */
  everyMs?: number;
  /** @default true */
  fsync?: boolean;
  /** Snapshots kept: the newest, and the one before it in case the newest cannot be read. @default 2 */
  keep?: number;
  ruleSetVersion: () => string;
  /** Runs once a snapshot's file is durable, before it replaces the previous one: makes the alert store durable. */
  beforeCommit?: () => void;
  log: (line: string) => void;
}

/** What /health tells of snapshots. */
export interface SnapshotStatus {
  /** The newest snapshot written by this process. */
  last: { file: string; record: number; bytes: number; captureMs: number; writeMs: number; at: string } | null;
  writing: boolean;
  failures: number;
  lastError: string | null;
}

/** Check whether a snapshot is due this often (it is written only when due). */
const POLL_MS = 1_000;

/**
 * Writes state snapshots while the processor runs: after every `everyEvents` processed
 * events or `everyMs`, whichever comes first, and once more at a clean stop. The state is
 * captured between two events (a synchronous copy of its small parts; the key tables are
 * read while events go on, see `StateEngine.startSave`), then serialised and written a piece
 * at a time. One write at a time; a failed write is logged and counted, and the previous
 * snapshot stays.
 */
export class SnapshotSchedule {
  private readonly options: Required<Omit<SnapshotScheduleOptions, 'beforeCommit'>> & Pick<SnapshotScheduleOptions, 'beforeCommit'>;
  private readonly timer: NodeJS.Timeout | undefined;
  /** The record the newest snapshot on disk covers. */
  private written: number;
  /** The record of the last snapshot tried, and when: the intervals count from it, written or not. */
  private tried: number;
  private triedAt = Date.now();
  private writing: Promise<void> | undefined;
  private readonly state: SnapshotStatus = { last: null, writing: false, failures: 0, lastError: null };

  constructor(
    private readonly pipeline: { processed(): number; heldAlerts(): number; captureState(): StateCapture },
    options: SnapshotScheduleOptions,
    /** The record the newest snapshot on disk covers (0: none). */
    lastRecord: number,
  ) {
    this.options = { everyEvents: 100_000, everyMs: 300_000, fsync: true, keep: 2, ...options };
    const { everyEvents, everyMs, keep } = this.options;
    if (!Number.isInteger(everyEvents) || everyEvents < 0) throw new ConfigError(`snapshot interval in events must be a whole number ≥ 0, got ${everyEvents}`);
    if (!(everyMs >= 0)) throw new ConfigError(`snapshot interval in ms must be ≥ 0, got ${everyMs}`);
    if (!Number.isInteger(keep) || keep < 1) throw new ConfigError(`snapshots kept must be a whole number ≥ 1, got ${keep}`);
    this.written = this.tried = lastRecord;
    if (everyEvents > 0 || everyMs > 0) {
      this.timer = setInterval(() => this.tick(), everyMs > 0 ? Math.min(POLL_MS, everyMs) : POLL_MS);
      this.timer.unref();
    }
  }

  status(): SnapshotStatus {
    return { ...this.state, writing: this.writing !== undefined };
  }

  /** Writes a snapshot now unless one covering the processed records exists or is being written. */
  snapshot(): Promise<void> {
    if (this.writing) return this.writing;
    if (this.pipeline.processed() <= this.written) return Promise.resolve();
    // Alerts held for a full disk belong to events the state has already seen: a snapshot
    // now would put those events behind the restart point, and a crash would lose the alerts.
    if (this.pipeline.heldAlerts() > 0) return Promise.resolve();
    const started = performance.now();
    let state: StateCapture;
    try {
      state = this.pipeline.captureState();
    } catch (thrown) {
      // Called from a timer too: a capture that cannot start is logged and counted, never thrown there.
      this.state.failures += 1;
      this.state.lastError = toError(thrown).message;
      this.options.log(`snapshot not started, the previous one stays: ${this.state.lastError}`);
      return Promise.resolve();
    }
    const captureMs = performance.now() - started;
    this.tried = state.record;
    this.triedAt = Date.now();
    this.writing = this.write(state, started, captureMs).finally(() => {
      state.release();
      this.writing = undefined;
    });
    return this.writing;
  }

  /** Stops the schedule; with `final`, waits for a write in flight and writes a last snapshot (a clean stop). */
  async close(final: boolean): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.writing;
    if (final) await this.snapshot();
  }

  private tick(): void {
    if (this.writing) return;
    const processed = this.pipeline.processed();
    if (processed <= this.tried) return;
    const { everyEvents, everyMs } = this.options;
    if ((everyEvents > 0 && processed - this.tried >= everyEvents) || (everyMs > 0 && Date.now() - this.triedAt >= everyMs)) void this.snapshot();
  }

  private async write(state: StateCapture, started: number, captureMs: number): Promise<void> {
    const { dir, fsync, keep, ruleSetVersion, beforeCommit, log } = this.options;
    try {
      const written = await writeSnapshot(dir, state, { ruleSetVersion: ruleSetVersion(), fsync, ...(beforeCommit && { beforeRename: beforeCommit }) });
      this.written = state.record;
      pruneSnapshots(dir, keep);
      const writeMs = performance.now() - started;
      this.state.last = { ...written, captureMs: Math.round(captureMs), writeMs: Math.round(writeMs), at: new Date().toISOString() };
      log(`snapshot of state at journal record ${state.record.toLocaleString('en')} written (${(written.bytes / 1e6).toFixed(1)} MB, ${Math.round(writeMs)} ms, ${Math.round(captureMs)} ms of it holding up events)`);
    } catch (thrown) {
      this.state.failures += 1;
      this.state.lastError = toError(thrown).message;
      // The previous snapshot is still in place; the next one is tried at the next interval.
      log(`snapshot at journal record ${state.record} not written, the previous one stays: ${this.state.lastError}`);
    }
  }
}
