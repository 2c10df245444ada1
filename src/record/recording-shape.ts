import { Bool, Dictionary, Field, Float64, Int32, Int64, List, Schema, Struct, TimestampMillisecond, Utf8, DateDay, type DataType } from 'apache-arrow';

/**
 * A column's shape as data: the one description from which the Arrow schema, the
 * encoder and the decoder of recordings are all derived, so they cannot drift apart.
 */
export type Shape =
  | { t: 'utf8' }
  /** Utf8 in Arrow whose values the event schema restricts to ASCII (ids, times, document numbers, MRZ): read faster. */
  | { t: 'ascii' }
  | { t: 'dict' }
  | { t: 'int32' }
  | { t: 'float64' }
  | { t: 'bool' }
  /** An ISO date `YYYY-MM-DD`, stored as Arrow Date32 (days since 1970-01-01). */
  | { t: 'date' }
  | { t: 'struct'; fields: readonly FieldShape[] }
  | { t: 'list'; of: Shape };

export interface FieldShape {
  name: string;
  shape: Shape;
  /** Absent in the event when null (the zod schema's `.optional()`), rather than always present. */
  optional?: boolean;
}

const utf8: Shape = { t: 'utf8' };
const ascii: Shape = { t: 'ascii' };
const dict: Shape = { t: 'dict' };
const int32: Shape = { t: 'int32' };
const float64: Shape = { t: 'float64' };
const bool: Shape = { t: 'bool' };
const date: Shape = { t: 'date' };
const struct = (...fields: FieldShape[]): Shape => ({ t: 'struct', fields });
const list = (of: Shape): Shape => ({ t: 'list', of });
const f = (name: string, shape: Shape): FieldShape => ({ name, shape });
const opt = (name: string, shape: Shape): FieldShape => ({ name, shape, optional: true });

const party = struct(f('name', dict), f('country', dict), opt('identifier', dict));
const money = struct(f('amount', float64), f('currency', dict));

/**
 * The crossing fields after the common ones, in the zod schema's order (src/model/crossing.ts),
 * so that a decoded event has its keys in the order validation gives them and serialises
 * byte for byte as the live event did.
 */
export const CROSSING_SHAPE = struct(
  f('mode', dict),
  f('traveller', struct(f('familyName', dict), f('givenNames', dict), f('dateOfBirth', date), f('sex', dict), f('nationality', dict))),
  f('document', struct(f('type', dict), f('number', ascii), f('issuingState', dict), f('expiry', date), opt('mrz', list(ascii)))),
  opt('vehicle', struct(f('plate', utf8), f('country', dict))),
  opt(
    'itinerary',
    struct(
      f('carrier', dict), f('flight', dict), f('origin', dict), f('destination', dict), f('routing', list(dict)),
      f('bookingDate', date), f('paymentForm', dict), f('oneWay', bool), f('bagCount', int32), f('bagWeightKg', float64), f('ticketAgency', dict),
    ),
  ),
  // The airline-message parts (src/model/air-records.ts), added after the first recordings:
  // a recording without these columns reads as crossings without them.
  opt(
    'api',
    struct(
      f('role', dict), f('carrier', dict), f('flight', dict), f('origin', dict), f('destination', dict), opt('departure', ascii), opt('arrival', ascii),
      opt('embarkation', dict), opt('debarkation', dict), opt('reservation', utf8), opt('residence', dict),
    ),
  ),
  opt(
    'pnr',
    struct(
      f('recordLocator', ascii),
      f('contacts', struct(f('phones', list(ascii)), f('emails', list(utf8)), f('addresses', list(utf8)))),
      f('coTravellers', list(struct(f('familyName', dict), f('givenNames', dict)))),
      f('history', list(struct(f('action', dict), f('item', utf8), opt('date', date)))),
      opt('payment', struct(f('code', dict), opt('cardType', dict), opt('cardMasked', ascii), opt('cardFingerprint', ascii))),
    ),
  ),
  opt('source', struct(f('format', dict), f('version', dict), f('messageRef', utf8), f('segment', int32), opt('interchangeRef', utf8), opt('sender', dict))),
);

/** The cargo fields after the common ones, in the zod schema's order (src/model/cargo.ts). */
export const CARGO_SHAPE = struct(
  f('declarationId', utf8),
  f('mode', dict),
  f('vehicleIds', list(utf8)),
  f('containerIds', list(utf8)),
  f('seals', list(utf8)),
  f('shipper', party),
  f('consignee', party),
  f('countries', struct(f('origin', list(dict)), f('dispatch', dict), f('destination', dict), f('transit', list(dict)))),
  f('items', list(struct(f('hsCode', dict), f('description', dict), f('packages', int32), f('grossKg', float64), f('netKg', float64), f('value', money)))),
  opt('freight', money),
);

/** A planted case's label: the case and the indicators its alert must carry. */
export const PLANTED_SHAPE = struct(f('case', dict), f('indicators', list(dict)));

/** Schema metadata keys; readers check them before trusting the columns. */
export const RECORDING_FORMAT_KEY = 'border-risk.recording';
export const RECORDING_FORMAT_VERSION = '1';
export const EVENT_SCHEMA_VERSION_KEY = 'border-risk.event-schema-version';

/** Top-level column names, in order. */
export const COLUMNS = ['n', 'time', 'kind', 'eventId', 'eventTime', 'post', 'direction', 'crossing', 'cargo', 'planted', 'class'] as const;

/**
 * The Arrow schema of a recording (docs/recordings.md). Dictionary ids are numbered in
 * field order, so every segment of every recording has the same schema.
 */
export function recordingSchema(): Schema {
  let nextId = 0;
  const arrowType = (shape: Shape): DataType => {
    switch (shape.t) {
      case 'utf8':
      case 'ascii':
        return new Utf8();
      case 'dict': return new Dictionary(new Utf8(), new Int32(), nextId++);
      case 'int32': return new Int32();
      case 'float64': return new Float64();
      case 'bool': return new Bool();
      case 'date': return new DateDay();
      case 'struct': return new Struct(shape.fields.map((c) => new Field(c.name, arrowType(c.shape), c.optional === true)));
      case 'list': return new List(new Field('item', arrowType(shape.of), false));
    }
  };
  const fields = [
    new Field('n', new Int64(), false),
    new Field('time', new TimestampMillisecond('UTC'), false),
    new Field('kind', arrowType(dict), false),
    new Field('eventId', new Utf8(), false),
    new Field('eventTime', new Utf8(), false),
    new Field('post', arrowType(dict), false),
    new Field('direction', arrowType(dict), false),
    new Field('crossing', arrowType(CROSSING_SHAPE), true),
    new Field('cargo', arrowType(CARGO_SHAPE), true),
    new Field('planted', arrowType(PLANTED_SHAPE), true),
    // Added after the first recordings: readers take a recording without it as unlabelled.
    new Field('class', arrowType(dict), true),
  ];
  return new Schema(fields, new Map([[RECORDING_FORMAT_KEY, RECORDING_FORMAT_VERSION], [EVENT_SCHEMA_VERSION_KEY, '1']]));
}
