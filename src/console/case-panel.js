// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { formatEventTime } from './format.js';

/** @typedef {import('./wire.js').HeldAlert} HeldAlert */
/** @typedef {import('./wire.js').CaseRecord} CaseRecord */
/** @typedef {import('./noise-panel.js').NoisePanelOptions} CasePanelOptions */

/**
 * An alert's subject and cases: the subject's earlier alerts with what became of them
 * (found by document, person or vehicle), the cases this alert is in, and the actions
 * to open a case with it or add it to an open one.
 */
export class CasePanel {
  element = h('section', { class: 'cases-panel', 'aria-label': 'Subject and cases' });
  #history = h('div', { class: 'subject-history' });
  #cases = h('div', { class: 'alert-cases' });
  #result = h('p', { class: 'case-result', role: 'status', 'aria-live': 'polite' });
  /** @type {HeldAlert | null} */
  #held = null;
  #options;

  /** @param {CasePanelOptions} options */
  constructor(options) {
    this.#options = options;
    this.element.append(h('h3', {}, 'Subject history'), this.#history, h('h3', {}, 'Cases'), this.#cases, this.#result);
  }

  /** @param {HeldAlert} held */
  show(held) {
    this.#held = held;
    this.#result.textContent = '';
    replaceChildren(this.#history, h('p', { class: 'muted' }, 'Looking up earlier alerts…'));
    replaceChildren(this.#cases, null);
    void this.refresh();
  }

  async refresh() {
    const held = this.#held;
    if (!held) return;
    const [subject, cases] = await Promise.all([this.#options.ask({ type: 'subject', seq: held.seq }), this.#options.ask({ type: 'cases' })]);
    if (held !== this.#held) return;
    if (subject.ok && subject.reply.type === 'subject') {
      const { history } = subject.reply;
      replaceChildren(
        this.#history,
        history.length === 0
          ? h('p', { class: 'muted' }, 'No earlier alerts about this document, person or vehicle.')
          : h(
              'ol',
              { class: 'history-list' },
              history.map((e) =>
                h(
                  'li',
                  { class: `earlier sev-${e.severity}`, 'data-seq': e.seq },
                  h('strong', {}, `#${e.seq}`),
                  ` ${formatEventTime(e.eventTime)} `,
                  bdi(e.post),
                  ` ${e.severity} · same ${e.via.join(' and ')} · ${e.status}${e.triageOutcome ? ` (${e.triageOutcome})` : ''}`,
                  e.cases.map((c) => h('span', { class: 'case-tag' }, ' · case ', bdi(c.title), c.outcome ? `: ${c.outcome}` : ` (${c.status})`)),
                ),
              ),
            ),
      );
    } else replaceChildren(this.#history, h('p', { class: 'muted' }, subject.ok ? '' : subject.message));
    /** @type {CaseRecord[]} */
    const all = cases.ok && cases.reply.type === 'cases' ? cases.reply.cases : [];
    const mine = all.filter((c) => c.seqs.includes(held.seq));
    const open = all.filter((c) => c.status !== 'closed' && !c.seqs.includes(held.seq));
    const title = h('input', { name: 'case-title', placeholder: 'title of a new case', maxlength: 200, autocomplete: 'off' });
    const pick = h('select', { name: 'case-pick', 'aria-label': 'Open case' }, open.map((c) => h('option', { value: c.id }, `${c.title} (${c.seqs.length})`)));
    replaceChildren(
      this.#cases,
      mine.length === 0 ? h('p', { class: 'muted' }, 'In no case.') : h('ul', {}, mine.map((c) => h('li', { class: 'in-case', 'data-id': c.id }, bdi(c.title), ` · ${c.status}${c.outcome ? ` · ${c.outcome}` : ''} · ${c.seqs.length} alert(s)`))),
      h('div', { class: 'case-actions' }, title, h('button', { type: 'button', class: 'case-new', onclick: () => title.value.trim() !== '' && void this.#send({ type: 'case-create', title: title.value.trim(), seqs: [held.seq] }) }, 'New case')),
      open.length > 0 ? h('div', { class: 'case-actions' }, pick, h('button', { type: 'button', class: 'case-add', onclick: () => void this.#send({ type: 'case-update', id: pick.value, add: [held.seq] }) }, 'Add to case')) : null,
    );
  }

  /** @param {{ type: string } & Record<string, unknown>} message */
  async #send(message) {
    const signedIn = this.#options.signedIn();
    const by = signedIn ? null : await this.#options.analyst();
    if (!signedIn && by === null) {
      this.#result.textContent = 'Enter your name first: it is recorded with the change.';
      return;
    }
    const outcome = await this.#options.ask(by === null ? message : { ...message, by });
    this.#result.className = `case-result ${outcome.ok ? 'ok' : 'error'}`;
    this.#result.textContent = outcome.ok && outcome.reply.type === 'case-result' ? `Case “${outcome.reply.case.title}” now has ${outcome.reply.case.seqs.length} alert(s).` : outcome.ok ? '' : `Not recorded: ${outcome.message}`;
    await this.refresh();
  }
}
