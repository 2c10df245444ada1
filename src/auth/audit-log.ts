import fs from 'node:fs';
import path from 'node:path';
import type { Identity } from './authenticator.ts';

/** One read of unmasked alerts, as a line of the audit log (docs/security.md). */
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
}

/**
 * The audit log: `<data-dir>/audit.ndjson`, opened for appending only (O_APPEND, never
 * truncated or rewritten by the processor), one JSON line per read of unmasked alerts:
 * who, what, when, from where. Each line is written with one synchronous write before
 * the alerts are sent, so what a reader got is on record even if the process is killed
 * a moment later; one line covers a page of backlog, so a live feed costs one short
 * write per alert sent, not a file per read.
 */
export class AuditLog {
  readonly file: string;
  private fd: number | undefined;

  constructor(file: string) {
    this.file = file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a', 0o600);
  }

  /** Records that `who` was sent these unmasked alerts. */
  read(who: Identity, address: string, endpoint: string, seqs: readonly number[]): void {
    if (this.fd === undefined || seqs.length === 0) return;
    const record: AuditRecord = { at: new Date().toISOString(), tokenId: who.tokenId, name: who.name, role: who.role, address, endpoint, seqs };
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = undefined;
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
