import { partSimilarity } from './part-similarity.ts';
import { applySkeletonRules } from './skeleton-rules.ts';

/**
 * The forms a name part is compared in. A folded part (lower-case ASCII) has a spelling-neutral
 * skeleton (`canonicalPart`), and, where its letters could be read another way, the skeletons of
 * those readings: a Russian name romanised by the German (Duden) or French tables, the digraphs
 * zh, kh, dh, gh read as two letters (Arabic Azhar is not Ajar), and its stem without a family
 * suffix (-zoda, -ov, -i ...). Two parts are as alike as their most alike forms, less what
 * reading them that way costs.
 */

const skeletons = new Map<string, string>();
const CACHE_LIMIT = 100_000;

/** The spelling-neutral skeleton of one folded part: `abdullayev` and `abdullaeva` → `abdulaev`. */
export function canonicalPart(part: string): string {
  let s = skeletons.get(part);
  if (s !== undefined) return s;
  s = applySkeletonRules(part);
  // Parts repeat far more than names do (given names above all): the rules once per part.
  if (skeletons.size >= CACHE_LIMIT) skeletons.clear();
  skeletons.set(part, s);
  return s;
}

const VOWELS = 'aeiouy';
/** Letters of a German romanisation that English-style spellings do not use that way. */
const GERMAN_MARKS = /sch|(?<![cst])ch|w|j[aeiou]|[aeiouy]ss[aeiouy]/;
/**
 * Letters that show a whole name was romanised the German way, so that its other parts are
 * read so too (Saed Mochammad Asim: Azim, whose s for з alone shows nothing).
 */
const GERMAN_NAME_MARKS = /sch|(?<![cst])ch/;

/** Whether a name's folded parts show a German romanisation (see `partForms`). */
export function germanSpelling(parts: readonly string[]): boolean {
  return parts.some((p) => GERMAN_NAME_MARKS.test(p));
}
/**
 * German romanisation of Russian (Duden, as in German passports before ICAO and in the German
 * press): ш and ж → sch, щ → schtsch, ч → tsch, х → ch, ц → z, з → s, с between vowels → ss,
 * в → w, й/я/ю/ё → j, ja, ju, jo. Read back to the English-style letters the skeleton works on.
 * `zh` reads sch as ж rather than ш.
 */
function germanReading(part: string, sch: 'sh' | 'zh'): string {
  return part.replace(/schtsch|tsch|dsch|sch|ch|ss|s|w|z|j/g, (m, at: number) => {
    switch (m) {
      case 'schtsch': return 'shch';
      case 'tsch': return 'ch';
      case 'dsch': return 'dzh';
      case 'sch': return sch;
      case 'ch': return 'kh';
      case 'ss': return 's';
      case 's': return betweenVowels(part, at) ? 'z' : 's';
      case 'w': return 'v';
      case 'z': return 'ts';
      default: return 'y';
    }
  });
}

function betweenVowels(part: string, at: number): boolean {
  return at > 0 && VOWELS.includes(part[at - 1]!) && at + 1 < part.length && VOWELS.includes(part[at + 1]!);
}

/**
 * French romanisation of Russian (usage of the French foreign ministry and press): ш → ch,
 * ж → j, щ → chtch, ч → tch, дж → dj, у → ou, х → kh, с between vowels → ss, г before e/i → gu.
 */
function frenchReading(part: string): string {
  return part.replace(/chtch|tch|ch|dj|j|ou|gu(?=[ei])|ss|s/g, (m, at: number) => {
    switch (m) {
      case 'chtch': return 'shch';
      case 'tch': return 'ch';
      case 'ch': return 'sh';
      case 'dj': return 'dzh';
      case 'j': return 'zh';
      case 'ou': return 'u';
      case 'gu': return 'g';
      case 'ss': return 's';
      default: return betweenVowels(part, at) ? 'z' : 's';
    }
  });
}

/**
 * Family-name suffixes that may be put on or taken off any stem, joined or written apart:
 * Tajik -zoda (-zod) and Persian -zade, which Tajik families have taken for Russian-style
 * -ov/-ev since 2007 (one person's documents may carry either), the -i of Persian and Arabic
 * family names (Karimi), -ov/-ova, -ev/-eva, -yev, -iy.
 * As skeletons (`canonicalPart` has made -zoda/-zada/-zadeh `zade`, -ova `ov`, -iy `i`).
 */
const SUFFIXES = ['zade', 'zod', 'iev', 'ov', 'ev', 'i'] as const;
/** A stem shorter than this is not a name on its own (Al-i, Ov). */
const STEM = 3;

