import jaroWinkler from 'talisman/metrics/jaro-winkler.js';

/**
 * Similarity of two part skeletons: Jaro-Winkler, except that two short parts whose consonants
 * differ are held to be different names however alike their letters look. In a name of five
 * letters one letter changed is worth 0.85-0.9 to Jaro-Winkler, which is as much as a respelling
 * gets, yet Zahid, Wahid and Zahra (or Sajid and Majid) are different names, while Saiad and
 * Saed, Munir and Monir, or Hader and Kader are one. Vowels are what spellings of one name differ
 * in; the consonants, up to a guttural (k, kh, q, g, h, often dropped) and d against t, are not.
 */
export function partSimilarity(a: string, b: string): number {
  const s = jaroWinkler(a, b);
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
