import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Held, HeldRecords, type RecordFields } from '../../../src/rules/kinds/window/held-records.ts';
import { restoreValue, saveValue } from '../../../src/state/saved-state.ts';

/** A record as the model keeps it: every field, in plain sight. */
interface Modelled {
  t: number;
  id: string;
  stamp: string;
  value: unknown;
  amount: number;
  place: string | undefined;
  person: string | undefined;
}

/** An event time written in the offset `minutes` (Z for null), as events carry it. */
function written(t: number, minutes: number | null): string {
  if (minutes === null) return new Date(t).toISOString();
  const local = new Date(t + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 10, 1);

type Op = { insert: { dt: number; value: unknown; amount: number; place: string | undefined; person: string | undefined; offset: number | null; odd: string | null } } | { drop: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      // Mostly after the newest record, sometimes before it (late events), sometimes at the same time.
      dt: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: -2 * DAY, max: 0 }), fc.constant(0)),
      value: fc.oneof(fc.constantFrom('ivanov', 'petrov', 'karimov'), fc.constant(undefined), fc.integer({ min: 0, max: 3 })),
      amount: fc.integer({ min: 0, max: 1000 }),
      place: fc.option(fc.constantFrom('KZ-1', 'UZ-2'), { nil: undefined }),
      person: fc.option(fc.constantFrom('KAZ:N1', 'UZB:AA2'), { nil: undefined }),
      offset: fc.option(fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), { nil: null }),
      odd: fc.option(fc.constantFrom('2026-11-02T05:00:11+05:00', 'not a time'), { nil: null, freq: 6 }),
    }).map((insert) => ({ insert })),
  },
  // A window's lower edge moving on: records older than it leave.
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * DAY }).map((drop) => ({ drop })) },
);

const fieldsArb: fc.Arbitrary<RecordFields> = fc.record({ distinct: fc.boolean(), sum: fc.boolean(), passages: fc.boolean(), crews: fc.boolean() });

/** Reads every live record back through the layout. */
function readBack(layout: HeldRecords, fields: RecordFields, held: Held): Modelled[] {
  const out: Modelled[] = [];
  for (let i = layout.start(held); i < layout.count(held); i++) {
    out.push({
      t: layout.time(held, i),
      id: layout.eventId(held, i) as string,
      stamp: layout.eventTime(held, i),
      value: fields.distinct ? layout.value(held, i) : undefined,
      amount: fields.sum ? layout.amount(held, i) : 0,
      place: fields.passages ? (layout.at(held, i) as string | undefined) : undefined,
      person: fields.crews ? (layout.crew(held, i) as string | undefined) : undefined,
    });
  }
  return out;
}

describe('a window key’s held records', () => {
  it('hold what a sorted list would, through inserts in and out of order, drops and a save and restore', () => {
    fc.assert(
      fc.property(fieldsArb, fc.array(opArb, { minLength: 1, maxLength: 60 }), (fields, ops) => {
        const layout = new HeldRecords(fields);
        let held: Held | undefined;
        let model: Modelled[] = [];
        let newest = BASE;
        let edge = BASE - DAY;
        let n = 0;
        for (const op of ops) {
          if ('drop' in op) {
            edge = Math.max(edge, newest - op.drop);
            if (held) layout.dropBefore(held, edge);
            model = model.filter((r) => r.t >= edge);
          } else {
            const { dt, value, amount, place, person, offset, odd } = op.insert;
            const t = Math.max(edge, newest + dt);
            newest = Math.max(newest, t);
            const record: Modelled = { t, id: `e${++n}`, stamp: odd ?? written(t, offset), value: fields.distinct ? value : undefined, amount: fields.sum ? amount : 0, place: fields.passages ? place : undefined, person: fields.crews ? person : undefined };
            if (!held) held = layout.first(t, record.id, record.stamp, value, amount, place, person);
            else held = layout.insert(held, layout.insertionPoint(held, t), t, record.id, record.stamp, value, amount, place, person);
            // After every record at the same time or earlier: stable in event-time order.
            let at = model.length;
            while (at > 0 && model[at - 1]!.t > t) at -= 1;
            model.splice(at, 0, record);
          }
          if (!held) continue;
          expect(readBack(layout, fields, held)).toEqual(model);
          expect(layout.count(held) - layout.start(held)).toBe(model.length);
          if (model.length > 0) expect(layout.newestTime(held)).toBe(model[model.length - 1]!.t);
        }
        if (!held) return;
        // The distinct values and sums over the live records, as a set and a loop would give them.
        const from = layout.start(held);
        const to = layout.count(held);
        if (fields.distinct) {
          const values = new Set(model.map((r) => r.value).filter((v) => v !== undefined));
          expect(layout.countDistinct(held, from, to)).toBe(values.size);
          expect(layout.valuesIn(held, from, to)).toEqual(values);
        }
        if (fields.sum) expect(layout.sum(held, from, to)).toBe(model.reduce((s, r) => s + r.amount, 0));
        // Saved (the snapshot's array: the live records only, every time as written) and made live again.
        const saved = layout.save(held, saveValue);
        expect(saved[0]).toBe(0);
        expect(saved.length).toBe(1 + model.length * layout.width);
        for (let i = 0; i < model.length; i++) expect(saved[1 + i * layout.width + 3]).toBe(model[i]!.stamp);
        // As a snapshot file holds it: JSON.
        const restored = layout.restore(JSON.parse(JSON.stringify(saved)) as Held, restoreValue);
        expect(readBack(layout, fields, restored)).toEqual(model);
      }),
      { numRuns: 400 },
    );
  });

  it('cuts records that left the window off the array once they are half of it, and keeps the rest in place', () => {
    const layout = new HeldRecords({ distinct: false, sum: true, passages: false, crews: false });
    let held = layout.first(BASE, 'e0', written(BASE, 300), undefined, 0, undefined, undefined);
    for (let i = 1; i < 40; i++) held = layout.insert(held, layout.count(held), BASE + i * 1000, `e${i}`, written(BASE + i * 1000, 300), undefined, i, undefined, undefined);
    const before = held.length;
    layout.dropBefore(held, BASE + 30 * 1000);
    // Thirty of forty records left: cut off in place, start back at 0.
    expect(layout.start(held)).toBe(0);
    expect(held.length).toBe(before - 30 * layout.width);
    expect(layout.eventId(held, 0)).toBe('e30');
    expect(layout.sum(held, 0, layout.count(held))).toBe(30 + 31 + 32 + 33 + 34 + 35 + 36 + 37 + 38 + 39);
    // Nothing older than the edge left: the array is not touched.
    const same = held.slice();
    layout.dropBefore(held, BASE + 30 * 1000);
    expect(held).toEqual(same);
  });
});
