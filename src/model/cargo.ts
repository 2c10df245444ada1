import { z } from 'zod';
import { LIMITS, tooMany } from './limits.ts';
import {
  CurrencySchema,
  DirectionSchema,
  EventIdSchema,
  EventTimeSchema,
  freeText,
  plainText,
  PostIdSchema,
  positiveZero,
  StateCodeSchema,
} from './common.ts';

export const CargoModeSchema = z.enum(['road', 'rail', 'air', 'sea', 'multimodal']);

export const PartySchema = z.strictObject({
  name: plainText(z.string().min(1).max(200)),
  country: StateCodeSchema,
  /** Tax, trader or EORI-style identifier, when the declaration carries one. */
  identifier: plainText(z.string().min(1).max(64)).optional(),
});

export const MoneySchema = z.strictObject({
  amount: z.number().min(0).overwrite(positiveZero),
  currency: CurrencySchema,
});

export const CargoItemSchema = z.strictObject({
  hsCode: z.string().regex(/^[0-9]{6}$/, 'must be a 6-digit HS code'),
  description: freeText(z.string().min(1).max(500)),
  packages: z.int().min(1),
  grossKg: z.number().positive(),
  netKg: z.number().positive(),
  value: MoneySchema,
});
export type CargoItem = z.infer<typeof CargoItemSchema>;

/** A vehicle, wagon, container or seal id. */
const CargoIdSchema = plainText(z.string().min(1).max(LIMITS.cargoIdLength, `at most ${LIMITS.cargoIdLength} characters (limits: docs/events.md)`));

export const CargoCountriesSchema = z.strictObject({
  origin: z.array(StateCodeSchema).min(1).max(LIMITS.originCountries, tooMany('countries of origin', LIMITS.originCountries)),
  dispatch: StateCodeSchema,
  destination: StateCodeSchema,
  transit: z.array(StateCodeSchema).max(LIMITS.transitCountries, tooMany('transit countries', LIMITS.transitCountries)).default([]),
});

/** A consignment declared at a border post. */
export const CargoSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('cargo'),
  eventId: EventIdSchema,
  eventTime: EventTimeSchema,
  post: PostIdSchema,
  direction: DirectionSchema,
  declarationId: plainText(z.string().min(1).max(64)),
  mode: CargoModeSchema,
  vehicleIds: z.array(CargoIdSchema).max(LIMITS.vehicleIds, tooMany('vehicle and wagon ids', LIMITS.vehicleIds)).default([]),
  containerIds: z.array(CargoIdSchema).max(LIMITS.containerIds, tooMany('container numbers', LIMITS.containerIds)).default([]),
  seals: z.array(CargoIdSchema).max(LIMITS.seals, tooMany('seal numbers', LIMITS.seals)).default([]),
  shipper: PartySchema,
  consignee: PartySchema,
  countries: CargoCountriesSchema,
  items: z.array(CargoItemSchema).min(1).max(LIMITS.items, tooMany('line items', LIMITS.items)),
  /** Freight and insurance charged for the consignment, when declared. */
  freight: MoneySchema.optional(),
});
export type Cargo = z.infer<typeof CargoSchema>;