/** How a form was read: the tag that starts its encoded form. */
export const READING = { skeleton: '=', twoLetters: '2', german: 'g', french: 'f', tajik: 't', persian: 'p', article: 'a', stem: '-', split: 's' } as const;
export type Reading = (typeof READING)[keyof typeof READING];

export const READING_LABEL: Record<Reading, string> = {
  '=': 'spelling',
  '2': 'zh/kh/dh/gh as two letters',
  g: 'German transliteration',
  f: 'French transliteration',
  t: 'Tajik/Uzbek o for a',
  p: 'Persian vowels and q for gh',
  a: 'article joined to the name',
  '-': 'suffix',
  s: 'compound written as one part',
};

/** What reading a part another way costs (so that the usual reading wins a tie). */
export const READING_COST = 0.02;
/** Parts shorter than this are read with Persian q for gh, but not its vowels. */
const PERSIAN_VOWELS_FROM = 5;
/** What an article joined to a name (Alghabra, Assharikh) costs when read off. */
export const ARTICLE_COST = 0.03;
/** What a family suffix put on or taken off costs: about one letter of a typo. */
export const SUFFIX_COST = 0.04;
/** How alike two stems must be for a suffix reading to count: spelt the same, or all but. */
const STEM_MIN_SIMILARITY = 0.95;

/**
 * The forms of one folded part, encoded as one string (`=skeleton|gskeleton|-zade:stem`): the
 * skeleton first, then the other readings' skeletons where they differ, then the stem without
 * a suffix. Interned as one token, so that equal parts share their similarities.
 * @param german whether the part's name shows a German romanisation (`germanSpelling`):
 * then it is read the German way whatever its own letters.
 */
export function partForms(part: string, german = false): string {
  const key = german ? `${part}!` : part;
  let encoded = formCache.get(key);
  if (encoded === undefined) {
    encoded = buildForms(part, german);
    if (formCache.size >= CACHE_LIMIT) formCache.clear();
    formCache.set(key, encoded);
  }
  return encoded;
}

const formCache = new Map<string, string>();

/**
 * `partForms` worked out afresh, from the part's skeleton (`canonicalPart(part)`), for a
 * caller that keeps the forms of its parts itself (`QueryNames`): a traveller's new part then
 * costs no entries in this module's caches, which only the collector would read again.
 */
export function readForms(part: string, german: boolean, skeleton: string): string {
  return buildForms(part, german, skeleton);
}

/**
 * The forms of the last part `readForms` read, as `decodeForms` gives them from the encoded
 * string: a new part is interned without its forms being split again.
 */
export function lastFormsRead(): Form[] {
  return built;
}

// The other readings' skeletons are worked out without `canonicalPart`'s cache: a reading is
// read once per part (its forms are cached whole), and keeping every new part's readings in a
// map of 100,000 would cost more than reading them.
let building = '';
let built: Form[] = [];
const seen: string[] = [];

/** Adds a reading's skeleton to the forms being built, unless empty or met already. */
function add(tag: Reading, s: string): void {
  if (s.length === 0 || seen.includes(s)) return;
  seen.push(s);
  building += `|${tag}${s}`;
  built.push({ reading: tag, text: s });
}

