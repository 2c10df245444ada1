import type { HsNorm } from '../enrich/reference.ts';
import type { Cargo, CargoItem } from '../model/cargo.ts';
import type { Crossing, CrossingMode } from '../model/crossing.ts';
import { td3 } from './mrz.ts';
import type { ListedPerson } from './listed-people.ts';
import { DEFAULT_CASE_NAMES, type FollowUp, type PlantContext, PLANTED_CASES, type PlantedCaseName, type PlantedLabel } from './planted.ts';
import { Random } from './random.ts';
import {
  AIR_ROUTES, HOURLY, HUB_AIRPORT, LEGAL_FORMS, LOCAL_CURRENCY, NAMES, type PostProfile, POSTS, TICKET_AGENCIES, TRADER_LINES, TRADER_PLACES, WEEKLY,
} from './region.ts';

export interface TrafficOptions {
  /** @default 1 */
  seed?: number;
  /** Event time of the first event. @default '2026-11-02T00:00:00Z' */
  start?: string;
  /** Share of events that are planted cases. @default 0.01 */
  plantRate?: number;
  /** Planted cases to draw from. @default all but the opt-in ones (the crossing surge) */
  cases?: readonly PlantedCaseName[];
  /** Prefix of event ids; different prefixes never collide. @default `g${seed}` */
  idPrefix?: string;
  /** Typical weight and value per HS code (the hs-norms list); goods without a norm are skipped. */
  hsNorms: ReadonlyMap<string, HsNorm>;
  /** USD per unit of currency (the currency-usd-rates list). */
  usdPerUnit: ReadonlyMap<string, number>;
  /** Entries of the stolen/lost document list, used by the stolen-document case and avoided otherwise. */
  stolenDocuments?: readonly { issuingState: string; number: string }[];
  /** Listed individuals, for the opt-in watchlist-name case (`listedPeopleIn(rulesDir)`). */
  listedPeople?: readonly ListedPerson[];
}

export interface Generated {
  event: Crossing | Cargo;
  label?: PlantedLabel;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const normalise = (xs: readonly number[]): number[] => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.map((x) => x / mean);
};
const HOURLY_LAND = normalise(HOURLY.land);
const HOURLY_AIR = normalise(HOURLY.air);

/**
 * An endless, seeded stream of realistic crossing and cargo events for the region,
 * spaced in event time by each post's daily and weekly volume curve, with planted
 * cases labelled with the indicators they must trip. Same options, same stream.
 */
