import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldName, normaliseName } from '../../src/watchlist/normalise-name.ts';
import { QueryNames } from '../../src/watchlist/query-names.ts';
import { Vocabulary } from '../../src/watchlist/vocabulary.ts';

// Words that exercise every rule the reader caches around: particles (Haji, bin, al), the
// assimilated article (ash-Sharikh, ar-Rahman), family suffixes written apart (Zoda, Zadeh),
// German marks (Mochammad, Schukurow), Cyrillic and Tajik letters, Turkic Latin, apostrophes.
const WORDS = [
  'Haji', 'bin', 'al', 'Al-', 'ash', 'Sharikh', 'ar', 'Rahman', 'ud', 'Din', 'Zoda', 'zadeh', 'Haqqani', 'Mochammad',
  'Schukurow', 'Tschernow', 'Abdulloh', 'Karimova', 'Ахунд', 'Мохаммад', 'Ҳассон', 'Қасымов', 'Ғани', 'Şükürov',
  "O'g'li", 'Oʻktam', 'Muhammadazam', 'Abu', 'Ghaith', 'Mullo', 'kyzy', 'Nur', 'Jun', 'Aliyev', 'Σοφία', '-', '  ',
];
const field = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), { maxLength: 5 }).map((w) => w.join(' '));

describe('reading a traveller\'s name fields part by part', () => {
  it('gives the parts, skeletons, forms and family split that normalising the whole name gives', () => {
    const reader = new QueryNames(new Vocabulary());
    fc.assert(
      fc.property(field, field, (familyName, givenNames) => {
        const read = reader.read(familyName, givenNames);
        const whole = normaliseName(`${familyName} ${givenNames}`);
        expect(read.name).toEqual(whole);
        const familyParts = foldName(familyName).length;
        let family = 0;
        while (family < whole.from.length && whole.from[family]! < familyParts) family++;
        expect(read.family).toBe(family);
        expect(read.tokens.length).toBe(whole.forms.length);
      }),
      { numRuns: 3_000 },
    );
  });

  it('interns a part read the German way (Asim beside Mochammad: Azim) apart from the same part read plainly, each once', () => {
    const vocabulary = new Vocabulary();
    const reader = new QueryNames(vocabulary);
    const plain = reader.read('Asim', 'Ivan');
    const german = reader.read('Asim', 'Mochammad');
    expect(vocabulary.forms(plain.tokens[0]!)).not.toEqual(vocabulary.forms(german.tokens[0]!));
    expect(reader.read('Asim', 'Ivan').tokens).toEqual(plain.tokens);
    expect(reader.read('Asim', 'Mochammad').tokens).toEqual(german.tokens);
  });
});
