import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { toError } from '../errors.ts';
import { linesSync } from '../kernel/read-lines.ts';
import type { PipelineState, StateSource } from '../pipeline/pipeline.ts';
import { syncDirectory } from '../kernel/sync-directory.ts';

/**
 * A state snapshot on disk: NDJSON, so that no line comes near V8's limit on one string
 * however much state there is, and so that it can be written a piece at a time.
 *
 *   {"format":"border-risk-state","version":1,"record":N,"eventId":...,"savedAt":...,"ruleSetVersion":...}
 *   {"events":[[n, event], ...]}                 the events the state holds, in chunks
 *   {"engine":{"clocks":[...],"sourceClocks":[...],"sinceSweep":k}}   (no sourceClocks: written with one clock per stream)
 *   {"rule":{"id":...,"signature":...,"table":...,"state":...}}      one per stateful rule
 *   {"table":{"id":...,"rules":[...],"sweptAt":t}}                  then its entries in chunks:
 *   {"entries":[[key, [value per slot]], ...]}
 *   {"grouping":...}
 *   {"end":{"lines":L,"sha256":"..."}}           L lines before it, and the SHA-256 of their bytes
 *
 * The end line makes a truncated or altered file detectable: such a file is refused, never
 * restored from.
 */
export const SNAPSHOT_FORMAT = 'border-risk-state';
/** Raised whenever the layout of saved state changes; older snapshots are then refused (full replay). */
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_DIR = 'snapshots';
const FILE = /^state-(\d+)\.snapshot$/;
const EVENTS_PER_LINE = 100;
const ENTRIES_PER_LINE = 200;
/**
 * Written to the file in pieces of about this size, each write letting the event loop run:
 * serialising, hashing and copying one piece held ingest up for at most 3.7 ms here, against
 * 14.8 ms for pieces of 1 MiB (a 9 MB snapshot under load).
 */
const WRITE_BYTES = 64 * 1024;

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  record: number;
  eventId: string | null;
  /** Wall clock when the state was captured. */
  savedAt: string;
  ruleSetVersion: string;
}

export interface WrittenSnapshot {
  file: string;
  record: number;
  bytes: number;
}

/** `state-<record, 12 digits>.snapshot`: names sort in record order. */
export function snapshotName(record: number): string {
  return `state-${String(record).padStart(12, '0')}.snapshot`;
}

/** The complete snapshots in `dir`, newest (highest record) first. */
export function listSnapshots(dir: string): { file: string; record: number }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, match: FILE.exec(name) }))
    .filter((f) => f.match !== null)
    .map((f) => ({ file: path.join(dir, f.name), record: Number(f.match![1]) }))
    .sort((a, b) => b.record - a.record);
}

/** Deletes snapshots a crash left half-written; returns their names. */
export function removeUnfinished(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const unfinished = fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
  for (const name of unfinished) fs.rmSync(path.join(dir, name), { force: true });
  return unfinished;
}

/**
 * The lines of a snapshot after its header, each serialised only when asked for. The events
 * come after the key tables: a capture learns which events its state holds as its tables are
 * read. (The reader takes the lines in any order but a table's entries after the table.)
 */
function* bodyLines(state: StateSource): Generator<string> {
  const { clocks, sourceClocks, sinceSweep } = state.engine;
  yield JSON.stringify({ engine: { clocks, ...(sourceClocks && { sourceClocks }), sinceSweep } });
  for (const rule of state.engine.rules) yield JSON.stringify({ rule });
  for (const { id, rules, table } of state.engine.tables) {
    yield JSON.stringify({ table: { id, rules, sweptAt: table.sweptAt } });
    yield* chunks('entries', table.entries, ENTRIES_PER_LINE);
  }
  yield* chunks('events', state.events(), EVENTS_PER_LINE);
  yield JSON.stringify({ grouping: state.grouping });
}

/** `{"<name>":[...]}` lines of up to `size` items each. */
function* chunks(name: string, items: Iterable<unknown>, size: number): Generator<string> {
  let chunk: unknown[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield JSON.stringify({ [name]: chunk });
      chunk = [];
    }
  }
  if (chunk.length > 0) yield JSON.stringify({ [name]: chunk });
}

/**
 * Writes a snapshot atomically: to a temporary file, fsynced, renamed into place, and the
 * directory fsynced, so that a crash at any point leaves either the old snapshot or the
 * new one complete, never a torn one in its name. The state is a copy, or a capture that
 * later events do not change (`captureState`), so serialising it a piece at a time, letting
 * ingest run between pieces, is safe.
 * `beforeRename` runs once the file is durable and before it becomes visible.
 */
