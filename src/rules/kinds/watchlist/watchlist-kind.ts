import type { RuleKind } from '../rule-kind.ts';
import { compileWatchlistCondition } from './compile-watchlist.ts';
import type { WatchlistRuleDef } from './watchlist-schema.ts';

/** Screening of travellers' names or documents against the watchlists (docs/watchlists.md). */
export const watchlistKind: RuleKind<WatchlistRuleDef> = {
  key: 'watchlist',
  condition: 'optional',
  stateful: false,
  compile(watchlist, { kinds, screening, condition, conditionSource, report }) {
    if (kinds.some((k) => k !== 'crossing')) {
      report(['watchlist'], 'watchlist rules screen travellers: their streams must be crossing streams');
      return undefined;
    }
    if (!screening) return undefined; // the watchlists did not load; that problem is reported
    const unknown = (watchlist.lists ?? []).map((id, i) => [id, i] as const).filter(([id]) => !screening.lists.has(id));
    for (const [id, i] of unknown) report(['watchlist', 'lists', i], `unknown watchlist "${id}"; loaded: ${[...screening.lists].sort().join(', ') || 'none'}`);
    if (unknown.length > 0 || (conditionSource !== '' && !condition)) return undefined;
    return { condition: compileWatchlistCondition(watchlist, condition, screening) };
  },
  lookBackMs: () => 0,
};
