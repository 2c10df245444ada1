import { jaroWinkler } from './jaro-winkler.ts';

/**
 * Similarity of two part skeletons: Jaro-Winkler, less `ENDING_PENALTY` for two related family
 * names on one stem (Ahmadzai, Ahmadi), and except that two short parts whose consonants
 * differ are held to be different names however alike their letters look. In a name of five
 * letters one letter changed is worth 0.85-0.9 to Jaro-Winkler, which is as much as a respelling
 * gets, yet Zahid, Wahid and Zahra (or Sajid and Majid) are different names, while Saiad and
 * Saed, Munir and Monir, or Hader and Kader are one. Vowels are what spellings of one name differ
 * in; the consonants, up to a guttural (k, kh, q, g, h, often dropped) and d against t, are not.
 */
export function partSimilarity(a: string, b: string): number {
  const s = jaroWinkler(a, b);
  if (s >= PART_FLOOR_LOW && otherEnding(a, b)) return s - ENDING_PENALTY;
  if (s >= SHORT_EXEMPT || s < PART_FLOOR_LOW || a.length > SHORT || b.length > SHORT) return s;
  return consonantsAgree(a, b) ? s : s - SHORT_PART_PENALTY;
}

/** Parts of at most this many letters (as skeletons) are short. */
export const SHORT = 5;
/**
 * Short parts at least this similar are let be: one letter inside the part changed (a typo,
 * 0.88-0.89) more often than not still spells the same name; a different first letter (0.87
 * and under) or two letters changed is where different names lie.
 */
const SHORT_EXEMPT = 0.87;
/** Below the part floor nothing aligns anyway. */
const PART_FLOOR_LOW = 0.8;
/** Enough to take a short part below the floor: 0.80-0.87 becomes 0.70-0.77. */
const SHORT_PART_PENALTY = 0.1;

/**
 * Endings (as skeletons) that make a family name of a name or of another family name: -i (Karimi,
 * Noori: of Karim, of Noor), -zai, -ani, -zade, -khel. Two parts on one stem (three letters or
 * more) that end in two different ones of these, or one of them and nothing, are related names,
 * not spellings of one: Ahmadzai, Ahmadi and Ahmad; Noori, Noorani and Noorzai.
 */
const ENDINGS: ReadonlySet<string> = new Set(['', 'i', 'zai', 'ani', 'zade', 'hel']);
/**
 * What a different ending costs: enough that the family name no longer carries a match on its
 * own (Ahmadzai against Ahmadi, 0.95, becomes 0.80), not so much that the part stops aligning,
 * since a typo that swaps the last two letters (Tikriit, Tikriti) reads the same way.
 */
const ENDING_PENALTY = 0.15;
const STEM = 3;

function otherEnding(a: string, b: string): boolean {
  let p = 0;
  const n = Math.min(a.length, b.length);
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  if (p < STEM || (p === a.length && p === b.length)) return false;
  return ENDINGS.has(a.slice(p)) && ENDINGS.has(b.slice(p));
}

function consonantsAgree(a: string, b: string): boolean {
  const ca = consonants(a);
  const cb = consonants(b);
  if (ca === cb) return true;
  // One consonant more on one side is a letter typed for a vowel, or one dropped (Rauf, Rluf;
  // Zahid, Zaid); one consonant for another is another name (Zahid, Wahid; Zahid, Zahra).
  const [short, long] = ca.length < cb.length ? [ca, cb] : [cb, ca];
  if (long.length !== short.length + 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

function consonants(part: string): string {
  return part.replace(/[aeiou]/g, '').replace(/[khgqxc]/g, 'k').replace(/t/g, 'd');
}
