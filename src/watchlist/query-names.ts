import { foldParts, isParticle, isParticleAlone, joinSeparateSuffixes, type NormalisedName, SEPARATE_SUFFIXES } from './normalise-name.ts';
import { germanSpelling, lastFormsRead, readForms } from './part-forms.ts';
import { applySkeletonRules } from './skeleton-rules.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Each cache is emptied when it holds this many texts, so that memory follows the lists, not the traffic. */
const CACHE_LIMIT = 200_000;
/** Parts that may be the Arabic article assimilated to the next part (see `isParticle`). */
const ASSIMILATED_ARTICLE = /^[aeu](?:sh|th|dh|[tdrzsn])$/;

/** One name field (a family name, the given names) as folded. */
interface Field {
  /** Folded parts as written apart. */
  parts: readonly string[];
  /** Whether a part is a family suffix written apart (`joinSeparateSuffixes` has work to do). */
  suffix: boolean;
  /** How many parts the field has on its own, suffixes joined (`foldName(field).length`). */
  joined: number;
}

/** What a folded part is, worked out once per part. */
interface Part {
  key: string;
  particle: boolean;
  /** Whether it is a particle only when the next part begins with its letter (ash-Sharikh). */
  article: boolean;
  /** Whether it shows a German romanisation (`germanSpelling`). */
  german: boolean;
  /** Its forms (`partForms`) read plainly and the German way, worked out when first needed. */
  forms: string | undefined;
  germanForms: string | undefined;
  /** Those forms interned (-1: not yet). */
  token: number;
  germanToken: number;
}

/**
 * A traveller's name fields read as `normaliseName` reads `familyName givenNames`, with what
 * depends on one field or one part worked out once: a day's new travellers are mostly new pairs
 * of family and given names met before, so a new name costs a few map lookups, not the folding,
 * regular expressions and transliteration of its text.
 */
export class QueryNames {
  private fields = new Map<string, Field>();
  private parts = new Map<string, Part>();
  /** Scratch: the parts of the name being read. */
  private readonly infos: Part[] = [];
  /** Scratch: which of them are compared (not particles). */
  private readonly kept: number[] = [];
  /** Scratch: the parts, then the keys, and the forms of the name being read. */
  private readonly texts: string[] = [];
  private readonly formTexts: string[] = [];

  constructor(private readonly vocabulary: Vocabulary) {}

  /** Drops every cached part's token: the vocabulary has forgotten the parts of queries. */
  forgetTokens(): void {
    this.parts = new Map();
  }

  /**
   * The name as `normaliseName(`${familyName} ${givenNames}`)` gives it, its parts interned, and
   * how many leading parts are the family name.
   */
  read(familyName: string, givenNames: string): { name: NormalisedName; tokens: Int32Array; family: number } {
    const f = this.field(familyName);
    const g = this.field(givenNames);
    // Arrays of their final length, sliced from scratch: a prepared name is kept, and arrays
    // grown by push hold room for 16 elements each, which the collector then copies for nothing.
    const nf = f.parts.length;
    const ng = g.parts.length;
    const texts = this.texts;
    for (let i = 0; i < nf; i++) texts[i] = f.parts[i]!;
    for (let i = 0; i < ng; i++) texts[nf + i] = g.parts[i]!;
    const parts = texts.slice(0, nf + ng);
    if (f.suffix || g.suffix) joinSeparateSuffixes(parts);
    const infos = this.infos;
    let german = false;
    for (let i = 0; i < parts.length; i++) {
      const p = (infos[i] = this.part(parts[i]!));
      if (p.german) german = true;
    }
    const kept = this.kept;
    let n = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = infos[i]!;
      if (p.particle || (p.article && i + 1 < parts.length && isParticle(parts[i]!, parts[i + 1]))) continue;
      kept[n++] = i;
    }
    // A name made only of particles ("Haji") still needs something to compare.
    if (n === 0) for (; n < parts.length; n++) kept[n] = n;
    const from = kept.slice(0, n);
    const tokens = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = kept[k]!;
      const p = infos[i]!;
      texts[k] = p.key;
      // A part read just now is interned with the forms its reading built.
      if (german) {
        const fresh = p.germanForms === undefined;
        const text = (p.germanForms ??= readForms(parts[i]!, true, p.key));
        this.formTexts[k] = text;
        tokens[k] = p.germanToken >= 0 ? p.germanToken : (p.germanToken = this.vocabulary.intern(text, fresh ? lastFormsRead() : undefined));
      } else {
        const fresh = p.forms === undefined;
        const text = (p.forms ??= readForms(parts[i]!, false, p.key));
        this.formTexts[k] = text;
        tokens[k] = p.token >= 0 ? p.token : (p.token = this.vocabulary.intern(text, fresh ? lastFormsRead() : undefined));
      }
    }
    const keys = texts.slice(0, n);
    const forms = this.formTexts.slice(0, n);
    let family = 0;
    while (family < from.length && from[family]! < f.joined) family++;
    return { name: { parts, keys, forms, from }, tokens, family };
  }

  private field(text: string): Field {
    let f = this.fields.get(text);
    if (f === undefined) {
      const parts = foldParts(text);
      f = { parts, suffix: parts.some((p) => SEPARATE_SUFFIXES.has(p)), joined: joinSeparateSuffixes([...parts]).length };
      if (this.fields.size >= CACHE_LIMIT) this.fields = new Map();
      this.fields.set(text, f);
    }
    return f;
  }

  private part(text: string): Part {
    let p = this.parts.get(text);
    if (p === undefined) {
      // The skeleton and forms are kept here, not in the caches of `part-forms.ts` as well.
      const key = applySkeletonRules(text);
      p = { key, particle: isParticleAlone(text, key), article: ASSIMILATED_ARTICLE.test(text), german: germanSpelling([text]), forms: undefined, germanForms: undefined, token: -1, germanToken: -1 };
      if (this.parts.size >= CACHE_LIMIT) this.parts = new Map();
      this.parts.set(text, p);
    }
    return p;
  }
}
