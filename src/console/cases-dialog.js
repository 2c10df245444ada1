// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { formatEventTime, formatLocalTime } from './format.js';

/** @typedef {import('./wire.js').CaseRecord} CaseRecord */
/** @typedef {import('./wire.js').CaseAlert} CaseAlert */
/** @typedef {import('./noise-panel.js').NoisePanelOptions} CasesDialogOptions */

/** The referral outcomes (src/casework/cases.ts), in the order an officer meets them. */
const OUTCOMES = ['refused-entry', 'secondary-positive', 'secondary-negative', 'seizure', 'released', 'missed'];
const STATUSES = ['open', 'referred', 'closed'];

/**
 * Cases: the list, and one case with its alerts, notes, status and referral outcome,
 * each change sent as `case-update` and recorded with who and when.
 */
export class CasesDialog {
  #dialog;
  #options;
  #body;
  #result;

  /**
   * @param {HTMLDialogElement} dialog
   * @param {CasesDialogOptions} options
   */
  constructor(dialog, options) {
    this.#dialog = dialog;
    this.#options = options;
    this.#body = /** @type {HTMLElement} */ (dialog.querySelector('.cases-body'));
    this.#result = /** @type {HTMLElement} */ (dialog.querySelector('.cases-result'));
    /** @type {HTMLButtonElement} */ (dialog.querySelector('[name="close"]')).addEventListener('click', () => dialog.close());
  }

  get isOpen() {
    return this.#dialog.open;
  }

  async open() {
    this.#result.textContent = '';
    if (!this.#dialog.open) this.#dialog.showModal();
    await this.list();
  }

  async list() {
    const outcome = await this.#options.ask({ type: 'cases' });
    if (!outcome.ok || outcome.reply.type !== 'cases') {
      this.#result.textContent = outcome.ok ? '' : outcome.message;
      return;
    }
    const { cases } = outcome.reply;
    replaceChildren(
      this.#body,
      cases.length === 0
        ? h('p', { class: 'muted' }, 'No cases yet: open one from an alert’s detail.')
        : h(
            'ul',
            { class: 'case-list' },
            cases.map((c) => h('li', { 'data-id': c.id }, h('button', { type: 'button', class: 'link case-open', onclick: () => void this.show(c.id) }, bdi(c.title)), ` · ${c.status}${c.outcome ? ` · ${c.outcome}` : ''} · ${c.seqs.length} alert(s)`)),
          ),
    );
  }

  /** @param {string} id */
  async show(id) {
    const outcome = await this.#options.ask({ type: 'case', id });
    if (!outcome.ok || outcome.reply.type !== 'case-result') {
      this.#result.textContent = outcome.ok ? '' : outcome.message;
      return;
    }
    this.#render(outcome.reply.case, outcome.reply.alerts);
  }

  /**
   * @param {CaseRecord} record
   * @param {CaseAlert[]} alerts
   */
  #render(record, alerts) {
    const status = h('select', { name: 'status', 'aria-label': 'Status' }, STATUSES.map((s) => h('option', { value: s, selected: s === record.status }, s)));
    const outcome = h('select', { name: 'outcome', 'aria-label': 'Referral outcome' }, h('option', { value: '' }, 'no outcome yet'), OUTCOMES.map((o) => h('option', { value: o, selected: o === record.outcome }, o)));
    const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000, placeholder: 'a note' });
    replaceChildren(
      this.#body,
      h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => void this.list() }, '← all cases')),
      h('h3', { class: 'case-title' }, bdi(record.title)),
      h('p', { class: 'muted' }, 'opened by ', bdi(record.createdBy), ` ${formatLocalTime(record.createdAt)}`),
      h(
        'table',
        { class: 'case-alerts' },
        h('tbody', {}, alerts.map((a) => h('tr', { class: `case-alert sev-${a.severity}`, 'data-seq': a.seq }, h('td', {}, `#${a.seq}`), h('td', {}, a.severity), h('td', {}, bdi(a.subject, { dir: 'ltr' })), h('td', {}, formatEventTime(a.eventTime)), h('td', {}, a.status), h('td', {}, h('button', { type: 'button', class: 'remove', onclick: () => void this.#update(record.id, { remove: [a.seq] }) }, 'Remove'))))),
      ),
      h('ol', { class: 'case-notes' }, record.notes.map((n) => h('li', {}, h('strong', {}, bdi(n.by)), ` ${formatLocalTime(n.at)}: `, bdi(n.note)))),
      h(
        'form',
        { class: 'case-form' },
        h('label', {}, 'Status ', status),
        h('label', {}, 'Outcome ', outcome),
        note,
        h('button', { type: 'submit', class: 'primary' }, 'Save'),
      ),
    );
    /** @type {HTMLFormElement} */ (this.#body.querySelector('.case-form')).addEventListener('submit', (event) => {
      event.preventDefault();
      /** @type {Record<string, unknown>} */
      const change = {};
      if (status.value !== record.status) change.status = status.value;
      if (outcome.value !== '' && outcome.value !== record.outcome) change.outcome = outcome.value;
      if (note.value.trim() !== '') change.note = note.value.trim();
      if (Object.keys(change).length > 0) void this.#update(record.id, change);
    });
  }

  /**
   * @param {string} id
   * @param {Record<string, unknown>} change
   */
  async #update(id, change) {
    const signedIn = this.#options.signedIn();
    const by = signedIn ? null : await this.#options.analyst();
    if (!signedIn && by === null) {
      this.#result.textContent = 'Enter your name first: it is recorded with the change.';
      return;
    }
    const outcome = await this.#options.ask({ type: 'case-update', id, ...change, ...(by !== null && { by }) });
    if (outcome.ok && outcome.reply.type === 'case-result') {
      this.#result.textContent = 'Saved.';
      this.#render(outcome.reply.case, outcome.reply.alerts);
    } else this.#result.textContent = outcome.ok ? '' : `Not recorded: ${outcome.message}`;
  }
}
