import fs from 'node:fs';
import path from 'node:path';
import { toError } from '../errors.ts';
import type { JournaledEvent } from '../journal/record-events.ts';
import { decodeBatch } from './decode-batch.ts';
import { BatchEncoder, END_OF_STREAM } from './encode-events.ts';
import type { RecordedEvent } from './recorded-event.ts';
import { ReplayFormatError } from './errors.ts';
import { readSegment, SEGMENT_EXTENSION, segmentFiles } from './read-recording.ts';

export interface RecorderOptions {
  /** A segment is closed and a new one started after this many events. @default 100_000 */
  segmentEvents?: number;
  /** ... or once it holds this many bytes. @default 64 * 1024 * 1024 */
  segmentBytes?: number;
  /** Events per Arrow record batch. @default 1_000 */
  batchEvents?: number;
  /** A partial batch is written after this long, so the recording never lags far behind; 0 waits for full batches. @default 1_000 */
  flushMs?: number;
  /** fdatasync each segment when it is closed. @default true */
  fsync?: boolean;
  /**
   * Write a full batch on the next turn of the event loop rather than inside `append`, so
   * that a live pipeline acknowledges the frame before the batch is encoded. @default false
   */
  deferWrites?: boolean;
  /** Operational notes (a repaired segment). @default console.error */
  log?: (line: string) => void;
}

/** `events-000000000123.arrows`: segments sort by the record number of their first event. */
export function segmentName(firstN: number): string {
  return `events-${String(firstN).padStart(12, '0')}${SEGMENT_EXTENSION}`;
}

/**
 * Writes a recording: rolling segment files in Arrow IPC stream format, each batch
 * written whole with one `write`, each segment closed with the end-of-stream marker.
 *
 * The recording is fed from the journal, which stays the durable record: at open the
 * last segment is checked (one a crash cut short is rewritten with its complete
 * batches) and `lastRecorded` says where to catch up from, so that replaying the
 * journal records after it leaves nothing acknowledged missing.
 */
export class Recorder {
  readonly dir: string;
  private readonly encoder = new BatchEncoder();
  private readonly options: Required<Omit<RecorderOptions, 'log'>> & { log: (line: string) => void };
  private pending: RecordedEvent[] = [];
  private fd: number | null = null;
  private segmentEventCount = 0;
  private segmentByteCount = 0;
  private last: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failed: Error | undefined;
  private flushScheduled = false;

  private constructor(dir: string, last: number, options: RecorderOptions) {
    this.dir = dir;
    this.last = last;
    const { segmentEvents = 100_000, segmentBytes = 64 * 1024 * 1024, batchEvents = 1_000, flushMs = 1_000, fsync = true, deferWrites = false, log = (line: string) => console.error(line) } = options;
    if (!(Number.isInteger(segmentEvents) && segmentEvents >= 1)) throw new ReplayFormatError(`segmentEvents must be a positive integer, got ${segmentEvents}`);
    if (!(Number.isInteger(batchEvents) && batchEvents >= 1)) throw new ReplayFormatError(`batchEvents must be a positive integer, got ${batchEvents}`);
    if (!(segmentBytes >= 1024)) throw new ReplayFormatError(`segmentBytes must be at least 1024, got ${segmentBytes}`);
    this.options = { segmentEvents, segmentBytes, batchEvents: Math.min(batchEvents, segmentEvents), flushMs, fsync, deferWrites, log };
    if (flushMs > 0) {
      this.timer = setInterval(() => this.flush(), flushMs);
      this.timer.unref();
    }
  }

  /** Opens (or creates) a recording directory, repairing a segment a crash cut short. */
  static open(dir: string, options: RecorderOptions = {}): Recorder {
    fs.mkdirSync(dir, { recursive: true });
    let last = 0;
    for (const file of segmentFiles(dir)) {
      const segment = readSegment(file);
      for (const batch of segment.batches) {
        const n = batch.getChild('n')!.data[0]!.values as BigInt64Array;
        if (batch.numRows > 0) last = Math.max(last, Number(n[batch.numRows - 1]));
      }
      if (!segment.complete) repair(file, segment.batches.length === 0 ? null : segment, options.log ?? ((line) => console.error(line)));
    }
    return new Recorder(dir, last, options);
  }

  /** Record number of the newest event recorded (written or waiting in the current batch); 0 when empty. */
  get lastRecorded(): number {
    return this.last;
  }

  /**
   * Records an event; one at or before `lastRecorded` (already recorded) is skipped, so
   * catch-up and live feed may overlap. Never throws for a failed write: the recorder
   * logs it and stops recording (the journal keeps everything, and the next start
   * catches up from it), so a full disk never stops the processor.
   */
  append(recorded: RecordedEvent): void {
    this.add(recorded, this.options.deferWrites);
  }

