// @ts-check
import { AlertDetail } from './alert-detail.js';
import { AlertList } from './alert-list.js';
import { AlertModel } from './alert-model.js';
import { describeRefusal, protocolsFor, STORAGE_KEY as TOKEN_KEY, takeToken, TokenDialog } from './access-token.js';
import { Analyst } from './analyst.js';
import { CaseworkDialog } from './casework-dialog.js';
import { CasesDialog } from './cases-dialog.js';
import { Connection } from './connection.js';
import { QueueDialog } from './queue-dialog.js';
import { byId, h, replaceChildren } from './dom.js';
import { Feed } from './feed.js';
import { FilterBar } from './filter-bar.js';
import { emptyFilter, filterIssues, fromQuery, toQuery, toSubscription } from './filter.js';
import { browserOffset, formatCount } from './format.js';
import { hourlyChart } from './hourly-chart.js';

/** @typedef {import('./connection.js').ConnectionState} ConnectionState */
/** @typedef {import('./connection.js').StateDetail} StateDetail */
/** @typedef {import('./filter.js').FilterState} FilterState */
/** @typedef {import('./feed.js').NoticeLevel} NoticeLevel */
/** @typedef {import('./wire.js').TriageAction} TriageAction */

const params = new URLSearchParams(location.search);
/** Newest sequence numbers fetched on opening and when a filter widens (`?history=N`). */
const HISTORY = intParam('history', 5_000, 100, 100_000);
/** The chart spans the hours the held alerts cover, within these bounds. */
const CHART_HOURS = { min: 12, max: 24 };
/** The chart is redrawn at most this often while alerts pour in. */
const CHART_EVERY_MS = 500;

let renderFrame = 0;
/** The server refused the token and the sign-in dialog is waiting for another. */
let signingIn = false;
let chartDrawnAt = 0;
let chartVersion = -1;
let seenVersion = -1;
/** @type {ReturnType<typeof setInterval> | undefined} */
let countdown;

const model = new AlertModel({ maxHeld: Math.max(10_000, HISTORY * 2) });
const analyst = new Analyst({ dialog: byId('analyst-dialog', HTMLDialogElement), button: byId('analyst', HTMLButtonElement) });
const connectionView = byId('connection', HTMLElement);
const countView = byId('count', HTMLElement);
const newerButton = byId('newer', HTMLButtonElement);
const chartView = byId('hourly-chart', HTMLElement);
const helpDialog = byId('help-dialog', HTMLDialogElement);

const feed = new Feed({
  model,
  history: HISTORY,
  send: (message) => connection.send(message),
  onChange: () => render(),
  onNotice: notify,
  onFilterRefused,
  onIdentity: (you) => analyst.signIn(you),
  onCasework: () => {
    if (caseworkDialog.isOpen) void caseworkDialog.refresh();
  },
  onRules: (message) => {
    if (message.status === 'loaded') notify('info', `Rule set ${message.version} is now running (${message.rules ?? '?'} indicators; was ${message.previous ?? '?'}).`);
    if (message.status === 'rejected') notify('warning', `A rule change was refused (${message.problems?.length ?? 0} problem(s)); rule set ${message.version} keeps running.`);
    if (message.status === 'unchanged' && message.fixed) notify('info', `The rule files are fixed: they are rule set ${message.version}'s again, which kept running.`);
  },
});

/** @type {import('./noise-panel.js').NoisePanelOptions} */
const caseworkOptions = {
  ask: (message) => feed.ask(message),
  analyst: () => analyst.ask(),
  signedIn: () => analyst.signedIn,
};
const detail = new AlertDetail(
  byId('detail', HTMLElement),
  {
    send: (request) => feed.triage(request),
    analyst: () => analyst.ask(),
    signedIn: () => analyst.signedIn,
  },
  caseworkOptions,
);
const caseworkDialog = new CaseworkDialog(byId('casework-dialog', HTMLDialogElement), caseworkOptions);
byId('casework', HTMLButtonElement).addEventListener('click', () => void caseworkDialog.open());
const queueDialog = new QueueDialog(byId('queue-dialog', HTMLDialogElement), {
  ...caseworkOptions,
  onOpenAlert: (seq) => {
    if (!model.get(seq)) return;
    byId('queue-dialog', HTMLDialogElement).close();
    list.select(seq);
  },
});
byId('queues', HTMLButtonElement).addEventListener('click', () => void queueDialog.open());
const casesDialog = new CasesDialog(byId('cases-dialog', HTMLDialogElement), caseworkOptions);
byId('cases', HTMLButtonElement).addEventListener('click', () => void casesDialog.open());

