import { foldParts, isParticle, joinSeparateSuffixes, type NormalisedName, SEPARATE_SUFFIXES } from './normalise-name.ts';
import { canonicalPart, germanSpelling, partForms } from './part-forms.ts';
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
    // Copied by hand: Array.prototype.concat is slow for two short arrays.
    const parts: string[] = [];
    for (let i = 0; i < f.parts.length; i++) parts.push(f.parts[i]!);
    for (let i = 0; i < g.parts.length; i++) parts.push(g.parts[i]!);
    if (f.suffix || g.suffix) joinSeparateSuffixes(parts);
    const infos = this.infos;
    let german = false;
    for (let i = 0; i < parts.length; i++) {
      const p = (infos[i] = this.part(parts[i]!));
      if (p.german) german = true;
    }
    const keys: string[] = [];
    const forms: string[] = [];
    const from: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = infos[i]!;
      if (p.particle || (p.article && i + 1 < parts.length && isParticle(parts[i]!, parts[i + 1]))) continue;
      keys.push(p.key);
      from.push(i);
    }
    // A name made only of particles ("Haji") still needs something to compare.
    if (keys.length === 0) {
      for (let i = 0; i < parts.length; i++) {
        keys.push(infos[i]!.key);
        from.push(i);
      }
    }
    const tokens = new Int32Array(from.length);
    for (let k = 0; k < from.length; k++) {
      const i = from[k]!;
      const p = infos[i]!;
      if (german) {
        const text = (p.germanForms ??= partForms(parts[i]!, true));
        forms.push(text);
        tokens[k] = p.germanToken >= 0 ? p.germanToken : (p.germanToken = this.vocabulary.intern(text));
      } else {
        const text = (p.forms ??= partForms(parts[i]!, false));
        forms.push(text);
        tokens[k] = p.token >= 0 ? p.token : (p.token = this.vocabulary.intern(text));
      }
    }
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
      p = { key: canonicalPart(text), particle: isParticle(text, undefined), article: ASSIMILATED_ARTICLE.test(text), german: germanSpelling([text]), forms: undefined, germanForms: undefined, token: -1, germanToken: -1 };
      if (this.parts.size >= CACHE_LIMIT) this.parts = new Map();
      this.parts.set(text, p);
    }
    return p;
  }
}
