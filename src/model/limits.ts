/**
 * Size limits of the event schemas, in one place so that the schemas, the rejection
 * messages and docs/events.md agree. Each is set from what real traffic needs, with room:
 * a block train runs 60 to 100 wagons, each with up to three containers and two seals a
 * container; a manifest has hundreds of lines (999 is the item limit of customs
 * declarations such as the WCO data model's goods item count). They exist so that one
 * event cannot hold megabytes of arrays, not to trim what producers send: an event over a
 * limit is rejected with the limit named, never cut.
 */
export const LIMITS = {
  /** Truck, trailer and wagon ids of one declaration. */
  vehicleIds: 300,
  /** Container numbers of one declaration. */
  containerIds: 1000,
  /** Seal numbers of one declaration. */
  seals: 2000,
  /** Line items of one declaration. */
  items: 999,
  /** Countries of origin of one declaration's goods. */
  originCountries: 100,
  /** Transit countries of one declaration's route. */
  transitCountries: 50,
  /** Transit airports of one itinerary. */
  routing: 20,
  /** Length of an id in `vehicleIds`, `containerIds` or `seals`. */
  cargoIdLength: 64,
} as const;

/** The message of an array over its limit: names the field, the limit and where limits are written. */
export function tooMany(what: string, limit: number): string {
  return `at most ${limit.toLocaleString('en')} ${what} (limits: docs/events.md)`;
}
