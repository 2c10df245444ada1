// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { indicatorCard } from './evidence.js';
import { formatEventTime, formatValue, offsetOf } from './format.js';
import { CasePanel } from './case-panel.js';
import { NoisePanel } from './noise-panel.js';
import { TriagePanel } from './triage-panel.js';

/** @typedef {import('./wire.js').HeldAlert} HeldAlert */
/** @typedef {import('./wire.js').Alert} Alert */
/** @typedef {import('./triage-panel.js').TriagePanelOptions} TriagePanelOptions */
/** @typedef {import('./noise-panel.js').NoisePanelOptions} NoisePanelOptions */

/**
 * The selected alert, explained: what it is about and where, its score against the
 * threshold, the rule-set version, triage, each indicator that fired with its evidence,
 * and the event as it was accepted.
 */
export class AlertDetail {
  #root;
  #triage;
  /** @type {NoisePanel | null} */
  #noise = null;
  /** @type {CasePanel | null} */
  #cases = null;
  /** @type {HeldAlert | null} */
  #held = null;
  /** @type {import('./wire.js').TriageState | null} */
  #triageShown = null;

  /**
   * @param {HTMLElement} root
   * @param {TriagePanelOptions} triageOptions
   * @param {NoisePanelOptions} [noiseOptions] silences and non-matches (left out without them)
   */
  constructor(root, triageOptions, noiseOptions) {
    this.#root = root;
    this.#triage = new TriagePanel(triageOptions);
    if (noiseOptions) {
      this.#noise = new NoisePanel(noiseOptions);
      this.#cases = new CasePanel(noiseOptions);
    }
    this.clear();
  }

  get seq() {
    return this.#held?.seq ?? null;
  }

  /** The triage state on show, to tell when it changed. */
  get triage() {
    return this.#triageShown;
  }

  /** @param {HeldAlert} held */
  show(held) {
    this.#held = held;
    this.#triageShown = held.triage;
    const { alert } = held;
    this.#triage.show(held);
    this.#noise?.show(held);
    this.#cases?.show(held);
    replaceChildren(
      this.#root,
      h(
        'header',
        { class: `detail-head sev-${alert.severity}` },
        h('div', { class: 'detail-title' }, h('span', { class: 'sev' }, alert.severity), h('h2', { id: 'detail-subject' }, bdi(alert.subject, { dir: 'ltr' }))),
        h(
          'dl',
          { class: 'facts' },
          fact('score', `${alert.score} (threshold ${alert.threshold})`),
          fact('event time', h('time', { datetime: alert.eventTime }, formatEventTime(alert.eventTime))),
          fact('post', bdi(alert.post)),
          fact('kind', alert.kind),
          fact('seq', `#${held.seq}`),
          fact('alert', h('code', {}, alert.alertId)),
          fact('rule set', h('code', {}, alert.ruleSetVersion)),
          alert.trigger === 'absence' ? fact('trigger', 'absence: raised when the expected follow-up did not come') : null,
          alert.group && alert.group.count > 1 ? fact('group', h('span', {}, 'repeat ', String(alert.group.count), ' about ', bdi(alert.group.subject), ' (first: ', bdi(alert.group.id), ')')) : null,
        ),
      ),
      this.#triage.element,
      this.#noise?.element,
      this.#cases?.element,
      h(
        'section',
        { class: 'indicators', 'aria-label': 'Indicators that fired' },
        h('h3', {}, `Indicators (${alert.indicators.length})`),
        alert.indicators.map((indicator) => indicatorCard(indicator, offsetOf(alert.eventTime))),
        alert.shadowIndicators.length > 0
          ? h('p', { class: 'shadow muted' }, 'Shadow rules that also fired (counted, not scored): ', alert.shadowIndicators.flatMap((id, i) => [i > 0 ? ', ' : '', h('code', {}, id)]))
          : null,
      ),
      h('section', { class: 'event', 'aria-label': 'Event' }, h('details', { open: true }, h('summary', {}, h('h3', {}, 'Event ', h('code', {}, bdi(alert.eventId)))), valueTree(alert.event))),
    );
    this.#root.scrollTop = 0;
  }

  /**
   * The alert's triage changed (here or in another console).
   * @param {HeldAlert} held
   */
  update(held) {
    if (held.seq !== this.#held?.seq) return;
    this.#triageShown = held.triage;
    this.#triage.update(held);
  }

  clear() {
    this.#held = null;
    this.#triageShown = null;
    replaceChildren(this.#root, h('p', { class: 'placeholder' }, 'Select an alert to see why it fired and to triage it.'));
  }

  /** @param {import('./wire.js').TriageAction} action */
  act(action) {
    if (this.#held) this.#triage.act(action);
  }

  cancel() {
    return this.#triage.cancel() || (this.#noise?.cancel() ?? false);
  }
}

/**
 * @param {string} label
 * @param {import('./dom.js').Child} value
 */
function fact(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

/**
 * Any JSON value as nested definition lists, in the order the event has its fields.
 * @param {unknown} value
 * @returns {HTMLElement}
 */
function valueTree(value) {
  if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) {
    return h('ol', { class: 'tree-list' }, value.map((v) => h('li', {}, valueTree(v))));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return h(
      'dl',
      { class: 'tree' },
      Object.entries(value).map(([key, v]) => h('div', {}, h('dt', {}, bdi(key)), h('dd', {}, typeof v === 'object' && v !== null && !isFlatArray(v) ? valueTree(v) : leaf(key, v)))),
    );
  }
  return leaf('', value);
}

/** @param {unknown} v */
function isFlatArray(v) {
  return Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null);
}

/**
 * @param {string} key
 * @param {unknown} value
 */
function leaf(key, value) {
  // Machine-readable zones are fixed-width text; they only read right in a monospace font.
  if (key === 'mrz' && Array.isArray(value)) return h('pre', { class: 'mrz', dir: 'ltr' }, value.join('\n'));
  return h('span', { class: 'value' }, bdi(formatValue(value)));
}
