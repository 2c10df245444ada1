import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventSchema } from '../../src/model/event.ts';
import { isPlainCargo } from '../../src/validate/plain-cargo.ts';
import { isPlainCrossing } from '../../src/validate/plain-crossing.ts';
import { generated } from '../helpers.ts';

/** Generated traffic as a producer sends it (JSON text read back), with the airline crossings and cargo among it. */
const events = generated(3_000, { seed: 31, plantRate: 0.05 }).map((g) => JSON.parse(JSON.stringify(g.event)) as Record<string, unknown>);
const crossings = events.filter((e) => e.kind === 'crossing');
const cargo = events.filter((e) => e.kind === 'cargo');
const isPlain = (value: unknown): boolean => isPlainCrossing(value) || isPlainCargo(value);
/** Events small enough to edit at random path by path (a block train's declaration holds thousands of ids). */
const editable = events.filter((e) => JSON.stringify(e).length < 4_000);

/** Every path into an object, inner nodes and leaves, with array positions. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

/** Values that sit on a boundary of some field's rule, or break one. */
const edgeValues: unknown[] = [
  undefined, null, true, false, 0, -0, 1, 50, 51, 1000, 1000.5, 1001, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, '', ' ', 'A', 'KAZ', 'XXA', 'KZZ', 'USD', 'entry', 'exit', 'air', 'road', 'F', 'X', 'passport',
  'card', 'ALA', 'ala', 'KC', 'KC1', '1234', '12A', '12345', 'KZ-KHORGOS', 'KZ-K', 'kz-khorgos', '2024-02-29', '2023-02-29', '2024-13-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00+05:00',
  '2026-01-01T00:00:00', '2026-01-01T24:00:00Z', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(20), 'x'.repeat(21), 'a\u202Eb', 'a\u200Db', 'a\tb', 'a\u0000b', 'P<KAZ', 'P'.repeat(44), '<'.repeat(36), '1'.repeat(30),
  '123456', '12345', 'KGS', 'EUR', 'usd', 'a\nb', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(500), 'x'.repeat(501), 5e-324, Number.MIN_VALUE / 2, 1e308,
  { amount: 10, currency: 'USD' }, { amount: -0, currency: 'USD' }, { name: 'A', country: 'KAZ' }, ['KAZ'], Array(51).fill('KAZ'), Array(101).fill('KAZ'),
  [], ['ALA'], Array(21).fill('ALA'), ['P'.repeat(44), 'P'.repeat(44)], ['P'.repeat(30), 'P'.repeat(30), 'P'.repeat(30)], ['P'.repeat(44), 'P'.repeat(36)], ['P'.repeat(30), 'P'.repeat(30)], ['P'.repeat(44), 'P'.repeat(44), 'P'.repeat(44)], ['p'.repeat(44), 'P'.repeat(44)], {}, { plate: '01ABC02', country: 'KAZ' }, [1, 2],
];

const edit = fc.record({
  at: fc.nat(),
  how: fc.constantFrom('replace', 'delete', 'add-key', 'truncate-string'),
  value: fc.oneof(fc.constantFrom(...edgeValues), fc.string({ maxLength: 6 }), fc.integer({ min: -2, max: 60 }), fc.double({ min: -1, max: 1001, noNaN: true })),
});

function applyEdit(event: Record<string, unknown>, change: { at: number; how: string; value: unknown }): void {
  const paths = pathsOf(event).filter((p) => p.length > 0);
  const path = paths[change.at % paths.length]!;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, event);
  const key = path.at(-1)!;
  if (change.how === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (change.how === 'add-key' && typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key])) {
    (parent[key] as Record<string, unknown>).extra = structuredClone(change.value);
  } else if (change.how === 'truncate-string' && typeof parent[key] === 'string') {
    parent[key] = (parent[key] as string).slice(1);
  } else {
    // A copy: the edge values are shared, and a later edit must not change (or loop into) one.
    parent[key] = structuredClone(change.value);
  }
}

describe('the plain-event validators (crossings and cargo)', () => {
  it('accepts only what zod accepts, and zod gives back the same event', () => {
    fc.assert(
      fc.property(fc.nat({ max: editable.length - 1 }), fc.array(edit, { minLength: 0, maxLength: 3 }), (index, edits) => {
        const event = structuredClone(editable[index]!);
        for (const change of edits) applyEdit(event, change);
        if (!isPlain(event)) return;
        const parsed = EventSchema.safeParse(event);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toStrictEqual(event);
      }),
      { numRuns: 4_000, seed: 25 },
    );
  });

  it('accepts only what zod accepts after any one field of an event is set to any edge value', () => {
    // Events of every shape the traffic has: crossings with and without vehicle, itinerary and MRZ; cargo.
    const samples = [...crossings.filter((c, i) => i % 40 === 0 || ('itinerary' in c && i % 7 === 0)).slice(0, 30), ...editable.filter((e) => e.kind === 'cargo').slice(0, 6)];
    let accepted = 0;
    for (const sample of samples) {
      for (const path of pathsOf(sample).filter((p) => p.length > 0)) {
        for (const value of edgeValues) {
          const event = structuredClone(sample);
          applyEdit(event, { at: pathsOf(event).filter((p) => p.length > 0).findIndex((p) => p.join('.') === path.join('.')), how: 'replace', value });
          if (!isPlain(event)) continue;
          accepted += 1;
          const parsed = EventSchema.safeParse(event);
          if (!parsed.success) expect.fail(`accepted what zod refuses: ${path.join('.')} = ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message}`);
          expect(parsed.data).toStrictEqual(event);
        }
      }
    }
    expect(accepted).toBeGreaterThan(1_000);
  }, 120_000);

  it('accepts the crossings of generated traffic that carry no airline message, and its cargo, so the hot path seldom needs zod', () => {
    const plain = crossings.filter((c) => !('api' in c) && !('pnr' in c) && !('source' in c));
    expect(plain.length).toBeGreaterThan(crossings.length / 2);
    expect(plain.filter((c) => isPlainCrossing(c)).length).toBe(plain.length);
    expect(cargo.length).toBeGreaterThan(10);
    expect(cargo.filter((c) => isPlainCargo(c)).length).toBe(cargo.length);
    expect(cargo.some((e) => isPlainCrossing(e)) || crossings.some((e) => isPlainCargo(e))).toBe(false);
  });

  it('leaves to zod a -0 that zod reads as 0, and a key the schema does not know', () => {
    const withItinerary = crossings.find((c) => 'itinerary' in c && !('api' in c) && !('pnr' in c) && !('source' in c));
    expect(withItinerary).toBeDefined();
    const minusZero = structuredClone(withItinerary!);
    (minusZero.itinerary as Record<string, unknown>).bagCount = -0;
    expect(isPlainCrossing(minusZero)).toBe(false);
    expect(Object.is((EventSchema.parse(minusZero) as { itinerary: { bagCount: number } }).itinerary.bagCount, 0)).toBe(true);
    expect(isPlainCrossing({ ...withItinerary!, remarks: 'x' })).toBe(false);
  });

  it('leaves to zod a declaration without its id lists, which zod fills in', () => {
    const { seals: _seals, ...withoutSeals } = cargo[0]!;
    expect(isPlainCargo(withoutSeals)).toBe(false);
    expect((EventSchema.parse(withoutSeals) as { seals: string[] }).seals).toEqual([]);
  });
});
