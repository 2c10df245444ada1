import { HOUR_MS, localDate, type Person, plateOf } from './people.ts';
import { CROSSING_POINTS, type CrossingPoint } from './region.ts';
import type { TrafficClass } from './traffic-class.ts';
import { postOf, sideCountry, stepAcross, type World } from './world.ts';

/** One-off travellers of a land (or rail or sea) crossing point: people a day, and how they travel. */
export interface LandVolume {
  cp: CrossingPoint;
  /** One-off people crossing a day, both ways, on an ordinary weekday. */
  people: number;
  /** Shares of those people by how they travel. */
  mix: Partial<Record<'pedestrian' | 'car' | 'bus' | 'land-traveller', number>>;
}

const cp = (id: string): CrossingPoint => CROSSING_POINTS.find((c) => c.id === id)!;
const BORDER = { pedestrian: 0.3, car: 0.35, bus: 0.3, 'land-traveller': 0.05 };

export const LAND_VOLUMES: readonly LandVolume[] = [
  { cp: cp('korday'), people: 3500, mix: BORDER },
  { cp: cp('zhibekzholy'), people: 4500, mix: { pedestrian: 0.45, car: 0.25, bus: 0.25, 'land-traveller': 0.05 } },
  { cp: cp('dostuk'), people: 1800, mix: { pedestrian: 0.5, car: 0.3, bus: 0.15, 'land-traveller': 0.05 } },
  { cp: cp('oybek'), people: 2200, mix: { pedestrian: 0.4, car: 0.3, bus: 0.25, 'land-traveller': 0.05 } },
  { cp: cp('alat'), people: 600, mix: BORDER },
  { cp: cp('nurzholy'), people: 1500, mix: { pedestrian: 0.2, car: 0.3, bus: 0.4, 'land-traveller': 0.1 } },
  { cp: cp('ayritom'), people: 300, mix: { pedestrian: 0.4, car: 0.1, bus: 0.1, 'land-traveller': 0.4 } },
  { cp: cp('imamnazar'), people: 100, mix: { pedestrian: 0.3, car: 0.1, 'land-traveller': 0.6 } },
  { cp: cp('panjipoyon'), people: 180, mix: { pedestrian: 0.3, car: 0.2, 'land-traveller': 0.5 } },
  // Passenger trains at Khorgos (Almaty-Urumqi) and the Caspian ferry.
  { cp: cp('khorgos'), people: 150, mix: { 'land-traveller': 1 } },
  { cp: cp('turkmenbashi'), people: 120, mix: { 'land-traveller': 1 } },
];

/** People per trip, on average, of each way of travelling (to turn people a day into trips a day). */
export const PEOPLE_PER_TRIP: Readonly<Record<'pedestrian' | 'car' | 'bus' | 'land-traveller', number>> = { pedestrian: 1.4, car: 3.1, bus: 41, 'land-traveller': 1 };

const CAR_OCCUPANTS: Record<string, number> = { 1: 20, 2: 25, 3: 20, 4: 18, 5: 8, 6: 5, 7: 2, 8: 2 };

/** Someone from a side of a crossing point: a national of that side mostly, of the post's mix otherwise. */
export function localPerson(world: World, cpoint: CrossingPoint, side: 0 | 1, t: number, options: { minAge?: number; maxAge?: number } = {}): Person {
  const post = postOf(cpoint.posts[side] ?? cpoint.posts[0]);
  const country = sideCountry(cpoint, side);
  const nationality = world.rng.chance(0.75) ? country : world.rng.weighted(post.nationalities);
  return world.people.person(nationality, localDate(t, post.offset), { land: true, ...options });
}

/** Starts a one-off trip of this kind at a crossing point at time t: the trip schedules its own events. */
export function landTrip(world: World, cpoint: CrossingPoint, kind: 'pedestrian' | 'car' | 'bus' | 'land-traveller', t: number): void {
  const { rng } = world;
  const side: 0 | 1 = rng.chance(0.5) ? 0 : 1;
  const out = stepAcross(cpoint, side);
  const back = stepAcross(cpoint, side === 0 ? 1 : 0);
  const home = sideCountry(cpoint, side);
  if (kind === 'land-traveller') {
    const post = postOf(cpoint.posts[0]);
    const mode = post.kind === 'rail' ? 'rail' : post.kind === 'sea' ? 'sea' : 'road';
    world.passage(out, t, [localPerson(world, cpoint, side, t)], { mode, trafficClass: 'land-traveller', spreadMinutes: 1, travelMinutes: [10, 60] });
    return;
  }
  if (kind === 'pedestrian') {
    const walkers = [localPerson(world, cpoint, side, t)];
    if (rng.chance(0.3)) for (let i = rng.int(1, 2); i > 0; i--) walkers.push(localPerson(world, cpoint, side, t));
    const options = { mode: 'pedestrian' as const, trafficClass: 'pedestrian' as TrafficClass, spreadMinutes: 4, travelMinutes: [5, 40] as const };
    const through = world.passage(out, t, walkers, options);
    // Shopping and visits: most walk back the same day.
    const r = rng.next();
    if (r < 0.55) world.passage(back, through + rng.int(2, 9) * HOUR_MS, walkers, options);
    else if (r < 0.7) world.passage(back, through + rng.int(24, 96) * HOUR_MS, walkers, options);
    return;
  }
  if (kind === 'car') {
    const n = Number(rng.weighted(CAR_OCCUPANTS));
    const driver = world.people.person(home, localDate(t, '+05:00'), { land: true, minAge: 21, maxAge: 70 });
    const family = [driver];
    for (let i = 1; i < n; i++) family.push(localPerson(world, cpoint, side, t));
    const vehicle = { plate: plateOf(rng, home), country: home };
    const options = { mode: 'road' as const, trafficClass: 'car' as TrafficClass, vehicle, spreadMinutes: 3, travelMinutes: [5, 60] as const };
    const through = world.passage(out, t, family, options);
    // The same family comes back in the same car, often the same day.
    const r = rng.next();
    if (r < 0.5) world.passage(back, through + rng.int(3, 10) * HOUR_MS, family, options);
    else if (r < 0.8) world.passage(back, through + rng.int(24, 120) * HOUR_MS, family, options);
    return;
  }
  // A coach: one driver, 20-60 passengers processed together; some go back a day or two later.
  const driver = world.people.person(home, localDate(t, '+05:00'), { minAge: 25, maxAge: 65, sex: 'M' });
  const vehicle = { plate: plateOf(rng, home), country: home };
  const load = (): Person[] => {
    const passengers = Array.from({ length: rng.int(20, 60) }, () => localPerson(world, cpoint, side, t));
    return [driver, ...passengers];
  };
  const options = { mode: 'road' as const, trafficClass: 'bus' as TrafficClass, vehicle, spreadMinutes: rng.int(10, 60), travelMinutes: [10, 90] as const };
  const through = world.passage(out, t, load(), options);
  if (rng.chance(0.4)) world.passage(back, through + rng.int(8, 40) * HOUR_MS, load(), options);
}
