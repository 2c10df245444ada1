import type { Cargo } from '../model/cargo.ts';
import type { Crossing, CrossingMode } from '../model/crossing.ts';
import type { CargoFactory } from './cargo.ts';
import { EventQueue } from './event-queue.ts';
import { crossingOf, MINUTE_MS, type Person, type PersonFactory } from './people.ts';
import type { PlantedCaseName } from './planted.ts';
import type { Random } from './random.ts';
import { type CrossingPoint, POST_BY_ID, type PostProfile } from './region.ts';
import type { TrafficClass } from './traffic-class.ts';
import { ConfigError } from '../errors.ts';

/** An event waiting for its time, with its class and, for a planted case, what it must trip. */
export interface Pending {
  event: Crossing | Cargo;
  trafficClass: TrafficClass;
  plant?: { case: PlantedCaseName; indicators: readonly string[] };
}

/** A piece of work due at a time (the next day's plan of the regulars). */
export interface Task {
  run(t: number): void;
}

export type QueueItem = Pending | Task;

/** Which posts see one crossing of a border: an exit on one side, an entry on the other, either possibly not ours. */
export interface Step {
  exit?: string;
  entry?: string;
}

/** The crossing of a point from one side: side 0 is the side of its first post. */
export function stepAcross(cp: CrossingPoint, fromSide: 0 | 1): Step {
  const [a, b] = cp.posts;
  if (b === undefined) return fromSide === 0 ? { exit: a } : { entry: a };
  return fromSide === 0 ? { exit: a, entry: b } : { exit: b, entry: a };
}

export function reverseStep(step: Step): Step {
  return { ...(step.entry !== undefined && { exit: step.entry }), ...(step.exit !== undefined && { entry: step.exit }) };
}

export function postOf(id: string): PostProfile {
  const post = POST_BY_ID.get(id);
  if (!post) throw new ConfigError(`unknown post ${id}`);
  return post;
}

/** The country on a side of a crossing point. */
export function sideCountry(cp: CrossingPoint, side: 0 | 1): string {
  const a = postOf(cp.posts[0]);
  return side === 0 ? a.home : cp.posts[1] !== undefined ? postOf(cp.posts[1]).home : a.neighbour || a.home;
}

export interface PassageOptions {
  mode: CrossingMode;
  trafficClass: TrafficClass;
  vehicle?: { plate: string; country: string };
  itinerary?: Crossing['itinerary'];
  /** Minutes over which the occupants are processed at each post. */
  spreadMinutes: number;
  /** Minutes from the exit post to the facing post. @default [5, 90] */
  travelMinutes?: readonly [number, number];
}

/**
 * The shared state of one generator: its random source, its queue of scheduled events,
 * and the factories of people and goods. Events before the start are dropped, so that
 * regulars whose day began earlier still start the stream mid-way.
 */
export class World {
  readonly queue = new EventQueue<QueueItem>();

  constructor(
    readonly rng: Random,
    readonly people: PersonFactory,
    readonly cargo: CargoFactory,
    readonly startMs: number,
    /** Multiplier of every volume. */
    readonly volume: number,
    /** Multiplier of the numbers of regulars (who are kept in memory). */
    readonly regulars: number = volume,
  ) {}

  /** How many of `n` regulars to keep at this volume (at least one where there were any). */
  scaled(n: number): number {
    return n === 0 ? 0 : Math.max(1, Math.round(n * this.regulars));
  }

  push(t: number, event: Crossing | Cargo, trafficClass: TrafficClass, plant?: Pending['plant']): void {
    if (t < this.startMs) return;
    this.queue.push(t, plant ? { event, trafficClass, plant } : { event, trafficClass });
  }

  cross(person: Person, postId: string, t: number, direction: 'entry' | 'exit', options: Omit<PassageOptions, 'spreadMinutes'>): Crossing {
    const event = crossingOf(person, postOf(postId), t, direction, options.mode, { ...(options.vehicle && { vehicle: options.vehicle }), ...(options.itinerary && { itinerary: options.itinerary }) });
    this.push(t, event, options.trafficClass);
    return event;
  }

  /**
   * One crossing of a border by people travelling together: each is processed at the exit
   * post within `spreadMinutes` in no particular order (the driver is not always first),
   * and again at the facing post after the drive between them. Returns the time the last
   * of them is through.
   */
  passage(step: Step, t: number, occupants: readonly Person[], options: PassageOptions): number {
    const { rng } = this;
    const [minTravel, maxTravel] = options.travelMinutes ?? [5, 90];
    let end = t;
    let at = t;
    if (step.exit !== undefined) {
      for (const person of occupants) {
        const when = at + rng.next() * options.spreadMinutes * MINUTE_MS;
        end = Math.max(end, when);
        this.cross(person, step.exit, when, 'exit', options);
      }
      at = end + rng.int(minTravel, maxTravel) * MINUTE_MS;
    }
    if (step.entry !== undefined) {
      for (const person of occupants) {
        const when = at + rng.next() * options.spreadMinutes * MINUTE_MS;
        end = Math.max(end, when);
        this.cross(person, step.entry, when, 'entry', options);
      }
    }
    return end;
  }
}
