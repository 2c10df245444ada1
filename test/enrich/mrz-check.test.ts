import { parse as parseMrz } from 'mrz';
import { describe, expect, it } from 'vitest';
import { checkMrz } from '../../src/enrich/mrz-check.ts';
import { dayNumber } from '../../src/enrich/enrich.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { Random } from '../../src/generate/random.ts';
import { generated } from '../helpers.ts';

const passports = generated(3000, { seed: 21, plantRate: 0 })
  .map((g) => g.event)
  .filter((e): e is Crossing => e.kind === 'crossing' && e.document.mrz !== undefined);

/** The library's verdict, which the fast path must agree with. */
function libraryValid(lines: string[]): boolean {
  return parseMrz(lines).details.every((d) => d.valid || !d.field?.endsWith('CheckDigit'));
}

describe('checkMrz', () => {
  it('agrees with the mrz library on genuine and on randomly altered passports', () => {
    const rng = new Random(99);
    const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<';
    let altered = 0;
    for (const e of passports) {
      const lines = [...e.document.mrz!];
      expect(checkMrz(lines, e.document.number, e.traveller.dateOfBirth).valid).toBe(libraryValid(lines));
      const at = rng.int(0, 43);
      const line2 = lines[1]!;
      const mutated = [lines[0]!, `${line2.slice(0, at)}${rng.pick([...ALPHABET])}${line2.slice(at + 1)}`];
      const verdict = checkMrz(mutated, e.document.number, e.traveller.dateOfBirth).valid;
      if (!verdict) altered += 1;
      expect(verdict, `${mutated[1]}`).toBe(libraryValid(mutated));
    }
    expect(passports.length).toBeGreaterThan(500);
    expect(altered).toBeGreaterThan(passports.length / 2);
  });

  it('explains a failure with the library\'s wording', () => {
    const e = passports[0]!;
    const line2 = e.document.mrz![1]!;
    const bad = [e.document.mrz![0]!, `${line2.slice(0, 19)}${(Number(line2[19]) + 1) % 10}${line2.slice(20)}`];
    const result = checkMrz(bad, e.document.number, e.traveller.dateOfBirth);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^birthDateCheckDigit: invalid check digit/)]));
  });

  it('notices an MRZ that belongs to another document', () => {
    const e = passports[0]!;
    expect(checkMrz(e.document.mrz!, e.document.number, e.traveller.dateOfBirth).matches).toBe(true);
    expect(checkMrz(e.document.mrz!, `${e.document.number}1`, e.traveller.dateOfBirth).matches).toBe(false);
    expect(checkMrz(e.document.mrz!, e.document.number, '1901-01-01').matches).toBe(false);
  });
});

describe('dayNumber', () => {
  it('matches Date.parse across leap years and centuries', () => {
    for (const date of ['1970-01-01', '1900-03-01', '2000-02-29', '2024-12-31', '1969-12-31', '2100-03-01', '1955-07-15']) {
      expect(dayNumber(date)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    }
  });
});
