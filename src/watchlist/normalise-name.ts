import anyAscii from 'any-ascii';
import iuliia from 'iuliia';

/**
 * Name normalisation for screening, in two steps:
 * - `foldName`: any script to lower-case ASCII Latin parts (what an officer would read);
 * - `canonicalPart`: one part to a spelling-neutral skeleton, so that the Uzbek, Kazakh,
 *   Russian-style and ICAO passport spellings of one name come out (nearly) the same.
 */

// Letters of the Kazakh, Kyrgyz, Uzbek and Tajik Cyrillic alphabets that ICAO Doc 9303's
// table (made for Russian and other European Cyrillic) does not cover; mapped to the
// Latin that passports of those states print.
const CENTRAL_ASIAN_CYRILLIC: Record<string, string> = {
  қ: 'k', ғ: 'g', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i', ә: 'a',
  ў: 'u', ҳ: 'kh', ҷ: 'j', ӣ: 'i', ӯ: 'u', ҙ: 'z', ҫ: 's', ӊ: 'n',
};

// Turkic Latin alphabets (Kazakh 2021, Uzbek, Turkmen, Azerbaijani, Turkish): letters whose
// Russian-style passport spelling is a digraph, or whose plain-ASCII fallback would lose a sound.
const TURKIC_LATIN: Record<string, string> = {
  ş: 'sh', ç: 'ch', ğ: 'g', ñ: 'n', ä: 'a', ö: 'o', ü: 'u', ū: 'u', ı: 'i', ə: 'a', ž: 'zh', ň: 'n', ý: 'y', č: 'ch', š: 'sh',
};