const list = new AlertList({
  viewport: byId('list', HTMLElement),
  model,
  onSelect: (held) => {
    if (held) {
      if (held.seq !== detail.seq) detail.show(held);
    } else detail.clear();
  },
  onNewerAbove: (rows) => {
    newerButton.hidden = rows === 0;
    newerButton.textContent = `↑ ${formatCount(rows)} newer`;
  },
});
newerButton.addEventListener('click', () => list.toTop());

/**
 * The last filter the page sent, and the one before, to go back to if the server refuses it.
 * @type {FilterState[]}
 */
const sent = [];
const filterBar = new FilterBar({
  form: byId('filters', HTMLFormElement),
  search: byId('search', HTMLInputElement),
  onChange: applyFilter,
});

takeToken(location, sessionStorage, (url) => history.replaceState(null, '', url));
const tokenDialog = new TokenDialog(byId('token-dialog', HTMLDialogElement), sessionStorage);
const connection = new Connection({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/alerts`,
  protocols: () => protocolsFor(sessionStorage.getItem(TOKEN_KEY)),
  onRefused: (code, reason) => {
    // Not offline and not retrying: the connection waits for a token.
    signingIn = true;
    showConnection('offline', { reason: describeRefusal(code, reason) });
    void tokenDialog.ask(describeRefusal(code, reason)).then(() => {
      signingIn = false;
      connection.start();
    });
  },
  onOpen: () => feed.opened(),
  onMessage: (data) => feed.receive(data),
  onState: (state, stateDetail) => {
    if (state !== 'connected') feed.closed();
    showConnection(state, stateDetail);
  },
});
/** @type {HTMLButtonElement} */ (connectionView.querySelector('.retry')).addEventListener('click', () => connection.retryNow());
addEventListener('online', () => connection.retryNow());

byId('time-rule', HTMLElement).textContent = `Event times are each post’s local time, with its UTC offset (+05, +06); the chart’s hours are hours at the post. Triage times are yours (${browserOffset()}).`;

const initial = fromQuery(params);
filterBar.set(initial);
applyFilter(initial);
connection.start();
bindKeys();

/** @param {FilterState} state */
function applyFilter(state) {
  const issues = filterIssues(state);
  filterBar.showIssues(issues);
  if (issues.length > 0) return;
  sent.push(state);
  if (sent.length > 2) sent.shift();
  const query = toQuery(state);
  const historyParam = params.get('history');
  if (historyParam !== null) query.set('history', historyParam);
  const search = query.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
  feed.setFilter(toSubscription(state));
  if (list.selected !== null && !model.get(list.selected)) list.select(null);
  list.schedule();
}

/**
 * @param {string} message
 * @param {{ path: string, message: string }[]} issues
 */
function onFilterRefused(message, issues) {
  notify('error', `The server refused the filter: ${message}${issues.length > 0 ? ` (${issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : ''}`);
  const previous = sent.length > 1 ? sent[0] : emptyFilter();
  sent.length = 0;
  if (previous) {
    filterBar.set(previous);
    applyFilter(previous);
  }
}

/** Redraws what changed, once per animation frame however many messages came in it. */
function render() {
  list.schedule();
  if (renderFrame !== 0) return;
  renderFrame = requestAnimationFrame(() => {
    renderFrame = 0;
    const held = formatCount(model.size);
    countView.textContent = `${held} alert${model.size === 1 ? '' : 's'}${feed.live ? '' : ' · catching up…'}${feed.newestSeq > 0 ? ` · newest #${feed.newestSeq}` : ''}`;
    countView.classList.toggle('catching-up', !feed.live);
    countView.title = `The alerts matching the filter among the newest ${formatCount(HISTORY)} when the page opened or the filter widened, and every one raised since.`;
    if (list.selected !== null && !model.get(list.selected)) list.select(null);
    // A triage change, here or in another console, or a refetch after reconnecting.
    const shown = detail.seq === null ? undefined : model.get(detail.seq);
    if (shown && shown.triage !== detail.triage) detail.update(shown);
    if (model.seenVersion !== seenVersion) {
      seenVersion = model.seenVersion;
      filterBar.suggest(model.seen);
    }
    if (model.version !== chartVersion) {
      const wait = chartDrawnAt + CHART_EVERY_MS - performance.now();
      if (wait <= 0) {
        chartVersion = model.version;
        chartDrawnAt = performance.now();
        replaceChildren(chartView, model.size === 0 ? h('p', { class: 'muted' }, 'No alerts held.') : hourlyChart(model.hourly(CHART_HOURS.min, CHART_HOURS.max)));
      } else setTimeout(render, wait);
    }
  });
}

/**
 * @param {ConnectionState} state
 * @param {StateDetail} stateDetail
 */
function showConnection(state, stateDetail) {
  clearInterval(countdown);
  connectionView.className = `connection state-${state}`;
  const label = /** @type {HTMLElement} */ (connectionView.querySelector('.label'));
  const retry = /** @type {HTMLButtonElement} */ (connectionView.querySelector('.retry'));
  retry.hidden = state === 'connected' || state === 'connecting';
  connectionView.title = stateDetail.reason ?? '';
  const say = () => {
    const seconds = stateDetail.retryAt === undefined ? 0 : Math.max(0, Math.ceil((stateDetail.retryAt - Date.now()) / 1000));
    const next = seconds > 0 ? ` · retry in ${seconds} s` : ' · retrying…';
    label.textContent = state === 'connected' ? 'connected' : state === 'connecting' ? 'connecting…' : signingIn ? 'signed out · waiting for a token' : `${state}${next}`;
  };
  if (signingIn && state === 'offline') retry.hidden = true;
  say();
  if (state === 'reconnecting' || state === 'offline') countdown = setInterval(say, 1000);
}

/**
 * A message above the list: information fades after a while, warnings and errors stay
 * until closed. The newest three are kept.
 * @param {NoticeLevel} level
 * @param {string} text
 */
function notify(level, text) {
  const box = byId('notices', HTMLElement);
  const notice = h('div', { class: `notice ${level}`, role: level === 'error' ? 'alert' : 'status' }, h('span', {}, text), h('button', { type: 'button', 'aria-label': 'Close', onclick: () => notice.remove() }, '×'));
  box.append(notice);
  while (box.childElementCount > 3) box.firstElementChild?.remove();
  if (level === 'info') setTimeout(() => notice.remove(), 8_000);
}

function bindKeys() {
  /** @type {Record<string, TriageAction>} */
  const triageKeys = { a: 'acknowledge', s: 'assign', e: 'escalate', d: 'dismiss', n: 'note' };
  const listView = byId('list', HTMLElement);
  byId('help', HTMLButtonElement).addEventListener('click', () => helpDialog.showModal());
  /** @type {HTMLButtonElement} */ (helpDialog.querySelector('[name="close"]')).addEventListener('click', () => helpDialog.close());
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    const target = /** @type {HTMLElement} */ (event.target);
    const typing = target.matches('input, textarea, select, [contenteditable]');
    if (event.key === 'Escape') {
      if (detail.cancel()) event.preventDefault();
      else if (typing) target.blur();
      return;
    }
    if (typing) return;
    const action = triageKeys[event.key];
    if (action) {
      event.preventDefault();
      detail.act(action);
      return;
    }
    switch (event.key) {
      case '/':
        event.preventDefault();
        byId('search', HTMLInputElement).focus();
        return;
      case 'f':
        event.preventDefault();
        filterBar.focus();
        return;
      case '?':
        event.preventDefault();
        helpDialog.showModal();
        return;
      case 'j':
      case 'k':
      case 'ArrowDown':
      case 'ArrowUp':
        if (target === listView) return;
        event.preventDefault();
        list.move(event.key === 'j' || event.key === 'ArrowDown' ? 1 : -1);
        return;
      default:
    }
  });
}

/**
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function intParam(name, fallback, min, max) {
  const value = Number(params.get(name));
  return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}
