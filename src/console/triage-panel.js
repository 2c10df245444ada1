// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { capitalise, formatLocalTime } from './format.js';
import { REASONS } from './wire.js';

/** @typedef {import('./wire.js').HeldAlert} HeldAlert */
/** @typedef {import('./wire.js').TriageAction} TriageAction */
/** @typedef {import('./wire.js').TriageEntry} TriageEntry */
/** @typedef {import('./wire.js').TriageReason} TriageReason */
/** @typedef {import('./wire.js').TriageRequest} TriageRequest */
/** @typedef {import('./feed.js').TriageOutcome} TriageOutcome */

/**
 * @typedef {object} TriagePanelOptions
 * @property {(request: TriageRequest) => Promise<TriageOutcome>} send
 * @property {() => Promise<string | null>} analyst who acts, asked for if not known yet (a processor without authentication)
 * @property {() => boolean} [signedIn] whether the server knows who acts (the token's holder): the page then sends no name
 */

/** @type {Record<TriageAction, { label: string, key: string, done: string }>} */
const ACTIONS = {
  acknowledge: { label: 'Acknowledge', key: 'a', done: 'acknowledged' },
  assign: { label: 'Assign…', key: 's', done: 'assigned' },
  escalate: { label: 'Escalate…', key: 'e', done: 'escalated' },
  dismiss: { label: 'Dismiss…', key: 'd', done: 'dismissed' },
  note: { label: 'Note…', key: 'n', done: 'noted' },
  confirm: { label: 'Confirm dismissal', key: 'c', done: 'dismissal confirmed' },
};

/** @type {Record<TriageReason, string>} */
const REASON_LABELS = { 'true-hit': 'true hit', 'false-positive': 'false positive', duplicate: 'duplicate', other: 'other' };

/**
 * The triage part of an alert's detail: its status, the buttons (acknowledge at once;
 * assign, escalate, dismiss and note through a short inline form), the server's answer,
 * and the history of who did what and when. A change made anywhere reaches every open
 * console through the server's `triage` message, which calls `update`.
 */
export class TriagePanel {
  element = h('section', { class: 'triage', 'aria-label': 'Triage' });
  #status = h('p', { class: 'triage-status' });
  #buttons = h('div', { class: 'triage-buttons', role: 'group', 'aria-label': 'Triage actions' });
  #form = h('div', { class: 'triage-form' });
  #result = h('p', { class: 'triage-result', role: 'status', 'aria-live': 'polite' });
  #history = h('ol', { class: 'history' });
  /** @type {HeldAlert | null} */
  #held = null;
  #busy = false;
  #options;

  /** @param {TriagePanelOptions} options */
  constructor(options) {
    this.#options = options;
    for (const [action, { label, key }] of Object.entries(ACTIONS)) {
      this.#buttons.append(
        h('button', { type: 'button', class: `act act-${action}`, 'data-action': action, 'aria-keyshortcuts': key, title: `${label.replace('…', '')} (${key})`, onclick: () => this.act(/** @type {TriageAction} */ (action)) }, label),
      );
    }
    this.element.append(h('h3', {}, 'Triage'), this.#status, this.#buttons, this.#form, this.#result, h('h4', {}, 'History'), this.#history);
  }

  /**
   * Shows a newly selected alert.
   * @param {HeldAlert} held
   */
  show(held) {
    this.#held = held;
    this.#form.replaceChildren();
    this.#result.textContent = '';
    this.update(held);
  }

