import type { Cargo } from '../model/cargo.ts';
import { containerNumber } from './cargo.ts';
import { plateOf } from './people.ts';
import type { PostProfile } from './region.ts';
import type { CargoClass } from './traffic-class.ts';
import type { World } from './world.ts';

const PARTNERS = ['TUR', 'DEU', 'KOR', 'CHN', 'IND', 'RUS'];

/**
 * A declaration on its own at a post: air freight, a ferry container, or the first
 * declaration a planted cargo case starts from. Returns it with its class; scheduling is
 * the caller's.
 */
export function oneOffDeclaration(world: World, post: PostProfile, t: number, direction?: 'entry' | 'exit'): { event: Cargo; trafficClass: CargoClass } {
  const { rng, cargo } = world;
  const dir = direction ?? (rng.chance(0.55) ? 'entry' : 'exit');
  const partner = post.neighbour || rng.pick(PARTNERS);
  const [from, to] = dir === 'entry' ? [partner, post.home] : [post.home, partner];
  const goods = dir === 'entry' ? post.imports : post.exports;
  const mode: Cargo['mode'] = post.kind === 'land' ? 'road' : post.kind;
  const kg = mode === 'air' ? rng.int(50, 3000) : mode === 'rail' ? rng.int(2, 6) * 20_000 : rng.int(8_000, 22_000);
  const consignment = cargo.consignment({ from, to, goods, kg });
  // Express samples: a few kg at a token value, a small share of air freight.
  if (mode === 'air' && rng.chance(0.005)) consignment.items = [cargo.samples(consignment.items[0]!.hsCode, from)];
  let vehicleIds: string[] = [];
  let containerIds: string[] = [];
  if (mode === 'road') vehicleIds = [plateOf(rng, rng.chance(0.8) ? post.home : post.neighbour || post.home)];
  if (mode === 'rail') vehicleIds = Array.from({ length: rng.int(2, 6) }, () => `${rng.pick(['5', '6', '9'])}${rng.digits(7)}`);
  if (mode === 'rail' || mode === 'sea' || (mode === 'road' && rng.chance(0.2))) {
    containerIds = Array.from({ length: mode === 'road' ? 1 : rng.int(1, 2) }, () => containerNumber(rng.pick(['MSKU', 'CSQU', 'TGHU', 'KZTU']), rng.digits(6)));
  }
  const seals = containerIds.length > 0 ? containerIds.map(() => cargo.sealNumber()) : mode === 'road' && rng.chance(0.85) ? [cargo.sealNumber('TIR')] : [];
  const event = cargo.declaration(consignment, post, t, dir, mode, { vehicleIds, containerIds, seals });
  const trafficClass: CargoClass = mode === 'road' ? 'road-cargo' : mode === 'rail' ? 'rail-cargo' : mode === 'sea' ? 'sea-cargo' : 'air-cargo';
  return { event, trafficClass };
}
