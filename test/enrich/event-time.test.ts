import { describe, expect, it } from 'vitest';
import { eventTimeMs } from '../../src/enrich/event-time.ts';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** A seeded linear congruential generator: the same texts on every run. */
function generator(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

/** Equal, NaN included. */
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

describe('the event time of an event in milliseconds', () => {
  it('is what Date.parse gives, for times with Z or an offset, fields in and out of range', () => {
    const next = generator(7);
    const differing: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      // Months to 13, days to 32, hours to 25, minutes and seconds to 61: some out of range on purpose.
      const base = `${pad(next(10_000), 4)}-${pad(next(14))}-${pad(next(33))}T${pad(next(26))}:${pad(next(62))}:${pad(next(62))}.${pad(next(1000), 3)}`;
      for (const text of [`${base}Z`, `${base}${next(2) === 0 ? '+' : '-'}${pad(next(26))}:${pad(next(62))}`]) if (!same(eventTimeMs(text), Date.parse(text))) differing.push(text);
    }
    expect(differing).toEqual([]);
  });

  it('is what Date.parse gives for other shapes: no fraction, more digits, lower case, a leap day, hour 24, letters in the clock', () => {
    const texts = [
      '2026-11-02T05:00:11.617+05:00',
      '2026-11-02T05:00:11Z',
      '2026-11-02T05:00:11.6170+05:00',
      '2026-11-02T05:00+05:00',
      '2026-11-02t05:00:11.617z',
      '2024-02-29T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2026-11-02T24:00:00.000Z',
      '2026-11-02T05:00:11.617-00:00',
      '2026-1a-02T05:00:11.617+05:00',
      // Letters where the clock's digits go: not a time at all.
      '2026-11-02Txx:00:11.617Z',
      '2026-11-02T05:0x:11.617+05:00',
      '2026-11-02T05:00:1 .617Z',
    ];
    for (const text of texts) expect(same(eventTimeMs(text), Date.parse(text)), text).toBe(true);
    expect(eventTimeMs('2026-11-02T05:00:11.617+05:00')).toBe(Date.UTC(2026, 10, 2, 0, 0, 11, 617));
  });
});
