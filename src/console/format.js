// @ts-check
/** How values are written on the page. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An event time as the post recorded it, in the post's own offset, because that is the
 * clock the officers at the post and their reports use: `02 Nov 07:41:05 +05`.
 * @param {string} iso
 * @param {{ seconds?: boolean, date?: boolean, zone?: boolean }} [options] all @default true
 */
export function formatEventTime(iso, options = {}) {
  const { seconds = true, date = true, zone = true } = options;
  const m = ISO.exec(iso);
  if (!m) return iso;
  const [, , month, day, hour, minute, second = '00', offset = ''] = m;
  const time = `${hour}:${minute}${seconds ? `:${second}` : ''}`;
  const parts = [date ? `${day} ${MONTHS[Number(month) - 1] ?? month}` : '', time, zone ? formatOffset(offset) : ''];
  return parts.filter(Boolean).join(' ');
}

/** @param {string} offset `Z`, `+05:00`, `+0500` */
function formatOffset(offset) {
  if (offset === '' || offset === 'Z') return offset === 'Z' ? 'UTC' : '';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) return offset;
  return `${m[1]}${m[2]}${m[3] === '00' ? '' : `:${m[3]}`}`;
}

/*
 * The page's one rule for time: an event's time is shown as the post recorded it, in the
 * post's own UTC offset, labelled with it (`+05`); so are the times derived from events
 * (anomaly buckets, what a window held, the hourly chart's hours, which are hours at the
 * post). Triage happens in the analysts' time: those times are in the browser's zone,
 * labelled with its offset. The page says so under the chart.
 */

/**
 * The UTC offset an event time was recorded in, `+05:00` (`Z` for UTC; '' when it has none).
 * @param {string} iso
 */
export function offsetOf(iso) {
  return ISO.exec(iso)?.[7] ?? '';
}

/**
 * An instant (`2026-11-02T01:00:00Z`) as an event time at a post with this offset,
 * `02 Nov 06:00:00 +05`: for times derived from events that came as UTC.
 * @param {string} iso
 * @param {string} offset `+05:00`, `Z` or '' (then UTC)
 * @param {{ seconds?: boolean, date?: boolean, zone?: boolean }} [options]
 */
export function formatAtOffset(iso, offset, options = {}) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const minutes = offsetMinutes(offset);
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  return formatEventTime(`${local}${offset === '' ? 'Z' : offset}`, options);
}

/** @param {string} offset */
function offsetMinutes(offset) {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * The hour at the post an event time falls in, as milliseconds of a clock that reads the
 * post's local time as if it were UTC: events at 07:30 +05 and 07:30 +06 are both in the
 * post's hour 07:00. NaN for a time that is not one.
 * @param {string} iso
 */
export function postHour(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return Number.NaN;
  return Math.floor((ms + offsetMinutes(offsetOf(iso)) * 60_000) / 3_600_000) * 3_600_000;
}

/**
 * A wall-clock moment (triage times) in the analyst's own time zone, labelled with its
 * offset so that it is not taken for a post's time: `22 Nov 21:31:02 +05 (yours)`.
 * @param {string} iso
 */
export function formatLocalTime(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${browserOffset(d)} (yours)`;
}

/**
 * The browser's UTC offset at a moment, as event times are labelled (`+05`, `-03:30`, `UTC`).
 * @param {Date} [at]
 */
export function browserOffset(at = new Date()) {
  const minutes = -at.getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return formatOffset(`${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`);
}

/**
 * A post hour's label (see {@link postHour}), `07:00`.
 * @param {number} ms
 */
export function formatHour(ms) {
  return `${String(new Date(ms).getUTCHours()).padStart(2, '0')}:00`;
}

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
/** @type {Map<number, Intl.NumberFormat>} */
const decimals = new Map();

/** @param {number} n */
export function formatCount(n) {
  return integer.format(n);
}

/**
 * @param {number} n
 * @param {number} [digits] significant digits of a fraction (default: `4`)
 */
export function formatNumber(n, digits = 4) {
  if (Number.isInteger(n)) return integer.format(n);
  let format = decimals.get(digits);
  if (!format) decimals.set(digits, (format = new Intl.NumberFormat('en', { maximumSignificantDigits: digits })));
  return format.format(n);
}

/**
 * An anomaly score, which lives close to 1 when it matters: 0.999997 must not read as 1.
 * @param {number} score
 */
export function formatScore(score) {
  // Past six nines the digits stop saying anything; how far from 1 it is still does.
  if (score < 1 && 1 - score < 1e-6) return `1 − ${(1 - score).toExponential(1)}`;
  return formatNumber(score, 7);
}

/**
 * A value from evidence or an event, on one line: numbers grouped, lists joined,
 * anything nested as compact JSON.
 * @param {unknown} value
 * @returns {string}
 */
export function formatValue(value) {
  if (value === undefined) return '—';
  if (value === null) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.length === 0 ? '[]' : value.map(formatValue).join(', ');
  }
  return JSON.stringify(value);
}

/** The comparison an evidence entry made, as a reader says it. */
const OPS = /** @type {Readonly<Record<string, string>>} */ ({
  '==': '=',
  '!=': '≠',
  '>=': '≥',
  '<=': '≤',
  equals: '=',
  notEquals: '≠',
  greaterThan: '>',
  greaterThanOrEqual: '≥',
  lessThan: '<',
  lessThanOrEqual: '≤',
});

/** @param {string} op */
export function formatOp(op) {
  return OPS[op] ?? op;
}

/** @param {string} text */
export function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
