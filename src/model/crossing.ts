import { z } from 'zod';
import { ApiSchema, MessageSourceSchema, PnrSchema } from './air-records.ts';
import { LIMITS, tooMany } from './limits.ts';
import {
  DateSchema,
  DirectionSchema,
  EventIdSchema,
  EventTimeSchema,
  IataAirportSchema,
  PostIdSchema,
  plainText,
  positiveZero,
  StateCodeSchema,
} from './common.ts';

export const CrossingModeSchema = z.enum(['air', 'road', 'rail', 'pedestrian', 'sea']);
export type CrossingMode = z.infer<typeof CrossingModeSchema>;

export const TravellerSchema = z.strictObject({
  familyName: plainText(z.string().min(1).max(100)),
  /** May be empty: some people have no given name. */
  givenNames: plainText(z.string().max(100)),
  dateOfBirth: DateSchema,
  sex: z.enum(['F', 'M', 'X']),
  nationality: StateCodeSchema,
});
export type Traveller = z.infer<typeof TravellerSchema>;

export const MrzSchema = z
  .array(z.string().regex(/^[A-Z0-9<]+$/, 'MRZ lines hold only A-Z, 0-9 and <'))
  .min(2)
  .max(3)
  // ICAO 9303 formats: TD1 is 3 lines of 30, TD2 2 of 36, TD3 (passport) 2 of 44.
  .refine((lines) => {
    const width = lines[0]?.length ?? 0;
    if (!lines.every((l) => l.length === width)) return false;
    return lines.length === 3 ? width === 30 : width === 36 || width === 44;
  }, 'MRZ must be 2 lines of 44 (TD3) or 36 (TD2) characters, or 3 lines of 30 (TD1)');

export const TravelDocumentSchema = z.strictObject({
  type: z.enum(['passport', 'id-card', 'refugee-travel-document', 'seafarer-id', 'crew-certificate', 'other']),
  number: z.string().regex(/^[A-Z0-9]{1,20}$/, 'must be 1-20 upper-case letters or digits'),
  issuingState: StateCodeSchema,
  expiry: DateSchema,
  mrz: MrzSchema.optional(),
});
export type TravelDocument = z.infer<typeof TravelDocumentSchema>;

export const VehicleSchema = z.strictObject({
  plate: plainText(z.string().min(1).max(20)),
  country: StateCodeSchema,
});

/** Advance passenger information / passenger name record fields of an air (or coach) journey. */
export const ItinerarySchema = z.strictObject({
  carrier: z.string().regex(/^[A-Z0-9]{2,3}$/, 'must be an IATA or ICAO carrier code'),
  flight: z.string().regex(/^[0-9]{1,4}[A-Z]?$/, 'must be a flight number such as 1234 or 12A'),
  origin: IataAirportSchema,
  destination: IataAirportSchema,
  /** Transit airports between origin and destination, in order; empty for a direct flight. */
  routing: z.array(IataAirportSchema).max(LIMITS.routing, tooMany('transit airports', LIMITS.routing)),
  bookingDate: DateSchema,
  paymentForm: z.enum(['cash', 'card', 'bank-transfer', 'voucher', 'miles', 'other']),
  oneWay: z.boolean(),
  bagCount: z.int().min(0).max(50).overwrite(positiveZero),
  bagWeightKg: z.number().min(0).max(1000).overwrite(positiveZero),
  ticketAgency: plainText(z.string().max(100)),
});
export type Itinerary = z.infer<typeof ItinerarySchema>;

/** A person passing a border post. */
export const CrossingSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('crossing'),
  eventId: EventIdSchema,
  eventTime: EventTimeSchema,
  post: PostIdSchema,
  direction: DirectionSchema,
  mode: CrossingModeSchema,
  traveller: TravellerSchema,
  document: TravelDocumentSchema,
  vehicle: VehicleSchema.optional(),
  itinerary: ItinerarySchema.optional(),
  /** From a PAXLST: the flight and the traveller's role on it (docs/api-pnr.md). */
  api: ApiSchema.optional(),
  /** From a PNRGOV: the booking's contacts, payment, co-travellers and history (docs/api-pnr.md). */
  pnr: PnrSchema.optional(),
  /** The airline message the crossing was read from. */
  source: MessageSourceSchema.optional(),
});
export type Crossing = z.infer<typeof CrossingSchema>;
