import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AIRPORT_POSTS_LIST, airportPostsFrom, readAirMessages } from '../../src/edifact/read-air-messages.ts';
import { crossingLeg, flightKey, writePaxlst, writePnrgov } from '../../src/edifact/write-messages.ts';
import { loadLists } from '../../src/enrich/lists.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { generated, RULES_DIR } from '../helpers.ts';

const airportPosts = airportPostsFrom(loadLists(path.join(RULES_DIR, 'lists')).get(AIRPORT_POSTS_LIST)?.keys ?? []);

/** Seeded air crossings grouped by flight, leaving out flights between two of the region's airports (see docs/api-pnr.md: read as the arrival's entry). */
function flights(): Crossing[][] {
  const byFlight = new Map<string, Crossing[]>();
  for (const { event } of generated(6000, { seed: 5 })) {
    if (event.kind !== 'crossing' || event.mode !== 'air' || !event.itinerary) continue;
    const leg = crossingLeg(event)!;
    const far = event.direction === 'entry' ? leg.from : leg.to;
    if (airportPosts.has(far)) continue;
    const key = flightKey(event)!;
    byFlight.set(key, [...(byFlight.get(key) ?? []), event]);
  }
  return [...byFlight.values()];
}

/**
 * What an airline message carries of a crossing: the rest (event id, seconds, MRZ, the
 * agency's name) it does not. Its time is the flight's (the first traveller's here), not
 * each traveller's moment at passport control.
 */
function carried(e: Crossing, withItinerary: boolean, flightTime = e.eventTime) {
  return {
    post: e.post,
    direction: e.direction,
    mode: e.mode,
    eventTime: `${flightTime.slice(0, 16)}${flightTime.slice(-6)}`,
    traveller: e.traveller,
    document: { type: e.document.type, number: e.document.number, issuingState: e.document.issuingState, expiry: e.document.expiry },
    ...(withItinerary && e.itinerary && { itinerary: { ...e.itinerary, ticketAgency: '' } }),
  };
}

describe('generate --format, read back', () => {
  const groups = flights();

  it('has enough air traffic to mean something', () => {
    expect(groups.flat().length).toBeGreaterThan(500);
  });

  it('PAXLST: every generated air crossing comes back as the same crossing', () => {
    const text = groups.map((g, i) => writePaxlst(g, `P${i + 1}`)).join('');
    const result = readAirMessages(text, { airportPosts });
    expect(result.rejections).toEqual([]);
    expect(result.events.map((e) => carried(e, false))).toEqual(groups.flatMap((g) => g.map((e) => carried(e, false, g[0]!.eventTime))));
    expect(new Set(result.events.map((e) => e.eventId)).size).toBe(result.events.length);
  });

  it('PNRGOV: every generated air crossing comes back with its itinerary (booking date, payment, one-way, routing, bags)', () => {
    const text = groups.map((g, i) => writePnrgov(g, `N${i + 1}`)).join('');
    const result = readAirMessages(text, { airportPosts });
    expect(result.rejections).toEqual([]);
    expect(result.events.map((e) => carried(e, true))).toEqual(groups.flatMap((g) => g.map((e) => carried(e, true, g[0]!.eventTime))));
  });
});
