import { containerNumber } from './cargo.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './people.ts';
import { postOf, type Step, type World } from './world.ts';

/**
 * Block trains: 20-80 wagons under one consignment, a container per wagon or two on
 * container trains, a seal per container. Containers belong to a pool and come back
 * trip after trip with other goods and new seals; on one trip they keep their seals at
 * every post.
 */

export interface Corridor {
  id: string;
  steps: readonly Step[];
  from: string;
  to: string;
  /** Trains a day at volume 1. */
  trains: number;
  /** Hours between two posts of the route. */
  between: readonly [number, number];
  /** Container trains; otherwise bulk wagons, each sealed. */
  containers: boolean;
  owners: readonly string[];
}

export const CORRIDORS: readonly Corridor[] = [
  { id: 'china-kazakhstan', steps: [{ entry: 'KZ-KHORGOS' }], from: 'CHN', to: 'KAZ', trains: 12, between: [0, 0], containers: true, owners: ['TGHU', 'CSNU', 'UETU', 'KZTU'] },
  { id: 'china-uzbekistan', steps: [{ entry: 'KZ-KHORGOS' }, { exit: 'KZ-ZHIBEKZHOLY', entry: 'UZ-GISHTKUPRIK' }], from: 'CHN', to: 'UZB', trains: 5, between: [40, 70], containers: true, owners: ['TGHU', 'CSNU', 'UETU', 'UZTU'] },
  { id: 'kazakhstan-china', steps: [{ exit: 'KZ-KHORGOS' }], from: 'KAZ', to: 'CHN', trains: 5, between: [0, 0], containers: false, owners: [] },
  { id: 'uzbekistan-turkmenistan', steps: [{ exit: 'UZ-ALAT', entry: 'TM-FARAP' }], from: 'UZB', to: 'TKM', trains: 2, between: [0, 0], containers: true, owners: ['UZTU', 'TKMU'] },
];

/** Wagons per train; tests can lower it while the schema caps wagons per declaration. */
export interface WagonRange {
  min: number;
  max: number;
}

/** Reusable containers of one corridor: a container is free again some days after its trip. */
class ContainerPool {
  private readonly free: { id: string; at: number }[] = [];

  take(world: World, t: number, owners: readonly string[], n: number): string[] {
    const out: string[] = [];
    // Oldest first, so that a container waits its turn like in a real depot.
    this.free.sort((a, b) => a.at - b.at);
    while (out.length < n && this.free.length > 0 && this.free[0]!.at <= t) out.push(this.free.shift()!.id);
    while (out.length < n) out.push(containerNumber(world.rng.pick(owners), world.rng.digits(6)));
    return out;
  }

  giveBack(ids: readonly string[], at: number): void {
    for (const id of ids) this.free.push({ id, at });
  }
}

/** Starts one train of a corridor at time t. */
export class Trains {
  private readonly pools = new Map<string, ContainerPool>();

  constructor(
    private readonly world: World,
    private readonly wagons: WagonRange,
  ) {}

  run(corridor: Corridor, t: number): void {
    const { world } = this;
    const { rng, cargo } = world;
    const wagonCount = rng.int(this.wagons.min, this.wagons.max);
    const vehicleIds = Array.from({ length: wagonCount }, () => `${rng.pick(['5', '6', '9'])}${rng.digits(7)}`);
    let containerIds: string[] = [];
    let pool: ContainerPool | undefined;
    if (corridor.containers) {
      pool = this.pools.get(corridor.id) ?? new ContainerPool();
      this.pools.set(corridor.id, pool);
      // A 40-foot container per wagon, or two 20-foot ones.
      const n = rng.chance(0.6) ? wagonCount : Math.min(wagonCount * 2, wagonCount + rng.int(1, wagonCount));
      containerIds = pool.take(world, t, corridor.owners, n);
    }
    const seals = (corridor.containers ? containerIds : vehicleIds).map(() => cargo.sealNumber(corridor.containers ? 'SL' : 'ZP'));
    const first = corridor.steps[0]!;
    const goods = first.exit !== undefined ? postOf(first.exit).exports : postOf(first.entry!).imports;
    const transit = corridor.steps.length > 1 ? [postOf(first.entry ?? first.exit!).home] : [];
    const consignment = cargo.consignment({ from: corridor.from, to: corridor.to, transit: transit.filter((c) => c !== corridor.to && c !== corridor.from), goods, kg: corridor.containers ? containerIds.length * rng.int(8_000, 20_000) : wagonCount * rng.int(40_000, 65_000) });
    let at = t;
    for (const [i, step] of corridor.steps.entries()) {
      if (i > 0) at += rng.int(corridor.between[0], corridor.between[1]) * HOUR_MS;
      for (const [postId, direction] of [[step.exit, 'exit'], [step.entry, 'entry']] as const) {
        if (postId === undefined) continue;
        const event = cargo.declaration(consignment, postOf(postId), at, direction, 'rail', { vehicleIds, containerIds, seals });
        world.push(at, event, 'rail-cargo');
        at += rng.int(60, 240) * MINUTE_MS;
      }
    }
    // Emptied, returned and loaded again: back in the pool within days.
    pool?.giveBack(containerIds, at + rng.int(2, 6) * DAY_MS);
  }
}
