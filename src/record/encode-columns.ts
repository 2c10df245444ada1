import { type DataType, type Dictionary, type Int64, type TimestampMillisecond, makeData, makeVector, type Schema, RecordBatch, Struct, type Utf8, type Data } from 'apache-arrow';
import type { RecordedEvent } from './recorded-event.ts';
import { CARGO_SHAPE, CROSSING_SHAPE, PLANTED_SHAPE, type Shape } from './recording-shape.ts';

const DAY_MS = 86_400_000;
const days = new Map<string, number>();
function dayNumber(date: string): number {
  let d = days.get(date);
  if (d === undefined) {
    d = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    if (days.size < 100_000) days.set(date, d);
  }
  return d;
}

/** Validity bitmap (1 = valid), or null when nothing is null. */
function validity(values: readonly unknown[]): { nullCount: number; nullBitmap: Uint8Array | null } {
  let nullCount = 0;
  for (const v of values) if (v === null || v === undefined) nullCount += 1;
  if (nullCount === 0) return { nullCount, nullBitmap: null };
  const bitmap = new Uint8Array(((values.length + 63) >> 6) << 3);
  for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) bitmap[i >> 3]! |= 1 << (i & 7);
  return { nullCount, nullBitmap: bitmap };
}

function utf8Parts(strings: readonly (string | null | undefined)[]): { valueOffsets: Int32Array; data: Uint8Array } {
  const valueOffsets = new Int32Array(strings.length + 1);
  let bytes = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s) bytes += Buffer.byteLength(s, 'utf8');
    valueOffsets[i + 1] = bytes;
  }
  const data = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s) data.write(s, valueOffsets[i]!, 'utf8');
  }
  return { valueOffsets, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * One column of a batch as Arrow data, built straight into typed arrays (Arrow's
 * builders cost about ten times as much per event). `nullable` false: a null (under a
 * null parent struct) is written as the type's empty value, as a non-nullable field must be.
 */
function encode(shape: Shape, type: DataType, values: readonly unknown[], nullable: boolean): Data {
  const length = values.length;
  const { nullCount, nullBitmap } = nullable ? validity(values) : { nullCount: 0, nullBitmap: null };
  const bits = nullBitmap ?? undefined;
  switch (shape.t) {
    case 'utf8':
    case 'ascii':
      return makeData({ type: type as Utf8, length, nullCount, nullBitmap: bits, ...utf8Parts(values as (string | null)[]) });
    case 'dict': {
      const index = new Map<string, number>();
      const words: string[] = [];
      const keys = new Int32Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i] as string | null | undefined;
        if (v === null || v === undefined) continue;
        let k = index.get(v);
        if (k === undefined) {
          k = words.length;
          index.set(v, k);
          words.push(v);
        }
        keys[i] = k;
      }
      // Null slots keep key 0, and readers (Polars) check every key against the dictionary.
      if (words.length === 0 && length > 0) words.push('');
      const dictType = type as Dictionary<Utf8>;
      const dictionary = makeVector(makeData({ type: dictType.dictionary, length: words.length, nullCount: 0, ...utf8Parts(words) }));
      return makeData({ type: dictType, length, nullCount, nullBitmap: bits, data: keys, dictionary });
    }
    case 'int32': {
      const data = new Int32Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
      return makeData({ type: type as never, length, nullCount, nullBitmap: bits, data });
    }
    case 'float64': {
      const data = new Float64Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
      return makeData({ type: type as never, length, nullCount, nullBitmap: bits, data });
    }
    case 'bool': {
      const data = new Uint8Array(((length + 63) >> 6) << 3);
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3]! |= 1 << (i & 7);
      return makeData({ type: type as never, length, nullCount, nullBitmap: bits, data });
    }
    case 'date': {
      const data = new Int32Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i] as string | null | undefined;
        data[i] = v ? dayNumber(v) : 0;
      }
      return makeData({ type: type as never, length, nullCount, nullBitmap: bits, data });
    }
    case 'struct': {
      const children = shape.fields.map((field, k) => {
        const column = new Array<unknown>(length);
        for (let i = 0; i < length; i++) {
          const row = values[i] as Record<string, unknown> | null | undefined;
          column[i] = row === null || row === undefined ? null : row[field.name];
        }
        return encode(field.shape, type.children[k]!.type, column, field.optional === true);
      });
      return makeData({ type: type as Struct, length, nullCount, nullBitmap: bits, children });
    }
    case 'list': {
      const valueOffsets = new Int32Array(length + 1);
      const items: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const list = values[i] as unknown[] | null | undefined;
        if (list) for (const item of list) items.push(item);
        valueOffsets[i + 1] = items.length;
      }
      const child = encode(shape.of, type.children[0]!.type, items, false);
      return makeData({ type: type as never, length, nullCount, nullBitmap: bits, valueOffsets, child } as never);
    }
  }
}

/** A record batch of events in the recording schema. */
export function encodeBatch(schema: Schema, events: readonly RecordedEvent[]): RecordBatch {
  const length = events.length;
  const n = new BigInt64Array(length);
  const time = new BigInt64Array(length);
  const kinds: string[] = new Array<string>(length);
  const ids: string[] = new Array<string>(length);
  const times: string[] = new Array<string>(length);
  const posts: string[] = new Array<string>(length);
  const directions: string[] = new Array<string>(length);
  const crossings: unknown[] = new Array<unknown>(length);
  const cargos: unknown[] = new Array<unknown>(length);
  const planted: unknown[] = new Array<unknown>(length);
  const classes: (string | null)[] = new Array<string | null>(length);
  for (let i = 0; i < length; i++) {
    const { n: number, event, label, trafficClass } = events[i]!;
    n[i] = BigInt(number);
    time[i] = BigInt(Date.parse(event.eventTime));
    kinds[i] = event.kind;
    ids[i] = event.eventId;
    times[i] = event.eventTime;
    posts[i] = event.post;
    directions[i] = event.direction;
    crossings[i] = event.kind === 'crossing' ? event : null;
    cargos[i] = event.kind === 'cargo' ? event : null;
    planted[i] = label ? { case: label.case, indicators: label.indicators } : null;
    classes[i] = trafficClass ?? null;
  }
  const field = (name: string): DataType => schema.fields.find((f) => f.name === name)!.type;
  const children = [
    makeData({ type: field('n') as Int64, length, nullCount: 0, data: n }),
    makeData({ type: field('time') as TimestampMillisecond, length, nullCount: 0, data: time }),
    encode({ t: 'dict' }, field('kind'), kinds, false),
    encode({ t: 'ascii' }, field('eventId'), ids, false),
    encode({ t: 'ascii' }, field('eventTime'), times, false),
    encode({ t: 'dict' }, field('post'), posts, false),
    encode({ t: 'dict' }, field('direction'), directions, false),
    encode(CROSSING_SHAPE, field('crossing'), crossings, true),
    encode(CARGO_SHAPE, field('cargo'), cargos, true),
    encode(PLANTED_SHAPE, field('planted'), planted, true),
    encode({ t: 'dict' }, field('class'), classes, true),
  ];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}
