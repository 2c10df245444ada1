import fs from 'node:fs';
import path from 'node:path';
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { toError } from '../errors.ts';
import { batchReader } from './decode-batch.ts';
import { BatchEncoder, END_OF_STREAM } from './encode-events.ts';
import type { RecordedEvent } from './recorded-event.ts';
import { notARecording, ReplayFormatError } from './errors.ts';
import { RECORDING_FORMAT_KEY } from './recording-shape.ts';
import { type BatchColumns, plainSegmentBatches } from './segment-columns.ts';

/** The extension of segment files: Arrow IPC stream format (IANA `application/vnd.apache.arrow.stream`). */
export const SEGMENT_EXTENSION = '.arrows';

/** The schema message every segment starts with. */
const HEADER = new BatchEncoder().header;

/** One segment file as read: its complete batches, and whether it was closed properly. */
export interface Segment {
  file: string;
  batches: RecordBatch[];
  events: number;
  /** False when the file does not end with the end-of-stream marker: the writer was cut short (a crash) or is still writing. */
  complete: boolean;
  /** Why the file is incomplete, when it is: what followed the last complete batch. */
  problem?: string;
}

/** The segment files of a recording: the file itself, or every `*.arrows` file of a directory in name order. */
export function segmentFiles(recording: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(recording);
  } catch (thrown) {
    throw new ReplayFormatError(`cannot read recording ${recording}: ${toError(thrown).message}`, { cause: thrown });
  }
  if (!stat.isDirectory()) return [recording];
  return fs
    .readdirSync(recording)
    .filter((name) => name.endsWith(SEGMENT_EXTENSION))
    .sort()
    .map((name) => path.join(recording, name));
}

/**
 * Reads a segment, keeping every complete record batch. A file that a crash cut short
 * (no end-of-stream marker, or a last message that stops midway) is reported as
 * incomplete, with its complete batches kept; a file that is not a recording at all throws.
 */
export function readSegment(file: string): Segment {
  return segmentOf(file, fs.readFileSync(file));
}

function segmentOf(file: string, bytes: Buffer): Segment {
  const batches: RecordBatch[] = [];
  let problem: string | undefined;
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(bytes);
    reader.open();
  } catch (thrown) {
    // A file cut short inside its schema message holds no event: incomplete, not foreign.
    if (bytes.length < HEADER.length && Buffer.from(HEADER.buffer, HEADER.byteOffset, bytes.length).equals(bytes)) return { file, batches, events: 0, complete: false, problem: `cut short in the schema (${bytes.length} bytes)` };
    throw notARecording(file, toError(thrown).message);
  }
  if (reader.schema?.metadata.get(RECORDING_FORMAT_KEY) === undefined) throw notARecording(file, `its schema lacks the ${RECORDING_FORMAT_KEY} metadata`);
  try {
    // A stream with no batch yet gives an empty placeholder in its place (whose columns hold no
    // data to decode): no events, and not a batch to keep or repair.
    for (const batch of reader) if (batch.numRows > 0) batches.push(batch);
  } catch (thrown) {
    problem = `a batch after the last complete one is cut short (${toError(thrown).message})`;
  }
  const endsWell = bytes.length >= END_OF_STREAM.length && END_OF_STREAM.every((b, i) => bytes[bytes.length - END_OF_STREAM.length + i] === b);
  if (!endsWell && problem === undefined) problem = 'no end-of-stream marker after the last complete batch';
  const segment: Segment = { file, batches, events: batches.reduce((sum, b) => sum + b.numRows, 0), complete: problem === undefined };
  if (problem !== undefined) segment.problem = problem;
  return segment;
}

export interface ReadOptions {
  /** Told of each segment that is incomplete (its complete batches are still read). */
  onIncomplete?: (segment: Segment) => void;
}

/** Every event of a recording (a segment file or a directory of them), in order, one segment in memory at a time. */
export function* readRecording(recording: string, options: ReadOptions = {}): Generator<RecordedEvent> {
  for (const file of segmentFiles(recording)) {
    const bytes = fs.readFileSync(file);
    // A segment as the recorder writes it is read straight into columns; any other through apache-arrow's reader, as before.
    let batches: readonly BatchColumns[] | null = plainSegmentBatches(bytes);
    if (batches === null) {
      const segment = segmentOf(file, bytes);
      if (!segment.complete) options.onIncomplete?.(segment);
      batches = segment.batches;
    }
    for (const batch of batches) {
      // Each event decoded as it is asked for, not the whole batch first.
      const read = batchReader(batch);
      for (let i = 0; i < batch.numRows; i++) yield read(i);
    }
  }
}

/** What a recording holds, without decoding its events. */
export interface RecordingSummary {
  segments: number;
  incomplete: { file: string; problem: string }[];
  events: number;
  firstN: number | null;
  lastN: number | null;
  /** Earliest and latest event time, epoch ms. */
  firstTimeMs: number | null;
  lastTimeMs: number | null;
}

export function summariseRecording(recording: string): RecordingSummary {
  const summary: RecordingSummary = { segments: 0, incomplete: [], events: 0, firstN: null, lastN: null, firstTimeMs: null, lastTimeMs: null };
  for (const file of segmentFiles(recording)) {
    const segment = readSegment(file);
    summary.segments += 1;
    if (!segment.complete) summary.incomplete.push({ file, problem: segment.problem ?? 'incomplete' });
    for (const batch of segment.batches) {
      summary.events += batch.numRows;
      const n = batch.getChild('n')!.data[0]!.values as BigInt64Array;
      const time = batch.getChild('time')!.data[0]!.values as BigInt64Array | Float64Array;
      for (let i = 0; i < batch.numRows; i++) {
        const ni = Number(n[i]);
        const t = Number(time[i]);
        summary.firstN = summary.firstN === null ? ni : Math.min(summary.firstN, ni);
        summary.lastN = summary.lastN === null ? ni : Math.max(summary.lastN, ni);
        summary.firstTimeMs = summary.firstTimeMs === null ? t : Math.min(summary.firstTimeMs, t);
        summary.lastTimeMs = summary.lastTimeMs === null ? t : Math.max(summary.lastTimeMs, t);
      }
    }
  }
  return summary;
}
