import path from 'node:path';
import fc from 'fast-check';
import talismanDoubleMetaphone from 'talisman/phonetics/double-metaphone.js';
import { describe, expect, it } from 'vitest';
import { loadEvalSet } from '../../bench/watchlist-eval.ts';
import { doubleMetaphone } from '../../src/watchlist/double-metaphone.ts';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { foldParts } from '../../src/watchlist/normalise-name.ts';
import { decodeForms, partForms } from '../../src/watchlist/part-forms.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Every letter group one of Double Metaphone's rules looks for (C, CH, CC, G, GH, GN, J, L, M,
// R, S, SCH, SC, T, TH, W, X, Z and the rest), the starts it skips (GN, KN, PN, WR, PS), and
// pieces of transliterated names (Russian, Tajik, Arabic, Persian; particles, suffixes, doubles).
const RULE_PIECES = [
  'ach', 'acher', 'bacher', 'macher', 'caesar', 'chia', 'chae', 'charac', 'charis', 'chor', 'chore', 'chym', 'chem',
  'van ', 'von ', 'san ', 'sch', 'orches', 'archit', 'orchid', 'mc', 'cz', 'wicz', 'witz', 'cia', 'cc', 'cce', 'cci',
  'cch', 'cchu', 'ucces', 'uccee', 'ck', 'cg', 'cq', 'ci', 'ce', 'cy', 'cio', 'cie', ' c', ' q', ' g', 'dg', 'dge',
  'dgi', 'dgy', 'dt', 'dd', 'gh', 'ghi', 'ugh', 'bough', 'hugh', 'laugh', 'gn', 'gney', 'gli', 'ges', 'gep', 'geb',
  'gel', 'gey', 'gei', 'ger', 'gib', 'gil', 'gin', 'gie', 'gy', 'danger', 'ranger', 'manger', 'rgy', 'ogy', 'aggi',
  'oggi', 'gier ', 'gg', 'get', 'h', 'jose', 'jj', 'ja', 'jo', 'll', 'illo', 'illa', 'alle', 'as', 'os', 'umb',
  'umber', 'mm', 'nn', 'ph', 'pb', 'pp', 'qq', 'rr', 'ier', 'mier', 'maier', 'isl', 'ysl', 'sugar', 'sh', 'sheim',
  'shoek', 'sholm', 'sholz', 'sio', 'sia', 'sian', 'sm', 'sn', 'sl', 'sw', 'sz', 'sc', 'schoo', 'scher', 'schen',
  'schuy', 'sched', 'schem', 'schw', 'sci', 'sce', 'scy', 'ai', 'oi', 'tion', 'tia', 'tch', 'th', 'tth', 'tham',
  'thom', 'tt', 'td', 'vv', 'wr', 'wh', 'wa', 'ewski', 'ewsky', 'owski', 'owsky', 'iaux', 'eaux', 'aux', 'oux',
  'xc', 'x', 'zh', 'zz', 'zzo', 'zzi', 'zza', 'tz', 'kn', 'pn', 'ps', 'k', 'w', 'a', 'e', 'i', 'o', 'u', 'y',
];
const NAME_PIECES = [
  'kh', 'dzh', 'dj', 'shch', 'ou', 'oo', 'ee', 'yev', 'iev', 'ov', 'ova', 'eva', 'ina', 'zoda', 'zade', 'zadeh', 'ullah',
  'ullo', 'abdul', 'abd', 'al', 'el', 'ul', 'ud', 'ur', 'ash', 'ibn', 'bin', 'abu', 'abou', 'bu', 'mohammad',
  'muhammad', 'haqqani', 'yusuf', 'jafar', 'qasim', 'ghulam', 'rahmon', 'karimov', 'schtsch', 'tsch', 'ss', 'ch',
  'j', 'q', 'b', 'd', 'f', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z',
];
const pieces = fc.array(fc.constantFrom(...RULE_PIECES, ...NAME_PIECES), { minLength: 1, maxLength: 7 }).map((p) => p.join(''));
const word = fc.oneof(
  { weight: 4, arbitrary: pieces },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{0,14}$/) },
  { weight: 1, arbitrary: pieces.map((p) => p.toUpperCase()) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  // Non-ASCII letters, some of which talisman reads (Ç, Ñ) or upper-cases to more letters (ß).
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...RULE_PIECES, 'ç', 'ñ', 'ß', 'ı', 'ſ', 'é', 'ø'), { maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
);

/** Each part of `names` and each of its readings: the texts the index keys a part by. */
function readings(names: Iterable<string>): Set<string> {
  const texts = new Set<string>();
  for (const name of names) {
    for (const part of foldParts(name)) {
      texts.add(part);
      for (const german of [false, true]) for (const f of decodeForms(partForms(part, german))) texts.add(f.text);
    }
  }
  return texts;
}

const differ = (texts: Iterable<string>): string[] => [...texts].filter((t) => doubleMetaphone(t).join('/') !== talismanDoubleMetaphone(t).join('/'));

describe('Double Metaphone read over char codes', () => {
  it('gives the codes talisman gives for random, name-like and rule-testing words', () => {
    fc.assert(
      fc.property(word, (w) => {
        expect(doubleMetaphone(w)).toEqual(talismanDoubleMetaphone(w));
      }),
      { numRuns: 60_000 },
    );
  });

  it('gives the codes talisman gives for every reading of every part of the UN list', () => {
    const list = loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'));
    const texts = readings(list.entries.flatMap((entry) => entry.names.map((name) => name.full)));
    expect(texts.size).toBeGreaterThan(5_000);
    expect(differ(texts)).toEqual([]);
  });

  it('gives the codes talisman gives for every reading of the evaluation set’s names (Cyrillic, Arabic, Persian, Latin)', () => {
    const texts = readings(loadEvalSet().flatMap((item) => [item.query.familyName, item.query.givenNames]));
    expect(texts.size).toBeGreaterThan(2_000);
    expect(differ(texts)).toEqual([]);
  });
});