export function* generateTraffic(options: TrafficOptions): Generator<Generated, never, undefined> {
  const { seed = 1, start = '2026-11-02T00:00:00Z', plantRate = 0.01, idPrefix = `g${seed}`, hsNorms, usdPerUnit, stolenDocuments = [], listedPeople = [] } = options;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) throw new RangeError(`start is not a timestamp: ${start}`);
  if (!(plantRate >= 0 && plantRate <= 1)) throw new RangeError(`plantRate must be within 0..1, got ${plantRate}`);
  if (options.cases?.includes('watchlist-name') && listedPeople.length === 0) throw new RangeError('the watchlist-name case needs listed people (a rules directory with watchlists/)');
  const cases = (options.cases ?? DEFAULT_CASE_NAMES).filter((c) => c !== 'stolen-document' || stolenDocuments.length > 0);
  const rng = new Random(seed);
  const stolen = new Set(stolenDocuments.map((d) => `${d.issuingState}:${d.number}`));
  const ctx: PlantContext = { rng, stolenDocuments, listedPeople };
  const factory = new EventFactory(rng, hsNorms, usdPerUnit, stolen);
  let t = startMs;
  let counter = 0;
  // Later events of multi-event planted cases, in event-time order.
  const scheduled: { t: number; generated: Generated }[] = [];
  const nextId = (): string => `${idPrefix}-${String(++counter).padStart(8, '0')}`;
  for (;;) {
    const rates = POSTS.map((post) => postRates(post, t));
    const total = rates.reduce((sum, r) => sum + r.crossing + r.cargo, 0);
    const next = t + rng.exponential(1 / total);
    if (scheduled.length > 0 && scheduled[0]!.t <= next) {
      const due = scheduled.shift()!;
      t = due.t;
      yield due.generated;
      continue;
    }
    t = next;
    const eventId = nextId();
    if (cases.length > 0 && rng.chance(plantRate)) {
      const name = rng.pick(cases);
      const spec: { kind: 'crossing' | 'cargo'; posts?: readonly string[]; direction?: 'entry' | 'exit'; then?: readonly FollowUp[]; surge?: { count: number; minutes: number } } = PLANTED_CASES[name];
      const postId = spec.posts ? rng.pick(spec.posts) : undefined;
      const post = POSTS.find((p) => p.id === postId) ?? pickPost(rng, rates, spec.kind);
      const event = spec.kind === 'crossing' ? factory.crossing(eventId, post, t) : factory.cargo(eventId, post, t, spec.direction);
      (PLANTED_CASES[name].apply as (e: Crossing | Cargo, c: PlantContext) => void)(event, ctx);
      const label = (e: Crossing | Cargo): PlantedLabel => ({ eventId: e.eventId, eventTime: e.eventTime, post: e.post, case: name, indicators: [...PLANTED_CASES[name].indicators] });
      if (spec.surge) {
        const { count, minutes } = spec.surge;
        for (let k = 1; k <= count; k++) {
          const when = t + (k * minutes * 60_000) / count;
          const extra = factory.crossing(nextId(), post, when);
          insertScheduled(scheduled, when, k === count ? { event: extra, label: label(extra) } : { event: extra });
        }
        yield { event };
        continue;
      }
      if (!spec.then || event.kind !== 'crossing') {
        yield { event, label: label(event) };
        continue;
      }
      let previous = post;
      spec.then.forEach((step, i) => {
        const choices = step.posts === 'same' ? [post.id] : step.posts.filter((p) => p !== previous.id);
        const atId = rng.pick(choices.length > 0 ? choices : [post.id]);
        const at = POSTS.find((p) => p.id === atId)!;
        const later = structuredClone(event);
        const when = t + step.afterMinutes * 60_000;
        later.eventId = nextId();
        later.eventTime = localTime(when, at.offset);
        later.post = at.id;
        later.direction = step.direction;
        previous = at;
        const last = i === spec.then!.length - 1;
        insertScheduled(scheduled, when, last ? { event: later, label: label(later) } : { event: later });
      });
      yield { event };
      continue;
    }
    const kind = rng.next() * total < rates.reduce((sum, r) => sum + r.crossing, 0) ? 'crossing' : 'cargo';
    const post = pickPost(rng, rates, kind);
    yield { event: kind === 'crossing' ? factory.crossing(eventId, post, t) : factory.cargo(eventId, post, t) };
  }
}

function insertScheduled(queue: { t: number; generated: Generated }[], t: number, generated: Generated): void {
  let at = queue.length;
  while (at > 0 && queue[at - 1]!.t > t) at -= 1;
  queue.splice(at, 0, { t, generated });
}

interface PostRate {
  post: PostProfile;
  crossing: number;
  cargo: number;
}

/** Events per millisecond at a post at time t, from its daily volume and the hour and weekday curves. */
function postRates(post: PostProfile, t: number): PostRate {
  const local = new Date(t + offsetMs(post.offset));
  const hour = local.getUTCHours();
  const day = local.getUTCDay();
  const hourly = post.kind === 'air' ? HOURLY_AIR[hour]! : HOURLY_LAND[hour]!;
  return {
    post,
    crossing: (post.dailyCrossings * hourly * WEEKLY.crossing[day]!) / DAY_MS,
    cargo: (post.dailyCargo * HOURLY_LAND[hour]! * WEEKLY.cargo[day]!) / DAY_MS,
  };
}

function pickPost(rng: Random, rates: readonly PostRate[], kind: 'crossing' | 'cargo'): PostProfile {
  let total = 0;
  for (const r of rates) total += r[kind];
  let x = rng.next() * total;
  for (const r of rates) {
    x -= r[kind];
    if (x < 0) return r.post;
  }
  return rates[rates.length - 1]!.post;
}

function offsetMs(offset: string): number {
  return (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * HOUR_MS + Number(offset.slice(4, 6)) * 60_000);
}

