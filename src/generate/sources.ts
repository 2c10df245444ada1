import { airGroup, airTraveller } from './air.ts';
import { dayProfile, HOURLY_AIR, HOURLY_LAND } from './calendar.ts';
import { LAND_VOLUMES, landTrip, PEOPLE_PER_TRIP } from './land.ts';
import { oneOffDeclaration } from './one-off-cargo.ts';
import { DAY_MS, localDate, offsetMs } from './people.ts';
import { CORRIDORS, type Trains } from './rail.ts';
import type { PostProfile } from './region.ts';
import { postOf, type World } from './world.ts';

/**
 * The one-off traffic: trips that start at random (a Poisson process per source) at a
 * rate that follows the hour of day, the day of week and the holidays of the post.
 */
export interface Source {
  post: PostProfile;
  /** Trips a day on an ordinary weekday, at the world's volume. */
  perDay: number;
  curve: 'land' | 'air' | 'flat';
  /** Which day multiplier applies: people's or goods'. */
  kind: 'crossing' | 'cargo';
  start(t: number): void;
}

export function oneOffSources(world: World, trains: Trains): Source[] {
  const sources: Source[] = [];
  const v = world.volume;
  for (const lv of LAND_VOLUMES) {
    const post = postOf(lv.cp.posts[0]);
    for (const [kind, share] of Object.entries(lv.mix) as [keyof typeof PEOPLE_PER_TRIP, number][]) {
      sources.push({ post, perDay: (v * lv.people * share) / PEOPLE_PER_TRIP[kind], curve: 'land', kind: 'crossing', start: (t) => landTrip(world, lv.cp, kind, t) });
    }
  }
  for (const [id, travellers, groups, freight] of [['KZ-ALA', 10_000, 8, 80], ['UZ-TAS', 7_500, 8, 60]] as const) {
    const post = postOf(id);
    sources.push({ post, perDay: v * travellers, curve: 'air', kind: 'crossing', start: (t) => airTraveller(world, id, t) });
    sources.push({ post, perDay: v * groups, curve: 'air', kind: 'crossing', start: (t) => airGroup(world, id, t) });
    sources.push({ post, perDay: v * freight, curve: 'land', kind: 'cargo', start: (t) => pushDeclaration(world, post, t) });
  }
  const seaport = postOf('TM-TURKMENBASHI');
  sources.push({ post: seaport, perDay: v * 150, curve: 'land', kind: 'cargo', start: (t) => pushDeclaration(world, seaport, t) });
  for (const corridor of CORRIDORS) {
    const first = corridor.steps[0]!;
    sources.push({ post: postOf(first.exit ?? first.entry!), perDay: v * corridor.trains, curve: 'flat', kind: 'cargo', start: (t) => trains.run(corridor, t) });
  }
  return sources;
}

function pushDeclaration(world: World, post: PostProfile, t: number): void {
  const { event, trafficClass } = oneOffDeclaration(world, post, t);
  world.push(t, event, trafficClass);
}

/** Trips per millisecond of a source at time t. */
export function rateAt(source: Source, t: number): number {
  const { post } = source;
  const localHour = new Date(t + offsetMs(post.offset)).getUTCHours();
  const day = dayProfile(localDate(t, post.offset), [post.home, post.neighbour]);
  const hourly = source.curve === 'land' ? HOURLY_LAND[localHour]! : source.curve === 'air' ? HOURLY_AIR[localHour]! : 1;
  return (source.perDay * hourly * (source.kind === 'crossing' ? day.crossing : day.cargo)) / DAY_MS;
}
