import { z } from 'zod';
import { DateSchema, IataAirportSchema, plainText, StateCodeSchema } from './common.ts';

/**
 * Optional parts of a crossing that come from airline messages (UN/EDIFACT PAXLST and
 * PNRGOV, docs/api-pnr.md). A crossing sent as JSON needs none of them; every field is
 * optional on the crossing so that schema version 1 events stay valid as they are.
 */

/** Sizes of the PNR parts, so that one booking cannot carry megabytes. */
export const PNR_LIMITS = {
  /** Phone numbers, e-mail addresses or postal addresses of one booking. */
  contacts: 20,
  /** Other travellers in one booking (PNRGOV carries up to 99 TIF groups). */
  coTravellers: 99,
  /** History entries (ABI/SAC) kept of one booking. */
  history: 200,
} as const;

/** A local date and time as airline messages carry it (no offset): `YYYY-MM-DDTHH:MM`. */
// Optional fields come after the required ones in every object here: recordings
// (src/record/recording-shape.ts) give keys back in that order, byte for byte.

export const LocalDateTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be YYYY-MM-DDTHH:MM (local time, no offset)');

/** The flight and the traveller's role on it, from a PAXLST (TDT, LOC, DTM; NAD function; RFF). */
export const ApiSchema = z.strictObject({
  /** NAD 3035: FL passenger, FM crew member, DDU in-transit passenger, DDT in-transit crew member. */
  role: z.enum(['passenger', 'crew', 'transit-passenger', 'transit-crew']),
  carrier: z.string().regex(/^[A-Z0-9]{2,3}$/, 'must be an IATA or ICAO carrier code'),
  flight: z.string().regex(/^[0-9]{1,4}[A-Z]?$/, 'must be a flight number such as 1234 or 12A'),
  origin: IataAirportSchema,
  destination: IataAirportSchema,
  /** DTM 2005 = 189, local time at the origin. */
  departure: LocalDateTimeSchema.optional(),
  /** DTM 2005 = 232, local time at the destination. */
  arrival: LocalDateTimeSchema.optional(),
  /** The traveller's own port of embarkation (LOC 3227 = 178) and debarkation (179). */
  embarkation: IataAirportSchema.optional(),
  debarkation: IataAirportSchema.optional(),
  /** RFF 1153 = AVF, the booking reference (PNR record locator). */
  reservation: plainText(z.string().min(1).max(35)).optional(),
  /** LOC 3227 = 174, country of residence. */
  residence: StateCodeSchema.optional(),
});
export type Api = z.infer<typeof ApiSchema>;

export const PnrPaymentSchema = z.strictObject({
  /** FOP 9888: CA cash, CC credit card, ... as `itinerary.paymentForm` reads them. */
  code: z.string().regex(/^[A-Z0-9]{1,3}$/),
  /** FOP 3140: card vendor (VI, CA, AX, ...). */
  cardType: z.string().regex(/^[A-Z0-9]{1,3}$/).optional(),
  /** The card number as kept: only its last four digits, the rest X (a PAN is never stored). */
  cardMasked: z.string().regex(/^X*[0-9X]{0,4}$/, 'only the last four digits of a card may be kept').max(19).optional(),
  /**
   * A fingerprint of the card (SHA-256 of vendor, number as sent and expiry, first 16 hex
   * digits): two bookings paid with one card share it, without the number being kept.
   */
  cardFingerprint: z.string().regex(/^[0-9a-f]{16}$/).optional(),
});

export const PnrNameSchema = z.strictObject({
  familyName: plainText(z.string().min(1).max(100)),
  givenNames: plainText(z.string().max(100)),
});

export const PnrHistoryEntrySchema = z.strictObject({
  /** SAC 9858: A added, X cancelled, C changed. */
  action: z.enum(['added', 'cancelled', 'changed', 'other']),
  /** What changed: the tag and its main values (`TVL LHR-JFK DL324 2012-12-10`). */
  item: plainText(z.string().min(1).max(200)),
  /** DAT 2005 = ZT of the history block, when given. */
  date: DateSchema.optional(),
});

/** The booking a traveller was on, from a PNRGOV (PNRGOV implementation guide 11.1–13.1, GR1/GR2). */
export const PnrSchema = z.strictObject({
  /** RCI 8835, the record locator. */
  recordLocator: z.string().regex(/^[A-Z0-9]{1,20}$/, 'must be 1-20 upper-case letters or digits'),
  contacts: z.strictObject({
    /** Digits only, with a leading + when the number is international. */
    phones: z.array(z.string().regex(/^\+?[0-9]{5,20}$/, 'must be 5-20 digits')).max(PNR_LIMITS.contacts),
    /** Lower case; IATA CTCE escapes (`//` for @, `..` for _, `./` for -) undone. */
    emails: z.array(plainText(z.string().min(3).max(120))).max(PNR_LIMITS.contacts),
    /** ADD street, city, state, country and postal code, joined by ", ". */
    addresses: z.array(plainText(z.string().min(1).max(300))).max(PNR_LIMITS.contacts),
  }),
  /** The other travellers of the booking (their TIF), in the booking's order. */
  coTravellers: z.array(PnrNameSchema).max(PNR_LIMITS.coTravellers),
  history: z.array(PnrHistoryEntrySchema).max(PNR_LIMITS.history),
  payment: PnrPaymentSchema.optional(),
});
export type Pnr = z.infer<typeof PnrSchema>;

/** Which message a crossing was read from: evidence, and what a resend is recognised by. */
export const MessageSourceSchema = z.strictObject({
  format: z.enum(['paxlst', 'pnrgov']),
  /** UNH S009 version and release (`D05B`, `13.1`). */
  version: z.string().regex(/^[A-Z0-9.:]{1,12}$/),
  /** UNH 0062. */
  messageRef: plainText(z.string().min(1).max(35)),
  /** The segment number (UNH = 1) where the traveller's data begins (NAD or TIF). */
  segment: z.int().min(1),
  /** UNB 0020. */
  interchangeRef: plainText(z.string().min(1).max(35)).optional(),
  /** UNB S002 0004. */
  sender: plainText(z.string().min(1).max(35)).optional(),
});
export type MessageSource = z.infer<typeof MessageSourceSchema>;
