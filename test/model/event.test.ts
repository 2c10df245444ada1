import { describe, expect, it } from 'vitest';
import type { Cargo } from '../../src/model/cargo.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { formatPath, validateEvent } from '../../src/model/event.ts';
import { LIMITS } from '../../src/model/limits.ts';
import { generated } from '../helpers.ts';

const sample = generated(400, { seed: 11, plantRate: 0 });
const crossing = structuredClone(sample.map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing')!);
const cargo = structuredClone(sample.map((g) => g.event).find((e): e is Cargo => e.kind === 'cargo')!);

function issuesOf(value: unknown): { path: string; message: string }[] {
  const result = validateEvent(value);
  if (result.success) throw new Error('expected the event to be rejected');
  return result.issues;
}

describe('validateEvent', () => {
  it('accepts every event the generator makes, crossings and cargo alike', () => {
    const failures = sample.filter((g) => !validateEvent(JSON.parse(JSON.stringify(g.event))).success);
    expect(failures).toEqual([]);
    expect(new Set(sample.map((g) => g.event.kind))).toEqual(new Set(['crossing', 'cargo']));
  });

  it('rejects a nationality that is not an ISO 3166-1 alpha-3 code, naming the path', () => {
    const issues = issuesOf({ ...crossing, traveller: { ...crossing.traveller, nationality: 'XYZ' } });
    expect(issues).toEqual([{ path: 'traveller.nationality', message: expect.stringContaining('alpha-3') }]);
  });

  it('rejects a 5-digit HS code with the item index in the path', () => {
    const bad = structuredClone(cargo);
    bad.items[0]!.hsCode = '08081';
    expect(issuesOf(bad)).toEqual([{ path: 'items[0].hsCode', message: 'must be a 6-digit HS code' }]);
  });

  it('reports every problem of an event at once', () => {
    const issues = issuesOf({ ...crossing, eventTime: 'yesterday', direction: 'sideways', traveller: { ...crossing.traveller, sex: 'Q' } });
    expect(issues.map((i) => i.path).sort()).toEqual(['direction', 'eventTime', 'traveller.sex']);
  });

  it('requires the schema version and a known kind', () => {
    const { schemaVersion: _, ...unversioned } = crossing;
    expect(issuesOf(unversioned).map((i) => i.path)).toEqual(['schemaVersion']);
    expect(issuesOf({ ...crossing, kind: 'parcel' })).toEqual([{ path: 'kind', message: expect.stringContaining('crossing') }]);
  });

  it('rejects unknown keys, including __proto__ from JSON', () => {
    const polluted = JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(crossing).slice(1)}`) as unknown;
    expect(issuesOf(polluted)).toEqual([{ path: '', message: expect.stringContaining('__proto__') }]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('rejects an MRZ whose lines do not have an ICAO length', () => {
    const bad = structuredClone(crossing);
    bad.document.mrz = ['P<KAZ', 'N1234'];
    expect(issuesOf(bad)).toEqual([{ path: 'document.mrz', message: expect.stringContaining('TD3') }]);
  });

  it('rejects a currency that is not ISO 4217 and a negative weight', () => {
    const bad = structuredClone(cargo);
    bad.items[0]!.value.currency = 'XXXX';
    bad.items[0]!.grossKg = -1;
    expect(issuesOf(bad).map((i) => i.path).sort()).toEqual(['items[0].grossKg', 'items[0].value.currency']);
  });
  it('accepts a block train of 80 wagons with two containers and two seals a container', () => {
    const train = structuredClone(cargo);
    train.mode = 'rail';
    train.vehicleIds = Array.from({ length: 80 }, (_, i) => `WAGON${String(i).padStart(8, '0')}`);
    train.containerIds = Array.from({ length: 160 }, (_, i) => `MSKU${String(i).padStart(7, '0')}`);
    train.seals = Array.from({ length: 320 }, (_, i) => `SL${String(i).padStart(7, '0')}`);
    train.items = Array.from({ length: 400 }, () => structuredClone(cargo.items[0]!));
    expect(validateEvent(JSON.parse(JSON.stringify(train))).success).toBe(true);
  });

  it('rejects an array over its limit with a message that names the limit, and never cuts it short', () => {
    const over = structuredClone(cargo);
    over.vehicleIds = Array.from({ length: LIMITS.vehicleIds + 1 }, (_, i) => `W${i}`);
    expect(issuesOf(over)).toEqual([{ path: 'vehicleIds', message: `at most ${LIMITS.vehicleIds} vehicle and wagon ids (limits: docs/events.md)` }]);
    const atLimit = structuredClone(cargo);
    atLimit.vehicleIds = Array.from({ length: LIMITS.vehicleIds }, (_, i) => `W${i}`);
    const accepted = validateEvent(atLimit);
    expect(accepted.success && accepted.event.kind === 'cargo' && accepted.event.vehicleIds.length).toBe(LIMITS.vehicleIds);
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(formatPath(['items', 2, 'value', 'amount'])).toBe('items[2].value.amount');
    expect(formatPath([])).toBe('');
  });
});

describe('control and bidirectional formatting characters in names and identifiers', () => {
  const RLO = '\u202e';
  it.each([
    ['traveller.familyName', (e: Crossing) => ({ ...e, traveller: { ...e.traveller, familyName: `Karimov${RLO}` } })],
    ['traveller.givenNames', (e: Crossing) => ({ ...e, traveller: { ...e.traveller, givenNames: `Aziz\u2066` } })],
    ['vehicle.plate', (e: Crossing) => ({ ...e, vehicle: { plate: `01A\u200b123BC`, country: 'UZB' } })],
    ['itinerary.ticketAgency', (e: Crossing) => ({ ...e, itinerary: { ...e.itinerary!, ticketAgency: `Agency\u0000` } })],
  ])('rejects one in a crossing’s %s, naming the character and where it is', (path, change) => {
    const issues = issuesOf(change({ ...crossing, itinerary: crossing.itinerary ?? { carrier: 'HY', flight: '1', origin: 'TAS', destination: 'IST', routing: [], bookingDate: '2026-10-01', paymentForm: 'card', oneWay: false, bagCount: 0, bagWeightKg: 0, ticketAgency: 'x' } }));
    expect(issues).toEqual([{ path, message: expect.stringMatching(/^must not contain control or bidirectional formatting characters \(U\+[0-9A-F]{4} at position \d+\)$/) }]);
  });

  it.each([
    ['shipper.name', (e: Cargo) => ({ ...e, shipper: { ...e.shipper, name: `Trade${RLO} LLC` } })],
    ['consignee.identifier', (e: Cargo) => ({ ...e, consignee: { ...e.consignee, identifier: `KAZ\u200f0001` } })],
    ['declarationId', (e: Cargo) => ({ ...e, declarationId: `D-1\u2028` })],
    ['items[0].description', (e: Cargo) => ({ ...e, items: [{ ...e.items[0]!, description: `tea\u061c` }] })],
    ['containerIds[0]', (e: Cargo) => ({ ...e, containerIds: [`MSKU\ufeff1234567`] })],
    ['seals[1]', (e: Cargo) => ({ ...e, seals: ['SL1', `SL${RLO}2`] })],
    ['vehicleIds[0]', (e: Cargo) => ({ ...e, vehicleIds: ['01\u0085A'] })],
  ])('rejects one in a cargo declaration’s %s', (path, change) => {
    expect(issuesOf(change(structuredClone(cargo))).map((i) => i.path)).toEqual([path]);
  });

  it('accepts a goods description over several lines, as manifests give them, and still refuses a bidi override in it', () => {
    const lines = structuredClone(cargo);
    lines.items[0] = { ...lines.items[0]!, description: 'Cotton trousers, men\'s\n\tsizes 46-56\r\npacked 20 a carton' };
    expect(validateEvent(lines).success).toBe(true);
    const spoof = structuredClone(cargo);
    spoof.items[0] = { ...spoof.items[0]!, description: `tea\n${RLO}eet` };
    expect(issuesOf(spoof)).toEqual([{ path: 'items[0].description', message: expect.stringContaining('U+202E at position 4') }]);
  });

  it('accepts names in any script, with the joiners Persian and Indic spellings need', () => {
    for (const familyName of ['Yılmaz', 'Straße', 'Иванов', 'محمدی', 'می‌خواهم', 'क्‍ष', 'Ng\u0303']) {
      expect(validateEvent({ ...crossing, traveller: { ...crossing.traveller, familyName } }).success, familyName).toBe(true);
    }
  });
});
