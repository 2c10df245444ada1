import { z } from 'zod';
import type { Alert } from '../alert/alert.ts';
import { PostIdSchema } from '../model/common.ts';
import { SeveritySchema } from '../rules/rule-schema.ts';
import { severityRank } from '../rules/scoring-config.ts';
import { foldText } from '../watchlist/normalise-name.ts';

/** What a subscriber wants to see; an empty filter sees every alert. */
export const SubscriptionFilterSchema = z.strictObject({
  minSeverity: SeveritySchema.optional(),
  posts: z.array(PostIdSchema).min(1).optional(),
  kinds: z.array(z.enum(['crossing', 'cargo'])).min(1).optional(),
  /** false: leave out repeats of a group (alerts whose group count is above 1). @default true */
  repeats: z.boolean().optional(),
  /** Alerts in which any of these rules fired. */
  rules: z.array(z.string().min(1).max(200)).min(1).optional(),
  /** Alerts in which a fired rule carries any of these tags. */
  tags: z.array(z.string().min(1).max(100)).min(1).optional(),
  /**
   * Case-insensitive text in the subject, event id, post or an indicator's title or id;
   * names match across scripts as watchlist screening folds them (`Умаров` finds `UMAROV`).
   */
  text: z.string().trim().min(1).max(200).optional(),
  /** true: also alerts muted by a silence or an inhibition rule (stored, counted, not pushed by default). @default false */
  muted: z.boolean().optional(),
});
export type SubscriptionFilter = z.infer<typeof SubscriptionFilterSchema>;

/** The one message a subscriber sends: (re)subscribe with a filter, optionally from a sequence number. */
export const SubscribeMessageSchema = z.strictObject({
  type: z.literal('subscribe'),
  filter: SubscriptionFilterSchema.default({}),
  /** Send the stored alerts with a sequence number greater than this first. */
  since: z.int().min(0).optional(),
});
export type SubscribeMessage = z.infer<typeof SubscribeMessageSchema>;

/**
 * Compiles a filter into a predicate once, at subscribe time. `view` is the alert as the
 * subscriber sees it (masked, for roles without access to personal data): the text filter
 * searches that, so that it cannot find what the subscriber is not shown. The other
 * fields (severity, posts, kinds, rules, tags, repeats) hold no personal data.
 */
export function compileFilter(filter: SubscriptionFilter, view?: (alert: Alert) => Alert): (alert: Alert) => boolean {
  const min = filter.minSeverity === undefined ? 0 : severityRank(filter.minSeverity);
  const posts = filter.posts ? new Set(filter.posts) : null;
  const kinds = filter.kinds ? new Set<string>(filter.kinds) : null;
  const repeats = filter.repeats ?? true;
  const rules = filter.rules ? new Set(filter.rules) : null;
  const tags = filter.tags ? new Set(filter.tags) : null;
  const text = filter.text?.toLowerCase() ?? null;
  const folded = filter.text === undefined ? null : foldSearch(filter.text);
  return (alert) =>
    severityRank(alert.severity) >= min &&
    (posts === null || posts.has(alert.post)) &&
    (kinds === null || kinds.has(alert.kind)) &&
    (repeats || (alert.group?.count ?? 1) === 1) &&
    (rules === null || alert.indicators.some((i) => rules.has(i.id))) &&
    (tags === null || alert.indicators.some((i) => i.tags.some((t) => tags.has(t)))) &&
    (text === null || matchesText(searchText(view ? view(alert) : alert), text, folded));
}

/**
 * Text folded as watchlist screening folds names: any script to lower-case ASCII Latin
 * words and numbers (Cyrillic by ICAO Doc 9303, Kazakh and Uzbek letters, Turkic Latin),
 * joined by one space. The console folds the same way (src/console/filter.js); a test holds them together.
 */
export function foldSearch(text: string): string {
  return foldText(text)
    .split(/[^a-z0-9]+/)
    .filter((p) => p.length > 0)
    .join(' ');
}

/** The text as it is (digits and punctuation count) or, folded, across scripts. */
function matchesText(searched: { plain: string; folded: string }, text: string, folded: string | null): boolean {
  return searched.plain.includes(text) || (folded !== null && folded !== '' && searched.folded.includes(folded));
}

const searchTexts = new WeakMap<Alert, { plain: string; folded: string }>();

/** What the free-text filter searches, lower-cased and folded once per alert however many subscribers ask. */
function searchText(alert: Alert): { plain: string; folded: string } {
  let text = searchTexts.get(alert);
  if (text === undefined) {
    const plain = [alert.subject, alert.eventId, alert.post, ...alert.indicators.flatMap((i) => [i.id, i.title])].join('\n');
    // Line by line, so that a folded query does not match across two fields.
    text = { plain: plain.toLowerCase(), folded: plain.split('\n').map(foldSearch).join('\n') };
    searchTexts.set(alert, text);
  }
  return text;
}

/**
 * Reads a subscription from connection query parameters: `minSeverity=high`,
 * `post=KZ-KHORGOS` (repeatable or comma-separated), `kind=cargo`, `rule=…`, `tag=…`,
 * `q=free text`, `muted=true`, `since=42`.
 */
export function subscriptionFromQuery(params: URLSearchParams): unknown {
  const list = (name: string): string[] | undefined => {
    const values = params.getAll(name).flatMap((v) => v.split(',')).filter((v) => v !== '');
    return values.length > 0 ? values : undefined;
  };
  const minSeverity = params.get('minSeverity') ?? undefined;
  const posts = list('post');
  const kinds = list('kind');
  const rules = list('rule');
  const tags = list('tag');
  const text = params.get('q') ?? undefined;
  const since = params.get('since');
  const repeats = params.get('repeats');
  const muted = params.get('muted');
  return {
    type: 'subscribe',
    filter: {
      ...(minSeverity && { minSeverity }),
      ...(posts && { posts }),
      ...(kinds && { kinds }),
      ...(rules && { rules }),
      ...(tags && { tags }),
      ...(text !== undefined && { text }),
      ...(repeats !== null && { repeats: repeats === 'true' ? true : repeats === 'false' ? false : repeats }),
      ...(muted !== null && { muted: muted === 'true' ? true : muted === 'false' ? false : muted }),
    },
    ...(since !== null && { since: /^\d+$/.test(since) ? Number(since) : since }),
  };
}
