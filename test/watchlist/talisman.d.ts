// talisman ships no type declarations; these cover its Jaro-Winkler and Double Metaphone, which the
// tests hold `src/watchlist/jaro-winkler.ts` and `double-metaphone.ts` equal to (a dev dependency:
// the product has its own of both).
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, boost threshold 0.7). */
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}

declare module 'talisman/phonetics/double-metaphone.js' {
  /** Primary and alternate Double Metaphone codes. */
  const doubleMetaphone: (word: string) => [string, string];
  export default doubleMetaphone;
}
