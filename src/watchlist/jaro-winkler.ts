/**
 * Jaro-Winkler similarity as talisman 1.1.4 computes it (`talisman/metrics/jaro-winkler`:
 * match window of half the longer text less one, transpositions halved and floored, a prefix
 * of at most four characters at 0.1 each from a Jaro of 0.7), the same arithmetic in the same
 * order, so that every similarity comes out to the bit. talisman builds four arrays per call
 * (flags, indexes, the matched characters of each side); parts are compared by the thousand
 * for every new name, so this one marks matches in two scratch arrays instead.
 * `test/watchlist/jaro-winkler.test.ts` holds it equal to talisman's.
 */

// Which characters of the longer text (`taken`) and of the shorter (`matched`) are matched.
let taken = new Uint8Array(64);
let matched = new Uint8Array(64);

/** The Jaro similarity of two texts, compared by UTF-16 code unit. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const max = a.length > b.length ? a : b;
  const min = a.length > b.length ? b : a;
  const nMax = max.length;
  const nMin = min.length;
  if (nMax > taken.length) taken = new Uint8Array(2 * nMax);
  if (nMin > matched.length) matched = new Uint8Array(2 * nMin);
  taken.fill(0, 0, nMax);
  matched.fill(0, 0, nMin);
  const range = Math.max(((nMax / 2) | 0) - 1, 0);
  let matches = 0;
  for (let i = 0; i < nMin; i++) {
    const ch = min.charCodeAt(i);
    const to = Math.min(i + range + 1, nMax);
    for (let j = Math.max(i - range, 0); j < to; j++) {
      if (taken[j] === 0 && ch === max.charCodeAt(j)) {
        taken[j] = 1;
        matched[i] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // The matched characters of each side in order, compared pair by pair.
  let transpositions = 0;
  for (let i = 0, j = 0; i < nMin; i++) {
    if (matched[i] === 0) continue;
    while (taken[j] === 0) j++;
    if (min.charCodeAt(i) !== max.charCodeAt(j)) transpositions++;
    j++;
  }
  const t = (transpositions / 2) | 0;
  const m = matches;
  return (m / a.length + m / b.length + (m - t) / m) / 3;
}

/** Jaro-Winkler similarity in [0, 1]: prefix scale 0.1, boost threshold 0.7. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const dj = jaro(a, b);
  if (dj < 0.7) return dj;
  const limit = Math.min(a.length, b.length, 4);
  let l = 0;
  while (l < limit && a.charCodeAt(l) === b.charCodeAt(l)) l++;
  return dj + l * 0.1 * (1 - dj);
}