/** `2026-11-02T14:03:27.120+05:00`: event time as the post's clock shows it. */
function localTime(t: number, offset: string): string {
  return `${new Date(t + offsetMs(offset)).toISOString().slice(0, 23)}${offset}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const FEMININE: [RegExp, string][] = [[/ov$/, 'ova'], [/ev$/, 'eva'], [/in$/, 'ina'], [/ uulu$/, ' kyzy']];

class EventFactory {
  private declarations = 0;

  constructor(
    private readonly rng: Random,
    private readonly hsNorms: ReadonlyMap<string, HsNorm>,
    private readonly usdPerUnit: ReadonlyMap<string, number>,
    private readonly stolen: ReadonlySet<string>,
  ) {}

  crossing(eventId: string, post: PostProfile, t: number): Crossing {
    const { rng } = this;
    const eventTime = localTime(t, post.offset);
    const today = eventTime.slice(0, 10);
    const nationality = rng.weighted(post.nationalities);
    const pool = NAMES[nationality] ?? NAMES['RUS']!;
    const sex = rng.chance(0.6) ? 'M' : 'F';
    let familyName = rng.pick(pool.family);
    if (pool.gendered && sex === 'F') for (const [re, to] of FEMININE) familyName = familyName.replace(re, to);
    const givenNames = rng.pick(sex === 'M' ? pool.male : pool.female);
    const age = rng.chance(0.06) ? rng.int(1, 17) : rng.int(18, 76);
    const dateOfBirth = addDays(`${Number(today.slice(0, 4)) - age - 1}-${today.slice(5, 10)}`, rng.int(1, 364));
    // Refugees and residents travel on documents of another state; most do not.
    const issuingState = rng.chance(0.01) ? rng.pick(['XXB', 'RUS', 'KAZ', 'TUR']) : nationality;
    const idCard = post.kind === 'land' && ['KAZ', 'KGZ', 'RUS'].includes(nationality) && rng.chance(0.3);
    let number: string;
    do number = idCard ? rng.digits(9) : `${pool.passport[0]}${rng.digits(pool.passport[1])}`;
    while (this.stolen.has(`${issuingState}:${number}`));
    const expiry = addDays(today, rng.chance(0.01) ? rng.int(0, 30) : rng.int(60, 3650));
    const mode: CrossingMode =
      post.kind === 'air' ? 'air' : post.kind === 'rail' ? 'rail' : post.kind === 'sea' ? 'sea' : rng.chance(0.6) ? 'road' : 'pedestrian';
    const event: Crossing = {
      schemaVersion: 1,
      kind: 'crossing',
      eventId,
      eventTime,
      post: post.id,
      direction: rng.chance(0.5) ? 'entry' : 'exit',
      mode,
      traveller: { familyName, givenNames, dateOfBirth, sex, nationality },
      document: { type: idCard ? 'id-card' : 'passport', number, issuingState, expiry },
    };
    if (!idCard && rng.chance(0.75)) {
      event.document.mrz = td3({ issuingState, familyName, givenNames, number, nationality, dateOfBirth, sex, expiry });
    }
    if (mode === 'road' && rng.chance(0.5)) {
      event.vehicle = { plate: `${rng.digits(3)}${String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25), 65 + rng.int(0, 25))}${rng.digits(2)}`, country: rng.chance(0.8) ? post.home : post.neighbour || post.home };
    }
    if (mode === 'air') event.itinerary = this.itinerary(post, event.direction, today);
    return event;
  }

  private itinerary(post: PostProfile, direction: 'entry' | 'exit', today: string): NonNullable<Crossing['itinerary']> {
    const { rng } = this;
    const route = rng.pick(AIR_ROUTES[post.id] ?? AIR_ROUTES['KZ-ALA']!);
    const hub = HUB_AIRPORT[post.id] ?? 'ALA';
    const lead = rng.chance(0.05) ? 0 : Math.min(180, Math.round(rng.exponential(21)));
    const bagCount = rng.weighted({ 0: 20, 1: 55, 2: 25 } as Record<string, number>);
    return {
      carrier: route.carrier,
      flight: String(rng.int(1, 999)),
      origin: direction === 'entry' ? route.airport : hub,
      destination: direction === 'entry' ? hub : route.airport,
      routing: direction === 'entry' ? [...route.via].reverse() : [...route.via],
      bookingDate: addDays(today, -lead),
      paymentForm: rng.weighted({ card: 70, cash: 15, 'bank-transfer': 8, voucher: 3, miles: 4 }),
      oneWay: rng.chance(0.15),
      bagCount: Number(bagCount),
      bagWeightKg: Number(bagCount) * rng.int(12, 23),
      ticketAgency: rng.pick(TICKET_AGENCIES),
    };
  }

  cargo(eventId: string, post: PostProfile, t: number, direction?: 'entry' | 'exit'): Cargo {
    const { rng } = this;
    const eventTime = localTime(t, post.offset);
    const dir = direction ?? (rng.chance(0.55) ? 'entry' : 'exit');
    const partner = post.neighbour || rng.pick(['TUR', 'DEU', 'KOR', 'CHN', 'IND', 'RUS']);
    const [from, to] = dir === 'entry' ? [partner, post.home] : [post.home, partner];
    const pool = (dir === 'entry' ? post.imports : post.exports).filter((hs) => this.hsNorms.has(hs));
    const items: CargoItem[] = [];
    const count = Math.min(pool.length, rng.weighted({ 1: 60, 2: 30, 3: 10 } as Record<string, number>) === '1' ? 1 : rng.int(2, 3));
    for (const hsCode of shuffle(rng, pool).slice(0, Math.max(1, count))) items.push(this.item(hsCode, from));
    const mode = post.kind === 'land' ? 'road' : post.kind;
    const containerised = mode === 'rail' || mode === 'sea' || (mode === 'road' && rng.chance(0.2));
    const containerIds = containerised ? Array.from({ length: rng.int(1, 2) }, () => `${rng.pick(['MSKU', 'CSQU', 'TGHU', 'KZTU'])}${rng.digits(7)}`) : [];
    const seals = containerised ? containerIds.map(() => `SL${rng.digits(7)}`) : rng.chance(0.8) ? [`TIR${rng.digits(6)}`] : [];
    this.declarations += 1;
    return {
      schemaVersion: 1,
      kind: 'cargo',
      eventId,
      eventTime,
      post: post.id,
      direction: dir,
      declarationId: `${post.id}/${eventTime.slice(0, 10).replaceAll('-', '')}/${String(this.declarations).padStart(6, '0')}`,
      mode,
      vehicleIds: mode === 'road' ? [`${rng.digits(3)}${String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25))}${rng.digits(2)}`] : [],
      containerIds,
      seals,
      shipper: this.party(from),
      consignee: this.party(to),
      countries: { origin: [from], dispatch: from, destination: to, transit: [] },
      items,
    };
  }

  private item(hsCode: string, origin: string): CargoItem {
    const { rng } = this;
    const norm = this.hsNorms.get(hsCode)!;
    const packages = Math.max(1, Math.round((norm.kgPerPackage >= 1000 ? rng.int(1, 3) : rng.int(20, 800)) * 1));
    const grossKg = Math.round(packages * norm.kgPerPackage * rng.logNormal(0.12) * 10) / 10;
    const netKg = Math.round(grossKg * (0.9 + rng.next() * 0.07) * 10) / 10;
    const usd = grossKg * norm.usdPerKg * rng.logNormal(0.2);
    const local = LOCAL_CURRENCY[origin];
    const currency = local && this.usdPerUnit.has(local) && rng.chance(0.35) ? local : 'USD';
    const amount = Math.round((usd / (this.usdPerUnit.get(currency) ?? 1)) * 100) / 100;
    return { hsCode, description: rng.chance(0.01) ? 'goods' : norm.goods, packages, grossKg, netKg, value: { amount, currency } };
  }

  private party(country: string): Cargo['shipper'] {
    const { rng } = this;
    const places = TRADER_PLACES[country] ?? [country];
    const place = rng.int(0, places.length - 1);
    const line = rng.int(0, TRADER_LINES.length - 1);
    const name = `${places[place]!} ${TRADER_LINES[line]!} ${LEGAL_FORMS[country] ?? 'Co.'}`;
    return { name, country, identifier: `${country}${String(place * 100 + line + 1).padStart(9, '0')}` };
  }
}

function shuffle<T>(rng: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
