import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPart, foldName, foldParts, foldText, mrzNameText, normaliseName } from '../../src/watchlist/normalise-name.ts';

const keys = (s: string): string => normaliseName(s).keys.join(' ');

describe('normaliseName', () => {
  it('folds a Kazakh Cyrillic name and its Kazakh 2021 Latin and Russian-style passport forms to one skeleton', () => {
    expect(keys('Қасымов Ғани')).toBe('kasimov gani');
    expect(keys('Qasymov Ğani')).toBe('kasimov gani');
    expect(keys('KASSYMOV GANI')).toBe('kasimov gani');
  });

  it('reads Russian Cyrillic with the ICAO Doc 9303 table that passports use', () => {
    expect(foldName('Умаров Доку Хаматович')).toEqual(['umarov', 'doku', 'khamatovich']);
    expect(foldName('Юлия Щеглова')).toEqual(['iuliia', 'shcheglova']);
  });

  it('gives Uzbek Latin and Russian-style spellings of one family name the same skeleton', () => {
    expect(keys('Xolmatov')).toBe(keys('Kholmatov'));
    expect(keys('Abdullayev Oʻtkir')).toBe(keys("Abdullaev O'tkir"));
    expect(keys('Sharipov')).toBe(keys('Şaripov'));
    expect(keys('Dzhaksybekov')).toBe(keys('Zhaksybekov'));
    expect(keys('Yerlan')).toBe(keys('Erlan'));
  });

  it('treats feminine endings, -zoda/-zade and doubled letters as one spelling', () => {
    expect(canonicalPart('karimova')).toBe(canonicalPart('karimov'));
    expect(canonicalPart('rahmonzoda')).toBe(canonicalPart('rakhmonzade'));
    expect(canonicalPart('abdullaev')).toBe(canonicalPart('abdulaev'));
  });

  it('drops patronymic particles and titles from the compared parts but keeps them in the folded parts', () => {
    const n = normaliseName('Kubanychbek uulu Almaz');
    expect(n.parts).toEqual(['kubanychbek', 'uulu', 'almaz']);
    expect(n.keys).toEqual(['kubanichbek', 'almaz']);
    expect(normaliseName('Haji Mudir').keys).toEqual(['mudir']);
  });

  it('turns an MRZ name field into family and given names', () => {
    expect(mrzNameText('KARIMOV<<AZIZ<RUSTAMOVICH<<<<<<<<')).toEqual({ familyName: 'KARIMOV', givenNames: 'AZIZ RUSTAMOVICH' });
    expect(mrzNameText('ALMAZ<<<<<')).toEqual({ familyName: 'ALMAZ', givenNames: '' });
  });
});

describe('foldParts of ASCII text in one pass', () => {
  // Folding, then splitting on anything but a to z: what foldParts did for every text.
  const folded = (text: string): string[] => foldText(text).split(/[^a-z]+/).filter((p) => p.length > 0);
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z '`\-.,0-9]{0,24}$/) },
    { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 24 }) },
    // ASCII with a few other characters among it: Cyrillic, Turkic, the Kelvin sign, dotted I, apostrophes.
    { weight: 2, arbitrary: fc.array(fc.constantFrom('ab', 'Kh', ' ', '-', "'", 'ş', 'Қ', 'ʻ', '\u212a', 'İ', 'é', 'ß', 'o'), { maxLength: 8 }).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );

  it('gives the parts folding, then splitting gives', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(foldParts(t)).toEqual(folded(t));
      }),
      { numRuns: 40_000 },
    );
  });
});
