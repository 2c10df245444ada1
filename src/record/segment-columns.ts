import { type DataType, type Dictionary, type Field, Message, type Schema, Type } from 'apache-arrow';
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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages = new Messages(bytes, view);
  // The schema (one message per segment) is decoded by apache-arrow; the batches' headers here.
  const first = messages.next();
  if (first === null || first.headerType !== SCHEMA || first.bodyLength !== 0) throw new NotPlain();
  const schema = Message.decode(first.metadata).header() as Schema | null;
  if (!schema || schema.metadata.get(RECORDING_FORMAT_KEY) === undefined) throw new NotPlain();
  const dictionaries = new Map<number, ColumnData>();
  const batches: BatchColumns[] = [];
  for (let message = messages.next(); message !== null; message = messages.next()) {
    const body = bytes.subarray(message.bodyAt, message.bodyAt + message.bodyLength);
    if (message.headerType === DICTIONARY_BATCH) {
      const table = message.header;
      const id = int64(view, table, 0);
      const isDelta = bool(view, table, 2);
      const data = child(view, table, 1);
      const type = schema.dictionaries.get(id);
      if (isDelta || type === undefined || data === 0) throw new NotPlain();
      const header = recordBatch(view, data);
      const loader = new Loader(body, header.nodes, header.buffers, dictionaries);
      dictionaries.set(id, loader.column(type));
      loader.done();
    } else if (message.headerType === RECORD_BATCH) {
      const header = recordBatch(view, message.header);
      const loader = new Loader(body, header.nodes, header.buffers, dictionaries);
      const children = schema.fields.map((field: Field) => loader.column(field.type));
      loader.done();
      batches.push({ numRows: header.length, data: { children } });
    } else throw new NotPlain();
  }
  return batches;
}

/** Arrow's `MessageHeader` union. */
const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;
/** Metadata version 5 (Arrow 1.0 and later), the one apache-arrow writes. */
const V5 = 4;

interface MessageAt {
  headerType: number;
  /** The header table's position in the file. */
  header: number;
  bodyAt: number;
  bodyLength: number;
  metadata: Uint8Array;
}

/**
 * The messages of an IPC stream, read from the flatbuffer of each by hand: each is the
 * continuation marker, the metadata's length, the `Message` table (padded to 8 bytes),
 * then its body. The stream ends with the marker and a length of zero, at the end of the file.
 */
class Messages {
  private at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
  ) {}

  next(): MessageAt | null {
    const { view, bytes } = this;
    if (this.at + 8 > bytes.length || view.getInt32(this.at, true) !== -1) throw new NotPlain();
    const length = view.getInt32(this.at + 4, true);
    const start = this.at + 8;
    if (length === 0) {
      if (start !== bytes.length) throw new NotPlain();
      return null;
    }
    if (length < 0 || start + length > bytes.length) throw new NotPlain();
    const message = start + view.getUint32(start, true);
    if (int16(view, message, 0) !== V5) throw new NotPlain();
    const headerType = uint8(view, message, 1);
    const header = child(view, message, 2);
    const bodyLength = int64(view, message, 3);
    const bodyAt = start + length;
    if (header === 0 || bodyAt + bodyLength > bytes.length) throw new NotPlain();
    this.at = bodyAt + bodyLength;
    return { headerType, header, bodyAt, bodyLength, metadata: bytes.subarray(start, start + length) };
  }
}

/** A `RecordBatch` table: its length, field nodes and buffers (`compression` present: not plain). */
function recordBatch(view: DataView, table: number): { length: number; nodes: { length: number; nullCount: number }[]; buffers: Region[] } {
  if (field(view, table, 3) !== 0) throw new NotPlain();
  const nodes: { length: number; nullCount: number }[] = [];
  const nodesAt = vector(view, table, 1);
  for (let i = 0; i < nodesAt.count; i++) nodes.push({ length: longAt(view, nodesAt.at + 16 * i), nullCount: longAt(view, nodesAt.at + 16 * i + 8) });
  const buffers: Region[] = [];
  const buffersAt = vector(view, table, 2);
  for (let i = 0; i < buffersAt.count; i++) buffers.push({ offset: longAt(view, buffersAt.at + 16 * i), length: longAt(view, buffersAt.at + 16 * i + 8) });
  return { length: int64(view, table, 0), nodes, buffers };
}

/** Where field `n` of a flatbuffer table lies (0: absent), from the table's vtable. */
function field(view: DataView, table: number, n: number): number {
  const vtable = table - view.getInt32(table, true);
  const slot = 4 + 2 * n;
  if (slot >= view.getUint16(vtable, true)) return 0;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? 0 : table + offset;
}

function int16(view: DataView, table: number, n: number): number {
  const at = field(view, table, n);
  return at === 0 ? 0 : view.getInt16(at, true);
}

function uint8(view: DataView, table: number, n: number): number {
  const at = field(view, table, n);
  return at === 0 ? 0 : view.getUint8(at);
}

function bool(view: DataView, table: number, n: number): boolean {
  return uint8(view, table, n) !== 0;
}

function int64(view: DataView, table: number, n: number): number {
  const at = field(view, table, n);
  return at === 0 ? 0 : longAt(view, at);
}

/** A non-negative 64-bit integer that a double holds exactly (lengths, offsets, ids); any other is not plain. */
function longAt(view: DataView, at: number): number {
  const high = view.getInt32(at + 4, true);
  if (high < 0 || high >= 0x200000) throw new NotPlain();
  return high * 0x1_0000_0000 + view.getUint32(at, true);
}

/** The table field `n` points to (0: absent). */
function child(view: DataView, table: number, n: number): number {
  const at = field(view, table, n);
  return at === 0 ? 0 : at + view.getUint32(at, true);
}

/** A vector field's first element and element count (none when absent). */
function vector(view: DataView, table: number, n: number): { at: number; count: number } {
  const at = field(view, table, n);
  if (at === 0) return { at: 0, count: 0 };
  const start = at + view.getUint32(at, true);
  return { at: start + 4, count: view.getUint32(start, true) };
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
