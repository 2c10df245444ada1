import type { PlantedLabel } from './recorded-event.ts';
import type { BorderEvent } from '../model/event.ts';
import type { RecordedEvent } from './recorded-event.ts';
import { CARGO_SHAPE, COLUMNS, CROSSING_SHAPE, PLANTED_SHAPE, type Shape } from './recording-shape.ts';
import { InternalError } from '../errors.ts';
import type { BatchColumns, ColumnData } from './segment-columns.ts';

type Read = (i: number) => unknown;

const DAY_MS = 86_400_000;
/** The days kept by position, 1870-01-01 to 2099-12-31: birth, expiry and booking dates. */
const NEAR_FROM = -36_524;
const near = new Array<string | undefined>(47_482 - NEAR_FROM).fill(undefined);
/** Dates outside those years, as met. */
const dates = new Map<number, string>();
/**
 * Days since the epoch (a Date32 value: an integer) → `YYYY-MM-DD`; the same few thousand
 * dates recur, so they are kept, those of the usual years in an array (a look-up by
 * position costs less than hashing the number).
 */
function isoDate(days: number): string {
  const at = days - NEAR_FROM;
  if (at >= 0 && at < near.length) return (near[at] ??= civilDate(days));
  let text = dates.get(days);
  if (text === undefined) {
    text = civilDate(days);
    if (dates.size < 100_000) dates.set(days, text);
  }
  return text;
}

/**
 * `new Date(days * DAY_MS).toISOString().slice(0, 10)`, by Hinnant's civil-from-days
 * arithmetic for the years 0000 to 9999 (several times cheaper: travellers' birth and
 * expiry dates are mostly new ones), and by `Date` itself outside them.
 */
export function civilDate(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isInteger(days) || year < 0 || year > 9999) return new Date(days * DAY_MS).toISOString().slice(0, 10);
  return `${PADDED[Math.floor(year / 100)]}${PADDED[year % 100]}-${PADDED[month]}-${PADDED[day]}`;
}

/** `00` to `99`. */
const PADDED = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function validity(data: ColumnData): ((i: number) => boolean) | null {
  if (data.nullCount === 0 || !data.nullBitmap) return null;
  const bits = data.nullBitmap;
  const offset = data.offset;
  return (i) => ((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
}

/**
 * The decoders `Buffer#toString(encoding, start, end)` ends in. Called directly: the
 * method's own argument checks and its lookup of the encoding by name cost more than
 * making a short string (ids, times, document numbers), and the offsets read here come
 * from the column and always lie within the buffer.
 */
interface Slicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

function utf8Reader(data: ColumnData, encoding: 'utf8' | 'latin1' = 'utf8'): Read {
  const offsets = data.valueOffsets as Int32Array;
  const values = data.values as Uint8Array;
  const buffer = Buffer.from(values.buffer, values.byteOffset, values.byteLength) as Buffer & Slicing;
  const offset = data.offset;
  // latin1 decodes ASCII to the same string without UTF-8 validation.
  return encoding === 'latin1' ? (i) => buffer.latin1Slice(offsets[offset + i]!, offsets[offset + i + 1]!) : (i) => buffer.utf8Slice(offsets[offset + i]!, offsets[offset + i + 1]!);
}

const utf8 = new TextDecoder('utf-8');

/**
 * A dictionary column's words, as `data.dictionary.toArray()` gives them (null where a
 * word is null), read from its chunks directly: the vector's own iteration went through
 * a visitor per word, and a batch brings some fifty dictionaries. ASCII words are read as
 * latin1 (the same text, without UTF-8 decoding); the rest with a `TextDecoder`, as the
 * Arrow library decodes them.
 */
function dictionaryWords(data: ColumnData): (string | null)[] {
  const words: (string | null)[] = [];
  for (const chunk of data.dictionary?.data ?? []) {
    const offsets = chunk.valueOffsets as Int32Array;
    const values = chunk.values as Uint8Array;
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength) as Buffer & Slicing;
    const valid = validity(chunk);
    for (let i = 0; i < chunk.length; i++) {
      if (valid !== null && !valid(i)) {
        words.push(null);
        continue;
      }
      const from = offsets[chunk.offset + i]!;
      const to = offsets[chunk.offset + i + 1]!;
      words.push(isAscii(values, from, to) ? bytes.latin1Slice(from, to) : utf8.decode(values.subarray(from, to)));
    }
  }
  return words;
}

function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! > 127) return false;
  return true;
}

type FieldReader = { name: string; optional: boolean; read: Read };
const structMakers = new Map<string, (reads: Read[]) => Read>();

/**
 * Builds a struct's object with one object literal, so every event's objects share one
 * hidden class (assigning keys one by one in a loop cost about twice as much). The
 * function text is made from the recording shape's own field names, never from data;
 * it is built once per shape and reused for every batch.
 */