  /**
   * Refreshes the status and history, keeping any form being filled in.
   * @param {HeldAlert} held
   */
  update(held) {
    if (held.seq !== this.#held?.seq) return;
    this.#held = held;
    const { triage } = held;
    replaceChildren(
      this.#status,
      'Status: ',
      h('span', { class: `status status-${triage.status}` }, triage.status),
      triage.assignee ? [' assigned to ', bdi(triage.assignee)] : null,
      triage.outcome ? ` · outcome: ${REASON_LABELS[triage.outcome]}` : null,
      triage.proposed ? [` · dismissal as ${REASON_LABELS[triage.proposed.reason]} proposed by `, bdi(triage.proposed.by), ', waiting for a second analyst'] : null,
    );
    // Only a dismissal held for a second analyst (four-eyes) can be confirmed.
    const confirm = /** @type {HTMLButtonElement | null} */ (this.#buttons.querySelector('.act-confirm'));
    if (confirm) confirm.hidden = triage.status !== 'pending-dismissal';
    replaceChildren(this.#history, triage.history.length === 0 ? h('li', { class: 'muted' }, 'No triage yet.') : triage.history.map(historyItem));
  }

  /**
   * Starts an action: acknowledge is sent at once, the others open their form.
   * @param {TriageAction} action
   */
  act(action) {
    if (!this.#held || this.#busy) return;
    if (action === 'acknowledge' || action === 'confirm') {
      void this.#submit({ action });
      return;
    }
    this.#openForm(action);
  }

  /** Closes an open form; returns whether one was open. */
  cancel() {
    if (this.#form.childElementCount === 0) return false;
    this.#form.replaceChildren();
    /** @type {HTMLButtonElement | null} */ (this.#buttons.querySelector('button'))?.focus();
    return true;
  }

  /** @param {Exclude<TriageAction, 'acknowledge' | 'confirm'>} action */
  #openForm(action) {
    const id = (/** @type {string} */ name) => `triage-${action}-${name}`;
    /** @type {HTMLElement[]} */
    const fields = [];
    /** @type {HTMLInputElement | null} */
    let assignee = null;
    /** @type {HTMLFieldSetElement | null} */
    let reasons = null;
    if (action === 'assign') {
      assignee = h('input', { id: id('assignee'), name: 'assignee', required: true, maxlength: 100, autocomplete: 'off', placeholder: 'name' });
      fields.push(h('label', { for: id('assignee') }, 'Assign to'), assignee);
    }
    if (action === 'dismiss') {
      reasons = h(
        'fieldset',
        { class: 'reasons' },
        h('legend', {}, 'Reason'),
        REASONS.map((reason, i) =>
          h('label', {}, h('input', { type: 'radio', name: 'reason', value: reason, required: true, checked: i === 1 }), ` ${REASON_LABELS[reason]}`),
        ),
      );
      fields.push(reasons);
    }
    const note = h('textarea', { id: id('note'), name: 'note', rows: 2, maxlength: 2000, required: action === 'note', placeholder: action === 'note' ? 'what you found or did' : 'optional: why' });
    fields.push(h('label', { for: id('note') }, action === 'note' ? 'Note' : 'Note (optional)'), note);
    const form = h(
      'form',
      { class: `form-${action}`, 'aria-label': capitalise(action) },
      fields,
      h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, capitalise(action)), h('button', { type: 'button', onclick: () => this.cancel() }, 'Cancel')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      /** @type {Omit<TriageRequest, 'seq' | 'by'>} */
      const request = { action };
      if (assignee) request.assignee = assignee.value.trim();
      const reason = /** @type {HTMLInputElement | null} */ (reasons?.querySelector('input:checked'))?.value;
      if (reason) request.reason = /** @type {TriageReason} */ (reason);
      if (note.value.trim() !== '') request.note = note.value.trim();
      void this.#submit(request);
    });
    form.addEventListener('keydown', (event) => {
      // Ctrl/Cmd+Enter sends from the note field, as in most chat and ticket tools.
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    replaceChildren(this.#form, form);
    (assignee ?? /** @type {HTMLElement | null} */ (reasons?.querySelector('input:checked')) ?? note).focus();
  }

  /** @param {Omit<TriageRequest, 'seq' | 'by'>} request */
  async #submit(request) {
    const held = this.#held;
    if (!held) return;
    const signedIn = this.#options.signedIn?.() ?? false;
    const by = signedIn ? null : await this.#options.analyst();
    if (!signedIn && by === null) {
      this.#say('error', 'Enter your name first: it is recorded with every triage action.');
      return;
    }
    this.#setBusy(true);
    this.#say('pending', `${capitalise(request.action)}: sending…`);
    const outcome = await this.#options.send({ ...request, seq: held.seq, ...(by !== null && { by }) });
    this.#setBusy(false);
    if (held.seq !== this.#held?.seq) return;
    if (outcome.ok) {
      this.#form.replaceChildren();
      // Who the server recorded, which is what the history shows.
      const recorded = outcome.entry?.by ?? by;
      this.#say('ok', `${capitalise(ACTIONS[request.action].done)}${recorded ? ` by ${recorded}` : ''}.`);
    } else {
      this.#say('error', `Not recorded: ${outcome.message}`);
    }
  }

  /** @param {boolean} busy */
  #setBusy(busy) {
    this.#busy = busy;
    for (const button of this.element.querySelectorAll('button')) button.disabled = busy;
  }

  /**
   * @param {'ok' | 'error' | 'pending'} kind
   * @param {string} text
   */
  #say(kind, text) {
    this.#result.className = `triage-result ${kind}`;
    this.#result.textContent = text;
  }
}

/** @param {TriageEntry} entry */
function historyItem(entry) {
  const what =
    entry.action === 'assign'
      ? ['assigned to ', bdi(entry.assignee ?? '?')]
      : entry.action === 'dismiss'
        ? `dismissed${entry.reason ? ` as ${REASON_LABELS[entry.reason]}` : ''}`
        : entry.action === 'note'
          ? 'noted'
          : ACTIONS[entry.action].done;
  const pending = entry.action === 'dismiss' && entry.pending ? ' (pending: a second analyst must confirm)' : '';
  return h(
    'li',
    { class: `entry entry-${entry.action}` },
    h('time', { datetime: entry.at }, formatLocalTime(entry.at)),
    ' ',
    h('strong', {}, bdi(entry.by)),
    ' ',
    what,
    pending,
    entry.note ? h('q', {}, bdi(entry.note)) : null,
  );
}
