import { type Builder, makeBuilder, RecordBatch, RecordBatchStreamWriter, type Schema, Struct } from 'apache-arrow';
import type { PlantedLabel } from '../generate/planted.ts';
import type { BorderEvent } from '../model/event.ts';
import { CARGO_SHAPE, CROSSING_SHAPE, recordingSchema, type Shape } from './recording-shape.ts';

/** One event of a recording: its journal record number, the event, and its planted-case label if it has one. */
export interface RecordedEvent {
  n: number;
  event: BorderEvent;
  label?: PlantedLabel;
}

const DAY_MS = 86_400_000;

/** The value Arrow's builders take for a shape: dates as epoch ms, absent as null. */
function toArrow(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (shape.t) {
    case 'date':
      return Date.parse(`${value as string}T00:00:00Z`);
    case 'struct': {
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of shape.fields) out[field.name] = toArrow(field.shape, source[field.name]);
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => toArrow(shape.of, item));
    default:
      return value;
  }
}

function toRow({ n, event, label }: RecordedEvent): Record<string, unknown> {
  return {
    n: BigInt(n),
    time: Date.parse(event.eventTime),
    kind: event.kind,
    eventId: event.eventId,
    eventTime: event.eventTime,
    post: event.post,
    direction: event.direction,
    crossing: event.kind === 'crossing' ? toArrow(CROSSING_SHAPE, event) : null,
    cargo: event.kind === 'cargo' ? toArrow(CARGO_SHAPE, event) : null,
    planted: label ? { case: label.case, indicators: label.indicators } : null,
  };
}

/**
 * Encodes batches of events as Arrow IPC stream messages. Each batch carries its own
 * dictionaries (a replacement dictionary message per dictionary column): the IPC stream
 * format allows that, and unlike delta dictionaries every Arrow reader (Polars included)
 * understands it, while a batch never depends on one written after it.
 */
export class BatchEncoder {
  readonly schema: Schema = recordingSchema();
  private readonly type = new Struct(this.schema.fields);
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
    const builder: Builder = makeBuilder({ type: this.type, nullValues: [null, undefined] });
    for (const recorded of events) builder.append(toRow(recorded));
    const batch = new RecordBatch(this.schema, builder.finish().flush());
    const writer = new RecordBatchStreamWriter();
    writer.write(batch);
    const bytes = writer.finish().toUint8Array(true);
    return bytes.subarray(this.header.length, bytes.length - END_OF_STREAM.length);
  }
}

/** The IPC end-of-stream marker: continuation token, then a zero message length. */
export const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

export { DAY_MS };
