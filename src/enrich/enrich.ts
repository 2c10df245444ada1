import { parse as parseMrz } from 'mrz';
import type { OperatorFunction } from 'rxjs';
import { type FaultHandler, safeMap } from '../pipeline/safe-map.ts';
import type { JournaledEvent } from '../ingest/record-events.ts';
import type { Cargo } from '../model/cargo.ts';
import type { Crossing } from '../model/crossing.ts';
import type { CargoDerived, CargoItemDerived, CommonDerived, CrossingDerived, EnrichedEvent } from './enriched.ts';
import type { Reference } from './reference.ts';

const DAY_MS = 86_400_000;

/** Enrich stage: adds derived fields (document checks, itinerary timing, cargo ratios) to each event. */
export function enrichEvents(reference: () => Reference, onFault: FaultHandler): OperatorFunction<JournaledEvent, EnrichedEvent> {
  return safeMap('enrich', ({ n, event }) => enrichEvent(n, event, reference()), onFault);
}

export function enrichEvent(n: number, event: Crossing | Cargo, reference: Reference): EnrichedEvent {
  return event.kind === 'crossing'
    ? { n, event, derived: deriveCrossing(event, reference) }
    : { n, event, derived: deriveCargo(event, reference) };
}

function deriveCommon(event: Crossing | Cargo, reference: Reference): CommonDerived {
  const post = reference.posts.get(event.post);
  return {
    eventTimeMs: Date.parse(event.eventTime),
    postCountry: post?.country ?? null,
    postNeighbour: post?.neighbour ?? null,
  };
}

export function deriveCrossing(event: Crossing, reference: Reference): CrossingDerived {
  const common = deriveCommon(event, reference);
  const eventDay = dayNumber(event.eventTime.slice(0, 10));
  const daysToExpiry = dayNumber(event.document.expiry) - eventDay;
  const mrz = event.document.mrz ? checkMrz(event) : null;
  const itinerary = event.itinerary;
  return {
    ...common,
    ageYears: wholeYears(event.traveller.dateOfBirth, event.eventTime.slice(0, 10)),
    documentDaysToExpiry: daysToExpiry,
    documentExpired: daysToExpiry < 0,
    nationalityMatchesIssuer: event.traveller.nationality === event.document.issuingState,
    mrzPresent: mrz !== null,
    mrzValid: mrz?.valid ?? null,
    mrzProblems: mrz?.problems ?? [],
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
  return {
    ...deriveCommon(event, reference),
    totalGrossKg,
    totalValueUsd,
    itemCount: items.length,
    containerCount: event.containerIds.length,
    sealCount: event.seals.length,
    items,
  };
}

interface MrzCheck {
  valid: boolean;
  problems: string[];
  matches: boolean;
}

/** Check digits are verified by the `mrz` library; only check-digit failures count as invalid. */
function checkMrz(event: Crossing): MrzCheck {
  const lines = event.document.mrz ?? [];
  try {
    const result = parseMrz(lines);
    const problems = result.details
      .filter((d) => !d.valid && d.field !== null && d.field.endsWith('CheckDigit'))
      .map((d) => `${d.field}: ${d.error ?? 'invalid'}`);
    const dob = event.traveller.dateOfBirth;
    const matches =
      result.fields.documentNumber === event.document.number &&
      result.fields.birthDate === `${dob.slice(2, 4)}${dob.slice(5, 7)}${dob.slice(8, 10)}`;
    return { valid: problems.length === 0, problems, matches };
  } catch (thrown) {
    return { valid: false, problems: [`mrz: ${thrown instanceof Error ? thrown.message : String(thrown)}`], matches: false };
  }
}

/** Days since the epoch of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function wholeYears(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? years - 1 : years;
}
