import { z } from 'zod';
import {
  CurrencySchema,
  DirectionSchema,
  EventIdSchema,
  controlCharacterIn,
  EventTimeSchema,
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
export type Party = z.infer<typeof PartySchema>;

export const MoneySchema = z.strictObject({
  amount: z.number().min(0).overwrite(positiveZero),
  currency: CurrencySchema,
});

export const CargoItemSchema = z.strictObject({
  hsCode: z.string().regex(/^[0-9]{6}$/, 'must be a 6-digit HS code'),
  description: plainText(z.string().min(1).max(500)),
  packages: z.int().min(1),
  grossKg: z.number().positive(),
  netKg: z.number().positive(),
  value: MoneySchema,
});
export type CargoItem = z.infer<typeof CargoItemSchema>;

export const CargoCountriesSchema = z.strictObject({
  origin: z.array(StateCodeSchema).min(1).max(20),
  dispatch: StateCodeSchema,
  destination: StateCodeSchema,
  transit: z.array(StateCodeSchema).max(20).default([]),
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
  vehicleIds: z.array(z.string().min(1).max(32)).max(10).default([]),
  containerIds: z.array(z.string().min(1).max(32)).max(50).default([]),
  seals: z.array(z.string().min(1).max(32)).max(100).default([]),
  shipper: PartySchema,
  consignee: PartySchema,
  countries: CargoCountriesSchema,
  items: z.array(CargoItemSchema).min(1).max(999),
  /** Freight and insurance charged for the consignment, when declared. */
  freight: MoneySchema.optional(),
}).superRefine((cargo, ctx) => {
  // Vehicle, container and seal ids are identifiers too (see plainText).
  for (const field of ['vehicleIds', 'containerIds', 'seals'] as const) {
    cargo[field].forEach((id, i) => {
      const problem = controlCharacterIn(id);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [field, i], message: problem });
    });
  }
});
export type Cargo = z.infer<typeof CargoSchema>;
