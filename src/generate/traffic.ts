import type { HsNorm } from '../enrich/reference.ts';
import type { Cargo } from '../model/cargo.ts';
import type { Crossing } from '../model/crossing.ts';
import { Crews } from './air.ts';
import { CargoFactory } from './cargo.ts';
import type { ListedPerson } from './listed-people.ts';
import { DAY_MS, HOUR_MS, PersonFactory } from './people.ts';
import { plantCase } from './plant.ts';
import { DEFAULT_CASE_NAMES, type PlantContext, type PlantedCaseName, type PlantedLabel } from './planted.ts';
import { Trains, type WagonRange } from './rail.ts';
import { Random } from './random.ts';
import { Regulars } from './regulars.ts';
import { oneOffSources, rateAt, type Source } from './sources.ts';
import type { TrafficClass } from './traffic-class.ts';
import { Trucks } from './trucks.ts';
import { type Pending, type QueueItem, World } from './world.ts';
import { ConfigError } from '../errors.ts';

export interface TrafficOptions {
  /** @default 1 */
  seed?: number;
  /** Event time of the first event. @default '2026-11-02T00:00:00Z' */
  start?: string;
  /** Share of events that are planted cases; 1 gives planted cases only. @default 0.01 */
  plantRate?: number;
  /** Planted cases to draw from. @default all but the opt-in ones (the crossing surge, the watchlist name) */
  cases?: readonly PlantedCaseName[];
  /** Prefix of event ids; different prefixes never collide. @default `g${seed}` */
  idPrefix?: string;
  /**
   * Multiplier of every volume: one-off trips a day and the numbers of regulars (commuters,
   * traders, trucks, crews). A small volume makes a week of traffic quick to generate.
   * @default 1
   */
  volume?: number;
  /**
   * Multiplier of the numbers of regulars alone (commuters, traders, minibus lines, trucks,
   * crews), who are kept in memory: a busy demo scales the one-off trips and keeps the
   * regulars of one region. @default volume
   */
  regulars?: number;
  /** Wagons per block train. @default { min: 20, max: 80 } */
  wagons?: WagonRange;
  /** Typical weight and value per HS code (the hs-norms list); goods without a norm are skipped. */
  hsNorms: ReadonlyMap<string, HsNorm>;
  /** USD per unit of currency (the currency-usd-rates list). */
  usdPerUnit: ReadonlyMap<string, number>;
  /** Entries of the stolen/lost document list, used by the stolen-document case and avoided otherwise. */
  stolenDocuments?: readonly { issuingState: string; number: string }[];
  /** Listed individuals, for the opt-in watchlist-name case (`listedPeopleIn(rulesDir)`). */
  listedPeople?: readonly ListedPerson[];
}

/** A generated event with its traffic class and, for the event that completes a planted case, its label. */
export interface Generated {
  event: Crossing | Cargo;
  trafficClass: TrafficClass;
  label?: PlantedLabel;
}

// With planted cases only, they come at about the region's whole event rate.
const PLANTED_ONLY_PER_DAY = 60_000;
// Local days start at midnight on the region's main clock (UTC+5).
const DAY_OFFSET_MS = 5 * HOUR_MS;

/**
 * An endless, seeded stream of the region's traffic as it really is: one-off travellers,
 * coaches, family cars and minibus lines, commuters, traders and seasonal workers between
 * paired posts, regular truck drivers with their loads, block trains with reused containers,
 * tour and pilgrimage groups and crews at the airports, on the hour, week and holiday
 * rhythm of each post. Every event is labelled with its traffic class; planted cases with
 * the indicators they must trip. Events come in event-time order. Same options, same stream.
 */
