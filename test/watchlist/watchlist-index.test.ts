import path from 'node:path';
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { describe, expect, it } from 'vitest';
import type { Watchlist, WatchlistEntry } from '../../src/watchlist/entry.ts';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { canonicalPart } from '../../src/watchlist/normalise-name.ts';
import { partSimilarity } from '../../src/watchlist/part-similarity.ts';
import { buildWatchlistIndex } from '../../src/watchlist/watchlist-index.ts';
import { ROOT } from '../helpers.ts';

const person = (id: string, full: string, extra: Partial<WatchlistEntry> = {}): WatchlistEntry => ({
  id,
  kind: 'individual',
  names: [{ full, quality: 'primary' }],
  datesOfBirth: [],
  nationalities: [],
  documents: [],
  ...extra,
});

const national: Watchlist = {
  list: 'kz-test',
  entries: [
    person('KZ-1', 'Ерлан Жаксыбеков', { datesOfBirth: ['1984-05-12'], nationalities: ['KAZ'], sex: 'M' }),
    person('KZ-2', 'Oʻtkir Abdullayev', { datesOfBirth: ['1990'] }),
    person('KZ-3', 'Dilnoza Yusupova', { datesOfBirth: ['1979-02-01'], sex: 'F' }),
    person('KZ-4', 'Aziz Karimov', { datesOfBirth: ['1975-03-02'], documents: [{ type: 'passport', number: 'FA 1234567', issuingState: 'UZB' }] }),
    person('KZ-5', 'Abdul Rahman Safi', { datesOfBirth: ['1970'] }),
  ],
};
const index = buildWatchlistIndex(national);
const top = (q: Parameters<typeof index.screen>[0]): string | undefined => index.screen(q)[0]?.entryId;

