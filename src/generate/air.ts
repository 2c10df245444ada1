import type { Itinerary } from '../model/crossing.ts';
import { addDays, DAY_MS, HOUR_MS, localDate, MINUTE_MS, type Person } from './people.ts';
import { AIR_ROUTES, HUB_AIRPORT, type PostProfile, TICKET_AGENCIES } from './region.ts';
import { postOf, type World } from './world.ts';

/**
 * Air traffic at the two hub airports: single passengers (ordinary direct flights to
 * conflict-adjacent airports included), tour and pilgrimage groups on one flight, and the
 * crews who leave and come back every few days.
 */

/** Direct flights to airports next to conflict zones: ordinary passengers, mostly Afghan nationals. */
const CONFLICT_DIRECT: Record<string, { carrier: string; airport: string }[]> = {
  'UZ-TAS': [{ carrier: 'RQ', airport: 'KBL' }, { carrier: 'FG', airport: 'KBL' }, { carrier: 'FG', airport: 'MZR' }, { carrier: 'HY', airport: 'MZR' }],
  'KZ-ALA': [{ carrier: 'RQ', airport: 'KBL' }],
};

const GROUP_AGENCIES = ['Hajj Umrah Service', 'Nur Travel', 'Al-Safa Tour', 'Silk Road Pilgrim', 'Anex Tour', 'Coral Travel', 'Pegas Touristik', 'Kompas Tour', 'Uzbekistan Travel Group', 'Kazakh Tourism Travel'];
const HOLIDAY_AIRPORTS = ['AYT', 'SSH', 'HRG', 'DXB', 'IST', 'SHJ'];
const BAGS: Record<string, number> = { 0: 20, 1: 55, 2: 25 };
const PAYMENT = { card: 70, cash: 15, 'bank-transfer': 8, voucher: 3, miles: 4 };
const GROUP_KIND = { pilgrimage: 40, outbound: 35, inbound: 25 };
const PILGRIM_PAYMENT = { 'bank-transfer': 60, cash: 40 };
const TOUR_PAYMENT = { 'bank-transfer': 50, cash: 25, card: 25 };

function hubOf(post: PostProfile): string {
  return HUB_AIRPORT[post.id] ?? 'ALA';
}

function itinerary(world: World, post: PostProfile, direction: 'entry' | 'exit', today: string, route: { carrier: string; airport: string; via: readonly string[] }): Itinerary {
  const { rng } = world;
  const hub = hubOf(post);
  const lead = rng.chance(0.05) ? 0 : Math.min(180, Math.round(rng.exponential(21)));
  const bagCount = Number(rng.weighted(BAGS));
  return {
    carrier: route.carrier,
    flight: String(rng.int(1, 999)),
    origin: direction === 'entry' ? route.airport : hub,
    destination: direction === 'entry' ? hub : route.airport,
    routing: direction === 'entry' ? [...route.via].reverse() : [...route.via],
    bookingDate: addDays(today, -lead),
    paymentForm: rng.weighted(PAYMENT),
    oneWay: rng.chance(0.15),
    bagCount,
    bagWeightKg: bagCount * rng.int(12, 23),
    ticketAgency: rng.pick(TICKET_AGENCIES),
  };
}

/** A single passenger at an airport: one event (their return is another trip's business). */
export function airTraveller(world: World, postId: string, t: number): void {
  const { rng } = world;
  const post = postOf(postId);
  const today = localDate(t, post.offset);
  const direction = rng.chance(0.5) ? 'entry' : 'exit';
  const conflict = CONFLICT_DIRECT[post.id];
  let route: { carrier: string; airport: string; via: readonly string[] };
  let nationality: string;
  if (conflict && rng.chance(0.03)) {
    route = { ...rng.pick(conflict), via: [] };
    nationality = rng.chance(0.7) ? 'AFG' : post.home;
  } else {
    route = rng.pick(AIR_ROUTES[post.id] ?? AIR_ROUTES['KZ-ALA']!);
    nationality = rng.weighted(post.nationalities);
  }
  const person = world.people.person(nationality, today);
  world.cross(person, post.id, t, direction, { mode: 'air', trafficClass: 'air-traveller', itinerary: itinerary(world, post, direction, today, route) });
}

