// @ts-check
import { s } from './dom.js';
import { formatCount, formatHour } from './format.js';
import { SEVERITIES } from './wire.js';

/** @typedef {{ start: number, counts: number[] }} HourBucket */

const WIDTH = 720;
const HEIGHT = 120;
const PAD = { top: 8, right: 8, bottom: 18, left: 34 };

/**
 * Alerts per hour of event time, stacked by severity (low at the bottom, critical on
 * top), as an SVG that scales to its container. Each bar carries a tooltip with its counts.
 * @param {HourBucket[]} buckets oldest first, one per hour
 * @returns {SVGSVGElement}
 */
export function hourlyChart(buckets) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const totals = buckets.map((b) => b.counts.reduce((a, n) => a + n, 0));
  const max = niceCeiling(Math.max(1, ...totals));
  const slot = buckets.length > 0 ? plotW / buckets.length : plotW;
  const barW = Math.max(1, slot * 0.78);
  const y = (/** @type {number} */ n) => PAD.top + plotH - (n / max) * plotH;

  const bars = buckets.map((bucket, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const segments = SEVERITIES.map((severity, k) => {
      const n = bucket.counts[k] ?? 0;
      if (n === 0) return null;
      const top = y(base + n);
      const height = y(base) - top;
      base += n;
      return s('rect', { class: `bar sev-${severity}`, x: x.toFixed(1), y: top.toFixed(1), width: barW.toFixed(1), height: Math.max(0.5, height).toFixed(1) });
    });
    const total = totals[i] ?? 0;
    const detail = SEVERITIES.map((severity, k) => [severity, bucket.counts[k] ?? 0])
      .filter(([, n]) => n !== 0)
      .reverse()
      .map(([severity, n]) => `${n} ${severity}`)
      .join(', ');
    const label = `${formatHour(bucket.start)}–${formatHour(bucket.start + 3_600_000)}: ${formatCount(total)} alert${total === 1 ? '' : 's'}${detail ? ` (${detail})` : ''}`;
    return s(
      'g',
      { class: 'hour', 'data-start': bucket.start, 'data-total': total },
      s('title', {}, label),
      // A transparent full-height target, so that an hour with few alerts still has a tooltip.
      s('rect', { class: 'hit', x: (PAD.left + i * slot).toFixed(1), y: PAD.top, width: slot.toFixed(1), height: plotH }),
      segments,
    );
  });

  const every = buckets.length > 12 ? 3 : 1;
  const ticks = buckets.map((bucket, i) =>
    (buckets.length - 1 - i) % every === 0 ? s('text', { class: 'tick', x: (PAD.left + i * slot + slot / 2).toFixed(1), y: HEIGHT - 4, 'text-anchor': 'middle' }, formatHour(bucket.start)) : null,
  );
  const grid = [0, max / 2, max].filter(Number.isInteger).map((n) =>
    s(
      'g',
      { class: 'grid' },
      s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(n).toFixed(1), y2: y(n).toFixed(1) }),
      s('text', { class: 'tick', x: PAD.left - 4, y: (y(n) + 3).toFixed(1), 'text-anchor': 'end' }, formatCount(n)),
    ),
  );
  const total = totals.reduce((a, n) => a + n, 0);
  return s(
    'svg',
    { class: 'hourly-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `Alerts per hour of event time by severity over the last ${buckets.length} hours: ${formatCount(total)} in all` },
    grid,
    bars,
    ticks,
  );
}

/**
 * A round number at or above `n` for the axis: 1, 2, 5 × a power of ten.
 * @param {number} n
 */
export function niceCeiling(n) {
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}