export function* generateTraffic(options: TrafficOptions): Generator<Generated, never, undefined> {
  const { seed = 1, start = '2026-11-02T00:00:00Z', plantRate = 0.01, idPrefix = `g${seed}`, volume = 1, wagons = { min: 20, max: 80 }, hsNorms, usdPerUnit, stolenDocuments = [], listedPeople = [] } = options;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) throw new ConfigError(`start is not a timestamp: ${start}`);
  if (!(plantRate >= 0 && plantRate <= 1)) throw new ConfigError(`plantRate must be within 0..1, got ${plantRate}`);
  if (!(volume > 0)) throw new ConfigError(`volume must be above 0, got ${volume}`);
  if (!(Number.isInteger(wagons.min) && wagons.min >= 1 && wagons.max >= wagons.min)) throw new ConfigError(`wagons must be a range of at least 1, got ${wagons.min}..${wagons.max}`);
  if (options.cases?.includes('watchlist-name') && listedPeople.length === 0) throw new ConfigError('the watchlist-name case needs listed people (a rules directory with watchlists/)');
  const cases = (options.cases ?? DEFAULT_CASE_NAMES).filter((c) => c !== 'stolen-document' || stolenDocuments.length > 0);
  const rng = new Random(seed);
  const people = new PersonFactory(rng, new Set(stolenDocuments.map((d) => `${d.issuingState}:${d.number}`)));
  const world = new World(rng, people, new CargoFactory(rng, hsNorms, usdPerUnit), startMs, volume, options.regulars ?? volume);
  const ctx: PlantContext = { rng, stolenDocuments, listedPeople, hsNorms, usdPerUnit };
  const ordinary = plantRate < 1;
  if (!ordinary && cases.length === 0) throw new ConfigError('plantRate 1 needs at least one planted case');
  // Planted cases ride on ordinary events: after each, a case with this probability keeps their share at plantRate.
  const plantAfterEach = ordinary && cases.length > 0 ? plantRate / (1 - plantRate) : 0;

  let sources: Source[] = [];
  if (ordinary) {
    sources = oneOffSources(world, new Trains(world, wagons));
    const regulars = new Regulars(world);
    const trucks = new Trucks(world);
    const crews = new Crews(world);
    const firstDay = Math.floor((startMs + DAY_OFFSET_MS) / DAY_MS) * DAY_MS - DAY_OFFSET_MS;
    const planDay = (index: number): QueueItem => ({
      run(): void {
        const dayStart = firstDay + index * DAY_MS;
        regulars.plan(dayStart, index);
        trucks.plan(dayStart);
        crews.plan(dayStart);
        world.queue.push(dayStart + DAY_MS, planDay(index + 1));
      },
    });
    world.queue.push(startMs, planDay(0));
  }

  let counter = 0;
  let t = startMs;
  let rates: number[] = [];
  let total = 0;
  let ratesHour = Number.NaN;
  let nextArrival = Number.NaN;
  let tripDue = false;
  const emit = ({ event, trafficClass, plant }: Pending): Generated => {
    event.eventId = `${idPrefix}-${String(++counter).padStart(8, '0')}`;
    if (!plant) return { event, trafficClass };
    return { event, trafficClass, label: { eventId: event.eventId, eventTime: event.eventTime, post: event.post, case: plant.case, indicators: [...plant.indicators] } };
  };

  for (;;) {
    if (Number.isNaN(nextArrival)) {
      const hour = Math.floor(t / HOUR_MS);
      if (hour !== ratesHour) {
        // Rates follow the clock hour by hour; within an hour a Poisson process per source.
        rates = sources.map((s) => rateAt(s, t));
        total = ordinary ? rates.reduce((a, b) => a + b, 0) : PLANTED_ONLY_PER_DAY / DAY_MS;
        ratesHour = hour;
      }
      // Past the hour the rates change: the draw stops at the hour and starts again from there.
      const draw = t + rng.exponential(1 / total);
      const hourEnd = (ratesHour + 1) * HOUR_MS;
      tripDue = draw < hourEnd;
      nextArrival = tripDue ? draw : hourEnd;
    }
    if (world.queue.peekTime() <= nextArrival) {
      t = world.queue.peekTime();
      const item = world.queue.pop()!;
      if ('run' in item) {
        item.run(t);
        continue;
      }
      yield emit(item);
      if (plantAfterEach > 0 && rng.chance(plantAfterEach)) plantCase(world, rng.pick(cases), t, ctx);
      continue;
    }
    t = nextArrival;
    nextArrival = Number.NaN;
    if (!tripDue) continue;
    if (!ordinary) {
      plantCase(world, rng.pick(cases), t, ctx);
      continue;
    }
    let x = rng.next() * total;
    let chosen = sources.length - 1;
    for (let i = 0; i < rates.length; i++) {
      x -= rates[i]!;
      if (x < 0) {
        chosen = i;
        break;
      }
    }
    sources[chosen]!.start(t);
  }
}