/** A tour or pilgrimage group: 15-45 people on one flight, booked together, out and back. */
export function airGroup(world: World, postId: string, t: number): void {
  const { rng } = world;
  const post = postOf(postId);
  const today = localDate(t, post.offset);
  const hub = hubOf(post);
  const kind = rng.weighted(GROUP_KIND);
  const size = rng.int(15, 45);
  const agency = kind === 'pilgrimage' ? rng.pick(GROUP_AGENCIES.slice(0, 4)) : rng.pick(GROUP_AGENCIES.slice(4));
  const bookingDate = addDays(today, -rng.int(14, 90));
  const paymentForm = kind === 'pilgrimage' ? rng.weighted(PILGRIM_PAYMENT) : rng.weighted(TOUR_PAYMENT);
  const far = kind === 'pilgrimage' ? rng.pick(['JED', 'MED']) : kind === 'outbound' ? rng.pick(HOLIDAY_AIRPORTS) : rng.pick(['PEK', 'ICN', 'IST', 'FRA', 'DEL']);
  const carrier = kind === 'pilgrimage' ? rng.pick(['SV', 'XY', post.id === 'UZ-TAS' ? 'HY' : 'KC']) : post.id === 'UZ-TAS' ? rng.pick(['HY', 'TK', 'FZ']) : rng.pick(['KC', 'DV', 'TK', 'FZ']);
  const nationality = kind === 'inbound' ? rng.pick(['CHN', 'KOR', 'TUR', 'DEU', 'IND']) : post.home;
  const members: Person[] = Array.from({ length: size }, () =>
    world.people.person(nationality, today, kind === 'pilgrimage' ? { minAge: 35, maxAge: 80 } : { minAge: 18, maxAge: 72, mrzShare: 0.9 }),
  );
  const flight = (direction: 'entry' | 'exit'): Omit<Itinerary, 'bagCount' | 'bagWeightKg'> => ({
    carrier,
    flight: String(rng.int(100, 999)),
    origin: direction === 'entry' ? far : hub,
    destination: direction === 'entry' ? hub : far,
    routing: [],
    bookingDate,
    paymentForm,
    oneWay: false,
    ticketAgency: agency,
  });
  const board = (direction: 'entry' | 'exit', at: number): void => {
    const shared = flight(direction);
    const spread = rng.int(15, 45);
    for (const person of members) {
      const bags = rng.int(1, 2);
      world.cross(person, post.id, at + rng.next() * spread * MINUTE_MS, direction, { mode: 'air', trafficClass: 'air-group', itinerary: { ...shared, bagCount: bags, bagWeightKg: bags * rng.int(12, 23) } });
    }
  };
  const first = kind === 'inbound' ? 'entry' : 'exit';
  board(first, t);
  const stay = kind === 'pilgrimage' ? rng.int(10, 16) : kind === 'outbound' ? rng.int(7, 11) : rng.int(4, 9);
  board(first === 'entry' ? 'exit' : 'entry', t + stay * DAY_MS + rng.int(-6, 6) * HOUR_MS);
}

interface CrewTeam {
  hub: string;
  members: Person[];
  carrier: string;
  /** Home-based crews leave and come back; foreign crews come in and leave. */
  based: boolean;
  nextDuty: number;
}

const FOREIGN_CARRIERS: Record<string, { carrier: string; airport: string; nationality: string }[]> = {
  'KZ-ALA': [{ carrier: 'TK', airport: 'IST', nationality: 'TUR' }, { carrier: 'FZ', airport: 'DXB', nationality: 'IND' }, { carrier: 'SU', airport: 'SVO', nationality: 'RUS' }, { carrier: 'OZ', airport: 'ICN', nationality: 'KOR' }],
  'UZ-TAS': [{ carrier: 'TK', airport: 'IST', nationality: 'TUR' }, { carrier: 'FZ', airport: 'DXB', nationality: 'IND' }, { carrier: 'SU', airport: 'SVO', nationality: 'RUS' }],
};

/** The crews of the two hubs: the same people through the same airport every few days. */
export class Crews {
  private readonly teams: CrewTeam[] = [];

  constructor(private readonly world: World) {
    const { rng } = world;
    const today = new Date(world.startMs).toISOString().slice(0, 10);
    for (const [hub, based, foreign] of [['KZ-ALA', 40, 24], ['UZ-TAS', 32, 18]] as const) {
      const home = postOf(hub).home;
      const make = (n: number, isBased: boolean): void => {
        for (let i = world.scaled(n); i > 0; i--) {
          const partner = rng.pick(FOREIGN_CARRIERS[hub]!);
          const nationality = isBased ? home : partner.nationality;
          const members = Array.from({ length: rng.int(4, 12) }, () => world.people.person(nationality, today, { minAge: 21, maxAge: 60, crewCertificate: rng.chance(0.4), mrzShare: 0.95 }));
          this.teams.push({ hub, members, carrier: isBased ? (hub === 'UZ-TAS' ? 'HY' : 'KC') : partner.carrier, based: isBased, nextDuty: world.startMs + rng.next() * 3 * DAY_MS });
        }
      };
      make(based, true);
      make(foreign, false);
    }
  }

  /** Schedules the duties that start in [dayStart, dayStart + 24 h). */
  plan(dayStart: number): void {
    const { world } = this;
    const { rng } = world;
    const end = dayStart + DAY_MS;
    for (const team of this.teams) {
      while (team.nextDuty < end) {
        const t = Math.max(team.nextDuty, dayStart);
        const post = postOf(team.hub);
        const far = rng.pick(['IST', 'DXB', 'SVO', 'FRA', 'ICN', 'DEL', 'NQZ']);
        const first = team.based ? 'exit' : 'entry';
        const away = rng.int(team.based ? 8 : 18, team.based ? 50 : 40) * HOUR_MS;
        for (const [direction, at] of [[first, t], [first === 'exit' ? 'entry' : 'exit', t + away]] as const) {
          const flight = String(rng.int(1, 999));
          for (const person of team.members) {
            const when = at + rng.next() * 10 * MINUTE_MS;
            const itinerary: Itinerary = { carrier: team.carrier, flight, origin: direction === 'entry' ? far : hubOf(post), destination: direction === 'entry' ? hubOf(post) : far, routing: [], bookingDate: localDate(when, post.offset), paymentForm: 'other', oneWay: false, bagCount: 1, bagWeightKg: rng.int(8, 18), ticketAgency: 'crew roster' };
            world.cross(person, post.id, when, direction, { mode: 'air', trafficClass: 'air-crew', itinerary });
          }
        }
        team.nextDuty = t + away + rng.int(36, 96) * HOUR_MS;
      }
    }
  }
}

/** The itinerary of an ordinary passenger on one of the airport's regular routes. */
export function ordinaryItinerary(world: World, post: PostProfile, direction: 'entry' | 'exit', today: string): Itinerary {
  return itinerary(world, post, direction, today, world.rng.pick(AIR_ROUTES[post.id] ?? AIR_ROUTES['KZ-ALA']!));
}