function buildForms(part: string, german: boolean, skeleton = canonicalPart(part)): string {
  // The encoded forms are built as one string, the readings' skeletons met so far in a list
  // (a handful): no set, array or closure per part.
  seen.length = 0;
  seen.push(skeleton);
  building = READING.skeleton + skeleton;
  built = [{ reading: READING.skeleton, text: skeleton }];
  if (/zh|kh|dh|gh/.test(part)) add(READING.twoLetters, applySkeletonRules(part, true));
  // Only a part that shows a German spelling is read the German way: read so, every z of an
  // English-style spelling would be ц (Ahmadzai as Ahmadtsai) and escape the checks on endings.
  if (german || GERMAN_MARKS.test(part)) {
    add(READING.german, applySkeletonRules(germanReading(part, 'sh')));
    if (part.includes('sch')) add(READING.german, applySkeletonRules(germanReading(part, 'zh')));
  }
  if (/ch|j|ou|ss|gu[ei]/.test(part)) add(READING.french, applySkeletonRules(frenchReading(part)));
  // Tajik and Uzbek write the long a of Persian and Arabic names with о (Раҳмон, Rahmon;
  // Ҳаққонӣ, Haqqoni; Abdulloh): read back, o is a (BGN/PCGN 1994 Tajik; Uzbek Latin 1995).
  if (part.includes('o')) add(READING.tajik, applySkeletonRules(tajikReading(part)));
  // Persian romanisation writes the Arabic short vowels i and u as e and o (Esmatullah, Ismatullah;
  // Abdol, Abdul; Sharekh, Sharikh), and Persian speech merges qaf and ghayn, so that one
  // name is Aqa or Agha (UNGEGN/BGN-PCGN Persian 1958 against ALA-LC Arabic).
  // Vowels only in parts of five letters or more: in a syllable of three (Jon, Jun; Yong) the
  // vowel is most of what tells two names apart, above all in Korean and Chinese names.
  // A Russian-style family name (Karimov, Rahmonova) is spelt the Russian way, not the Persian.
  const russian = RUSSIAN_ENDING.test(part);
  if (!russian && /[eoq]/.test(part)) {
    const persian = part.replace(/q+/g, 'gh');
    add(READING.persian, applySkeletonRules(part.length < PERSIAN_VOWELS_FROM ? persian : persian.replace(/e/g, 'i').replace(/o/g, 'u')));
  }
  const article = russian ? null : ARTICLE.exec(part);
  if (article !== null) add(READING.article, applySkeletonRules(part.slice(article[0].length)));
  for (const suffix of SUFFIXES) {
    // The -i of Karimi follows a consonant; -ai is the end of -zai (Ahmadzai), another name.
    if (skeleton.length - suffix.length >= STEM && skeleton.endsWith(suffix) && !(suffix === 'i' && VOWELS.includes(skeleton[skeleton.length - 2]!))) {
      const stem = skeleton.slice(0, -suffix.length);
      building += `|${READING.stem}${suffix}:${stem}`;
      built.push({ reading: READING.stem, suffix, text: stem });
      break;
    }
  }
  // A compound written as one part (Abughaith, Abdulzahir, Muhammadazam): its second part is a
  // blocking key too, so that the name meets the list's Abu Ghaith; the alignment then joins
  // the list's two parts to compare them with it whole (never the second part alone). A second
  // part of three letters is no name of its own (Abdul-lah).
  const head = HEAD.exec(part);
  if (head !== null && part.length - head[0].length > STEM) {
    const second = applySkeletonRules(part.slice(head[0].length));
    building += `|${READING.split}${second}`;
    built.push({ reading: READING.split, text: second });
  }
  return building;
}

/**
 * Each o read as a, but oo kept (as `part.replace(/oo|o/g, ...)` reads it, left to right): one
 * pass over the letters instead of a replace that calls back for every o.
 * `test/watchlist/part-forms.test.ts` holds it equal to the regular expression.
 */
export function tajikReading(part: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < part.length; i++) {
    if (part.charCodeAt(i) !== O) continue;
    if (part.charCodeAt(i + 1) === O) {
      i++;
      continue;
    }
    out += `${part.slice(from, i)}a`;
    from = i + 1;
  }
  return from === 0 ? part : out + part.slice(from);
}

const O = 111;

/**
 * The Arabic article joined to the name it belongs to. Before a sun letter (t, th, d, dh, r, z,
 * s, sh, n, l) it is assimilated and written as that letter doubled (ash-Shariqi, ar-Rahman,
 * az-Zawahiri, ALA-LC Arabic romanisation rule 20), else al- or el- (Alghabra, Elghabra); ul-,
 * ud-, ur- are the same article after a vowel in Persian and Urdu spellings (Nur ud-Din).
 * Unassimilated al- is also written before sun letters (Alsharikh). Only before a consonant, and
 * leaving a stem of at least four letters, so that Alim, Alisher or Ali keep their only reading.
 */
const ARTICLE = /^(?:[ae]l(?=[^aeiouy])|[aeu](sh|th|dh|[tdrzsn])(?=\1))(?=[a-z]{4})/;

/** A Russian-style family name (Alkhanov, Elchibaeva) carries no Arabic article: its al is its own. */
const RUSSIAN_ENDING = /(?:ov|ev|sk[iy]i?)a?$/;

/**
 * Heads that begin compounds written as one part: the kunya Abu (Abou, Aboo, Abo), Abd al-
 * (Abdul, Abdel, Abdol, Abdur, Abdus, Abd), and Muhammad (Mohammad, Mohammed). Tajik and Afghan
 * documents write Muhammadazam and Abdulzahir as one word where the list has two.
 */
const HEAD = /^(?:(?:ab(?:ou|oo|o|u)|abd(?:u|e|o|a|i)?[lrsdtnz]?)(?=[^aeiou])|m[uo]ham+[ae]d)/;

/** The forms of an encoded part, each with its reading. */
export interface Form {
  reading: Reading;
  text: string;
  /** The suffix taken off, for a stem. */
  suffix?: string;
}

