import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventSchema } from '../../src/model/event.ts';
import { isPlainCargo } from '../../src/validate/plain-cargo.ts';
import { isPlainCrossing } from '../../src/validate/plain-crossing.ts';
import { generated } from '../helpers.ts';
import { applyEdit, edgeValues, edit, pathsOf } from './event-edits.ts';

/** Generated traffic as a producer sends it (JSON text read back), with the airline crossings and cargo among it. */
const events = generated(3_000, { seed: 31, plantRate: 0.05 }).map((g) => JSON.parse(JSON.stringify(g.event)) as Record<string, unknown>);
const crossings = events.filter((e) => e.kind === 'crossing');
const cargo = events.filter((e) => e.kind === 'cargo');
const isPlain = (value: unknown): boolean => isPlainCrossing(value) || isPlainCargo(value);
/** Events small enough to edit at random path by path (a block train's declaration holds thousands of ids). */
const editable = events.filter((e) => JSON.stringify(e).length < 4_000);

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
