/**
 * The kinds of traffic the generator makes. Every generated event carries one, so that
 * false alerts can be counted per kind of traffic: a budget met on average can still
 * drown the analysts of one post in buses.
 */
export const CROSSING_CLASSES = [
  'air-traveller',
  'air-group',
  'air-crew',
  'land-traveller',
  'pedestrian',
  'bus',
  'car',
  'shuttle-trader',
  'commuter',
  'seasonal-worker',
  'truck-driver',
] as const;

export const CARGO_CLASSES = ['road-cargo', 'rail-cargo', 'air-cargo', 'sea-cargo'] as const;

/** Every traffic class, crossing classes first. */
export const TRAFFIC_CLASSES = [...CROSSING_CLASSES, ...CARGO_CLASSES] as const;

export type CrossingClass = (typeof CROSSING_CLASSES)[number];
export type CargoClass = (typeof CARGO_CLASSES)[number];
export type TrafficClass = (typeof TRAFFIC_CLASSES)[number];

/** One line per class, for `generate --list-classes` and the docs. */
export const TRAFFIC_CLASS_DESCRIPTIONS: Readonly<Record<TrafficClass, string>> = {
  'air-traveller': 'a single air passenger at ALA or TAS, direct or connecting, conflict-adjacent direct flights included',
  'air-group': 'a member of a tour or pilgrimage group: 15-45 people on one flight, one booking date and agency, out and back',
  'air-crew': 'a crew member (crew certificate or passport) leaving and entering an airport every few days',
  'land-traveller': 'a one-off passenger of a train, a ferry or a taxi at a land, rail or sea post',
  pedestrian: 'a one-off crossing on foot, often back the same day; at a paired crossing point an exit and then an entry',
  bus: 'an occupant of a coach of 20-60 passengers and one driver, processed together at a post',
  car: 'an occupant of a family car or minibus (1-8, one driver), regular minibus lines included',
  'shuttle-trader': 'a trader going to a market across the border 1-3 times a week through the same crossing point',
  commuter: 'a worker crossing between paired posts every workday, out in the morning and back in the evening',
  'seasonal-worker': 'a worker crossing once, out for a season or back from one',
  'truck-driver': 'a regular driver (one or two per truck) of a truck on a fixed route, with its road cargo declared at each post',
  'road-cargo': 'a consignment on a regular truck, declared at every post of its route',
  'rail-cargo': 'a block train of 20-80 wagons and their containers (reused trip after trip), declared at every post',
  'air-cargo': 'an air freight consignment at an airport',
  'sea-cargo': 'a consignment on the Caspian ferry at the seaport',
};
