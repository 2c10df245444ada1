// talisman ships no type declarations; these cover its Jaro-Winkler, which the watchlist uses, and its
// Double Metaphone, which the tests hold `double-metaphone.ts` equal to.
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
