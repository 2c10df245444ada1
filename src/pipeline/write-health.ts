/** One file the processor cannot write at the moment. */
export interface WriteFailure {
  file: string;
  /** Cause and file in words, e.g. `disk full (ENOSPC) writing .data/journal.ndjson`. */
  reason: string;
  /** When writing it first failed (ISO 8601). */
  since: string;
  /** Write attempts that failed since then. */
  failures: number;
}

/** What a failure of a file costs: ingest stops (journal, alert database) or only the copies of rejected events. */
export type WriteRole = 'journal' | 'alert database' | 'dead letters';

/**
 * Tracks which of the processor's files cannot be written (a full disk, typically) and
 * logs one line when writing one stalls and one when it works again, rather than a line
 * per failed batch. `/health` reads it.
 */
export class WriteHealth {
  private readonly log: (line: string) => void;
  private readonly failing = new Map<WriteRole, WriteFailure & { at: number }>();

  constructor(log: (line: string) => void) {
    this.log = log;
  }

  /** How the latest write of `role` ended: a reason when it failed, null when it succeeded. */
  report(role: WriteRole, file: string, reason: string | null): void {
    const current = this.failing.get(role);
    if (reason !== null) {
      if (current) {
        current.failures += 1;
        current.reason = reason;
        return;
      }
      const at = Date.now();
      this.failing.set(role, { file, reason, since: new Date(at).toISOString(), failures: 1, at });
      this.log(role === 'dead letters'
        ? `dead letters not kept: ${reason}; rejections are still answered, with a note that their copy was not kept`
        : `ingest stalled: ${reason}; new events are answered "failed" (resend) until it can be written again`);
      return;
    }
    if (!current) return;
    this.failing.delete(role);
    const seconds = ((Date.now() - current.at) / 1000).toFixed(1);
    this.log(role === 'dead letters'
      ? `dead letters kept again: ${file} written after ${seconds} s (${current.failures} failed write(s))`
      : `ingest resumed: ${file} written again after ${seconds} s stalled (${current.failures} failed write(s))`);
  }

  /** Whether new events are being refused or failed: the journal or the alert database cannot be written. */
  get ingestStalled(): boolean {
    return this.failing.has('journal') || this.failing.has('alert database');
  }

  /** For `/health`: `accepting`, or `stalled: <reason> since <time>`. */
  ingestState(): string {
    const failure = this.failing.get('journal') ?? this.failing.get('alert database');
    return failure ? `stalled: ${failure.reason} since ${failure.since}` : 'accepting';
  }

  failures(): WriteFailure[] {
    return [...this.failing.values()].map(({ at: _at, ...failure }) => failure);
  }
}
