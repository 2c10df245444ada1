// @ts-check
import { s } from './dom.js';
import { formatAtOffset, formatNumber } from './format.js';

/** @typedef {import('./wire.js').SeriesPoint} SeriesPoint */

const WIDTH = 560;
const HEIGHT = 170;
const PAD = { top: 10, right: 12, bottom: 22, left: 48 };

/**
 * An anomaly's recent series: the band counted as normal (low..high) shaded, the
 * baseline dashed, the observed values as a line with a dot each, dots outside the band
 * marked, and the newest point (the one that fired) ringed.
 * @param {SeriesPoint[]} series oldest first
 * @param {string} field what the series measures, for the accessible label
 * @param {string} [offset] the post's UTC offset: bucket times are told in the post's time
 * @returns {SVGSVGElement}
 */
export function seriesChart(series, field, offset = '') {
  const at = (/** @type {string} */ t) => formatAtOffset(t, offset, { seconds: false });
  const points = series.filter((p) => Number.isFinite(Date.parse(p.t)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const values = points.flatMap((p) => [p.value, p.low, p.high, p.baseline]);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  const times = points.map((p) => Date.parse(p.t));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (/** @type {number} */ t) => PAD.left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * plotW : plotW / 2);
  const y = (/** @type {number} */ v) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const xy = (/** @type {number} */ t, /** @type {number} */ v) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`;

  const upper = points.map((p, i) => xy(/** @type {number} */ (times[i]), p.high));
  const lower = points.map((p, i) => xy(/** @type {number} */ (times[i]), p.low)).reverse();
  const band = points.length > 1 ? `M${upper.join('L')}L${lower.join('L')}Z` : '';
  const baseline = points.map((p, i) => xy(/** @type {number} */ (times[i]), p.baseline)).join(' ');
  const line = points.map((p, i) => xy(/** @type {number} */ (times[i]), p.value)).join(' ');
  const last = points.length - 1;
  const dots = points.map((p, i) => {
    const outside = p.value > p.high || p.value < p.low;
    const t = /** @type {number} */ (times[i]);
    return s(
      'circle',
      { class: `dot${outside ? ' outside' : ''}${i === last ? ' current' : ''}`, cx: x(t).toFixed(1), cy: y(p.value).toFixed(1), r: i === last ? 4.5 : outside ? 3 : 2 },
      s('title', {}, `${at(p.t)}: ${formatNumber(p.value)} (baseline ${formatNumber(p.baseline)}, normal ${formatNumber(p.low)}–${formatNumber(p.high)})`),
    );
  });
  const outsideCount = points.filter((p) => p.value > p.high || p.value < p.low).length;
  const axis = [hi - margin, lo + margin].map((v) =>
    s('g', { class: 'grid' }, s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v).toFixed(1), y2: y(v).toFixed(1) }), s('text', { class: 'tick', x: PAD.left - 4, y: (y(v) + 3).toFixed(1), 'text-anchor': 'end' }, formatNumber(v, 3))),
  );
  const first = points[0];
  const newest = points[last];
  return s(
    'svg',
    {
      class: 'series-chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': `${field}: ${points.length} recent values with their baseline band; ${outsideCount} outside the band${newest ? `, newest ${formatNumber(newest.value)} against a normal range of ${formatNumber(newest.low)}–${formatNumber(newest.high)}` : ''}`,
    },
    axis,
    band ? s('path', { class: 'band', d: band }) : null,
    s('polyline', { class: 'baseline', points: baseline }),
    s('polyline', { class: 'value', points: line }),
    dots,
    first ? s('text', { class: 'tick', x: PAD.left, y: HEIGHT - 5, 'text-anchor': 'start' }, at(first.t)) : null,
    newest && last > 0 ? s('text', { class: 'tick', x: WIDTH - PAD.right, y: HEIGHT - 5, 'text-anchor': 'end' }, at(newest.t)) : null,
  );
}
