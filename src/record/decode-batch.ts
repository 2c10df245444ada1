import type { Data, RecordBatch } from 'apache-arrow';
import type { PlantedCaseName, PlantedLabel } from '../generate/planted.ts';
import type { BorderEvent } from '../model/event.ts';
import type { RecordedEvent } from './encode-events.ts';
import { CARGO_SHAPE, COLUMNS, CROSSING_SHAPE, PLANTED_SHAPE, type Shape } from './recording-shape.ts';

type Read = (i: number) => unknown;

const DAY_MS = 86_400_000;
const dates = new Map<number, string>();
/** Days since the epoch → `YYYY-MM-DD`; the same few thousand dates recur, so they are kept. */
function isoDate(days: number): string {
  let text = dates.get(days);
  if (text === undefined) {
    text = new Date(days * DAY_MS).toISOString().slice(0, 10);
    if (dates.size < 100_000) dates.set(days, text);
  }
  return text;
}

function validity(data: Data): ((i: number) => boolean) | null {
  if (data.nullCount === 0 || !data.nullBitmap) return null;
  const bits = data.nullBitmap;
  const offset = data.offset;
  return (i) => ((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
}

function utf8Reader(data: Data): Read {
  const offsets = data.valueOffsets as Int32Array;
  const values = data.values as Uint8Array;
  const buffer = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const offset = data.offset;
  return (i) => buffer.toString('utf8', offsets[offset + i]!, offsets[offset + i + 1]!);
}

/**
 * A reader of one column of a batch, compiled once per batch from the column's shape:
 * values are read from the typed arrays directly and each dictionary is decoded once.
 */
function reader(shape: Shape, data: Data): Read {
  const valid = validity(data);
  const offset = data.offset;
  let read: Read;
  switch (shape.t) {
    case 'utf8':
      read = utf8Reader(data);
      break;
    case 'dict': {
      const words = (data.dictionary?.toArray() ?? []) as string[];
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
      const fields = shape.fields.map((field, k) => ({ name: field.name, optional: field.optional === true, read: reader(field.shape, data.children[k]!) }));
      read = (i) => {
        const out: Record<string, unknown> = {};
        for (const field of fields) {
          const value = field.read(i);
          if (value === null && field.optional) continue;
          out[field.name] = value;
        }
        return out;
      };
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
export function decodeBatch(batch: RecordBatch): RecordedEvent[] {
  const columns = batch.data.children;
  const at = (name: (typeof COLUMNS)[number]): Data => columns[COLUMNS.indexOf(name)]!;
  const n = at('n').values as BigInt64Array;
  const kind = reader({ t: 'dict' }, at('kind'));
  const eventId = utf8Reader(at('eventId'));
  const eventTime = utf8Reader(at('eventTime'));
  const post = reader({ t: 'dict' }, at('post'));
  const direction = reader({ t: 'dict' }, at('direction'));
  const crossing = reader(CROSSING_SHAPE, at('crossing'));
  const cargo = reader(CARGO_SHAPE, at('cargo'));
  const planted = reader(PLANTED_SHAPE, at('planted'));
  const nOffset = at('n').offset;
  const out = new Array<RecordedEvent>(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    const k = kind(i) as BorderEvent['kind'];
    const event = { schemaVersion: 1, kind: k, eventId: eventId(i) as string, eventTime: eventTime(i) as string, post: post(i) as string, direction: direction(i) };
    Object.assign(event, k === 'crossing' ? crossing(i) : cargo(i));
    const recorded: RecordedEvent = { n: Number(n[nOffset + i]), event: event as BorderEvent };
    const label = planted(i) as { case: PlantedCaseName; indicators: string[] } | null;
    if (label) recorded.label = { eventId: event.eventId, eventTime: event.eventTime, post: event.post, case: label.case, indicators: label.indicators } satisfies PlantedLabel;
    out[i] = recorded;
  }
  return out;
}
