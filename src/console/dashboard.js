// @ts-check
/**
 * The supervisors' dashboard (`/dashboard`, docs/console.md): the backlog of live alerts
 * nobody has acknowledged, and how long acknowledging takes (median and p90), per post and
 * per severity. It polls `GET /api/dashboard` with the tab's token (the console's, when
 * opened from it) every two seconds, so new alerts and triage show within that. Counts
 * and times only: nothing personal is fetched or shown.
 */
import { h } from './dom.js';
import { pageSignIn } from './page-sign-in.js';

/** How often the numbers are fetched again. */
const REFRESH_MS = 2000;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const signIn = pageSignIn({
  unauthenticated: 'Sign in with a supervisor or admin token.',
  forbidden: 'This token may not read the dashboard (supervisor and admin tokens may).',
  onToken: () => void refresh(),
});

/**
 * @typedef {{ open: number, oldestOpen: string | null, raised: number, acknowledged: number, medianMs: number | null, p90Ms: number | null }} Row
 * @typedef {{ at: string, since: string, windowHours: number, all: Row, posts: (Row & { post: string })[], severities: (Row & { severity: string })[] }} Dashboard
 */

/**
 * A duration for people: seconds under two minutes, then minutes, then hours.
 * @param {number | null} ms
 */
export function duration(ms) {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * A number cell; `ms` cells also carry the exact value, for tools and tests.
 * @param {string} field
 * @param {string} text
 * @param {number | null} [ms]
 */
const cell = (field, text, ms) => h('td', { class: 'number', 'data-field': field, ...(ms === undefined ? {} : { 'data-ms': ms === null ? '' : String(ms) }) }, text);

/**
 * @param {string} heading the first column's heading
 * @param {{ key: string, row: Row }[]} rows
 * @param {number} now
 */
function table(heading, rows, now) {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No live alerts stored yet.');
  const headings = [heading, 'open', 'oldest open waiting', 'raised in window', 'acknowledged', 'median to acknowledge', 'p90 to acknowledge'];
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, headings.map((t, i) => h('th', { scope: 'col', ...(i > 0 ? { class: 'number' } : {}) }, t)))),
    h(
      'tbody',
      {},
      rows.map(({ key, row }) =>
        h(
          'tr',
          { 'data-key': key },
          h('th', { scope: 'row' }, key),
          cell('open', String(row.open)),
          row.oldestOpen === null ? cell('oldest', '–') : h('td', { class: 'number waiting', 'data-field': 'oldest' }, duration(Math.max(0, now - Date.parse(row.oldestOpen)))),
          cell('raised', String(row.raised)),
          cell('acknowledged', String(row.acknowledged)),
          cell('median', duration(row.medianMs), row.medianMs),
          cell('p90', duration(row.p90Ms), row.p90Ms),
        ),
      ),
    ),
  );
}

/** @param {Dashboard} view */
function render(view) {
  const now = Date.parse(view.at);
  byId('all').replaceChildren(table('', [{ key: 'all', row: view.all }], now));
  byId('posts').replaceChildren(table('post', view.posts.map((p) => ({ key: p.post, row: p })), now));
  byId('severities').replaceChildren(table('severity', view.severities.map((s) => ({ key: s.severity, row: s })), now));
}

async function refresh() {
  const hours = /** @type {HTMLSelectElement} */ (byId('window')).value;
  let response;
  try {
    response = await fetch(`/api/dashboard?hours=${encodeURIComponent(hours)}`, { headers: { authorization: signIn.authorization() } });
  } catch {
    byId('status').textContent = 'server unreachable; retrying';
    return;
  }
  if (signIn.refused(response.status)) return;
  if (!response.ok) {
    byId('status').textContent = `not updated: the server answered ${response.status}; retrying`;
    return;
  }
  render(/** @type {Dashboard} */ (await response.json()));
  byId('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

byId('window').addEventListener('change', () => void refresh());

void refresh();
setInterval(() => void refresh(), REFRESH_MS);
