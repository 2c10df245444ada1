// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { formatLocalTime } from './format.js';

/** @typedef {import('./feed.js').CaseworkOutcome} CaseworkOutcome */
/** @typedef {import('./wire.js').Silence} Silence */
/** @typedef {import('./wire.js').NonMatch} NonMatch */

/**
 * The silences and confirmed non-matches, as the server lists them (masked for masked
 * roles), with a button to end each one still in force.
 */
export class CaseworkDialog {
  #dialog;
  #ask;
  #options;
  #silences;
  #nonMatches;
  #result;

  /**
   * @param {HTMLDialogElement} dialog
   * @param {import('./noise-panel.js').NoisePanelOptions} options
   */
  constructor(dialog, options) {
    this.#dialog = dialog;
    this.#ask = options.ask;
    this.#options = options;
    this.#silences = /** @type {HTMLElement} */ (dialog.querySelector('.silence-list'));
    this.#nonMatches = /** @type {HTMLElement} */ (dialog.querySelector('.non-match-list'));
    this.#result = /** @type {HTMLElement} */ (dialog.querySelector('.casework-result'));
    /** @type {HTMLButtonElement} */ (dialog.querySelector('[name="close"]')).addEventListener('click', () => dialog.close());
  }

  async open() {
    this.#result.textContent = '';
    if (!this.#dialog.open) this.#dialog.showModal();
    await this.refresh();
  }

  /** Reads both lists again (a change here or in another console). */
  async refresh() {
    const [silences, nonMatches] = await Promise.all([this.#ask({ type: 'silences' }), this.#ask({ type: 'non-matches' })]);
    if (silences.ok && silences.reply.type === 'silences') replaceChildren(this.#silences, silenceTable(silences.reply.silences, (id) => this.#end('silence-expire', id)));
    else if (!silences.ok) this.#result.textContent = silences.message;
    if (nonMatches.ok && nonMatches.reply.type === 'non-matches') replaceChildren(this.#nonMatches, nonMatchTable(nonMatches.reply.nonMatches, (id) => this.#end('non-match-revoke', id)));
    else if (!nonMatches.ok) this.#result.textContent = nonMatches.message;
  }

  get isOpen() {
    return this.#dialog.open;
  }

  /**
   * @param {'silence-expire' | 'non-match-revoke'} type
   * @param {string} id
   */
  async #end(type, id) {
    const signedIn = this.#options.signedIn();
    const by = signedIn ? null : await this.#options.analyst();
    if (!signedIn && by === null) {
      this.#result.textContent = 'Enter your name first: it is recorded with the change.';
      return;
    }
    const outcome = await this.#ask(by === null ? { type, id } : { type, id, by });
    this.#result.textContent = outcome.ok ? `${id} ended.` : `Not recorded: ${outcome.message}`;
    await this.refresh();
  }
}

/**
 * @param {Silence[]} silences
 * @param {(id: string) => void} expire
 */
function silenceTable(silences, expire) {
  if (silences.length === 0) return h('p', { class: 'muted' }, 'No silences.');
  return h(
    'table',
    { class: 'silences' },
    h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, 'matches'), h('th', {}, 'by'), h('th', {}, 'reason'), h('th', {}, 'ends'), h('th', {}, 'muted'), h('th', {}, ''))),
    h(
      'tbody',
      {},
      silences.map((s) =>
        h(
          'tr',
          { class: `silence state-${s.state}`, 'data-id': s.id },
          h('td', {}, h('code', {}, s.id)),
          h('td', {}, Object.entries(s.matchers).map(([k, v]) => h('span', { class: 'matcher' }, `${k}=`, bdi(String(v)), ' '))),
          h('td', {}, bdi(s.author)),
          h('td', {}, bdi(s.reason)),
          h('td', {}, s.state === 'active' ? formatLocalTime(s.endsAt) : `ended ${formatLocalTime(s.expiredAt ?? s.endsAt)}${s.expiredBy ? ` by ${s.expiredBy}` : ''}`),
          h('td', { class: 'num' }, String(s.muted)),
          h('td', {}, s.state === 'active' ? h('button', { type: 'button', class: 'expire', onclick: () => expire(s.id) }, 'Expire') : null),
        ),
      ),
    ),
  );
}

/**
 * @param {NonMatch[]} nonMatches
 * @param {(id: string) => void} revoke
 */
function nonMatchTable(nonMatches, revoke) {
  if (nonMatches.length === 0) return h('p', { class: 'muted' }, 'No confirmed non-matches.');
  return h(
    'table',
    { class: 'non-matches' },
    h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, 'entry'), h('th', {}, 'subject'), h('th', {}, 'by'), h('th', {}, 'reason'), h('th', {}, 'applied'), h('th', {}, ''))),
    h(
      'tbody',
      {},
      nonMatches.map((n) =>
        h(
          'tr',
          { class: `non-match${n.revokedAt ? ' revoked' : ''}`, 'data-id': n.id },
          h('td', {}, h('code', {}, n.id)),
          h('td', {}, h('code', {}, n.entry)),
          h('td', {}, bdi(n.subject)),
          h('td', {}, bdi(n.by)),
          h('td', {}, bdi(n.reason)),
          h('td', { class: 'num' }, String(n.applied)),
          h('td', {}, n.revokedAt ? `revoked by ${n.revokedBy ?? '?'}` : h('button', { type: 'button', class: 'revoke', onclick: () => revoke(n.id) }, 'Revoke')),
        ),
      ),
    ),
  );
}
