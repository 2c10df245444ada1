import type { HsNorm } from '../enrich/reference.ts';
import type { Cargo, CargoItem } from '../model/cargo.ts';
import { localTime, shuffle } from './people.ts';
import type { Random } from './random.ts';
import { LEGAL_FORMS, LOCAL_CURRENCY, type PostProfile, TRADER_LINES, TRADER_PLACES } from './region.ts';

/** What stays the same about a consignment at every post of its trip. */
export interface Consignment {
  shipper: Cargo['shipper'];
  consignee: Cargo['consignee'];
  countries: Cargo['countries'];
  items: CargoItem[];
  freight?: Cargo['freight'];
}

export interface ConsignmentOptions {
  from: string;
  to: string;
  transit?: string[];
  /** HS codes to choose the goods from (those without a norm are skipped). */
  goods: readonly string[];
  /** Roughly how many kg the consignment weighs (a truck, a train, an air shipment). */
  kg: number;
}

// ISO 6346 letter values run from A = 10 and skip the multiples of 11.
const LETTER_VALUE = new Map<string, number>();
for (let c = 0, v = 10; c < 26; c++, v++) {
  if (v % 11 === 0) v++;
  LETTER_VALUE.set(String.fromCharCode(65 + c), v);
}

/** A container number with its ISO 6346 check digit, as on the container's door. */
export function containerNumber(owner: string, serial: string): string {
  const code = `${owner}${serial}`;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = code[i]!;
    sum += (c >= '0' && c <= '9' ? Number(c) : LETTER_VALUE.get(c)!) * 2 ** i;
  }
  return `${code}${(sum % 11) % 10}`;
}

/** Makes consignments whose weights and values follow the HS norms, and their declarations. */
export class CargoFactory {
  private declarations = 0;

  constructor(
    private readonly rng: Random,
    readonly hsNorms: ReadonlyMap<string, HsNorm>,
    readonly usdPerUnit: ReadonlyMap<string, number>,
  ) {}

  consignment(options: ConsignmentOptions): Consignment {
    const { rng } = this;
    const pool = options.goods.filter((hs) => this.hsNorms.has(hs));
    const lines = Math.min(pool.length, rng.chance(0.6) ? 1 : rng.int(2, 3));
    const codes = shuffle(rng, pool).slice(0, Math.max(1, lines));
    const items = codes.map((hs) => this.item(hs, options.from, options.kg / codes.length));
    const consignment: Consignment = {
      shipper: this.party(options.from),
      consignee: this.party(options.to),
      countries: { origin: [options.from], dispatch: options.from, destination: options.to, transit: [...(options.transit ?? [])] },
      items,
    };
    if (rng.chance(0.4)) consignment.freight = this.freight(items);
    return consignment;
  }

  /** A goods line of about `kg`, at the norm's weight per package and a lognormal value per kg around the norm. */
  item(hsCode: string, origin: string, kg: number): CargoItem {
    const { rng } = this;
    const norm = this.hsNorms.get(hsCode)!;
    const packages = Math.max(1, Math.round((kg * rng.logNormal(0.3)) / norm.kgPerPackage));
    const grossKg = Math.round(packages * norm.kgPerPackage * rng.logNormal(0.12) * 10) / 10;
    const netKg = Math.round(grossKg * (0.9 + rng.next() * 0.07) * 10) / 10;
    let usd = grossKg * norm.usdPerKg * rng.logNormal(0.2);
    let description = norm.goods;
    // Used goods are declared honestly at a fraction of the new price; rare but real.
    if (rng.chance(0.002)) {
      usd = grossKg * norm.usdPerKg * (0.25 + rng.next() * 0.2);
      description = `used ${norm.goods}`;
    }
    return { hsCode, description, packages, grossKg, netKg, value: this.money(usd, origin) };
  }

  /** Commercial samples: a few kg, declared at a token value. */
  samples(hsCode: string, origin: string): CargoItem {
    const { rng } = this;
    const norm = this.hsNorms.get(hsCode)!;
    const packages = rng.int(1, 3);
    const grossKg = Math.round((0.5 + rng.next() * 15) * 10) / 10;
    const netKg = Math.round(grossKg * 0.85 * 10) / 10;
    return { hsCode, description: `${norm.goods}, commercial samples, no commercial value`, packages, grossKg, netKg, value: this.money(grossKg * norm.usdPerKg * (0.02 + rng.next() * 0.1), origin) };
  }

  money(usd: number, country: string): Cargo['items'][number]['value'] {
    const local = LOCAL_CURRENCY[country];
    const currency = local && this.usdPerUnit.has(local) && this.rng.chance(0.35) ? local : 'USD';
    return { amount: Math.round((usd / (this.usdPerUnit.get(currency) ?? 1)) * 100) / 100, currency };
  }

  /** Freight and insurance: a share of the goods' value, larger for cheap bulk, never above it. */
  private freight(items: readonly CargoItem[]): Cargo['freight'] {
    let usd = 0;
    let kg = 0;
    for (const item of items) {
      usd += item.value.amount * (this.usdPerUnit.get(item.value.currency) ?? 1);
      kg += item.grossKg;
    }
    const perKg = 0.04 * this.rng.logNormal(0.4);
    return { amount: Math.round(Math.min(kg * perKg, usd * 0.6) * 100) / 100, currency: 'USD' };
  }

  party(country: string): Cargo['shipper'] {
    const { rng } = this;
    const places = TRADER_PLACES[country] ?? [country];
    const place = rng.int(0, places.length - 1);
    const line = rng.int(0, TRADER_LINES.length - 1);
    const name = `${places[place]!} ${TRADER_LINES[line]!} ${LEGAL_FORMS[country] ?? 'Co.'}`;
    return { name, country, identifier: `${country}${String(place * 100 + line + 1).padStart(9, '0')}` };
  }

  /** The declaration of a consignment at one post of its trip (its id is given when it is yielded). */
  declaration(consignment: Consignment, post: PostProfile, t: number, direction: 'entry' | 'exit', mode: Cargo['mode'], units: Pick<Cargo, 'vehicleIds' | 'containerIds' | 'seals'>): Cargo {
    const eventTime = localTime(t, post.offset);
    const event: Cargo = {
      schemaVersion: 1,
      kind: 'cargo',
      eventId: '',
      eventTime,
      post: post.id,
      direction,
      declarationId: this.declarationId(post.id, eventTime),
      mode,
      vehicleIds: [...units.vehicleIds],
      containerIds: [...units.containerIds],
      seals: [...units.seals],
      shipper: { ...consignment.shipper },
      consignee: { ...consignment.consignee },
      countries: { ...consignment.countries, origin: [...consignment.countries.origin], transit: [...consignment.countries.transit] },
      items: consignment.items.map((i) => ({ ...i, value: { ...i.value } })),
    };
    if (consignment.freight) event.freight = { ...consignment.freight };
    return event;
  }

  /** A customs reference of the post, numbered in the order declarations are made. */
  declarationId(postId: string, eventTime: string): string {
    this.declarations += 1;
    return `${postId}/${eventTime.slice(0, 10).replaceAll('-', '')}/${String(this.declarations).padStart(6, '0')}`;
  }

  sealNumber(prefix = 'SL'): string {
    return `${prefix}${this.rng.digits(7)}`;
  }
}
