// @ts-check
import { KINDS, SEVERITIES } from './wire.js';

/** @typedef {import('./wire.js').Alert} Alert */
/** @typedef {import('./wire.js').Severity} Severity */
/** @typedef {import('./wire.js').EventKind} EventKind */
/** @typedef {import('./wire.js').SubscriptionFilter} SubscriptionFilter */

/**
 * What the filter bar holds. Empty lists and empty text mean "any"; `repeats: false`
 * leaves out the repeats of an alert group; `muted: true` adds the alerts a silence or an
 * inhibition rule kept off the live feed.
 * @typedef {{ minSeverity: Severity | null, kinds: EventKind[], posts: string[], rules: string[], tags: string[], text: string, repeats: boolean, muted: boolean }} FilterState
 */

/** @typedef {{ field: keyof FilterState, message: string }} FilterIssue */

/** @returns {FilterState} */
export function emptyFilter() {
  return { minSeverity: null, kinds: [], posts: [], rules: [], tags: [], text: '', repeats: true, muted: false };
}

/** The server's post id rule (src/model/common.ts), checked here so a typo is caught before it is sent. */
const POST_ID = /^[A-Z]{2}-[A-Z0-9-]{2,40}$/;

/**
 * Every problem the server would refuse the filter for, by field.
 * @param {FilterState} state
 * @returns {FilterIssue[]}
 */
export function filterIssues(state) {
  /** @type {FilterIssue[]} */
  const issues = [];
  const bad = state.posts.filter((p) => !POST_ID.test(p));
  if (bad.length > 0) issues.push({ field: 'posts', message: `${bad.join(', ')}: a post looks like KZ-KHORGOS` });
  if (state.rules.some((r) => r.length > 200)) issues.push({ field: 'rules', message: 'a rule id is at most 200 characters' });
  if (state.tags.some((t) => t.length > 100)) issues.push({ field: 'tags', message: 'a tag is at most 100 characters' });
  if (state.text.trim().length > 200) issues.push({ field: 'text', message: 'search text is at most 200 characters' });
  return issues;
}

/**
 * The `filter` of a `subscribe` message: only the fields that narrow anything.
 * @param {FilterState} state
 * @returns {SubscriptionFilter}
 */
export function toSubscription(state) {
  /** @type {SubscriptionFilter} */
  const filter = {};
  if (state.minSeverity !== null && state.minSeverity !== 'low') filter.minSeverity = state.minSeverity;
  // Both kinds selected is the same as none; sending it would only cost the server a set lookup.
  if (state.kinds.length > 0 && state.kinds.length < KINDS.length) filter.kinds = [...state.kinds];
  if (state.posts.length > 0) filter.posts = [...state.posts];
  if (state.rules.length > 0) filter.rules = [...state.rules];
  if (state.tags.length > 0) filter.tags = [...state.tags];
  const text = state.text.trim();
  if (text !== '') filter.text = text;
  if (!state.repeats) filter.repeats = false;
  if (state.muted) filter.muted = true;
  return filter;
}

/**
 * The same predicate as the server's `compileFilter` (src/push/subscription.ts), so the
 * page can apply a filter at once while the new subscription is on its way; a test
 * holds the two to the same answers.
 * @param {SubscriptionFilter} filter
 * @returns {(alert: Alert) => boolean}
 */
export function compileFilter(filter) {
  const min = filter.minSeverity === undefined ? 0 : SEVERITIES.indexOf(filter.minSeverity);
  const posts = filter.posts ? new Set(filter.posts) : null;
  const kinds = filter.kinds ? new Set(filter.kinds) : null;
  const repeats = filter.repeats ?? true;
  const rules = filter.rules ? new Set(filter.rules) : null;
  const tags = filter.tags ? new Set(filter.tags) : null;
  const text = filter.text?.trim().toLowerCase() ?? null;
  const folded = filter.text === undefined ? null : foldSearch(filter.text);
  return (alert) =>
    SEVERITIES.indexOf(alert.severity) >= min &&
    (posts === null || posts.has(alert.post)) &&
    (kinds === null || kinds.has(alert.kind)) &&
    (repeats || (alert.group?.count ?? 1) === 1) &&
    (rules === null || alert.indicators.some((i) => rules.has(i.id))) &&
    (tags === null || alert.indicators.some((i) => i.tags.some((t) => tags.has(t)))) &&
    (text === null || matchesText(searchText(alert), text, folded));
}

/**
 * Whether the page can apply this filter's text itself: it folds the scripts of the
 * region (Cyrillic, Turkic Latin, accented Latin) as the server does, but not every
 * script; a search it cannot fold is left to the server, which refetches the alerts.
 * @param {SubscriptionFilter} filter
 */
export function decidable(filter) {
  return filter.text === undefined || foldSearch(filter.text) !== null;
}

/**
 * @param {{ plain: string, folded: string | null }} searched
 * @param {string} text
 * @param {string | null} folded null: a query the page cannot fold
 */
function matchesText(searched, text, folded) {
  if (searched.plain.includes(text)) return true;
  // What the page cannot fold the server has decided already: trust it.
  if (folded === null || searched.folded === null) return true;
  return folded !== '' && searched.folded.includes(folded);
}

/** @type {WeakMap<Alert, { plain: string, folded: string | null }>} */
const searchTexts = new WeakMap();

/**
 * What free text is searched in, as the server builds it: lower-cased, and folded line by line.
 * @param {Alert} alert
 */
function searchText(alert) {
  let text = searchTexts.get(alert);
  if (text === undefined) {
    const plain = [alert.subject, alert.eventId, alert.post, ...alert.indicators.flatMap((i) => [i.id, i.title])].join('\n');
    const lines = plain.split('\n').map(foldSearch);
    text = { plain: plain.toLowerCase(), folded: lines.includes(null) ? null : lines.join('\n') };
    searchTexts.set(alert, text);
  }
  return text;
}

