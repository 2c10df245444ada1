import type { Consignment } from './cargo.ts';
import { containerNumber } from './cargo.ts';
import { HOUR_MS, MINUTE_MS, type Person, plateOf } from './people.ts';
import { reverseStep, postOf, type Step, type World } from './world.ts';

/**
 * Regular truck drivers: each truck has its plate and its one or two drivers, and runs
 * one route back and forth. At every post of the route the drivers cross with the truck
 * and the load is declared with the truck's plate.
 */

interface Route {
  id: string;
  /** The border crossings of the route, in order from its A end. */
  steps: readonly Step[];
  /** Countries at the A and B ends (the goods' origin and destination). */
  ends: readonly [string, string];
  /** Trucks based at each end, at volume 1. */
  fleets: readonly [number, number];
  /** Hours of driving between two crossings of the route. */
  between: readonly [number, number];
}

const ROUTES: readonly Route[] = [
  { id: 'almaty-bishkek', steps: [{ exit: 'KZ-KORDAY', entry: 'KG-AKZHOL' }], ends: ['KAZ', 'KGZ'], fleets: [300, 300], between: [0, 0] },
  { id: 'shymkent-tashkent', steps: [{ exit: 'KZ-ZHIBEKZHOLY', entry: 'UZ-GISHTKUPRIK' }], ends: ['KAZ', 'UZB'], fleets: [250, 300], between: [0, 0] },
  { id: 'china-tashkent', steps: [{ entry: 'KZ-NURZHOLY' }, { exit: 'KZ-ZHIBEKZHOLY', entry: 'UZ-GISHTKUPRIK' }], ends: ['CHN', 'UZB'], fleets: [0, 120], between: [14, 22] },
  { id: 'bishkek-tashkent', steps: [{ exit: 'KG-AKZHOL', entry: 'KZ-KORDAY' }, { exit: 'KZ-ZHIBEKZHOLY', entry: 'UZ-GISHTKUPRIK' }], ends: ['KGZ', 'UZB'], fleets: [60, 60], between: [8, 12] },
  { id: 'almaty-khujand', steps: [{ exit: 'KZ-ZHIBEKZHOLY', entry: 'UZ-GISHTKUPRIK' }, { exit: 'UZ-OYBEK', entry: 'TJ-FOTEHOBOD' }], ends: ['KAZ', 'TJK'], fleets: [30, 90], between: [2, 4] },
  { id: 'andijan-osh', steps: [{ exit: 'UZ-DUSTLIK', entry: 'KG-DOSTUK' }], ends: ['UZB', 'KGZ'], fleets: [120, 120], between: [0, 0] },
  { id: 'tashkent-khujand', steps: [{ exit: 'UZ-OYBEK', entry: 'TJ-FOTEHOBOD' }], ends: ['UZB', 'TJK'], fleets: [150, 150], between: [0, 0] },
  { id: 'bukhara-turkmenabat', steps: [{ exit: 'UZ-ALAT', entry: 'TM-FARAP' }], ends: ['UZB', 'TKM'], fleets: [110, 110], between: [0, 0] },
  { id: 'termez-mazar', steps: [{ exit: 'UZ-AYRITOM' }], ends: ['UZB', 'AFG'], fleets: [300, 200], between: [0, 0] },
  { id: 'dushanbe-kunduz', steps: [{ exit: 'TJ-PANJIPOYON' }], ends: ['TJK', 'AFG'], fleets: [120, 120], between: [0, 0] },
  { id: 'mary-andkhoy', steps: [{ exit: 'TM-IMAMNAZAR' }], ends: ['TKM', 'AFG'], fleets: [90, 90], between: [0, 0] },
  { id: 'horgos-almaty', steps: [{ entry: 'KZ-NURZHOLY' }], ends: ['CHN', 'KAZ'], fleets: [300, 300], between: [0, 0] },
  { id: 'turkmenbashi-baku', steps: [{ exit: 'TM-TURKMENBASHI' }], ends: ['TKM', 'AZE'], fleets: [20, 15], between: [0, 0] },
];

interface Truck {
  route: Route;
  /** 0: based at the A end. */
  base: 0 | 1;
  vehicle: { plate: string; country: string };
  drivers: Person[];
  /** When it next leaves its base. */
  nextDeparture: number;
}

/** The trucks of the region's routes; `plan` schedules the trips that leave during a day. */
export class Trucks {
  private readonly trucks: Truck[] = [];

