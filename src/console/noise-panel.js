// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { formatLocalTime } from './format.js';

/** @typedef {import('./wire.js').HeldAlert} HeldAlert */
/** @typedef {import('./wire.js').Alert} Alert */
/** @typedef {import('./feed.js').CaseworkOutcome} CaseworkOutcome */

/**
 * @typedef {object} NoisePanelOptions
 * @property {(message: { type: string } & Record<string, unknown>) => Promise<CaseworkOutcome>} ask sends a casework request
 * @property {() => Promise<string | null>} analyst who acts, asked for if not known yet (a processor without authentication)
 * @property {() => boolean} signedIn whether the server knows who acts
 */

/** The durations a silence can be given here; the protocol takes any up to 90 days. */
const DURATIONS = [
  ['1h', '1 hour'],
  ['8h', '8 hours'],
  ['24h', '1 day'],
  ['7d', '7 days'],
];

/**
 * The subject key alerts are grouped, silenced and inhibited by (src/alert/group-alerts.ts).
 * @param {Alert} alert
 */
export function subjectKey(alert) {
  if (alert.group) return alert.group.subject;
  const event = /** @type {Record<string, any>} */ (alert.event);
  return alert.kind === 'crossing' ? `document ${event.document?.issuingState}:${event.document?.number}` : `consignee ${event.consignee?.country}:${event.consignee?.name}`;
}

/**
 * The listed entries (`list:entryId`) an alert's watchlist evidence names, with the indicator.
 * @param {Alert} alert
 * @returns {{ entry: string, ruleId: string, name: string }[]}
 */
export function watchlistEntries(alert) {
  const found = [];
  for (const indicator of alert.indicators) {
    for (const e of indicator.evidence) {
      if (e.op !== 'watchlist' && e.op !== 'watchlist-document') continue;
      const a = /** @type {{ list?: unknown, entryId?: unknown, entry?: unknown }} */ (e.actual);
      if (typeof a !== 'object' || a === null || typeof a.list !== 'string' || typeof a.entryId !== 'string') continue;
      found.push({ entry: `${a.list}:${a.entryId}`, ruleId: indicator.id, name: typeof a.entry === 'string' ? a.entry : a.entryId });
    }
  }
  return found;
}

/**
 * Noise control on an alert's detail: why it was muted, which watchlist hits a confirmed
 * non-match took out of it, and the two actions: silence alerts like it for a while, and
 * confirm that a watchlist hit is not the listed person (for this document or this person).
 */
export class NoisePanel {
  element = h('section', { class: 'noise', 'aria-label': 'Noise control' });
  #facts = h('div', { class: 'noise-facts' });
  #buttons = h('div', { class: 'noise-buttons', role: 'group', 'aria-label': 'Noise actions' });
  #form = h('div', { class: 'noise-form' });
  #result = h('p', { class: 'noise-result', role: 'status', 'aria-live': 'polite' });
  /** @type {HeldAlert | null} */
  #held = null;
  #options;

