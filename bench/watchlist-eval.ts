/**
 * The watchlist evaluation set (`bench/data/watchlist-eval/eval-set.json`, written by its own
 * generator from published romanisation tables) screened against the shipped UN list, as the
 * rule set screens it: recall of listed people's variants and false matches of ordinary
 * travellers at the threshold of the indicator that alerts on its own, per category and per
 * part (tuning, held-out).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { EvalItem } from './data/watchlist-eval/make-eval-set.ts';
import { loadWatchlistFile } from '../src/watchlist/load-watchlist.ts';
import { buildWatchlistIndex, type Match, type WatchlistIndex } from '../src/watchlist/watchlist-index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
export const EVAL_SET = path.join(ROOT, 'bench', 'data', 'watchlist-eval', 'eval-set.json');
/** The indicator that alerts on its own. */
export const ALERTING_RULE = 'crossing.watchlist-name-match';

export type EvalPart = 'tuning' | 'held-out' | 'all';

export interface CategoryFigures {
  category: string;
  kind: EvalItem['kind'];
  part: EvalPart;
  items: number;
  /** Variants: the listed person found at the threshold. Travellers: any listed person matched at the threshold. */
  hits: number;
  share: number;
}

export interface EvalResult {
  threshold: number;
  rows: CategoryFigures[];
  /** Recall and false-match share over each part. */
  totals: { part: EvalPart; variants: number; recall: number; travellers: number; falseMatches: number }[];
  /** Variants missed and travellers matched, for reading. */
  misses: { item: EvalItem; best?: Match }[];
  falseMatches: { item: EvalItem; match: Match }[];
}

export function loadEvalSet(file = EVAL_SET): EvalItem[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { items: EvalItem[] }).items;
}

/** The alerting threshold as the shipped rule file sets it. */
export function alertingThreshold(): number {
  const doc = parse(readFileSync(path.join(ROOT, 'rules', 'indicators', 'crossing-watchlist.yaml'), 'utf8')) as { rules: { id: string; watchlist?: { threshold?: number } }[] };
  const t = doc.rules.find((r) => r.id === ALERTING_RULE)?.watchlist?.threshold;
  if (t === undefined) throw new Error(`${ALERTING_RULE} has no threshold`);
  return t;
}

