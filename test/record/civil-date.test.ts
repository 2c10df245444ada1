import { describe, expect, it } from 'vitest';
import { civilDate } from '../../src/record/decode-batch.ts';

const DAY_MS = 86_400_000;

function byDate(days: number): string {
  try {
    return new Date(days * DAY_MS).toISOString().slice(0, 10);
  } catch {
    return 'throws';
  }
}

function byArithmetic(days: number): string {
  try {
    return civilDate(days);
  } catch {
    return 'throws';
  }
}

describe('a recorded date column read back as text', () => {
  it('gives the text Date gives for every day of the years 0000 to 9999', () => {
    const differing: number[] = [];
    for (let days = -719_528; days <= 2_932_896; days++) if (civilDate(days) !== byDate(days)) differing.push(days);
    expect(differing).toEqual([]);
  });

  it('gives what Date gives past those years, and for days that are not whole', () => {
    for (const days of [-719_529, 2_932_897, 1e8, -1e8, 1e9, 0.5, -0.5, Number.NaN]) expect(byArithmetic(days)).toBe(byDate(days));
    expect(civilDate(-719_529)).toBe('-000001-12');
    expect(civilDate(0)).toBe('1970-01-01');
  });
});