// Uzbek oʻ/gʻ and the tutuq belgisi are written with any of these; they carry no sound a
// passport spells, so they are dropped.
const APOSTROPHES = /[ʻʼ'‘’`´ʹʾʿ]/g;
const CYRILLIC = /[\u0400-\u04ff]/;
const CENTRAL_ASIAN_CYRILLIC_RE = new RegExp(`[${Object.keys(CENTRAL_ASIAN_CYRILLIC).join('')}]`, 'g');
const TURKIC_LATIN_RE = new RegExp(`[${Object.keys(TURKIC_LATIN).join('')}]`, 'g');

/** Lower-case ASCII name parts of a name in any script: `Қасымов Ғани` → `['kasymov', 'gani']`. */
export function foldName(text: string): string[] {
  return foldText(text).split(/[^a-z]+/).filter((p) => p.length > 0);
}

/**
 * Text in any script as lower-case ASCII, transliterated as names are (Cyrillic by ICAO
 * Doc 9303 with the Central Asian letters, Turkic Latin digraphs, any-ascii for the rest),
 * with digits and punctuation kept: what the alert search folds.
 */
export function foldText(text: string): string {
  let s = text.normalize('NFC').toLowerCase().replace(APOSTROPHES, '');
  if (CYRILLIC.test(s)) {
    s = s.replace(CENTRAL_ASIAN_CYRILLIC_RE, (c) => CENTRAL_ASIAN_CYRILLIC[c]!);
    s = iuliia.translate(s, iuliia.ICAO_DOC_9303);
  }
  s = s.replace(TURKIC_LATIN_RE, (c) => TURKIC_LATIN[c]!);
  // any-ascii covers every other script (Arabic, Pashto and Persian among them).
  return anyAscii(s).toLowerCase();
}

/**
 * Parts that say whose son or daughter someone is, or a title, rather than a name:
 * ignored when aligning parts (kept in the explanation as `ignored`).
 */
export const PARTICLES: ReadonlySet<string> = new Set([
  'uulu', 'uly', 'ulu', 'ugli', 'ogli', 'oglu', 'ogly', 'kyzy', 'kizi', 'qizi', 'gizi', 'kyz', 'qyzy', 'gyzy',
  'bin', 'ibn', 'bint', 'binti', 'al', 'el', 'ul', 'ud',
  'haji', 'hajji', 'hadji', 'mullah', 'mulla', 'mullo', 'maulavi', 'mawlawi', 'maulvi', 'sheikh', 'shaykh', 'qari', 'dr', 'mr', 'mrs',
]);

// Order matters: longer digraphs first, then single letters.
const RULES: [RegExp, string][] = [
  [/shch/g, 'sh'],
  [/tch/g, 'ch'],
  [/dzh|dj/g, 'j'],
  [/zh/g, 'j'],
  [/kh/g, 'h'],
  [/x/g, 'h'],
  [/ck|q/g, 'k'],
  [/ph/g, 'f'],
  [/w/g, 'v'],
  [/gh/g, 'g'],
  [/th/g, 't'],
  [/dh/g, 'd'],
  [/ou|oo/g, 'u'],
  [/ee/g, 'i'],
  [/y/g, 'i'],
  // Russian-style ye-/ie- for initial Е (Yerlan, Ierlan, Erlan).
  [/^ie/, 'e'],
  // -iy/-ii/-yi endings and the iy of -iyev (Dmitriy, Dmitrii; Abdullayev, Abdullaev).
  [/i+/g, 'i'],
  [/([aeiou])iev$/, '$1ev'],
  [/([aeiou])ie/g, '$1e'],
  // Tajik -zoda and Azerbaijani/Persian -zade, -zadeh are one suffix.
  [/z[oa]d(a|e|eh)$/, 'zade'],
  // Feminine family names: Karimova is Karimov's wife or daughter.
  [/(ov|ev|in)a$/, '$1'],
  [/(.)\1+/g, '$1'],
];

const skeletons = new Map<string, string>();
const SKELETON_CACHE_LIMIT = 100_000;

/** The spelling-neutral skeleton of one folded part: `abdullayev` and `abdullaeva` → `abdulaev`. */
export function canonicalPart(part: string): string {
  let s = skeletons.get(part);
  if (s !== undefined) return s;
  s = part;
  for (const [re, to] of RULES) s = s.replace(re, to);
  // Parts repeat far more than names do (given names above all): 25 regular expressions once per part.
  if (skeletons.size >= SKELETON_CACHE_LIMIT) skeletons.clear();
  skeletons.set(part, s);
  return s;
}

/** A name ready to compare: folded parts (for the explanation) and their skeletons. */
export interface NormalisedName {
  /** Folded parts in order, particles included. */
  parts: string[];
  /** Skeletons of the parts that are not particles, in order. */
  keys: string[];
  /** Indexes into `parts` of each key. */
  from: number[];
}

export function normaliseName(text: string): NormalisedName {
  const parts = foldName(text);
  const keys: string[] = [];
  const from: number[] = [];
  parts.forEach((p, i) => {
    if (PARTICLES.has(p)) return;
    keys.push(canonicalPart(p));
    from.push(i);
  });
  // A name made only of particles ("Haji") still needs something to compare.
  if (keys.length === 0) parts.forEach((p, i) => (keys.push(canonicalPart(p)), from.push(i)));
  return { parts, keys, from };
}

/** `FAMILY<<GIVEN<NAMES` (an MRZ name field, with or without trailing fillers) as a name. */
export function mrzNameText(field: string): { familyName: string; givenNames: string } {
  const trimmed = field.replace(/<+$/, '');
  const cut = trimmed.indexOf('<<');
  const family = cut < 0 ? trimmed : trimmed.slice(0, cut);
  const given = cut < 0 ? '' : trimmed.slice(cut + 2);
  return { familyName: family.replace(/<+/g, ' ').trim(), givenNames: given.replace(/<+/g, ' ').trim() };
}

/** The MRZ line that holds the name field: the third of an ID card (TD1), else the first (TD3, TD2). */
export function mrzNameLine(lines: readonly string[]): string | undefined {
  return lines.length === 3 ? lines[2] : lines[0];
}

/** The name field of a passport's (TD3) or ID card's (TD1/TD2) MRZ lines. */
export function mrzNameField(lines: readonly string[]): string | undefined {
  const line = mrzNameLine(lines);
  return line === undefined || lines.length === 3 ? line : line.slice(5);
}