  private add(recorded: RecordedEvent, defer: boolean): void {
    if (this.closed) throw new ReplayFormatError('the recorder is closed');
    if (this.failed || recorded.n <= this.last) return;
    this.last = recorded.n;
    this.pending.push(recorded);
    if (this.pending.length < this.options.batchEvents && this.segmentEventCount + this.pending.length < this.options.segmentEvents) return;
    if (!defer) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (!this.closed) this.flush();
      });
    }
  }

  /** Why recording stopped, if a write failed. */
  get error(): Error | undefined {
    return this.failed;
  }

  /** Records the journal records after `lastRecorded`: the catch-up at startup. Returns how many were recorded. */
  catchUp(records: Iterable<JournaledEvent>): number {
    let count = 0;
    for (const record of records) {
      if (record.n <= this.last) continue;
      // Synchronous writes: a long journal is never held in memory waiting for the event loop.
      this.add({ n: record.n, event: record.event }, false);
      count += 1;
    }
    this.flush();
    return count;
  }

  /** Writes the waiting events as record batches (more than one when they would overrun the segment). */
  flush(): void {
    while (this.pending.length > 0 && !this.failed) {
      const room = this.options.segmentEvents - this.segmentEventCount;
      const events = this.pending.splice(0, Math.min(room > 0 ? room : this.options.segmentEvents, this.options.batchEvents));
      try {
        if (this.fd === null) this.startSegment(events[0]!.n);
        const bytes = this.encoder.encode(events);
        fs.writeSync(this.fd!, bytes);
        this.segmentEventCount += events.length;
        this.segmentByteCount += bytes.length;
        if (this.segmentEventCount >= this.options.segmentEvents || this.segmentByteCount >= this.options.segmentBytes) this.endSegment();
      } catch (thrown) {
        this.failed = toError(thrown);
        this.pending = [];
        this.options.log(`recording to ${this.dir} stopped: ${this.failed.message}; the journal keeps every event, and the next start records them`);
        if (this.fd !== null) {
          try {
            fs.closeSync(this.fd);
          } catch {
            // Already failing: the segment is left without its end marker and is repaired at the next open.
          }
          this.fd = null;
        }
      }
    }
  }

  /**
   * Writes what is waiting and closes the current segment, so that the next event starts a
   * new one: retention rolls a live recording at each run, and deletes a segment once all
   * of its events are past the retention age.
   */
  roll(): void {
    if (this.closed) return;
    this.flush();
    this.endSegment();
  }

  /**
   * Deletes the closed segments whose events all have record numbers at or below `upTo`
   * (those retention deleted from the journal), oldest first; returns the files deleted.
   * A segment's newest record is bounded by the next segment's first; the newest segment
   * is deleted only when nothing is being written to it. A `.arrows` file not named as a
   * segment is left alone, and so is every file after it (their records are not known).
   */
  deleteRecordedUpTo(upTo: number): string[] {
    const files = segmentFiles(this.dir);
    const removed: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const next = files[i + 1];
      const newest = next === undefined ? (this.fd === null && this.pending.length === 0 ? this.last : Number.POSITIVE_INFINITY) : firstRecordOf(next) - 1;
      if (Number.isNaN(newest) || Number.isNaN(firstRecordOf(files[i]!)) || newest > upTo) break;
      fs.rmSync(files[i]!, { force: true });
      removed.push(files[i]!);
    }
    return removed;
  }

  /** Writes what is waiting and closes the current segment properly. */
  close(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.flush();
    this.endSegment();
    this.closed = true;
  }

  private startSegment(firstN: number): void {
    const file = path.join(this.dir, segmentName(firstN));
    this.fd = fs.openSync(file, 'wx');
    fs.writeSync(this.fd, this.encoder.header);
    this.segmentEventCount = 0;
    this.segmentByteCount = this.encoder.header.length;
  }

  private endSegment(): void {
    if (this.fd === null || this.failed) return;
    fs.writeSync(this.fd, END_OF_STREAM);
    if (this.options.fsync) fs.fdatasyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = null;
    this.segmentEventCount = 0;
  }
}

/** The record number a segment file is named after (`segmentName`), NaN for another name. */
function firstRecordOf(file: string): number {
  const match = /^events-(\d{12})\.arrows$/.exec(path.basename(file));
  return match ? Number(match[1]) : Number.NaN;
}

/** Rewrites a segment with its complete batches (or removes one with none), through a temporary file and a rename. */
function repair(file: string, segment: ReturnType<typeof readSegment> | null, log: (line: string) => void): void {
  try {
    if (segment === null) {
      fs.rmSync(file);
      log(`recording: removed ${file}, cut short before its first complete batch`);
      return;
    }
    const bytes = fs.readFileSync(file);
    // The complete part is everything the reader consumed before the cut: re-encode rather than guess offsets.
    const encoder = new BatchEncoder();
    const parts: Uint8Array[] = [encoder.header];
    let events = 0;
    for (const batch of segment.batches) {
      const decoded = decodeBatch(batch);
      parts.push(encoder.encode(decoded));
      events += decoded.length;
    }
    parts.push(END_OF_STREAM);
    const temporary = `${file}.repair`;
    fs.writeFileSync(temporary, Buffer.concat(parts));
    fs.renameSync(temporary, file);
    log(`recording: ${file} was cut short (${segment.problem ?? 'incomplete'}); kept its ${events} events in complete batches (${bytes.length} bytes before)`);
  } catch (thrown) {
    throw new ReplayFormatError(`cannot repair ${file}: ${toError(thrown).message}`, { cause: thrown });
  }
}
