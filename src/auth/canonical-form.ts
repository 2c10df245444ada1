/**
 * The one form in which masking compares personal values with text: Unicode NFKC plus
 * full case folding, taken grapheme by grapheme so that every position of the folded
 * text maps back to a whole grapheme of the original. Case-insensitive regular
 * expressions fold one code point to one code point, so they miss `ı`/`I`, `ß`/`SS`,
 * `ﬁ`/`FI` and decomposed accents: exactly the spellings a subject line's upper-casing
 * or another system's normalisation produce.
 */

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'grapheme' });
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL, on purpose
const ASCII = /^[\x00-\x7f]*$/;

/**
 * One grapheme folded: NFKC, then lower-, upper- and lower-casing again (which together
 * apply the full mappings: `ß` and `ẞ`→`ss`, `ı`→`i`, final `ς`→`σ`; lower-casing first
 * takes `ẞ` to `ß`, which upper-cases to `SS`); then the dot of a Turkish `İ` is dropped,
 * so that `İ`, `I`, `ı` and `i` all read as `i` (masking one form too many is preferred to
 * letting one through), before composing again, so that `İ̂` ends as `î` does.
 */
function foldGrapheme(grapheme: string): string {
  return grapheme.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFD').replace(/([ij])\u0307/g, '$1').normalize('NFKC');
}

/** The canonical form of `text` (see the module comment). */
export function canonicalForm(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const { segment } of SEGMENTER.segment(text)) out += foldGrapheme(segment);
  return out;
}

/** How many graphemes `text` has: what a reader counts as its letters. */
export function graphemeCount(text: string): number {
  if (ASCII.test(text)) return text.length;
  let count = 0;
  for (const _ of SEGMENTER.segment(text)) count += 1;
  return count;
}

/**
 * `text` in canonical form with a map back to it: `span(from, to)` gives the part of the
 * original that a range of the folded text came from, widened to whole graphemes.
 */
export interface FoldedText {
  folded: string;
  span(from: number, to: number): [number, number];
}

/** Folds `text`, keeping where each grapheme came from. */
export function foldWithMap(text: string): FoldedText {
  if (ASCII.test(text)) return { folded: text.toLowerCase(), span: (from, to) => [from, to] };
  // starts[i]: where grapheme i begins in the folded text; origins[i]: in the original.
  const starts: number[] = [];
  const origins: number[] = [];
  let folded = '';
  for (const { segment, index } of SEGMENTER.segment(text)) {
    starts.push(folded.length);
    origins.push(index);
    folded += foldGrapheme(segment);
  }
  starts.push(folded.length);
  origins.push(text.length);
  return {
    folded,
    span(from, to) {
      // The grapheme holding `from`, and the first grapheme boundary at or after `to`.
      let first = upperBound(starts, from) - 1;
      if (first < 0) first = 0;
      let last = lowerBound(starts, to);
      if (last >= starts.length) last = starts.length - 1;
      return [origins[first]!, origins[last]!];
    },
  };
}

/** The first index whose value is greater than `x` (values ascending). */
function upperBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is at least `x` (values ascending). */
function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
