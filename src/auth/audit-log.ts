import fs from 'node:fs';
import path from 'node:path';
import type { Identity } from './authenticator.ts';

/** One read of alerts, as a line of the audit log (docs/security.md). */
export interface AuditRecord {
  /** Wall clock when the alerts were handed to the connection, ISO 8601. */
  at: string;
  tokenId: string;
  name: string;
  role: string;
  /** The client's address as the server saw it. */
  address: string;
  /** `alerts:live`, `alerts:backlog` or `GET /api/alerts/SEQ`. */
  endpoint: string;
  /** The alerts' sequence numbers. */
  seqs: readonly number[];
  /** Whether the reader got them masked (trainers, rule authors). */
  masked: boolean;
  /** The subscription filter that chose them (`/alerts` reads only), as the reader gave it. */
  filter?: unknown;
  /** A step of the exchange with a partner agency (`endpoint` is `exchange:STEP`): partner, request, purpose, fields released. */
  exchange?: Record<string, unknown>;
}

/** What a read was besides who, where and which alerts. */
export interface ReadDetails {
  masked: boolean;
  filter?: unknown;
}

/**
 * The audit log: `<data-dir>/audit.ndjson`, opened for appending only (O_APPEND, never
 * truncated or rewritten by the processor), one JSON line per read of alerts, masked or
 * not: who, what, when, from where, and with which filter. Each line is written with one synchronous write before
 * the alerts are sent, so what a reader got is on record even if the process is killed
 * a moment later; one line covers a page of backlog, so a live feed costs one short
 * write per alert sent, not a file per read. Lines written are flushed to the disk
 * (`fdatasync`, off the event loop) within `syncEveryMs`, so that a power loss loses at
 * most that much of the record; and at close.
 */
export class AuditLog {
  readonly file: string;
  private fd: number | undefined;

  /** Why the last line could not be written, until one is again. */
  private failing: string | undefined;
  /** Lines were written since the last flush to the disk began. */
  private unsynced = false;
  private syncing = false;
  private syncFailed = false;
  private readonly syncTimer: NodeJS.Timeout;

  constructor(
    file: string,
    private readonly log: (line: string) => void = () => {
      // Silent unless the caller gives a log.
    },
    /** How soon lines written reach the disk. @default 1000 */
    syncEveryMs = 1000,
  ) {
    this.file = file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a', 0o600);
    this.syncTimer = setInterval(() => this.sync(), syncEveryMs);
    this.syncTimer.unref();
  }

  /** Flushes the lines written since the last flush to the disk, in the thread pool; a failure is logged and tried again. */
  private sync(): void {
    if (!this.unsynced || this.syncing || this.fd === undefined) return;
    this.unsynced = false;
    this.syncing = true;
    fs.fdatasync(this.fd, (error) => {
      this.syncing = false;
      // Closed meanwhile: close() synced the file itself.
      if (this.fd === undefined) return;
      if (error) {
        this.unsynced = true;
        if (!this.syncFailed) this.log(`audit log ${this.file} not flushed to disk (${error.message}): tried again shortly`);
        this.syncFailed = true;
      } else if (this.syncFailed) {
        this.syncFailed = false;
        this.log(`audit log ${this.file} flushed to disk again`);
      }
    });
  }

  /**
   * Records that `who` is being sent these alerts. False when the line could not be
   * written (a full disk, say): the caller must then not send them, since nobody would know.
   */
  read(who: Identity, address: string, endpoint: string, seqs: readonly number[], details: ReadDetails = { masked: false }): boolean {
    if (seqs.length === 0) return true;
    if (this.fd === undefined) return false;
    const record: AuditRecord = { at: new Date().toISOString(), tokenId: who.tokenId, name: who.name, role: who.role, address, endpoint, seqs, masked: details.masked, ...(details.filter !== undefined && { filter: details.filter }) };
    return this.write(record);
  }

  /**
   * Records a step of the exchange with a partner agency (docs/exchange.md): a request for
   * details sent or received, approved or refused, details released, received or read. Like
   * `read`, false when the line could not be written: the step must then not be taken.
   */
  exchange(who: Identity, address: string, step: string, details: Record<string, unknown>, seqs: readonly number[] = []): boolean {
    if (this.fd === undefined) return false;
    const record: AuditRecord = { at: new Date().toISOString(), tokenId: who.tokenId, name: who.name, role: who.role, address, endpoint: `exchange:${step}`, seqs, masked: false, exchange: details };
    return this.write(record);
  }

  private write(record: AuditRecord): boolean {
    try {
      fs.writeSync(this.fd!, `${JSON.stringify(record)}\n`);
      this.unsynced = true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (this.failing === undefined) this.log(`audit log ${this.file} cannot be written (${reason}): alerts are withheld until it can`);
      this.failing = reason;
      return false;
    }
    if (this.failing !== undefined) this.log(`audit log ${this.file} written again: alerts flow again`);
    this.failing = undefined;
    return true;
  }

  /** Why the audit log cannot be written now, if it cannot (for /health). */
  get failure(): string | undefined {
    return this.failing;
  }

  close(): void {
    clearInterval(this.syncTimer);
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.fsyncSync(fd);
    } catch (error) {
      this.log(`audit log ${this.file} not synced at close: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Every line of an audit log, for tests and tools. */
export function readAuditLog(file: string): AuditRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditRecord);
}