// The watchlist's folding (src/watchlist/normalise-name.ts `foldName`), for the scripts of
// the region: the page cannot load its transliteration libraries.
const APOSTROPHES = /[ʻʼ'‘’`´ʹʾʿ]/g;
/** @type {Readonly<Record<string, string>>} */
const CYRILLIC = Object.freeze({
  // Kazakh, Kyrgyz, Uzbek and Tajik letters, as passports of those states print them.
  қ: 'k', ғ: 'g', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i', ә: 'a', ў: 'u', ҳ: 'kh', ҷ: 'j', ӣ: 'i', ӯ: 'u', ҙ: 'z', ҫ: 's', ӊ: 'n',
  // ICAO Doc 9303.
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: 'ie', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
});
/** @type {Readonly<Record<string, string>>} */
const LATIN = Object.freeze({
  ş: 'sh', ç: 'ch', ğ: 'g', ñ: 'n', ä: 'a', ö: 'o', ü: 'u', ū: 'u', ı: 'i', ə: 'a', ž: 'zh', ň: 'n', ý: 'y', č: 'ch', š: 'sh',
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', þ: 'th', ð: 'd',
});
const FOLDED = new RegExp(`[${Object.keys(CYRILLIC).join('')}${Object.keys(LATIN).join('')}]`, 'g');

/**
 * Lower-case ASCII words and numbers of a text in the region's scripts, one space between them
 * (`Умаров Доку` → `umarov doku`); null when the text holds letters of another script.
 * @param {string} text
 * @returns {string | null}
 */
export function foldSearch(text) {
  let s = text.normalize('NFC').toLowerCase().replace(APOSTROPHES, '');
  s = s.replace(FOLDED, (c) => CYRILLIC[c] ?? LATIN[c] ?? c);
  // Other accented Latin letters lose their marks, as any-ascii does.
  s = s.normalize('NFKD').replace(/\p{M}+/gu, '');
  if (/[^\P{L}a-z]|[^\P{N}0-9]/u.test(s)) return null;
  return s.split(/[^a-z0-9]+/).filter((p) => p.length > 0).join(' ');
}

/**
 * Whether every alert that `narrow` lets through is also let through by `wide`, judged
 * field by field. When it holds, the alerts the page already has for `wide` are complete
 * for `narrow` and need not be fetched again. (A false "no" only costs a refetch.)
 * @param {SubscriptionFilter} wide
 * @param {SubscriptionFilter} narrow
 */
export function covers(wide, narrow) {
  /**
   * @param {readonly string[] | undefined} w
   * @param {readonly string[] | undefined} n
   */
  const subset = (w, n) => w === undefined || n?.every((x) => w.includes(x)) === true;
  const rank = (/** @type {Severity | undefined} */ s) => (s === undefined ? 0 : SEVERITIES.indexOf(s));
  const wideText = wide.text?.trim().toLowerCase();
  const narrowText = narrow.text?.trim().toLowerCase();
  if (!decidable(narrow)) return false;
  return (
    rank(narrow.minSeverity) >= rank(wide.minSeverity) &&
    subset(wide.posts, narrow.posts) &&
    subset(wide.kinds, narrow.kinds) &&
    subset(wide.rules, narrow.rules) &&
    subset(wide.tags, narrow.tags) &&
    (wideText === undefined || narrowText?.includes(wideText) === true) &&
    (wide.repeats !== false || narrow.repeats === false) &&
    (wide.muted === true || narrow.muted !== true)
  );
}

/**
 * Splits a list typed by hand: commas or spaces between items, duplicates dropped.
 * @param {string} text
 * @param {{ upper?: boolean }} [options]
 */
export function parseList(text, options = {}) {
  const items = text.split(/[\s,]+/).filter((x) => x !== '');
  return [...new Set(options.upper ? items.map((x) => x.toUpperCase()) : items)];
}

/**
 * The filter as page URL parameters, named as in the `/alerts` URL (docs/protocol.md),
 * so a filtered view can be bookmarked or shared.
 * @param {FilterState} state
 */
export function toQuery(state) {
  const params = new URLSearchParams();
  const filter = toSubscription(state);
  if (filter.minSeverity) params.set('minSeverity', filter.minSeverity);
  if (filter.kinds) params.set('kind', filter.kinds.join(','));
  if (filter.posts) params.set('post', filter.posts.join(','));
  if (filter.rules) params.set('rule', filter.rules.join(','));
  if (filter.tags) params.set('tag', filter.tags.join(','));
  if (filter.text) params.set('q', filter.text);
  if (filter.repeats === false) params.set('repeats', 'false');
  if (filter.muted) params.set('muted', 'true');
  return params;
}

/**
 * Reads `toQuery`'s parameters back; anything unknown is ignored.
 * @param {URLSearchParams} params
 * @returns {FilterState}
 */
export function fromQuery(params) {
  const state = emptyFilter();
  const list = (/** @type {string} */ name, upper = false) => params.getAll(name).flatMap((v) => parseList(v, { upper }));
  const min = params.get('minSeverity');
  state.minSeverity = SEVERITIES.find((s) => s === min) ?? null;
  state.kinds = KINDS.filter((k) => list('kind').includes(k));
  state.posts = list('post', true);
  state.rules = list('rule');
  state.tags = list('tag');
  state.text = params.get('q') ?? '';
  state.repeats = params.get('repeats') !== 'false';
  state.muted = params.get('muted') === 'true';
  return state;
}