/** The UN list's index built as the shipped rule set builds it (its lowest rule threshold, 50 matches). */
export function unIndex(): WatchlistIndex {
  return buildWatchlistIndex(loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json')), { threshold: 0.9, maxMatches: 50 });
}

export function evaluateWatchlist(items: readonly EvalItem[], index: WatchlistIndex = unIndex(), threshold = alertingThreshold()): EvalResult {
  const rows = new Map<string, CategoryFigures>();
  const misses: EvalResult['misses'] = [];
  const falseMatches: EvalResult['falseMatches'] = [];
  const bump = (category: string, kind: EvalItem['kind'], part: EvalPart, hit: boolean): void => {
    const key = `${category}\u0000${part}`;
    const r = rows.get(key) ?? { category, kind, part, items: 0, hits: 0, share: 0 };
    r.items++;
    if (hit) r.hits++;
    r.share = r.hits / r.items;
    rows.set(key, r);
  };
  for (const item of items) {
    const matches = index.screen(item.query).filter((m) => m.score >= threshold);
    let hit: boolean;
    if (item.kind === 'variant') {
      hit = matches.some((m) => m.entryId === item.target);
      if (!hit) {
        const best = index.candidates(item.query).find((m) => m.entryId === item.target);
        misses.push(best === undefined ? { item } : { item, best });
      }
    } else {
      hit = matches.length > 0;
      if (hit) falseMatches.push({ item, match: matches[0]! });
    }
    for (const part of [item.part, 'all'] as const) {
      bump(item.category, item.kind, part, hit);
      bump(item.kind === 'variant' ? 'all variants' : 'all travellers', item.kind, part, hit);
    }
  }
  const totals = (['tuning', 'held-out', 'all'] as const).map((part) => {
    const v = rows.get(`all variants\u0000${part}`);
    const t = rows.get(`all travellers\u0000${part}`);
    return { part, variants: v?.items ?? 0, recall: v?.share ?? 0, travellers: t?.items ?? 0, falseMatches: t?.share ?? 0 };
  });
  return { threshold, rows: [...rows.values()], totals, misses, falseMatches };
}

/** Categories in the set's order, the totals last. */
function ordered(r: EvalResult): string[] {
  const all = [...new Set(r.rows.map((x) => x.category))];
  return [...all.filter((c) => !c.startsWith('all ')), 'all variants', 'all travellers'];
}

/** Per-category table: one row per category, tuning and held-out side by side. */
export function printEvaluation(r: EvalResult): void {
  const pct = (x: number | undefined): string => (x === undefined ? '' : (100 * x).toFixed(1));
  const categories = ordered(r);
  const get = (c: string, part: EvalPart) => r.rows.find((x) => x.category === c && x.part === part);
  console.log(`Evaluation set (bench/data/watchlist-eval): at the alerting threshold ${r.threshold} (${ALERTING_RULE})`);
  console.table(
    categories.map((c) => {
      const all = get(c, 'all')!;
      return {
        category: c,
        measure: all.kind === 'variant' ? 'recall %' : 'false matches %',
        'tuning n': get(c, 'tuning')?.items ?? 0,
        'tuning %': pct(get(c, 'tuning')?.share),
        'held-out n': get(c, 'held-out')?.items ?? 0,
        'held-out %': pct(get(c, 'held-out')?.share),
        'all %': pct(all.share),
      };
    }),
  );
  for (const t of r.totals) console.log(`${t.part}: recall ${pct(t.recall)}% of ${t.variants} variants, false matches ${pct(t.falseMatches)}% of ${t.travellers} travellers`);
}

/** The per-category table as Markdown (hits/items per part), for docs/watchlists.md and bench/RESULTS.md. */
export function evaluationMarkdown(r: EvalResult): string {
  const categories = ordered(r);
  const get = (c: string, part: EvalPart) => r.rows.find((x) => x.category === c && x.part === part);
  const cell = (x: CategoryFigures | undefined): string => (x === undefined ? '–' : `${x.hits}/${x.items}`);
  const lines = ['| category | measure | tuning | held-out | all |', '| --- | --- | --- | --- | --- |'];
  for (const c of categories) {
    const all = get(c, 'all')!;
    lines.push(`| ${c} | ${all.kind === 'variant' ? 'found' : 'matched'} | ${cell(get(c, 'tuning'))} | ${cell(get(c, 'held-out'))} | ${(100 * all.share).toFixed(1)}% |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = evaluateWatchlist(loadEvalSet());
  if (process.argv.includes('--markdown')) console.log(evaluationMarkdown(r));
  else printEvaluation(r);
  if (process.argv.includes('--misses')) {
    const part = process.argv.includes('--held-out') ? 'held-out' : 'tuning';
    for (const m of r.misses.filter((x) => x.item.part === part)) console.log('MISS', m.item.category.padEnd(16), (m.item.from ?? '').padEnd(34), `${m.item.query.familyName} | ${m.item.query.givenNames} | ${m.item.query.dateOfBirth}`, m.best === undefined ? '(not a candidate)' : `${m.best.score} ${m.best.explanation.listedName} ${m.best.explanation.parts.map((p) => `${p.query}~${p.entry}:${p.similarity}`).join(' ')} ${m.best.explanation.qualifiers.map((q) => `${q.qualifier}${q.effect}`).join(' ')}`);
    for (const f of r.falseMatches.filter((x) => x.item.part === part)) console.log('FALSE', f.item.category.padEnd(16), `${f.item.query.familyName} | ${f.item.query.givenNames} | ${f.item.query.dateOfBirth}`, f.match.score, f.match.explanation.listedName, f.match.explanation.qualifiers.map((q) => `${q.qualifier}${q.effect}`).join(' '));
  }
}
