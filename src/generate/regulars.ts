import { dayProfile } from './calendar.ts';
import { localPerson } from './land.ts';
import { HOUR_MS, MINUTE_MS, type Person, plateOf } from './people.ts';
import { CROSSING_POINTS, type CrossingPoint } from './region.ts';
import { postOf, sideCountry, stepAcross, type World } from './world.ts';

/**
 * The regulars of the land borders: the same people with the same documents, day after
 * day. Their movement is an established pattern (the same pair of posts for weeks), which
 * indicators must learn to tell from a new one.
 */

interface Regular {
  person: Person;
  cp: CrossingPoint;
  /** The side they live on. */
  home: 0 | 1;
  vehicle?: { plate: string; country: string } | undefined;
}

interface Commuter extends Regular {
  /** Minutes after local midnight they leave home and leave work. */
  out: number;
  back: number;
  saturdays: boolean;
}

interface Trader extends Regular {
  /** Market days (0 = Sunday). */
  days: readonly number[];
  out: number;
}

interface SeasonalWorker extends Regular {
  /** Day index (from the start) of their next crossing, and whether they are away now. */
  nextDay: number;
  away: boolean;
}

interface MinibusLine {
  cp: CrossingPoint;
  home: 0 | 1;
  driver: Person;
  vehicle: { plate: string; country: string };
  /** Minutes after local midnight of the first departure; the second round trip follows the first. */
  departure: number;
  roundTrips: 1 | 2;
}

/** Regulars at volume 1, by crossing point. */
const POPULATION: Record<string, { commuters: number; traders: number; seasonal: number; minibusLines: number }> = {
  korday: { commuters: 150, traders: 250, seasonal: 200, minibusLines: 6 },
  zhibekzholy: { commuters: 250, traders: 300, seasonal: 400, minibusLines: 6 },
  dostuk: { commuters: 150, traders: 250, seasonal: 150, minibusLines: 4 },
  oybek: { commuters: 120, traders: 200, seasonal: 200, minibusLines: 4 },
  alat: { commuters: 30, traders: 40, seasonal: 50, minibusLines: 2 },
  // Traders of the Khorgos international trade centre on the Chinese side.
  nurzholy: { commuters: 0, traders: 300, seasonal: 0, minibusLines: 0 },
  ayritom: { commuters: 0, traders: 20, seasonal: 0, minibusLines: 0 },
  panjipoyon: { commuters: 0, traders: 20, seasonal: 0, minibusLines: 0 },
};

/** The regulars of the region's land crossing points; `plan` schedules one local day of their crossings. */
export class Regulars {
  private readonly commuters: Commuter[] = [];
  private readonly traders: Trader[] = [];
  private readonly seasonal: SeasonalWorker[] = [];
  private readonly lines: MinibusLine[] = [];

