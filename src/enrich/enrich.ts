import type { OperatorFunction } from 'rxjs';
import { type FaultHandler, safeMap } from '../kernel/safe-map.ts';
import type { JournaledEvent } from '../journal/record-events.ts';
import type { Cargo } from '../model/cargo.ts';
import type { Crossing } from '../model/crossing.ts';
import type { CargoDerived, CargoItemDerived, CrossingDerived, EnrichedEvent } from './enriched.ts';
import { daysFromCivil, digits, eventTimeMs } from './event-time.ts';
import { checkMrz } from './mrz-check.ts';
import type { Reference } from './reference.ts';

const NO_PROBLEMS: string[] = [];

/** Enrich stage: adds derived fields (document checks, itinerary timing, cargo ratios) to each event. */
export function enrichEvents(reference: () => Reference, onFault: FaultHandler): OperatorFunction<JournaledEvent, EnrichedEvent> {
  return safeMap('enrich', ({ n, event }) => enrichEvent(n, event, reference()), onFault);
}

export function enrichEvent(n: number, event: Crossing | Cargo, reference: Reference): EnrichedEvent {
  return event.kind === 'crossing'
    ? { n, event, derived: deriveCrossing(event, reference) }
    : { n, event, derived: deriveCargo(event, reference) };
}

export function deriveCrossing(event: Crossing, reference: Reference): CrossingDerived {
  const post = reference.posts.get(event.post);
  // dayNumber and wholeYears read the date's digits in place: no slice of the event time.
  const eventDay = dayNumber(event.eventTime);
  const daysToExpiry = dayNumber(event.document.expiry) - eventDay;
  const mrz = event.document.mrz ? checkMrz(event.document.mrz, event.document.number, event.traveller.dateOfBirth) : null;
  const itinerary = event.itinerary;
  // One literal with every field (no spread): V8 keeps a single fast shape for all derived records.
  return {
    eventTimeMs: eventTimeMs(event.eventTime),
    postCountry: post?.country ?? null,
    postNeighbour: post?.neighbour ?? null,
    crossingPoint: post?.crossingPoint ?? event.post,
    ageYears: wholeYears(event.traveller.dateOfBirth, event.eventTime),
    documentDaysToExpiry: daysToExpiry,
    documentExpired: daysToExpiry < 0,
    nationalityMatchesIssuer: event.traveller.nationality === event.document.issuingState,
    mrzPresent: mrz !== null,
    mrzValid: mrz?.valid ?? null,
    mrzProblems: mrz?.problems ?? NO_PROBLEMS,
    mrzMatchesDocument: mrz?.matches ?? null,
    bookingLeadDays: itinerary ? eventDay - dayNumber(itinerary.bookingDate) : null,
    transitCount: itinerary ? itinerary.routing.length : null,
  };
}

export function deriveCargo(event: Cargo, reference: Reference): CargoDerived {
  let totalGrossKg = 0;
  let totalValueUsd: number | null = 0;
  const items: CargoItemDerived[] = event.items.map((item) => {
    const rate = reference.usdPerUnit.get(item.value.currency);
    const norm = reference.hsNorms.get(item.hsCode);
    const valueUsd = rate === undefined ? null : item.value.amount * rate;
    const usdPerKg = valueUsd === null ? null : valueUsd / item.grossKg;
    const kgPerPackage = item.grossKg / item.packages;
    totalGrossKg += item.grossKg;
    totalValueUsd = totalValueUsd === null || valueUsd === null ? null : totalValueUsd + valueUsd;
    return {
      item,
      hsKnown: reference.hsCodes.has(item.hsCode),
      hsChapter: item.hsCode.slice(0, 2),
      kgPerPackage,
      valueUsd,
      usdPerKg,
      valueRatio: norm && usdPerKg !== null ? usdPerKg / norm.usdPerKg : null,
      weightRatio: norm ? kgPerPackage / norm.kgPerPackage : null,
      netExceedsGross: item.netKg > item.grossKg,
    };
  });
  const post = reference.posts.get(event.post);
  const freightRate = event.freight ? reference.usdPerUnit.get(event.freight.currency) : undefined;
  const freightUsd = event.freight && freightRate !== undefined ? event.freight.amount * freightRate : null;
  const goodsUsd: number | null = totalValueUsd;
  return {
    eventTimeMs: eventTimeMs(event.eventTime),
    postCountry: post?.country ?? null,
    postNeighbour: post?.neighbour ?? null,
    crossingPoint: post?.crossingPoint ?? event.post,
    totalGrossKg,
    totalValueUsd,
    itemCount: items.length,
    containerCount: event.containerIds.length,
    sealCount: event.seals.length,
    freightUsd,
    freightRatio: freightUsd !== null && goodsUsd !== null && goodsUsd > 0 ? freightUsd / goodsUsd : null,
    items,
  };
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, by Hinnant's days-from-civil
 * arithmetic: several times cheaper than building and parsing a timestamp string.
 */
export function dayNumber(date: string): number {
  return daysFromCivil(digits(date, 0, 4), digits(date, 5, 7), digits(date, 8, 10));
}


/**
 * Whole years from the date `from` (`YYYY-MM-DD`) to the date `to` starts with (an event
 * time, say): one less than the difference of the years before the anniversary.
 */
function wholeYears(from: string, to: string): number {
  const years = digits(to, 0, 4) - digits(from, 0, 4);
  // Month then day, as the `MM-DD` texts compare.
  const toDay = digits(to, 5, 7) * 100 + digits(to, 8, 10);
  const fromDay = digits(from, 5, 7) * 100 + digits(from, 8, 10);
  return toDay < fromDay ? years - 1 : years;
}
