import type { ReferenceLists } from './lists.ts';

export interface PostInfo {
  id: string;
  name: string;
  country: string;
  neighbour: string | null;
  kind: string;
  /**
   * The border crossing point the post belongs to: a post and the post facing it across
   * the border share one, so that crossing there (an exit on one side, an entry on the
   * other) is one place, not two. The post's own id when the list names none.
   */
  crossingPoint: string;
}

export interface HsNorm {
  kgPerPackage: number;
  usdPerKg: number;
  /** What the goods are, in words (the generator uses it as a description). */
  goods: string;
}

/** The reference data enrichment needs, indexed once from the lists in `rules/lists/`. */
export interface Reference {
  posts: ReadonlyMap<string, PostInfo>;
  hsCodes: ReadonlySet<string>;
  hsNorms: ReadonlyMap<string, HsNorm>;
  usdPerUnit: ReadonlyMap<string, number>;
}

/** Names of the lists enrichment reads; each is optional and simply leaves its derived fields empty. */
export const REFERENCE_LISTS = {
  posts: 'posts',
  hsCodes: 'hs-codes',
  hsNorms: 'hs-norms',
  usdRates: 'currency-usd-rates',
} as const;

export function buildReference(lists: ReferenceLists): Reference {
  const posts = new Map<string, PostInfo>();
  for (const [id, e] of lists.get(REFERENCE_LISTS.posts)?.entries ?? []) {
    posts.set(id, {
      id,
      name: String(e.name ?? id),
      country: String(e.country ?? ''),
      neighbour: typeof e.neighbour === 'string' ? e.neighbour : null,
      kind: String(e.kind ?? ''),
      crossingPoint: typeof e.crossingPoint === 'string' && e.crossingPoint !== '' ? e.crossingPoint : id,
    });
  }
  const hsNorms = new Map<string, HsNorm>();
  for (const [code, e] of lists.get(REFERENCE_LISTS.hsNorms)?.entries ?? []) {
    const kgPerPackage = Number(e.kgPerPackage);
    const usdPerKg = Number(e.usdPerKg);
    if (kgPerPackage > 0 && usdPerKg > 0) hsNorms.set(code, { kgPerPackage, usdPerKg, goods: String(e.goods ?? code) });
  }
  const usdPerUnit = new Map<string, number>();
  for (const [currency, e] of lists.get(REFERENCE_LISTS.usdRates)?.entries ?? []) {
    const rate = Number(e.usdPerUnit);
    if (rate > 0) usdPerUnit.set(currency, rate);
  }
  return { posts, hsCodes: lists.get(REFERENCE_LISTS.hsCodes)?.keys ?? new Set(), hsNorms, usdPerUnit };
}