  constructor(private readonly world: World) {
    const { rng } = world;
    const today = new Date(world.startMs).toISOString().slice(0, 10);
    for (const route of ROUTES) {
      for (const base of [0, 1] as const) {
        const country = route.ends[base];
        for (let i = world.scaled(route.fleets[base]); i > 0; i--) {
          const drivers = Array.from({ length: rng.chance(0.3) ? 2 : 1 }, () => world.people.person(country, today, { minAge: 23, maxAge: 64, sex: 'M' }));
          // Spread the fleet's departures over the first days, as if it had always been running.
          this.trucks.push({ route, base, vehicle: { plate: plateOf(rng, country), country }, drivers, nextDeparture: world.startMs + rng.next() * 3 * 24 * HOUR_MS });
        }
      }
    }
  }

  /** Schedules every round trip that leaves in [dayStart, dayStart + 24 h). */
  plan(dayStart: number): void {
    const end = dayStart + 24 * HOUR_MS;
    for (const truck of this.trucks) {
      while (truck.nextDeparture < end) {
        const back = this.roundTrip(truck, Math.max(truck.nextDeparture, dayStart));
        truck.nextDeparture = back + this.world.rng.int(8, 60) * HOUR_MS;
      }
    }
  }

  /** Out to the far end loaded, back loaded or empty; returns when the truck is home. */
  private roundTrip(truck: Truck, t: number): number {
    const { rng } = this.world;
    const { route } = truck;
    const outSteps = truck.base === 0 ? route.steps : [...route.steps].reverse().map(reverseStep);
    const far = route.ends[truck.base === 0 ? 1 : 0];
    const home = route.ends[truck.base];
    const arrived = this.leg(truck, outSteps, home, far, t, true);
    const backSteps = [...outSteps].reverse().map(reverseStep);
    const returned = this.leg(truck, backSteps, far, home, arrived + rng.int(10, 40) * HOUR_MS, rng.chance(0.6));
    return returned + rng.int(2, 8) * HOUR_MS;
  }

  private leg(truck: Truck, steps: readonly Step[], from: string, to: string, t: number, loaded: boolean): number {
    const { world } = this;
    const { rng, cargo } = world;
    const first = steps[0]!;
    const goods = first.exit !== undefined ? postOf(first.exit).exports : postOf(first.entry!).imports;
    // Transit countries: those between the two ends that the route crosses.
    const transit = [...new Set(steps.flatMap((s) => [s.exit, s.entry]).filter((p): p is string => p !== undefined).map((p) => postOf(p).home))].filter((c) => c !== from && c !== to);
    const consignment: Consignment | undefined = loaded ? cargo.consignment({ from, to, transit, goods, kg: rng.int(8_000, 22_000) }) : undefined;
    const containerised = rng.chance(0.2);
    const containerIds = containerised ? [containerNumber(rng.pick(['TGHU', 'CSNU', 'KZTU', 'UETU']), rng.digits(6))] : [];
    const seals = containerised ? containerIds.map(() => cargo.sealNumber()) : rng.chance(0.85) ? [cargo.sealNumber('TIR')] : [];
    let at = t;
    for (const [i, step] of steps.entries()) {
      if (i > 0) at += rng.int(truck.route.between[0], truck.route.between[1]) * HOUR_MS;
      const sea = [step.exit, step.entry].some((p) => p !== undefined && postOf(p).kind === 'sea');
      const options = { mode: sea ? ('sea' as const) : ('road' as const), trafficClass: 'truck-driver' as const, vehicle: truck.vehicle, spreadMinutes: 3, travelMinutes: [30, 180] as const };
      if (step.exit !== undefined) {
        at = world.passage({ exit: step.exit }, at, truck.drivers, options);
        if (consignment) this.declare(consignment, step.exit, at + rng.int(2, 20) * MINUTE_MS, 'exit', truck, containerIds, seals);
        at += rng.int(30, 180) * MINUTE_MS;
      }
      if (step.entry !== undefined) {
        at = world.passage({ entry: step.entry }, at, truck.drivers, options);
        if (consignment) this.declare(consignment, step.entry, at + rng.int(2, 20) * MINUTE_MS, 'entry', truck, containerIds, seals);
      }
      at += rng.int(20, 60) * MINUTE_MS;
    }
    return at;
  }

  private declare(consignment: Consignment, postId: string, t: number, direction: 'entry' | 'exit', truck: Truck, containerIds: readonly string[], seals: readonly string[]): void {
    const post = postOf(postId);
    const sea = post.kind === 'sea';
    const event = this.world.cargo.declaration(consignment, post, t, direction, sea ? 'sea' : 'road', { vehicleIds: [truck.vehicle.plate], containerIds: [...containerIds], seals: [...seals] });
    this.world.push(t, event, sea ? 'sea-cargo' : 'road-cargo');
  }
}