  /** @param {NoisePanelOptions} options */
  constructor(options) {
    this.#options = options;
    this.element.append(h('h3', {}, 'Noise'), this.#facts, this.#buttons, this.#form, this.#result);
  }

  /** @param {HeldAlert} held */
  show(held) {
    this.#held = held;
    const { alert, muted } = held;
    this.#form.replaceChildren();
    this.#result.textContent = '';
    replaceChildren(
      this.#facts,
      muted?.by === 'silence' ? h('p', { class: 'muted-by' }, 'Muted by silence ', h('code', {}, muted.id), ` until ${formatLocalTime(muted.endsAt)}: kept off the live feed.`) : null,
      muted?.by === 'inhibition' ? h('p', { class: 'muted-by' }, `Inhibited by #${muted.seq} (${muted.severity}) about the same subject: kept off the live feed.`) : null,
      (alert.suppressed ?? []).map((s) =>
        h(
          'p',
          { class: 'suppressed' },
          'Not fired: ',
          h('code', {}, s.ruleId),
          s.entries.map((e) => h('span', {}, ' on ', h('code', {}, e.entry), ', confirmed not a match by ', bdi(e.nonMatch.by), ' (', h('code', {}, e.nonMatch.id), ': ', bdi(e.nonMatch.reason), ')')),
        ),
      ),
    );
    replaceChildren(
      this.#buttons,
      h('button', { type: 'button', class: 'act-silence', onclick: () => this.#openSilence() }, 'Silence similar…'),
      watchlistEntries(alert).map((w) => h('button', { type: 'button', class: 'act-non-match', 'data-entry': w.entry, onclick: () => this.#openNonMatch(w.entry, w.name) }, 'Not this person: ', bdi(w.name), '…')),
    );
  }

  cancel() {
    if (this.#form.childElementCount === 0) return false;
    this.#form.replaceChildren();
    return true;
  }

  #openSilence() {
    const held = this.#held;
    if (!held) return;
    const { alert } = held;
    const subject = subjectKey(alert);
    const rule = h('select', { name: 'rule' }, h('option', { value: '' }, 'any rule'), alert.indicators.map((i, n) => h('option', { value: i.id, selected: n === 0 }, i.id)));
    const post = h('input', { type: 'checkbox', name: 'post', checked: true });
    const subjectBox = h('input', { type: 'checkbox', name: 'subject' });
    const duration = h('select', { name: 'duration' }, DURATIONS.map(([value, label]) => h('option', { value, selected: value === '8h' }, label)));
    const reason = h('textarea', { name: 'reason', rows: 2, maxlength: 2000, required: true, placeholder: 'why these alerts are noise for now' });
    const form = h(
      'form',
      { class: 'form-silence', 'aria-label': 'Silence' },
      h('label', {}, 'Rule ', rule),
      h('label', {}, post, ' at post ', bdi(alert.post)),
      h('label', {}, subjectBox, ' about ', bdi(subject)),
      h('label', {}, 'For ', duration),
      h('label', {}, 'Reason ', reason),
      h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Silence'), h('button', { type: 'button', onclick: () => this.cancel() }, 'Cancel')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      /** @type {Record<string, string>} */
      const matchers = {};
      if (rule.value !== '') matchers.rule = rule.value;
      if (post.checked) matchers.post = alert.post;
      if (subjectBox.checked) matchers.subject = subject;
      void this.#send({ type: 'silence', matchers, reason: reason.value.trim(), duration: duration.value }, (reply) => (reply.type === 'silence-result' ? `Silenced (${reply.silence.id}) until ${formatLocalTime(reply.silence.endsAt)}.` : 'Silenced.'));
    });
    replaceChildren(this.#form, form);
    reason.focus();
  }

  /**
   * @param {string} entry
   * @param {string} name
   */
  #openNonMatch(entry, name) {
    const held = this.#held;
    if (!held) return;
    const reason = h('textarea', { name: 'reason', rows: 2, maxlength: 2000, required: true, placeholder: 'how you established it (documents seen, registry checked)' });
    const form = h(
      'form',
      { class: 'form-non-match', 'aria-label': 'Confirm non-match' },
      h('p', {}, 'Confirm that the traveller is not ', bdi(name), ' (', h('code', {}, entry), '). The entry will no longer fire for:'),
      h(
        'fieldset',
        { class: 'scope' },
        h('legend', {}, 'Scope'),
        h('label', {}, h('input', { type: 'radio', name: 'scope', value: 'document', checked: true }), ' this document'),
        h('label', {}, h('input', { type: 'radio', name: 'scope', value: 'person' }), ' this person (name and date of birth, any document)'),
      ),
      h('label', {}, 'Reason ', reason),
      h('div', { class: 'form-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Confirm non-match'), h('button', { type: 'button', onclick: () => this.cancel() }, 'Cancel')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const scope = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="scope"]:checked'))?.value ?? 'document';
      void this.#send({ type: 'non-match', seq: held.seq, entry, scope, reason: reason.value.trim() }, (reply) =>
        reply.type === 'non-match-result' ? `Confirmed not a match (${reply.nonMatch.id}) for ${reply.nonMatch.subject}.` : 'Confirmed.',
      );
    });
    replaceChildren(this.#form, form);
    reason.focus();
  }

  /**
   * @param {{ type: string } & Record<string, unknown>} message
   * @param {(reply: import('./wire.js').CaseworkReply) => string} done
   */
  async #send(message, done) {
    const signedIn = this.#options.signedIn();
    const by = signedIn ? null : await this.#options.analyst();
    if (!signedIn && by === null) {
      this.#say('error', 'Enter your name first: it is recorded with the change.');
      return;
    }
    this.#say('pending', 'Sending…');
    const outcome = await this.#options.ask(by === null ? message : { ...message, by });
    if (outcome.ok) {
      this.#form.replaceChildren();
      this.#say('ok', done(outcome.reply));
    } else this.#say('error', `Not recorded: ${outcome.message}`);
  }

  /**
   * @param {'ok' | 'error' | 'pending'} kind
   * @param {string} text
   */
  #say(kind, text) {
    this.#result.className = `noise-result ${kind}`;
    this.#result.textContent = text;
  }
}
