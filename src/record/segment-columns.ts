import { type DataType, type Dictionary, type Field, MessageReader, type Schema, Type } from 'apache-arrow';
import { END_OF_STREAM } from './encode-events.ts';
import { RECORDING_FORMAT_KEY } from './recording-shape.ts';

/**
 * One column of a record batch as the decoder reads it: the fields of apache-arrow's `Data`
 * that `decode-batch.ts` uses, so that either can be decoded.
 */
export interface ColumnData {
  readonly offset: number;
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap: Uint8Array | undefined;
  readonly values: unknown;
  readonly valueOffsets: unknown;
  readonly children: readonly ColumnData[];
  /** A dictionary column's words, in chunks. */
  readonly dictionary?: { readonly data: readonly ColumnData[] } | undefined;
}

/** A record batch as the decoder reads it: its row count and top-level columns. */
export interface BatchColumns {
  readonly numRows: number;
  readonly data: { readonly children: readonly ColumnData[] };
}

/** Anything this reader does not expect: the segment is read by apache-arrow's reader instead. */
class NotPlain extends Error {}

interface Region {
  offset: number;
  length: number;
}

/**
 * Reads the record batches of a complete segment straight into typed-array views of the
 * file's bytes, using apache-arrow for the messages' headers only. Its reader builds a
 * `Data`, a `Vector` and a memoized `Vector` through visitors for every column and every
 * dictionary of every batch (some fifty dictionaries per batch of 1,000 events), which cost
 * more than decoding the events themselves in a backtest's one pass.
 *
 * Only segments as the recorder writes them are read here: uncompressed, dictionaries
 * replaced rather than extended, columns of the types the recording schema uses, ending
 * with the end-of-stream marker. For anything else (an older or foreign writer, a file cut
 * short) it answers null, and the caller reads the file with apache-arrow's reader as
 * before, so that what is read, and every problem reported, stays the same.
 */
export function plainSegmentBatches(bytes: Uint8Array): BatchColumns[] | null {
  if (bytes.length < END_OF_STREAM.length || !END_OF_STREAM.every((b, i) => bytes[bytes.length - END_OF_STREAM.length + i] === b)) return null;
  try {
    return readBatches(bytes);
  } catch {
    return null;
  }
}

function readBatches(bytes: Uint8Array): BatchColumns[] {
  const reader = new MessageReader(bytes);
  const schema = reader.readSchema() as Schema | null | undefined;
  if (!schema || schema.metadata.get(RECORDING_FORMAT_KEY) === undefined) throw new NotPlain();
  const dictionaries = new Map<number, ColumnData>();
  const batches: BatchColumns[] = [];
  for (let next = reader.next(); !next.done; next = reader.next()) {
    const message = next.value;
    const body = reader.readMessageBody(message.bodyLength);
    if (message.isDictionaryBatch()) {
      const header = message.header();
      const type = schema.dictionaries.get(header.id);
      if (header.isDelta || type === undefined || header.data.compression != null) throw new NotPlain();
      const loader = new Loader(body, header.data.nodes, header.data.buffers, dictionaries);
      dictionaries.set(header.id, loader.column(type));
      loader.done();
    } else if (message.isRecordBatch()) {
      const header = message.header();
      if (header.compression != null) throw new NotPlain();
      const loader = new Loader(body, header.nodes, header.buffers, dictionaries);
      const children = schema.fields.map((field: Field) => loader.column(field.type));
      loader.done();
      batches.push({ numRows: header.length, data: { children } });
    } else throw new NotPlain();
  }
  return batches;
}

/** The columns of one message's body, its field nodes and buffers taken in schema order, as Arrow's IPC format lays them out. */
class Loader {
  private node = 0;
  private buffer = 0;

  constructor(
    private readonly body: Uint8Array,
    private readonly nodes: readonly { length: number; nullCount: number }[],
    private readonly buffers: readonly Region[],
    private readonly dictionaries: ReadonlyMap<number, ColumnData>,
  ) {}

  column(type: DataType): ColumnData {
    const node = this.nodes[this.node++];
    if (node === undefined) throw new NotPlain();
    const { length, nullCount } = node;
    const validity = this.next();
    const nullBitmap = nullCount > 0 ? this.bytes(validity) : new Uint8Array(0);
    let values: unknown;
    let valueOffsets: unknown;
    let children: ColumnData[] = [];
    let dictionary: { data: ColumnData[] } | undefined;
    switch (type.typeId) {
      case Type.Utf8:
        valueOffsets = this.view(Int32Array, this.next());
        values = this.bytes(this.next());
        break;
      case Type.Dictionary: {
        const dict = type as Dictionary;
        const words = this.dictionaries.get(dict.id);
        if (words === undefined || dict.indices.bitWidth !== 32 || !dict.indices.isSigned) throw new NotPlain();
        values = this.view(Int32Array, this.next());
        dictionary = { data: [words] };
        break;
      }
      case Type.Int: {
        const int = type as DataType<Type.Int> & { bitWidth: number; isSigned: boolean };
        if (!int.isSigned || (int.bitWidth !== 32 && int.bitWidth !== 64)) throw new NotPlain();
        values = int.bitWidth === 32 ? this.view(Int32Array, this.next()) : this.view(BigInt64Array, this.next());
        break;
      }
      case Type.Float: {
        if ((type as DataType<Type.Float> & { precision: number }).precision !== 2) throw new NotPlain();
        values = this.view(Float64Array, this.next());
        break;
      }
      case Type.Bool:
        values = this.bytes(this.next());
        break;
      case Type.Date: {
        if ((type as DataType<Type.Date> & { unit: number }).unit !== 0) throw new NotPlain();
        values = this.view(Int32Array, this.next());
        break;
      }
      case Type.Timestamp:
        values = this.view(BigInt64Array, this.next());
        break;
      case Type.List:
        valueOffsets = this.view(Int32Array, this.next());
        children = [this.column(type.children[0]!.type)];
        break;
      case Type.Struct:
        children = type.children.map((field) => this.column(field.type));
        break;
      default:
        throw new NotPlain();
    }
    return { offset: 0, length, nullCount, nullBitmap, values, valueOffsets, children, dictionary };
  }

  /** Every node and buffer of the message was used: otherwise its layout is not the one expected. */
  done(): void {
    if (this.node !== this.nodes.length || this.buffer !== this.buffers.length) throw new NotPlain();
  }

  private next(): Region {
    const region = this.buffers[this.buffer++];
    if (region === undefined || region.offset < 0 || region.length < 0 || region.offset + region.length > this.body.byteLength) throw new NotPlain();
    return region;
  }

  private bytes(region: Region): Uint8Array {
    return this.body.subarray(region.offset, region.offset + region.length);
  }

  /** A typed view of a buffer, copied when the bytes are not aligned for it (as apache-arrow does). */
  private view<T extends Int32Array | Float64Array | BigInt64Array>(Typed: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number }, region: Region): T {
    const size = Typed.BYTES_PER_ELEMENT;
    const count = Math.floor(region.length / size);
    const at = this.body.byteOffset + region.offset;
    if (at % size === 0) return new Typed(this.body.buffer, at, count);
    const copy = new Typed(count);
    new Uint8Array(copy.buffer).set(this.body.subarray(region.offset, region.offset + count * size));
    return copy;
  }
}
