import type { Cargo, CargoItem } from '../model/cargo.ts';
import type { Crossing } from '../model/crossing.ts';

/** Fields every event gets from enrichment. */
export interface CommonDerived {
  eventTimeMs: number;
  /** Country of the post (alpha-3), null for a post not in the posts list. */
  postCountry: string | null;
  /** Country the post faces, null for airports and unknown posts. */
  postNeighbour: string | null;
  /** The post's border crossing point (`crossingPoint` in the posts list): a post and the one facing it share it; the post's id when unlisted. */
  crossingPoint: string;
}

export interface CrossingDerived extends CommonDerived {
  ageYears: number;
  /** Whole days from the event's date to the document's expiry; negative once expired. */
  documentDaysToExpiry: number;
  documentExpired: boolean;
  nationalityMatchesIssuer: boolean;
  mrzPresent: boolean;
  /** All MRZ check digits correct; null without an MRZ. */
  mrzValid: boolean | null;
  /** `field: problem` for every MRZ check digit that failed. */
  mrzProblems: string[];
  /** The MRZ's document number and date of birth agree with the document fields; null without an MRZ. */
  mrzMatchesDocument: boolean | null;
  /** Days from booking to the event's date; null without an itinerary. */
  bookingLeadDays: number | null;
  transitCount: number | null;
}

export interface CargoItemDerived {
  /** The declared item itself, so that one condition can combine declared and derived values. */
  item: CargoItem;
  hsKnown: boolean;
  hsChapter: string;
  kgPerPackage: number;
  valueUsd: number | null;
  usdPerKg: number | null;
  /** Declared USD per kg divided by the HS code's norm; null without a norm or exchange rate. */
  valueRatio: number | null;
  /** Declared kg per package divided by the HS code's norm; null without a norm. */
  weightRatio: number | null;
  netExceedsGross: boolean;
}

export interface CargoDerived extends CommonDerived {
  totalGrossKg: number;
  /** Sum of item values in USD; null if any currency has no rate. */
  totalValueUsd: number | null;
  itemCount: number;
  containerCount: number;
  sealCount: number;
  /** Declared freight in USD; null when not declared or without a rate. */
  freightUsd: number | null;
  /** Freight divided by the goods' total value; null when either is unknown. */
  freightRatio: number | null;
  items: CargoItemDerived[];
}

export interface EnrichedCrossing {
  n: number;
  event: Crossing;
  derived: CrossingDerived;
}

export interface EnrichedCargo {
  n: number;
  event: Cargo;
  derived: CargoDerived;
}

/** An accepted event with what enrichment derived from it: the input of every indicator. */
export type EnrichedEvent = EnrichedCrossing | EnrichedCargo;

