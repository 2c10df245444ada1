// @ts-check
import { bdi, h } from './dom.js';
import { formatAtOffset, formatEventTime, formatNumber, formatOp, formatScore, formatValue } from './format.js';
import { seriesChart } from './series-chart.js';
import { isAnomalyActual, isWatchlistActual } from './wire.js';

/** @typedef {import('./wire.js').FiredIndicator} FiredIndicator */
/** @typedef {import('./wire.js').Evidence} Evidence */
/** @typedef {import('./wire.js').AnomalyActual} AnomalyActual */
/** @typedef {import('./wire.js').WatchlistActual} WatchlistActual */

/**
 * One fired indicator: what it is (title, id, rule version, weight, severity, tags),
 * why it matters (the rule's description), and the values it looked at, less the
 * presence checks every hit passes; what a window held is a table of its events. Anomaly and watchlist evidence get their own rendering
 * (baseline and band, with the recent series drawn; alignments as a table); any other
 * shape is shown as it came.
 * @param {FiredIndicator} indicator
 * @param {string} [offset] the post's UTC offset (the alert's event time's), for times derived from events
 */
export function indicatorCard(indicator, offset = '') {
  const held = indicator.evidence.filter(isHeld);
  const rows = indicator.evidence.filter((e) => !isHeld(e));
  const shown = rows.filter((e) => !isGuard(e));
  const hidden = rows.length - shown.length;
  const special = indicator.evidence.flatMap((e) => {
    if (e.op === 'anomaly' && isAnomalyActual(e.actual)) return [anomalyBlock(e.field, e.actual, offset)];
    if (e.op === 'watchlist' && isWatchlistActual(e.actual)) return [watchlistBlock(e.field, e.actual, e.expected)];
    return [];
  });
  return h(
    'article',
    { class: `indicator sev-${indicator.severity}`, 'data-rule': indicator.id },
    h(
      'header',
      {},
      h('span', { class: 'sev' }, indicator.severity),
      h('h4', {}, bdi(indicator.title)),
      h('span', { class: 'weight', title: 'weight added to the score' }, `+${indicator.weight}`),
    ),
    h(
      'p',
      { class: 'rule-meta' },
      h('code', {}, indicator.id),
      h('span', { class: 'version', title: 'rule version' }, ` v${indicator.version}`),
      indicator.tags.length > 0 ? h('span', { class: 'tags' }, indicator.tags.map((t) => h('span', { class: 'tag' }, t))) : null,
    ),
    indicator.description ? h('p', { class: 'rationale' }, h('span', { class: 'label' }, 'Why it matters: '), bdi(indicator.description.trim())) : null,
    shown.length > 0
      ? h(
          'table',
          { class: 'evidence' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'field'), h('th', { scope: 'col' }, 'op'), h('th', { scope: 'col' }, 'expected'), h('th', { scope: 'col' }, 'actual'))),
          h('tbody', {}, shown.map(evidenceRow)),
        )
      : h('p', { class: 'muted' }, 'No evidence recorded.'),
    hidden > 0 ? h('p', { class: 'muted guards' }, `${hidden} presence check${hidden === 1 ? '' : 's'} (the field is there) not shown.`) : null,
    special,
    held.map(heldTable),
  );
}

/**
 * Whether an evidence entry only says a field was there, which every hit of the rule
 * shows and no analyst needs to read: `has(x)` true, `x != null` on a value.
 * @param {Evidence} e
 */
export function isGuard(e) {
  if (e.op === 'has') return e.actual === true;
  if (e.op === '!=' || e.op === 'notEquals') return 'expected' in e && e.expected === null && e.actual !== null && e.actual !== 'error' && e.actual !== undefined;
  return false;
}

/**
 * What a window held when it fired (`window held`): the events with their time at the
 * post and whatever the window counted of each (the distinct value, the amount, the
 * crossing point and crew of a passage), as a table.
 * @param {Evidence} e
 */
function heldTable(e) {
  const events = /** @type {Record<string, unknown>[]} */ (e.actual);
  const LABELS = /** @type {Record<string, string>} */ ({ eventTime: 'time at the post', eventId: 'event', value: 'value', amount: 'amount', at: 'at', crew: 'crew' });
  const columns = Object.keys(LABELS).filter((k) => events.some((row) => row[k] !== undefined));
  for (const row of events) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  return h(
    'figure',
    { class: 'held' },
    h('figcaption', {}, `The window held ${events.length} event${events.length === 1 ? '' : 's'} when it fired${events.length >= 20 ? ' (the newest shown)' : ''}`),
    h(
      'table',
      { class: 'held-events' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, LABELS[c] ?? c)))),
      h(
        'tbody',
        {},
        events.map((row) =>
          h(
            'tr',
            {},
            columns.map((c) => {
              const v = row[c];
              if (c === 'eventTime' && typeof v === 'string') return h('td', {}, h('time', { datetime: v }, formatEventTime(v)));
              if (c === 'eventId') return h('td', {}, h('code', {}, bdi(formatValue(v))));
              return h('td', { class: typeof v === 'number' ? 'num' : '' }, bdi(formatValue(v)));
            }),
          ),
        ),
      ),
    ),
  );
}

/**
 * @param {Evidence} e
 * @returns {boolean}
 */
function isHeld(e) {
  return e.field === 'window held' && e.op === 'events' && Array.isArray(e.actual) && e.actual.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
}

