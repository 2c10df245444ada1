import anyAscii from 'any-ascii';
import iuliia from 'iuliia';
import { canonicalPart, germanSpelling, partForms } from './part-forms.ts';

export { canonicalPart } from './part-forms.ts';

/**
 * Name normalisation for screening, in two steps:
 * - `foldName`: any script to lower-case ASCII Latin parts (what an officer would read);
 * - `canonicalPart`: one part to a spelling-neutral skeleton, so that the Uzbek, Kazakh,
 *   Russian-style and ICAO passport spellings of one name come out (nearly) the same.
 */

// Letters of the Kazakh, Kyrgyz, Uzbek and Tajik Cyrillic alphabets that ICAO Doc 9303's
// table (made for Russian and other European Cyrillic) does not cover; mapped to the Latin
// that passports of those states print (Tajik passports: Ҳ KH, Қ K, Ғ G, Ҷ J, Ӣ I, Ӯ U, as in
// KHAKKONI for Ҳаққонӣ). The console's search folds with the same table (src/console).
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
  return joinSeparateSuffixes(foldParts(text));
}

/**
 * The folded parts of a text as they are written apart, before `joinSeparateSuffixes`. Folding
 * reads each character on its own (no table used looks at a letter's neighbours), so the parts
 * of two texts joined by a space are the parts of each, one after the other.
 */
export function foldParts(text: string): string[] {
  return asciiParts(text) ?? foldText(text).split(/[^a-z]+/).filter((p) => p.length > 0);
}

/**
 * `foldParts` of a text of ASCII letters and separators only, read in one pass (most names
 * in traffic are written so): for such a text folding is lower-casing (normalisation, the
 * Cyrillic and Turkic tables and any-ascii leave ASCII as it is), and parts are the runs of a
 * to z. `undefined` for any other text, and for one with an apostrophe (which folding drops,
 * joining the letters around it).
 * `test/watchlist/normalise-name.test.ts` holds it equal to folding, then splitting.
 */
function asciiParts(text: string): string[] | undefined {
  const lower = text.toLowerCase();
  const parts: string[] = [];
  let from = -1;
  for (let i = 0; i < lower.length; i++) {
    // The text's own characters, not the lower-cased ones: a few others lower-case to ASCII (the Kelvin sign to k).
    if (text.charCodeAt(i) >= 128) return undefined;
    const ch = lower.charCodeAt(i);
    if (ch >= 97 && ch <= 122) {
      if (from < 0) from = i;
      continue;
    }
    if (ch === 39 || ch === 96) return undefined;
    if (from >= 0) {
      parts.push(lower.slice(from, i));
      from = -1;
    }
  }
  if (from >= 0) parts.push(lower.slice(from));
  return parts;
}

/** A Tajik or Persian family suffix written apart (Haqqani Zoda) belongs to the part before it. */
export function joinSeparateSuffixes(parts: string[]): string[] {
  for (let i = parts.length - 1; i > 0; i--) {
    if (SEPARATE_SUFFIXES.has(parts[i]!)) parts.splice(i - 1, 2, parts[i - 1]! + parts[i]!);
  }
  return parts;
}

export const SEPARATE_SUFFIXES: ReadonlySet<string> = new Set(['zoda', 'zada', 'zade', 'zadeh', 'zod']);

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