function structReader(fields: readonly FieldReader[]): Read {
  const key = fields.map((f) => `${f.name}${f.optional ? '?' : ''}`).join(',');
  let make = structMakers.get(key);
  if (make === undefined) {
    const required = fields.map((f, k) => (f.optional ? null : `${JSON.stringify(f.name)}: r[${k}](i)`)).filter((x) => x !== null);
    const optional = fields.flatMap((f, k) => (f.optional ? [`v = r[${k}](i); if (v !== null) o[${JSON.stringify(f.name)}] = v;`] : []));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from static field names, see above
    make = new Function('r', `return (i) => { const o = { ${required.join(', ')} }; let v; ${optional.join(' ')} return o; };`) as (reads: Read[]) => Read;
    structMakers.set(key, make);
  }
  return make(fields.map((f) => f.read));
}

/**
 * A reader of one column of a batch, compiled once per batch from the column's shape:
 * values are read from the typed arrays directly and each dictionary is decoded once.
 */
function reader(shape: Shape, data: ColumnData): Read {
  const valid = validity(data);
  const offset = data.offset;
  let read: Read;
  switch (shape.t) {
    case 'utf8':
      read = utf8Reader(data);
      break;
    case 'ascii':
      read = utf8Reader(data, 'latin1');
      break;
    case 'dict': {
      const words = dictionaryWords(data);
      const keys = data.values as Int32Array;
      read = (i) => words[keys[offset + i]!];
      break;
    }
    case 'int32':
    case 'float64': {
      const values = data.values as Int32Array | Float64Array;
      read = (i) => values[offset + i];
      break;
    }
    case 'bool': {
      const bits = data.values as Uint8Array;
      read = (i) => ((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
      break;
    }
    case 'date': {
      const days = data.values as Int32Array;
      read = (i) => isoDate(days[offset + i]!);
      break;
    }
    case 'struct': {
      read = structReader(shape.fields.map((field, k) => ({ name: field.name, optional: field.optional === true, read: reader(field.shape, data.children[k]!) })));
      break;
    }
    case 'list': {
      const offsets = data.valueOffsets as Int32Array;
      const item = reader(shape.of, data.children[0]!);
      read = (i) => {
        const from = offsets[offset + i]!;
        const to = offsets[offset + i + 1]!;
        const out = new Array<unknown>(to - from);
        for (let k = from; k < to; k++) out[k - from] = item(k);
        return out;
      };
      break;
    }
  }
  return valid ? (i) => (valid(i) ? read(i) : null) : read;
}

/** Decodes every event of a record batch of a recording, in order. */
export function decodeBatch(batch: BatchColumns): RecordedEvent[] {
  const read = batchReader(batch);
  const out = new Array<RecordedEvent>(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) out[i] = read(i);
  return out;
}

/**
 * A reader of one batch's events by row (0 to `numRows - 1`), its columns' readers built
 * once: to decode each event only when it is wanted, so that a thousand decoded events
 * do not wait in memory (and survive the young generation's collections) for their turn.
 */
export function batchReader(batch: BatchColumns): (i: number) => RecordedEvent {
  const columns = batch.data.children;
  const at = (name: (typeof COLUMNS)[number]): ColumnData => columns[COLUMNS.indexOf(name)]!;
  const n = at('n').values as BigInt64Array;
  const kind = reader({ t: 'dict' }, at('kind'));
  // One literal per event kind, common fields first, in the order validation gives them.
  const common: FieldReader[] = [
    { name: 'schemaVersion', optional: false, read: () => 1 },
    { name: 'kind', optional: false, read: kind },
    { name: 'eventId', optional: false, read: utf8Reader(at('eventId'), 'latin1') },
    { name: 'eventTime', optional: false, read: utf8Reader(at('eventTime'), 'latin1') },
    { name: 'post', optional: false, read: reader({ t: 'dict' }, at('post')) },
    { name: 'direction', optional: false, read: reader({ t: 'dict' }, at('direction')) },
  ];
  const ofKind = (shape: Shape, data: ColumnData): Read => {
    if (shape.t !== 'struct') throw new InternalError('a kind column must be a struct');
    // A recording made before an optional column was added has fewer children: that field reads as absent.
    const absent: Read = () => null;
    return structReader([
      ...common,
      ...shape.fields.map((field, k) => {
        const child = data.children[k];
        return { name: field.name, optional: field.optional === true, read: child === undefined && field.optional === true ? absent : reader(field.shape, child!) };
      }),
    ]);
  };
  const crossing = ofKind(CROSSING_SHAPE, at('crossing'));
  const cargo = ofKind(CARGO_SHAPE, at('cargo'));
  const planted = reader(PLANTED_SHAPE, at('planted'));
  // Recordings made before the class column have one column fewer: their events are unlabelled.
  const classData = columns.length > COLUMNS.indexOf('class') ? at('class') : undefined;
  const trafficClass = classData ? reader({ t: 'dict' }, classData) : () => null;
  const nOffset = at('n').offset;
  return (i) => {
    const event = (kind(i) === 'crossing' ? crossing(i) : cargo(i)) as BorderEvent;
    const label = planted(i) as { case: string; indicators: string[] } | null;
    const recorded: RecordedEvent = label
      ? { n: Number(n[nOffset + i]), event, label: { eventId: event.eventId, eventTime: event.eventTime, post: event.post, case: label.case, indicators: label.indicators } satisfies PlantedLabel }
      : { n: Number(n[nOffset + i]), event };
    const cls = trafficClass(i) as string | null;
    if (cls !== null) recorded.trafficClass = cls;
    return recorded;
  };
}