export async function writeSnapshot(
  dir: string,
  state: StateSource,
  meta: { ruleSetVersion: string; fsync: boolean; beforeRename?: () => void },
): Promise<WrittenSnapshot> {
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, snapshotName(state.record));
  const temporary = `${file}.tmp`;
  const handle = await fs.promises.open(temporary, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  try {
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = async (): Promise<void> => {
      const chunk = Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingLength = 0;
      hash.update(chunk);
      bytes += chunk.length;
      await handle.write(chunk);
    };
    const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, record: state.record, eventId: state.eventId, savedAt: new Date().toISOString(), ruleSetVersion: meta.ruleSetVersion };
    for (const line of chain(JSON.stringify(header), bodyLines(state))) {
      pending.push(line, '\n');
      pendingLength += line.length + 1;
      lines += 1;
      if (pendingLength >= WRITE_BYTES) await flush();
    }
    await flush();
    const end = Buffer.from(`${JSON.stringify({ end: { lines, sha256: hash.digest('hex') } })}\n`, 'utf8');
    bytes += end.length;
    await handle.write(end);
    if (meta.fsync) await handle.sync();
  } catch (thrown) {
    await handle.close().catch(() => {
      // The write's own error is the one to report; a failed close adds nothing.
    });
    await fs.promises.rm(temporary, { force: true });
    throw toError(thrown);
  }
  await handle.close();
  meta.beforeRename?.();
  await fs.promises.rename(temporary, file);
  if (meta.fsync) await syncDirectory(dir);
  return { file, record: state.record, bytes };
}

function* chain(first: string, rest: Iterable<string>): Generator<string> {
  yield first;
  yield* rest;
}

/** Deletes all but the newest `keep` snapshots. */
export function pruneSnapshots(dir: string, keep: number): void {
  for (const { file } of listSnapshots(dir).slice(keep)) fs.rmSync(file, { force: true });
}

/** The header line of a snapshot alone (when and at which record it was taken), or undefined if it cannot be read. */
export function readSnapshotHeader(file: string): SnapshotHeader | undefined {
  try {
    const lines = linesSync(file);
    const first = lines.next();
    lines.return(0);
    if (first.done) return undefined;
    const header = JSON.parse(first.value) as SnapshotHeader;
    return header.format === SNAPSHOT_FORMAT ? header : undefined;
  } catch {
    return undefined;
  }
}

export type SnapshotRead = { ok: true; header: SnapshotHeader; state: PipelineState } | { ok: false; reason: string };

/**
 * Reads and checks a snapshot: a missing, truncated, altered or incompatible file is a
 * result with the reason, not an exception, so that the caller can fall back.
 */
export function readSnapshot(file: string): SnapshotRead {
  const fail = (reason: string): SnapshotRead => ({ ok: false, reason });
  if (!fs.existsSync(file)) return fail('no such file');
  const hash = createHash('sha256');
  let header: SnapshotHeader | undefined;
  let end: { lines: number; sha256: string } | undefined;
  let lines = 0;
  const state: PipelineState = { record: 0, eventId: null, events: [], engine: { clocks: [], sinceSweep: 0, rules: [], tables: [] }, grouping: null };
  let table: PipelineState['engine']['tables'][number] | undefined;
  try {
    for (const line of linesSync(file)) {
      if (end) return fail(`corrupt: text after the end line`);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return fail(`corrupt: line ${lines + 1} is not JSON`);
      }
      if (lines === 0) {
        header = parsed as unknown as SnapshotHeader;
        if (header.format !== SNAPSHOT_FORMAT) return fail('not a border-risk state snapshot');
        if (header.version !== SNAPSHOT_VERSION) return fail(`written in snapshot format version ${String(header.version)}; this processor reads version ${SNAPSHOT_VERSION}`);
        state.record = header.record;
        state.eventId = header.eventId;
      } else if ('end' in parsed) {
        end = parsed.end as { lines: number; sha256: string };
        continue;
      } else if ('events' in parsed) state.events.push(...(parsed.events as PipelineState['events']));
      else if ('engine' in parsed) Object.assign(state.engine, parsed.engine);
      else if ('rule' in parsed) state.engine.rules.push(parsed.rule as PipelineState['engine']['rules'][number]);
      else if ('table' in parsed) {
        const { id, rules, sweptAt } = parsed.table as { id: string; rules: string[]; sweptAt: number | null };
        table = { id, rules, table: { sweptAt, entries: [] } };
        state.engine.tables.push(table);
      } else if ('entries' in parsed) {
        if (!table) return fail(`corrupt: key-table entries before any table at line ${lines + 1}`);
        for (const entry of parsed.entries as [string, unknown[]][]) table.table.entries.push(entry);
      } else if ('grouping' in parsed) state.grouping = parsed.grouping as PipelineState['grouping'];
      else return fail(`corrupt: unknown line ${lines + 1}`);
      hash.update(`${line}\n`, 'utf8');
      lines += 1;
    }
  } catch (thrown) {
    return fail(`unreadable: ${toError(thrown).message}`);
  }
  if (!header) return fail('empty');
  if (!end) return fail('truncated: it has no end line (the write did not finish)');
  if (end.lines !== lines) return fail(`truncated: ${lines} lines where the end line counts ${end.lines}`);
  if (end.sha256 !== hash.digest('hex')) return fail('corrupt: its content does not match the checksum in its end line');
  return { ok: true, header, state };
}
