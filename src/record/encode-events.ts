import { RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import type { RecordedEvent } from './recorded-event.ts';
import { encodeBatch } from './encode-columns.ts';
import { recordingSchema } from './recording-shape.ts';

/**
 * Encodes batches of events as Arrow IPC stream messages. Each batch carries its own
 * dictionaries (a replacement dictionary message per dictionary column): the IPC stream
 * format allows that, and unlike delta dictionaries every Arrow reader (Polars included)
 * understands it, while a batch never depends on one written after it.
 */
export class BatchEncoder {
  readonly schema: Schema = recordingSchema();
  /** The schema message that starts every stream. */
  readonly header: Uint8Array;

  constructor() {
    const writer = new RecordBatchStreamWriter();
    writer.reset(undefined, this.schema);
    const bytes = writer.finish().toUint8Array(true);
    this.header = bytes.subarray(0, bytes.length - END_OF_STREAM.length);
  }

  /** The messages of one record batch (its dictionaries, then the batch), without the schema or end-of-stream marker. */
  encode(events: readonly RecordedEvent[]): Uint8Array {
    const batch = encodeBatch(this.schema, events);
    const writer = new RecordBatchStreamWriter();
    writer.write(batch);
    const bytes = writer.finish().toUint8Array(true);
    return bytes.subarray(this.header.length, bytes.length - END_OF_STREAM.length);
  }
}

/** The IPC end-of-stream marker: continuation token, then a zero message length. */
export const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

