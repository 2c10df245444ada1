import type { Cargo } from '../model/cargo.ts';
import type { Crossing, CrossingMode } from '../model/crossing.ts';
import { ordinaryItinerary } from './air.ts';
import { oneOffDeclaration } from './one-off-cargo.ts';
import { crossingOf, familyNameFor, localDate, localTime, MINUTE_MS, plateOf } from './people.ts';
import { type FollowUp, type PlantContext, PLANTED_CASES, type PlantedCaseName, remakeMrz } from './planted.ts';
import { FACING_POST, NAMES, POSTS, type PostProfile } from './region.ts';
import type { CrossingClass, TrafficClass } from './traffic-class.ts';
import { postOf, type World } from './world.ts';

/**
 * Plants a case: builds the event it starts from (a one-off traveller or consignment of
 * ordinary traffic, with that traffic's class), applies the case, and schedules it with
 * its later events; the label goes with the event that completes the case.
 */

interface CaseSpec {
  kind: 'crossing' | 'cargo';
  indicators: readonly string[];
  posts?: readonly string[];
  direction?: 'entry' | 'exit';
  then?: readonly FollowUp[];
  surge?: { count: number; minutes: number };
  from?: 'car';
  apply(event: Crossing | Cargo, ctx: PlantContext): void;
}

// Crossing cases start where one crossing is one event (airports, posts whose facing post is
// not ours): at a paired post the same person would be seen again at the facing post, tripping
// the same indicator on an event nobody labelled.
const SINGLE_EVENT_POSTS = POSTS.filter((p) => !FACING_POST.has(p.id));

function weightedPost(world: World, posts: readonly PostProfile[], by: 'dailyCrossings' | 'dailyCargo'): PostProfile {
  let total = 0;
  for (const p of posts) total += p[by];
  let x = world.rng.next() * total;
  for (const p of posts) {
    x -= p[by];
    if (x < 0) return p;
  }
  return posts[posts.length - 1]!;
}

function baseCrossing(world: World, spec: CaseSpec, t: number): { event: Crossing; trafficClass: CrossingClass } {
  const { rng } = world;
  const post = spec.posts ? postOf(rng.pick(spec.posts)) : weightedPost(world, SINGLE_EVENT_POSTS, 'dailyCrossings');
  const today = localDate(t, post.offset);
  const person = world.people.person(rng.weighted(post.nationalities), today, { land: post.kind === 'land', ...(spec.from === 'car' && { minAge: 21, maxAge: 65 }) });
  const direction = rng.chance(0.5) ? 'entry' : 'exit';
  if (spec.from === 'car') {
    const vehicle = { plate: plateOf(rng, post.home), country: post.home };
    return { event: crossingOf(person, post, t, direction, 'road', { vehicle }), trafficClass: 'car' };
  }
  if (post.kind === 'air') return { event: crossingOf(person, post, t, direction, 'air', { itinerary: ordinaryItinerary(world, post, direction, today) }), trafficClass: 'air-traveller' };
  const walks = post.kind === 'land' && rng.chance(0.5);
  const mode: CrossingMode = walks ? 'pedestrian' : post.kind === 'rail' ? 'rail' : post.kind === 'sea' ? 'sea' : 'road';
  return { event: crossingOf(person, post, t, direction, mode), trafficClass: walks ? 'pedestrian' : 'land-traveller' };
}

function afterMs(step: FollowUp, world: World): number {
  const m = typeof step.afterMinutes === 'number' ? step.afterMinutes : world.rng.int(step.afterMinutes[0], step.afterMinutes[1]);
  return m * MINUTE_MS;
}

function followCrossing(world: World, first: Crossing, previous: Crossing, step: FollowUp, when: number): Crossing {
  const { rng } = world;
  const choices = step.posts === 'same' ? [first.post] : step.posts.filter((p) => p !== previous.post);
  const post = postOf(rng.pick(choices.length > 0 ? choices : [first.post]));
  const later = structuredClone(previous);
  later.eventTime = localTime(when, post.offset);
  later.post = post.id;
  later.direction = step.direction;
  if (step.newPerson) {
    const other = world.people.person(first.traveller.nationality, localDate(when, post.offset), { land: true, minAge: 21, maxAge: 65 });
    later.traveller = other.traveller;
    later.document = other.document;
  }
  if (step.newFamilyName) {
    const pool = NAMES[later.traveller.nationality] ?? NAMES.RUS!;
    const names = pool.family.map((f) => familyNameFor(later.traveller.nationality, f, later.traveller.sex)).filter((f) => f !== later.traveller.familyName);
    later.traveller.familyName = rng.pick(names);
    if (later.document.mrz) later.document.mrz = remakeMrz(later);
  }
  if (later.mode === 'air') later.itinerary = ordinaryItinerary(world, post, step.direction, localDate(when, post.offset));
  return later;
}

function followCargo(world: World, previous: Cargo, step: FollowUp, when: number): Cargo {
  const post = postOf(world.rng.pick(step.posts === 'same' ? [previous.post] : step.posts));
  const later = structuredClone(previous);
  later.eventTime = localTime(when, post.offset);
  later.post = post.id;
  later.direction = step.direction;
  later.declarationId = world.cargo.declarationId(post.id, later.eventTime);
  if (step.reseal) later.seals = later.seals.map(() => world.cargo.sealNumber());
  return later;
}

/** Plants case `name` starting at time t. */
export function plantCase(world: World, name: PlantedCaseName, t: number, ctx: PlantContext): void {
  const spec = PLANTED_CASES[name] as CaseSpec;
  const plant = { case: name, indicators: [...spec.indicators] };
  const { rng } = world;
  let base: { event: Crossing | Cargo; trafficClass: TrafficClass };
  if (spec.kind === 'crossing') base = baseCrossing(world, spec, t);
  else base = oneOffDeclaration(world, spec.posts ? postOf(rng.pick(spec.posts)) : weightedPost(world, POSTS, 'dailyCargo'), t, spec.direction);
  spec.apply(base.event, ctx);
  const { event, trafficClass } = base;

  if (spec.surge && event.kind === 'crossing') {
    const { count, minutes } = spec.surge;
    const post = postOf(event.post);
    world.push(t, event, trafficClass);
    for (let k = 1; k <= count; k++) {
      const when = t + (k * minutes * MINUTE_MS) / count;
      const person = world.people.person(rng.weighted(post.nationalities), localDate(when, post.offset), { land: true });
      world.push(when, crossingOf(person, post, when, rng.chance(0.5) ? 'entry' : 'exit', 'pedestrian'), 'pedestrian', k === count ? plant : undefined);
    }
    return;
  }
  if (!spec.then) {
    world.push(t, event, trafficClass, plant);
    return;
  }
  world.push(t, event, trafficClass);
  let previous = event;
  spec.then.forEach((step, i) => {
    const when = t + afterMs(step, world);
    const later = event.kind === 'crossing' ? followCrossing(world, event, previous as Crossing, step, when) : followCargo(world, previous as Cargo, step, when);
    world.push(when, later, trafficClass, i === spec.then!.length - 1 ? plant : undefined);
    previous = later;
  });
}
