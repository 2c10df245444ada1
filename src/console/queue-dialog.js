// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { formatEventTime } from './format.js';
import { REASONS } from './wire.js';

/** @typedef {import('./feed.js').CaseworkOutcome} CaseworkOutcome */
/** @typedef {import('./wire.js').QueueItem} QueueItem */
/** @typedef {import('./wire.js').TriageReason} TriageReason */

/** @type {Record<string, string>} */
const QUEUES = { mine: 'Mine', unassigned: 'Unassigned', open: 'All open', pending: 'Awaiting a second analyst' };

/**
 * @typedef {object} QueueDialogOptions
 * @property {(message: { type: string } & Record<string, unknown>) => Promise<CaseworkOutcome>} ask sends a request, resolves with the reply
 * @property {() => Promise<string | null>} analyst who acts, asked for if not known yet
 * @property {() => boolean} signedIn whether the server knows who acts
 * @property {(seq: number) => void} [onOpenAlert] show an alert of the queue in the main view
 */

/**
 * Work queues (mine, unassigned, all open, awaiting a second analyst) as the server keeps
 * them, with bulk triage of the alerts ticked: acknowledge, assign, dismiss with a reason.
 * Each alert is answered on its own; the four-eyes rule holds some dismissals pending.
 */
export class QueueDialog {
  #dialog;
  #options;
  #select = h('select', { name: 'queue', 'aria-label': 'Queue' }, Object.entries(QUEUES).map(([value, label]) => h('option', { value }, label)));
  #table = h('div', { class: 'queue-items' });
  #bulk = h('div', { class: 'bulk', role: 'group', 'aria-label': 'Bulk triage' });
  #result = h('p', { class: 'queue-result', role: 'status', 'aria-live': 'polite' });
  /** @type {QueueItem[]} */
  #items = [];

  /**
   * @param {HTMLDialogElement} dialog
   * @param {QueueDialogOptions} options
   */
  constructor(dialog, options) {
    this.#dialog = dialog;
    this.#options = options;
    this.#select.addEventListener('change', () => void this.refresh());
    const assignee = h('input', { name: 'assignee', placeholder: 'assign to', maxlength: 100, autocomplete: 'off' });
    const reason = h('select', { name: 'reason', 'aria-label': 'Dismissal reason' }, REASONS.map((r) => h('option', { value: r }, r)));
    this.#bulk.append(
      h('button', { type: 'button', class: 'bulk-acknowledge', onclick: () => void this.#apply({ action: 'acknowledge' }) }, 'Acknowledge ticked'),
      assignee,
      h('button', { type: 'button', class: 'bulk-assign', onclick: () => assignee.value.trim() !== '' && void this.#apply({ action: 'assign', assignee: assignee.value.trim() }) }, 'Assign ticked'),
      reason,
      h('button', { type: 'button', class: 'bulk-dismiss', onclick: () => void this.#apply({ action: 'dismiss', reason: reason.value }) }, 'Dismiss ticked'),
    );
    const body = /** @type {HTMLElement} */ (dialog.querySelector('.queue-body'));
    body.append(h('label', {}, 'Queue ', this.#select), this.#table, this.#bulk, this.#result);
    /** @type {HTMLButtonElement} */ (dialog.querySelector('[name="close"]')).addEventListener('click', () => dialog.close());
  }

  get isOpen() {
    return this.#dialog.open;
  }

  async open() {
    this.#result.textContent = '';
    if (!this.#dialog.open) this.#dialog.showModal();
    await this.refresh();
  }

  async refresh() {
    const by = await this.#who();
    if (by === undefined) return;
    const outcome = await this.#options.ask({ type: 'queue', queue: this.#select.value, ...(by !== null && this.#select.value === 'mine' && { assignee: by }) });
    if (!outcome.ok) {
      this.#result.textContent = outcome.message;
      return;
    }
    if (outcome.reply.type !== 'queue') return;
    this.#items = outcome.reply.items;
    replaceChildren(this.#table, this.#items.length === 0 ? h('p', { class: 'muted' }, 'Nothing in this queue.') : itemTable(this.#items, this.#options.onOpenAlert));
  }

  /** @param {Record<string, unknown>} request */
  async #apply(request) {
    const seqs = [...this.#table.querySelectorAll('input[name="pick"]:checked')].map((box) => Number(/** @type {HTMLInputElement} */ (box).value));
    if (seqs.length === 0) {
      this.#result.textContent = 'Tick the alerts first.';
      return;
    }
    const by = await this.#who();
    if (by === undefined) return;
    const outcome = await this.#options.ask({ type: 'triage-bulk', seqs, ...request, ...(by !== null && { by }) });
    if (!outcome.ok) {
      this.#result.textContent = `Not recorded: ${outcome.message}`;
      return;
    }
    if (outcome.reply.type !== 'triage-bulk-result') return;
    const { results } = outcome.reply;
    let done = 0;
    let pending = 0;
    /** @type {string[]} */
    const refused = [];
    for (const r of results) {
      if (r.ok) {
        done++;
        if (r.entry.pending) pending++;
      } else refused.push(`#${r.seq} ${r.message}`);
    }
    this.#result.textContent = `${done} of ${results.length} recorded${pending > 0 ? ` (${pending} dismissal${pending === 1 ? '' : 's'} waiting for a second analyst)` : ''}${refused.length > 0 ? `; refused: ${refused.join('; ')}` : ''}.`;
    await this.refresh();
  }

  /** Who acts: null when the server knows (signed in), a name, or undefined when none was given. */
  async #who() {
    if (this.#options.signedIn()) return null;
    const name = await this.#options.analyst();
    if (name === null) {
      this.#result.textContent = 'Enter your name first: it is recorded with every triage action.';
      return undefined;
    }
    return name;
  }
}

/**
 * @param {QueueItem[]} items
 * @param {((seq: number) => void) | undefined} open
 */
function itemTable(items, open) {
  return h(
    'table',
    { class: 'queue' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'seq'), h('th', {}, 'severity'), h('th', {}, 'subject'), h('th', {}, 'post'), h('th', {}, 'event time'), h('th', {}, 'status'), h('th', {}, 'assignee'))),
    h(
      'tbody',
      {},
      items.map((item) =>
        h(
          'tr',
          { class: `queue-item sev-${item.severity}`, 'data-seq': item.seq },
          h('td', {}, h('input', { type: 'checkbox', name: 'pick', value: item.seq, 'aria-label': `select #${item.seq}` })),
          h('td', {}, open ? h('button', { type: 'button', class: 'link', onclick: () => open(item.seq) }, `#${item.seq}`) : `#${item.seq}`),
          h('td', {}, item.severity),
          h('td', {}, bdi(item.subject, { dir: 'ltr' })),
          h('td', {}, bdi(item.post)),
          h('td', {}, formatEventTime(item.eventTime)),
          h('td', { class: 'status' }, item.status, item.proposed ? [' (', bdi(item.proposed.by), ' proposed ', item.proposed.reason, ')'] : null),
          h('td', {}, item.assignee ? bdi(item.assignee) : '—'),
        ),
      ),
    ),
  );
}