/** @param {Evidence} evidence */
function evidenceRow(evidence) {
  const { field, op, expected, actual } = evidence;
  let shown;
  if (op === 'anomaly' && isAnomalyActual(actual)) {
    shown = `${formatNumber(actual.value)} (baseline ${formatNumber(actual.baseline)}, normal ${formatNumber(actual.low)}–${formatNumber(actual.high)}, score ${formatScore(actual.score)})`;
  } else if (op === 'watchlist' && isWatchlistActual(actual)) {
    shown = `${formatValue(actual.entry)} on ${actual.list} (score ${formatNumber(actual.score)})`;
  } else {
    shown = valueCell(actual);
  }
  if (typeof shown === 'string') shown = bdi(shown);
  return h(
    'tr',
    { class: `op-${op.replace(/[^a-zA-Z0-9-]/g, '_')}` },
    h('td', {}, fieldCode(field)),
    h('td', { class: 'op', title: op }, formatOp(op)),
    h('td', {}, 'expected' in evidence ? valueCell(expected) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'actual' }, shown),
  );
}

/**
 * A field path that may wrap after each dot or bracket rather than anywhere.
 * @param {string} field
 */
function fieldCode(field) {
  const parts = field.split(/(?<=[.\]])/);
  return h('code', {}, parts.flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part])));
}

/**
 * A value in a table cell; long nested values fold away behind a summary.
 * @param {unknown} value
 */
function valueCell(value) {
  const text = formatValue(value);
  if (typeof value !== 'object' || value === null || text.length <= 80) return h('span', { class: 'value' }, bdi(text));
  return h('details', { class: 'value' }, h('summary', {}, bdi(`${text.slice(0, 60)}…`)), h('pre', { dir: 'ltr' }, JSON.stringify(value, null, 2)));
}

/**
 * @param {string} field
 * @param {AnomalyActual} actual
 * @param {string} offset the post's UTC offset: the bucket is told in the post's time, as the alert's event time is
 */
function anomalyBlock(field, actual, offset) {
  const direction = actual.value > actual.high ? 'above' : actual.value < actual.low ? 'below' : 'within';
  const bucket =
    actual.bucket && typeof actual.bucket.from === 'string' && typeof actual.bucket.to === 'string'
      ? ` in ${formatAtOffset(actual.bucket.from, offset, { seconds: false, zone: false })}–${formatAtOffset(actual.bucket.to, offset, { seconds: false, date: false })}`
      : '';
  return h(
    'figure',
    { class: 'anomaly' },
    h(
      'figcaption',
      {},
      h('code', {}, field),
      ` ${formatNumber(actual.value)}${bucket} is ${direction} the normal range ${formatNumber(actual.low)}–${formatNumber(actual.high)} (baseline ${formatNumber(actual.baseline)}, score ${formatScore(actual.score)})`,
    ),
    actual.series && actual.series.length > 0 ? seriesChart(actual.series, field, offset) : null,
  );
}

/**
 * @param {string} field
 * @param {WatchlistActual} actual
 * @param {unknown} expected `{ atLeast: threshold }` from the processor
 */
function watchlistBlock(field, actual, expected) {
  const bounds = typeof expected === 'object' && expected !== null ? /** @type {Record<string, unknown>} */ (expected) : {};
  const needs = typeof bounds.atLeast === 'number' ? bounds.atLeast : null;
  const below = typeof bounds.below === 'number' ? bounds.below : null;
  return h(
    'figure',
    { class: 'watchlist' },
    h('figcaption', {}, h('code', {}, field), ' matches ', bdi(formatValue(actual.entry)), ` on ${actual.list} (score ${formatNumber(actual.score)}${needs === null ? '' : below === null ? `, threshold ${formatNumber(needs)}` : `, band ${formatNumber(needs)}–${formatNumber(below)}`})`),
    actual.alignments.length > 0
      ? h(
          'table',
          { class: 'alignments' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'query'), h('th', { scope: 'col' }, 'listed'), h('th', { scope: 'col' }, 'similarity'), h('th', { scope: 'col' }, 'variant rule'))),
          h(
            'tbody',
            {},
            actual.alignments.map((a) => h('tr', {}, h('td', {}, bdi(formatValue(a.query))), h('td', {}, bdi(formatValue(a.listed))), h('td', { class: 'num' }, typeof a.similarity === 'number' ? formatNumber(a.similarity) : formatValue(a.similarity)), h('td', {}, typeof a.rule === 'string' ? a.rule : ''))),
            [...(actual.unmatchedQuery ?? []).map((p) => h('tr', { class: 'unaligned' }, h('td', {}, bdi(p)), h('td', {}, '—'), h('td', { class: 'num' }, ''), h('td', {}, ''))), ...(actual.unmatchedListed ?? []).map((p) => h('tr', { class: 'unaligned' }, h('td', {}, '—'), h('td', {}, bdi(p)), h('td', { class: 'num' }, ''), h('td', {}, '')))],
          ),
        )
      : null,
    actual.qualifiers && actual.qualifiers.length > 0
      ? h(
          'ul',
          { class: 'qualifiers' },
          actual.qualifiers.map((q) => h('li', {}, h('span', { class: q.effect < 0 ? 'effect lowers' : 'effect raises' }, `${q.effect < 0 ? '−' : '+'}${formatNumber(Math.abs(q.effect))}`), ` ${q.qualifier}: ${q.detail}`)),
        )
      : null,
  );
}