const TAJIK = /[ҳҷӣӯ]/;
const UZBEK_CYRILLIC = /ў/;
const KAZAKH_KYRGYZ = /[әөұүіңһ]/;
const KAZAKH_LATIN = /[äğñöūüşıİ]/i;
const UZBEK_APOSTROPHE = /[og][ʻʼ'‘’`´]/i;

/**
 * The script or alphabet a name was written in when it is not English-style Latin, and the
 * table it was read by, for the explanation: `Tajik Cyrillic (ICAO Doc 9303, ҳ h, қ q, ғ gh, ҷ j)`.
 */
export function scriptOf(text: string): string | undefined {
  const s = text.toLowerCase();
  if (CYRILLIC.test(s)) {
    if (TAJIK.test(s)) return 'Tajik Cyrillic (ICAO Doc 9303; ҳ h, қ q, ғ gh, ҷ j, ӣ i, ӯ u)';
    if (UZBEK_CYRILLIC.test(s)) return 'Uzbek Cyrillic (ICAO Doc 9303; ў u, қ q, ғ gh, ҳ h)';
    if (KAZAKH_KYRGYZ.test(s)) return 'Kazakh/Kyrgyz Cyrillic (ICAO Doc 9303)';
    return 'Cyrillic (ICAO Doc 9303)';
  }
  if (KAZAKH_LATIN.test(text)) return 'Kazakh 2021 or Turkic Latin';
  if (UZBEK_APOSTROPHE.test(s)) return 'Uzbek Latin (oʻ, gʻ)';
  return undefined;
}

/**
 * Parts that say whose son or daughter someone is, or a title, rather than a name:
 * ignored when aligning parts (kept in the explanation as `ignored`).
 */
export const PARTICLES: ReadonlySet<string> = new Set([
  'uulu', 'uly', 'ulu', 'ugli', 'ogli', 'oglu', 'ogly', 'kyzy', 'kizi', 'qizi', 'gizi', 'kyz', 'qyzy', 'gyzy',
  'bin', 'ibn', 'bint', 'binti', 'ben', 'ould', 'al', 'el', 'ul', 'ud',
  // ben (Maghreb) and ould (Mauritania) are the bin of "son of" in French-based spellings.
  'haji', 'hajji', 'hadji', 'mullah', 'mulla', 'mullo', 'maulavi', 'mawlawi', 'maulvi', 'sheikh', 'shaykh', 'qari', 'dr', 'mr', 'mrs',
]);

/** Particles as skeletons, so that each of their spellings is one (Qari, Kari; Hadzhi, Haji; Mullo, Mulla). */
const PARTICLE_SKELETONS: ReadonlySet<string> = new Set([...PARTICLES].map(canonicalPart));

export function isParticle(part: string, next: string | undefined): boolean {
  return PARTICLES.has(part) || PARTICLE_SKELETONS.has(canonicalPart(part)) || (next !== undefined && assimilatedArticle(part, next));
}

/** `isParticle(part, undefined)` for a part whose skeleton (`canonicalPart(part)`) the caller has. */
export function isParticleAlone(part: string, skeleton: string): boolean {
  return PARTICLES.has(part) || PARTICLE_SKELETONS.has(skeleton);
}

/**
 * The Arabic article assimilated to the sun letter that begins the next part (ash-Sharikh,
 * ar-Rahman, ad-Din, az-Zawahiri, an-Nur; ALA-LC Arabic romanisation rule 20), written as a
 * (or e, or u after a vowel: Nur ud-Din, Shams ur-Rahman) and that letter: the article, as al- is.
 */
function assimilatedArticle(part: string, next: string): boolean {
  const m = /^[aeu](sh|th|dh|[tdrzsn])$/.exec(part);
  return m !== null && next.startsWith(m[1]!);
}

/** A name ready to compare: folded parts (for the explanation), their skeletons and their forms. */
export interface NormalisedName {
  /** Folded parts in order, particles included. */
  parts: string[];
  /** Skeletons of the parts that are not particles, in order. */
  keys: string[];
  /** The forms of each key's part (`partForms`), in the same order. */
  forms: string[];
  /** Indexes into `parts` of each key. */
  from: number[];
}

export function normaliseName(text: string): NormalisedName {
  const parts = foldName(text);
  const keys: string[] = [];
  const forms: string[] = [];
  const from: number[] = [];
  const german = germanSpelling(parts);
  const take = (p: string, i: number): void => {
    keys.push(canonicalPart(p));
    forms.push(partForms(p, german));
    from.push(i);
  };
  parts.forEach((p, i) => {
    if (!isParticle(p, parts[i + 1])) take(p, i);
  });
  // A name made only of particles ("Haji") still needs something to compare.
  if (keys.length === 0) parts.forEach(take);
  return { parts, keys, forms, from };
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