  constructor(private readonly world: World) {
    const { rng } = world;
    const today = new Date(world.startMs).toISOString().slice(0, 10);
    for (const cpoint of CROSSING_POINTS) {
      const size = POPULATION[cpoint.id];
      if (!size) continue;
      const paired = cpoint.posts.length === 2;
      const side = (): 0 | 1 => (paired && rng.chance(0.5) ? 1 : 0);
      const ownCar = (home: 0 | 1, share: number): Pick<Regular, 'vehicle'> => {
        const country = sideCountry(cpoint, home);
        return rng.chance(share) ? { vehicle: { plate: plateOf(rng, country), country } } : {};
      };
      for (let i = world.scaled(size.commuters); i > 0; i--) {
        const home = side();
        this.commuters.push({ person: localPerson(world, cpoint, home, world.startMs, { minAge: 19, maxAge: 62 }), cp: cpoint, home, ...ownCar(home, 0.3), out: rng.int(390, 540), back: rng.int(990, 1200), saturdays: rng.chance(0.2) });
      }
      for (let i = world.scaled(size.traders); i > 0; i--) {
        const home = side();
        const days = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.int(0, 6)))];
        this.traders.push({ person: localPerson(world, cpoint, home, world.startMs, { minAge: 22, maxAge: 68 }), cp: cpoint, home, ...ownCar(home, 0.35), days, out: rng.int(300, 600) });
      }
      for (let i = world.scaled(size.seasonal); i > 0; i--) {
        const home = side();
        this.seasonal.push({ person: localPerson(world, cpoint, home, world.startMs, { minAge: 18, maxAge: 55 }), cp: cpoint, home, nextDay: rng.int(0, 6), away: rng.chance(0.5) });
      }
      for (let i = world.scaled(size.minibusLines); i > 0; i--) {
        const home = side();
        const country = sideCountry(cpoint, home);
        this.lines.push({ cp: cpoint, home, driver: world.people.person(country, today, { land: true, minAge: 25, maxAge: 65, sex: 'M' }), vehicle: { plate: plateOf(rng, country), country }, departure: rng.int(360, 540), roundTrips: rng.chance(0.5) ? 1 : 2 });
      }
    }
  }

  /** Schedules the crossings of the local day that starts at `dayStart` (day `index` from the start). */
  plan(dayStart: number, index: number): void {
    const { world } = this;
    const { rng } = world;
    const date = new Date(dayStart + 5 * HOUR_MS).toISOString().slice(0, 10);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const at = (minutes: number, jitter: number): number => dayStart + (minutes + rng.int(-jitter, jitter)) * MINUTE_MS;
    const profileOf = (cp: CrossingPoint) => dayProfile(date, [postOf(cp.posts[0]).home, postOf(cp.posts[0]).neighbour]);

    for (const c of this.commuters) {
      const day = profileOf(c.cp);
      const works = day.workday || (c.saturdays && weekday === 6 && !day.holiday);
      if (!works || rng.chance(0.05)) continue;
      const options = c.vehicle ? { mode: 'road' as const, trafficClass: 'commuter' as const, vehicle: c.vehicle, spreadMinutes: 1, travelMinutes: [5, 30] as const } : { mode: 'pedestrian' as const, trafficClass: 'commuter' as const, spreadMinutes: 1, travelMinutes: [5, 30] as const };
      world.passage(stepAcross(c.cp, c.home), at(c.out, 15), [c.person], options);
      world.passage(stepAcross(c.cp, c.home === 0 ? 1 : 0), at(c.back, 20), [c.person], options);
    }

    for (const tr of this.traders) {
      if (!tr.days.includes(weekday) || profileOf(tr.cp).holiday) continue;
      const options = tr.vehicle ? { mode: 'road' as const, trafficClass: 'shuttle-trader' as const, vehicle: tr.vehicle, spreadMinutes: 1, travelMinutes: [10, 60] as const } : { mode: 'pedestrian' as const, trafficClass: 'shuttle-trader' as const, spreadMinutes: 1, travelMinutes: [10, 60] as const };
      const through = world.passage(stepAcross(tr.cp, tr.home), at(tr.out, 30), [tr.person], options);
      world.passage(stepAcross(tr.cp, tr.home === 0 ? 1 : 0), through + rng.int(240, 540) * MINUTE_MS, [tr.person], options);
    }

    for (const s of this.seasonal) {
      if (s.nextDay !== index) continue;
      const from: 0 | 1 = s.away ? (s.home === 0 ? 1 : 0) : s.home;
      world.passage(stepAcross(s.cp, from), at(rng.int(360, 1080), 0), [s.person], { mode: 'pedestrian', trafficClass: 'seasonal-worker', spreadMinutes: 1, travelMinutes: [10, 60] });
      s.away = !s.away;
      // The next crossing is at the end of the season, or the start of the next one.
      s.nextDay = index + rng.int(60, 150);
    }

    for (const line of this.lines) {
      if (profileOf(line.cp).holiday && rng.chance(0.5)) continue;
      // The same driver and minibus every run, with whoever is going that day.
      const options = { mode: 'road' as const, trafficClass: 'car' as const, vehicle: line.vehicle, spreadMinutes: 8, travelMinutes: [10, 45] as const };
      const passengersFrom = (side: 0 | 1): Person[] => Array.from({ length: rng.int(4, 15) }, () => localPerson(world, line.cp, side, dayStart));
      const other: 0 | 1 = line.home === 0 ? 1 : 0;
      let leave = at(line.departure, 10);
      for (let trip = 0; trip < line.roundTrips; trip++) {
        const there = world.passage(stepAcross(line.cp, line.home), leave, [line.driver, ...passengersFrom(line.home)], options);
        const back = world.passage(stepAcross(line.cp, other), there + rng.int(120, 240) * MINUTE_MS, [line.driver, ...passengersFrom(other)], options);
        leave = back + rng.int(60, 120) * MINUTE_MS;
      }
    }
  }
}
