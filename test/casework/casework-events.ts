import type { Crossing } from '../../src/model/crossing.ts';
import { crossingAt } from '../helpers.ts';

/** The post the casework tests' crossings are at. */
export const POST = 'KZ-KHORGOS';
/** A person on the UN list (the list's own example in rules/indicators/crossing-watchlist.yaml), on a KAZ passport. */
export const LISTED = { familyName: 'Умаров', givenNames: 'Доку', dateOfBirth: '1964-04-13', sex: 'M' as const, nationality: 'KAZ' };
/** Nobody listed. */
export const ORDINARY = { familyName: 'IVANOV', givenNames: 'Petr', dateOfBirth: '1990-05-05', sex: 'M' as const, nationality: 'KAZ' };

let serial = 0;

/** A crossing at `hours` of event time by `who` on KAZ passport `number`, optionally expired (which alerts, medium). */
export function caseworkCrossing(hours: number, number: string, who: Partial<Crossing['traveller']>, expired = false): Crossing {
  const event = crossingAt(POST, 'entry', hours, number);
  event.eventId = `casework-${process.pid}-${++serial}`;
  event.traveller = { ...event.traveller, ...who };
  if (expired) event.document.expiry = '2020-01-01';
  return event;
}
