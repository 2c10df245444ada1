import { describe, expect, it } from 'vitest';
import { DEFAULT_QUALIFIERS, dateOfBirthEffect, dateOfBirthValue, dateSlip } from '../../src/watchlist/qualifiers.ts';
import { buildWatchlistIndex, type ScreenQuery } from '../../src/watchlist/watchlist-index.ts';

const o = DEFAULT_QUALIFIERS;

describe('date of birth near-misses', () => {
  it('takes one wrong digit anywhere, the decade included, for a slip of the listed date', () => {
    expect(dateSlip('1964-04-13', '1974-04-13')).toBe('one digit differs');
    expect(dateSlip('1964-04-13', '1964-04-18')).toBe('one digit differs');
    expect(dateSlip('1964', '1934-02-01')).toBe('one digit differs');
    expect(dateSlip('1964-04-13', '1974-04-18')).toBeUndefined();
    expect(dateSlip('1964-04-13', '1964-04-13')).toBeUndefined();
  });

  it('takes day and month swapped for a slip, but not a range for one', () => {
    expect(dateSlip('1971-03-12', '1971-12-03')).toBe('day/month swapped');
    expect(dateSlip('1968..1973', '1977-01-01')).toBeUndefined();
  });

  it('costs a near-miss about a typo where a different date costs a different person', () => {
    const decade = dateOfBirthValue(['1964-04-13'], '1974-04-13', o);
    const far = dateOfBirthValue(['1964-04-13'], '1982-07-01', o);
    expect(decade).toBe(o.dobNearMiss);
    expect(o.dobExact - decade).toBeLessThanOrEqual(0.06);
    expect(far).toBe(-o.dobMismatch);
    expect(dateOfBirthEffect(['1964-04-13'], '1974-04-13', o)).toEqual({ qualifier: 'dateOfBirth', effect: o.dobNearMiss, detail: '1974-04-13 ~ listed 1964-04-13 (one digit differs)' });
    // A year only, as some documents print it, is the listed year.
    expect(dateOfBirthValue(['1964-04-13'], '1964', o)).toBe(o.dobSameYear);
  });

  it('costs a slip of a listed year only what a typo in a name does: a fifth of all years are one', () => {
    expect(dateOfBirthValue(['1958'], '1998-05-09', o)).toBe(o.dobYearSlip);
    expect(o.dobYearSlip).toBeLessThan(o.dobNearMiss);
    expect(o.dobYearSlip).toBeGreaterThan(-o.dobMismatch);
    expect(dateOfBirthEffect(['1958'], '1998-05-09', o)).toEqual({ qualifier: 'dateOfBirth', effect: o.dobYearSlip, detail: '1998-05-09 ~ listed 1958 (one digit differs)' });
    // A full listed date one digit off stays a near miss.
    expect(dateOfBirthValue(['1958-05-09'], '1998-05-09', o)).toBe(o.dobNearMiss);
  });

  it('screens a listed person whose date of birth is a decade off by one digit', () => {
    const index = buildWatchlistIndex({ list: 'd', entries: [{ id: 'D-1', kind: 'individual', names: [{ full: 'Doku Umarov', quality: 'primary' }], datesOfBirth: ['1964-04-13'], nationalities: [], documents: [] }] });
    expect(index.screen({ familyName: 'Umarov', givenNames: 'Doku', dateOfBirth: '1974-04-13' })[0]?.score).toBeGreaterThanOrEqual(0.94);
    expect(index.screen({ familyName: 'Umarov', givenNames: 'Doku', dateOfBirth: '1985-09-30' })).toEqual([]);
  });

  it('screens every candidate whose rounded score reaches the threshold, whatever the qualifier options, as the full scoring finds them', () => {
    const entries = ['Fazl Mohammad Mazloom', 'Abdul Baqi Basir Awal Shah', 'Doku Umarov', 'Aziz Karimov'].map((full, i) => ({
      id: `Q-${i}`,
      kind: 'individual' as const,
      names: [{ full, quality: 'primary' as const }],
      datesOfBirth: [['1963', '1960-01-01', '1964-04-13', '1975-03-02'][i]!],
      nationalities: i < 2 ? ['AFG'] : [],
      documents: [],
      sex: 'M' as const,
    }));
    const queries: ScreenQuery[] = [
      { familyName: 'FAZL', givenNames: 'MOHAMMAD MAZLOOM', dateOfBirth: '1926-06-15', nationality: 'AFG' },
      { familyName: 'ABDUL', givenNames: 'BAQI BASIR AWAL SHAH', dateOfBirth: '1923-06-15', nationality: 'AFG' },
      { familyName: 'UMAROV', givenNames: 'DOKU', dateOfBirth: '1985-09-30', sex: 'M' },
      { familyName: 'KARIMOV', givenNames: 'AZIZ', dateOfBirth: '1995-03-02', nationality: 'UZB', sex: 'M' },
    ];
    // Options where a far date of birth leaves a sum just at the threshold (the sums carry
    // floating-point error either side of it), and a year slip that adds rather than takes away.
    const options = [
      { threshold: 0.9, dobMismatch: 0.16, nationalityMatch: 0.06 },
      { threshold: 0.9, dobMismatch: 0.17, nationalityMatch: 0.07 },
      { threshold: 0.8, dobMismatch: 0.28, nationalityMatch: 0.08 },
      { threshold: 0.8, dobMismatch: 0.3, nationalityMatch: 0.1 },
      { threshold: 0.9, dobMismatch: 0.1, sexMismatch: -0.05, nationalityMismatch: -0.05 },
      { threshold: 0.95, dobYearSlip: 0.05 },
    ];
    let reached = 0;
    for (const o of options) {
      const index = buildWatchlistIndex({ list: 'q', entries }, o);
      for (const q of queries) {
        const expected = index.candidates(q).filter((m) => m.score >= m.threshold);
        reached += expected.length;
        expect(index.screen(q).map((m) => [m.entryId, m.score])).toEqual(expected.map((m) => [m.entryId, m.score]));
      }
    }
    expect(reached).toBeGreaterThanOrEqual(4);
  });
});
