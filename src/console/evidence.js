// @ts-check
import { bdi, h } from './dom.js';
import { formatLocalTime, formatNumber, formatOp, formatScore, formatValue } from './format.js';
import { seriesChart } from './series-chart.js';
import { isAnomalyActual, isWatchlistActual } from './wire.js';

/** @typedef {import('./wire.js').FiredIndicator} FiredIndicator */
/** @typedef {import('./wire.js').Evidence} Evidence */
/** @typedef {import('./wire.js').AnomalyActual} AnomalyActual */
/** @typedef {import('./wire.js').WatchlistActual} WatchlistActual */

/**
 * One fired indicator: what it is (title, id, rule version, weight, severity, tags)
 * and every value it looked at. Anomaly and watchlist evidence get their own rendering
 * (baseline and band, with the recent series drawn; alignments as a table); any other
 * shape is shown as it came.
 * @param {FiredIndicator} indicator
 */
export function indicatorCard(indicator) {
  const special = indicator.evidence.flatMap((e) => {
    if (e.op === 'anomaly' && isAnomalyActual(e.actual)) return [anomalyBlock(e.field, e.actual)];
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
    indicator.evidence.length > 0
      ? h(
          'table',
          { class: 'evidence' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'field'), h('th', { scope: 'col' }, 'op'), h('th', { scope: 'col' }, 'expected'), h('th', { scope: 'col' }, 'actual'))),
          h('tbody', {}, indicator.evidence.map(evidenceRow)),
        )
      : h('p', { class: 'muted' }, 'No evidence recorded.'),
    special,
  );
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
 */
function anomalyBlock(field, actual) {
  const direction = actual.value > actual.high ? 'above' : actual.value < actual.low ? 'below' : 'within';
  const bucket = actual.bucket && typeof actual.bucket.from === 'string' && typeof actual.bucket.to === 'string' ? ` in ${formatLocalTime(actual.bucket.from)}–${formatLocalTime(actual.bucket.to).slice(-8)}` : '';
  return h(
    'figure',
    { class: 'anomaly' },
    h(
      'figcaption',
      {},
      h('code', {}, field),
      ` ${formatNumber(actual.value)}${bucket} is ${direction} the normal range ${formatNumber(actual.low)}–${formatNumber(actual.high)} (baseline ${formatNumber(actual.baseline)}, score ${formatScore(actual.score)})`,
    ),
    actual.series && actual.series.length > 0 ? seriesChart(actual.series, field) : null,
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
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'query'), h('th', { scope: 'col' }, 'listed'), h('th', { scope: 'col' }, 'similarity'))),
          h(
            'tbody',
            {},
            actual.alignments.map((a) => h('tr', {}, h('td', {}, bdi(formatValue(a.query))), h('td', {}, bdi(formatValue(a.listed))), h('td', { class: 'num' }, typeof a.similarity === 'number' ? formatNumber(a.similarity) : formatValue(a.similarity)))),
            [...(actual.unmatchedQuery ?? []).map((p) => h('tr', { class: 'unaligned' }, h('td', {}, bdi(p)), h('td', {}, '—'), h('td', { class: 'num' }, ''))), ...(actual.unmatchedListed ?? []).map((p) => h('tr', { class: 'unaligned' }, h('td', {}, '—'), h('td', {}, bdi(p)), h('td', { class: 'num' }, '')))],
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
