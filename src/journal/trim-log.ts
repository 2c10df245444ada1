import fs from 'node:fs';
import path from 'node:path';
import { toError } from '../errors.ts';
import type { GroupCommitLog } from './group-commit-log.ts';
import { CHUNK_BYTES, LineSplitter } from '../kernel/read-lines.ts';
import { syncDirectory } from '../kernel/sync-directory.ts';

export interface TrimmedLog {
  /** Records kept and removed. */
  kept: number;
  removed: number;
  bytesBefore: number;
  bytesAfter: number;
  /** False when nothing was old enough to remove and the file was left alone. */
  rewritten: boolean;
}

export interface TrimLogOptions {
  /** fsync the new file and the directory before and after the rename. @default true */
  fsync?: boolean;
  /** Told of every record removed (the journal forgets its event id). */
  onRemoved?: (line: string) => void;
  /** Runs once the new file is durable, before it replaces the old one (the journal notes what it removed). */
  beforeRename?: (trimmed: TrimmedLog) => void;
}

/**
 * Removes the records `keep` refuses from a group-committed log, without stopping its
 * writer for longer than it takes to copy what was appended during the copy.
 *
 * The records already on disk when it starts are copied to a new file while appends go
 * on (the log only ever grows past them). Then, between two batches, the records appended
 * meanwhile are copied too, the new file is fsynced and renamed over the old one, the
 * directory is fsynced, and the log reopens: appends that queued in the meantime go to
 * the new file. A crash at any point leaves the old file or the new one whole.
 *
 * Records are appended in time order, so a log whose first record is kept is left as it
 * is: that costs one read of one line.
 */
export async function trimLog(log: GroupCommitLog, keep: (line: string) => boolean, options: TrimLogOptions = {}): Promise<TrimmedLog> {
  const { fsync = true, onRemoved, beforeRename } = options;
  const stable = log.bytes;
  const result: TrimmedLog = { kept: 0, removed: 0, bytesBefore: stable, bytesAfter: stable, rewritten: false };
  if (stable === 0 || !fs.existsSync(log.path)) return result;
  const source = await fs.promises.open(log.path, 'r');
  try {
    const first = await firstLine(source, stable);
    if (first === undefined || keep(first)) return result;
    result.bytesAfter = 0;
    result.rewritten = true;
    const temporary = `${log.path}.retention.tmp`;
    const target = await fs.promises.open(temporary, 'w');
    let renamed = false;
    try {
      const copy = async (from: number, to: number): Promise<void> => {
        let out: string[] = [];
        let outBytes = 0;
        for await (const line of linesBetween(source, from, to)) {
          if (keep(line)) {
            out.push(line, '\n');
            outBytes += line.length + 1;
            result.kept += 1;
          } else {
            result.removed += 1;
            onRemoved?.(line);
          }
          if (outBytes >= CHUNK_BYTES) {
            result.bytesAfter += (await target.write(out.join(''))).bytesWritten;
            out = [];
            outBytes = 0;
          }
        }
        if (out.length > 0) result.bytesAfter += (await target.write(out.join(''))).bytesWritten;
      };
      // The bulk of the copy, while the writer goes on appending after `stable`.
      await copy(0, stable);
      await log.replace(async (durable) => {
        // Only what was appended during the copy is copied with the writer held.
        await copy(stable, durable);
        result.bytesBefore = durable;
        if (fsync) await target.sync();
        await target.close();
        beforeRename?.(result);
        await fs.promises.rename(temporary, log.path);
        renamed = true;
        if (fsync) await syncDirectory(path.dirname(log.path));
      });
    } catch (thrown) {
      if (!renamed) {
        await target.close().catch(() => {
          // The write's own error is the one to report; a failed close adds nothing.
        });
        await fs.promises.rm(temporary, { force: true });
      }
      throw toError(thrown);
    }
  } finally {
    await source.close();
  }
  return result;
}

async function firstLine(handle: fs.promises.FileHandle, end: number): Promise<string | undefined> {
  for await (const line of linesBetween(handle, 0, end)) return line;
  return undefined;
}

/** The lines of bytes [from, to) of a file, which start and end at a record boundary, read in 1 MiB chunks. */
async function* linesBetween(handle: fs.promises.FileHandle, from: number, to: number): AsyncGenerator<string> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const lines = new LineSplitter();
  let position = from;
  while (position < to) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, to - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    yield* lines.push(chunk.subarray(0, bytesRead));
  }
}