export function decodeForms(encoded: string): Form[] {
  // Read in one pass, each form sliced from the whole: no array of pieces split first.
  const forms: Form[] = [];
  for (let from = 0; from <= encoded.length; ) {
    let to = encoded.indexOf('|', from);
    if (to < 0) to = encoded.length;
    // An empty piece has no reading (as `''[0]`).
    const reading = (from < to ? encoded[from] : undefined) as Reading;
    if (reading !== READING.stem) forms.push({ reading, text: encoded.slice(from + 1, to) });
    else {
      let colon = encoded.indexOf(':', from);
      if (colon < 0 || colon > to) colon = -1;
      forms.push(colon < 0 ? { reading, suffix: encoded.slice(from + 1, to - 1), text: encoded.slice(from, to) } : { reading, suffix: encoded.slice(from + 1, colon), text: encoded.slice(colon + 1, to) });
    }
    from = to + 1;
  }
  return forms;
}

/** The best pair of forms of two parts: its similarity and how each side was read. */
export interface FormMatch {
  similarity: number;
  query: Form;
  entry: Form;
}

/**
 * How alike two parts are, over their forms. A stem is set against the other part's skeleton
 * or stem (never its other readings) and costs `SUFFIX_COST`; any reading but the skeleton on
 * either side costs `READING_COST`.
 */
export function formSimilarity(a: readonly Form[], b: readonly Form[]): FormMatch {
  let best: FormMatch = { similarity: -1, query: a[0]!, entry: b[0]! };
  for (const fa of a) {
    for (const fb of b) {
      const s = formPairSimilarity(fa, fb);
      if (s > best.similarity) {
        best = { similarity: s, query: fa, entry: fb };
        // Every other pair of forms costs a reading at least: none can do better.
        if (s >= 1 - READING_COST) return best;
      }
    }
  }
  return best;
}

/** How alike two forms are, less what their readings cost; -1 for a pair not compared at all. */
function formPairSimilarity(fa: Form, fb: Form): number {
  if (fa.reading === READING.split || fb.reading === READING.split) return -1;
  const stem = fa.reading === READING.stem || fb.reading === READING.stem;
  if (stem && (fa.suffix === fb.suffix || (fa.reading !== READING.skeleton && fa.reading !== READING.stem) || (fb.reading !== READING.skeleton && fb.reading !== READING.stem))) return -1;
  const s = partSimilarity(fa.text, fb.text);
  // A suffix put on or taken off is one change; a stem that is also respelt is two, which
  // is how common names become one another (Amiri and Amin), so it is not read that way.
  if (stem) return s < STEM_MIN_SIMILARITY ? -1 : s - SUFFIX_COST;
  if (fa.reading === READING.article || fb.reading === READING.article) return s - ARTICLE_COST;
  if (fa.reading !== READING.skeleton || fb.reading !== READING.skeleton) return s - READING_COST;
  return s;
}

/**
 * `formSimilarity(a, b).similarity` without the pair of forms that gave it: the screening reads
 * only the number, for every new pair of parts it meets, and a new best pair is no object then.
 */
export function formSimilarityValue(a: readonly Form[], b: readonly Form[]): number {
  let best = -1;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = formPairSimilarity(a[i]!, b[j]!);
      if (s > best) {
        best = s;
        if (s >= 1 - READING_COST) return best;
      }
    }
  }
  return best;
}

// How each suffix (as a skeleton) is spelt in a folded part, to show it as written.
const SUFFIX_SPELT: Record<string, RegExp> = { zade: /z[oa]d(?:eh|a|e)$/, zod: /zod$/, iev: /[iy]+ev$/, ov: /ova?$/, ev: /eva?$/, i: /(?:iy|ii|yi|i|y)$/ };

function spelt(part: string, suffix: string): string {
  return `-${SUFFIX_SPELT[suffix]?.exec(part)?.[0] ?? suffix}`;
}

/**
 * Which variant rule aligned two folded parts, for the analyst: `undefined` when they are spelt
 * the same; else the suffix put on or taken off (`suffix -zoda added`), the reading
 * that made them alike (`German transliteration`), the skeleton they share (`spelling variant`),
 * or how alike they are.
 */
export function formRule(m: FormMatch, queryPart: string, entryPart: string): string | undefined {
  if (queryPart === entryPart) return undefined;
  const { query: q, entry: e } = m;
  if (q.reading === READING.stem && e.reading === READING.stem) return `suffix ${spelt(entryPart, e.suffix!)} → ${spelt(queryPart, q.suffix!)}`;
  if (q.reading === READING.stem) return `suffix ${spelt(queryPart, q.suffix!)} added`;
  if (e.reading === READING.stem) return `suffix ${spelt(entryPart, e.suffix!)} dropped`;
  if (q.reading !== READING.skeleton || e.reading !== READING.skeleton) return READING_LABEL[q.reading !== READING.skeleton ? q.reading : e.reading];
  if (q.text === e.text) return 'spelling variant';
  return `typo or respelling (${m.similarity.toFixed(2)})`;
}