describe('buildWatchlistIndex', () => {
  it('matches a Cyrillic listed name with its Latin passport form, explaining which parts aligned', () => {
    const [m] = index.screen({ familyName: 'ZHAKSYBEKOV', givenNames: 'YERLAN', dateOfBirth: '1984-05-12', sex: 'M', nationality: 'KAZ' });
    expect(m?.entryId).toBe('KZ-1');
    expect(m!.score).toBeGreaterThanOrEqual(m!.threshold);
    expect(m!.explanation.parts).toEqual([
      { query: 'zhaksybekov', entry: 'zhaksybekov', similarity: 1 },
      { query: 'yerlan', entry: 'erlan', similarity: 1, rule: 'spelling variant' },
    ]);
    expect(m!.explanation.qualifiers.map((q) => q.qualifier)).toEqual(['dateOfBirth', 'nationality']);
  });

  it('matches the Russian-style spelling of an Uzbek Latin family name', () => {
    expect(top({ familyName: 'Abdullaev', givenNames: 'Utkir', dateOfBirth: '1990-07-07' })).toBe('KZ-2');
  });

  it('matches a name whose family and given parts are swapped', () => {
    expect(top({ familyName: 'DILNOZA', givenNames: 'IUSUPOVA', dateOfBirth: '1979-02-01', sex: 'F' })).toBe('KZ-3');
  });

  it('matches the MRZ name field when the names sent are garbled', () => {
    const [m] = index.screen({ familyName: 'X', givenNames: 'Y', mrzNames: 'KARIMOV<<AZIZ<<<<<<<<<<<<<' });
    expect(m?.entryId).toBe('KZ-4');
    expect(m!.explanation.from).toBe('mrz');
  });

  it('matches joined name parts against split ones', () => {
    expect(top({ familyName: 'SAFI', givenNames: 'ABDULRAHMAN', dateOfBirth: '1970-01-01' })).toBe('KZ-5');
  });

  it('lowers the score beyond ±3 years of the listed date of birth, below the threshold', () => {
    const near = index.candidates({ familyName: 'Karimov', givenNames: 'Aziz', dateOfBirth: '1977-01-01' })[0]!;
    const far = index.candidates({ familyName: 'Karimov', givenNames: 'Aziz', dateOfBirth: '1995-01-01' })[0]!;
    expect(near.score).toBeGreaterThanOrEqual(near.threshold);
    expect(far.score).toBeLessThan(far.threshold);
    expect(far.explanation.qualifiers.find((q) => q.qualifier === 'dateOfBirth')?.effect).toBeLessThan(0);
  });

  it('scores a name seen again by this crossing\'s qualifiers, whatever the crossings before it carried', () => {
    // The names' score is kept per name; the date, sex and nationality are this crossing's own.
    const fresh = buildWatchlistIndex(national);
    const q = { familyName: 'Zhaksybekov', givenNames: 'Yerlan' };
    const far = fresh.screen({ ...q, dateOfBirth: '1950-01-01' });
    const exact = fresh.screen({ ...q, dateOfBirth: '1984-05-12', nationality: 'KAZ' });
    const woman = fresh.screen({ ...q, dateOfBirth: '1984-05-12', sex: 'F' });
    const again = fresh.screen({ ...q, dateOfBirth: '1950-01-01' });
    expect(far).toEqual([]);
    expect(again).toEqual([]);
    expect(exact[0]?.entryId).toBe('KZ-1');
    const alone = buildWatchlistIndex(national).screen({ ...q, dateOfBirth: '1984-05-12', nationality: 'KAZ' });
    expect(exact).toEqual(alone);
    // Names alike (1), exact date (+0.06), listed as a man (-0.1).
    expect(woman[0]?.score).toBeCloseTo(0.96, 3);
    expect(woman[0]?.explanation.qualifiers.map((x) => x.qualifier)).toEqual(['dateOfBirth', 'sex']);
  });

  it('does not match a different person with a similar family name', () => {
    expect(index.screen({ familyName: 'Karimov', givenNames: 'Anvar', dateOfBirth: '1975-03-02' })).toEqual([]);
    expect(index.screen({ familyName: 'Rakhimov', givenNames: 'Jasur' })).toEqual([]);
  });

  it('costs a traveller family name that aligns with no listed part more than a missing middle name', () => {
    const given = buildWatchlistIndex({ list: 'g', entries: [person('G-1', 'Abdul Rahman', { datesOfBirth: ['1966-03-04'] })] });
    const query = { familyName: 'Hashimi', givenNames: 'Abdul Rahman', dateOfBirth: '1968-01-30' };
    const [m] = given.candidates(query);
    expect(m!.score).toBeLessThan(0.94);
    expect(m!.explanation.qualifiers.find((q) => q.qualifier === 'missingParts')?.effect).toBeCloseTo(-0.1);
    // The same parts with the extra one among the given names: a missing middle name.
    const [middle] = given.candidates({ ...query, familyName: 'Abdul', givenNames: 'Rahman Hashimi' });
    expect(middle!.score).toBeGreaterThanOrEqual(0.94);
    // Born on the listed day, the given names alone still reach the alerting threshold.
    expect(given.candidates({ ...query, dateOfBirth: '1966-03-04' })[0]!.score).toBeGreaterThanOrEqual(0.94);
  });

  it('holds short given names that differ in a consonant apart, and keeps those that differ in vowels or a guttural', () => {
    const listed = buildWatchlistIndex({ list: 'z', entries: [person('Z-1', 'Zahid Ahmadzai', { datesOfBirth: ['1970'] })] });
    for (const given of ['Zahra', 'Wahid']) {
      // One part alike of two is too few to be a candidate at all.
      expect(listed.candidates({ familyName: 'Ahmadzai', givenNames: given, dateOfBirth: '1970-04-29' })).toEqual([]);
    }
    expect(listed.screen({ familyName: 'Ahmadzai', givenNames: 'Zaid', dateOfBirth: '1970-04-29' })[0]?.entryId).toBe('Z-1');
    for (const [a, b] of [['saiad', 'saed'], ['munr', 'monir'], ['hader', 'kader'], ['rauf', 'rluf'], ['erik', 'eric']]) {
      expect(partSimilarity(canonicalPart(a!), canonicalPart(b!))).toBeGreaterThanOrEqual(0.8);
    }
    expect(partSimilarity('zahid', 'vahid')).toBeLessThan(0.8);
    expect(partSimilarity('sajid', 'majid')).toBeLessThan(0.8);
  });

  it('does not take the head of a compound name alone (Abdul) for a whole one (Abdullah), yet joins it to its neighbour', () => {
    const listed = buildWatchlistIndex({
      list: 'c',
      entries: [
        person('C-1', 'Amir Abdullah', { datesOfBirth: ['1971'] }),
        person('C-2', 'Abdulrahman Hottak', { datesOfBirth: ['1960'] }),
        person('C-3', 'Abdul Ghani Baradar Abdul Ahmad Turk', { datesOfBirth: ['1968'] }),
      ],
    });
    expect(listed.candidates({ familyName: 'Amiri', givenNames: 'Abdul Rahman', dateOfBirth: '1971-01-04' }).filter((m) => m.entryId === 'C-1')).toEqual([]);
    const [split] = listed.screen({ familyName: 'Hottak', givenNames: 'Abdul Rahman', dateOfBirth: '1960-05-01' });
    expect(split?.entryId).toBe('C-2');
    expect(split!.explanation.parts).toContainEqual({ query: 'abdul+rahman', entry: 'abdulrahman', similarity: 1, rule: 'written apart in the query' });
    // The listed name holds Abdul twice: the joined Abdulghani still finds Abdul Ghani.
    const [twice] = listed.screen({ familyName: 'Turk', givenNames: 'Abdulghani Baradar Abdul Ahmad', dateOfBirth: '1968-01-01' });
    expect(twice?.entryId).toBe('C-3');
    expect(twice!.score).toBeGreaterThanOrEqual(0.94);
  });

  it('sets related family names on one stem (Ahmadzai, Ahmadi; Noori, Noorani) below the alerting threshold, but not a typo at the end', () => {
    const listed = buildWatchlistIndex({
      list: 's',
      entries: [
        person('S-1', 'Mohammad Ahmadi', { datesOfBirth: ['1966'], nationalities: ['AFG'] }),
        person('S-2', 'Mohammad Aleem Noorani', { datesOfBirth: ['1963'] }),
        person('S-3', 'Yasir Sabawi Ibrahim Hasan al-Tikriti', { datesOfBirth: ['1968'] }),
      ],
    });
    const best = (familyName: string, givenNames: string, dateOfBirth: string): number => listed.candidates({ familyName, givenNames, dateOfBirth, nationality: 'AFG' })[0]?.score ?? 0;
    expect(best('Ahmadzai', 'Mohammad', '1966-08-24')).toBeLessThan(0.94);
    expect(best('Noori', 'Mohammad', '1963-12-14')).toBeLessThan(0.94);
    expect(best('Ahmadi', 'Mohammad', '1966-08-24')).toBeGreaterThanOrEqual(0.94);
    expect(best('Tikriit', 'Yasir Sabawi Ibrahim Hasan', '1968-01-01')).toBeGreaterThanOrEqual(0.94);
    expect(partSimilarity(canonicalPart('karimi'), canonicalPart('karim'))).toBeLessThan(jaroWinkler('karimi', 'karim') - 0.1);
    expect(partSimilarity(canonicalPart('stanikzai'), canonicalPart('stanekzai'))).toBeGreaterThan(0.9);
  });

  it('holds each list to its own threshold', () => {
    const strict = buildWatchlistIndex(national, { lists: { 'kz-test': { threshold: 0.999 } } });
    expect(strict.screen({ familyName: 'Abdullaev', givenNames: 'Utkir' })).toEqual([]);
    expect(() => buildWatchlistIndex(national, { threshold: 1.5 })).toThrow(/threshold/);
  });

  it('finds a listed document by number and issuing state after normalisation', () => {
    expect(index.checkDocument('FA1234567', 'UZB').map((h) => h.entryId)).toEqual(['KZ-4']);
    expect(index.checkDocument('FA1234567', 'KAZ')).toEqual([]);
  });

  it('finds a person of the shipped UN list from the Cyrillic name in the list', () => {
    const un = loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'));
    const unIndex = buildWatchlistIndex({ list: un.list, entries: un.entries });
    const [m] = unIndex.screen({ familyName: 'UMAROV', givenNames: 'DOKU', dateOfBirth: '1964-04-13', nationality: 'RUS' });
    expect(m?.reference).toBe('QDi.290');
    expect(unIndex.checkDocument('9603464086', 'RUS')[0]?.entryId).toBe(m?.entryId);
  });
});
