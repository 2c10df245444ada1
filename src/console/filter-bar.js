// @ts-check
import { h, replaceChildren } from './dom.js';
import { emptyFilter, parseList } from './filter.js';
import { KINDS, SEVERITIES } from './wire.js';

/** @typedef {import('./filter.js').FilterState} FilterState */
/** @typedef {import('./filter.js').FilterIssue} FilterIssue */
/** @typedef {import('./alert-model.js').AlertModel['seen']} Seen */

/**
 * @typedef {object} FilterBarOptions
 * @property {HTMLFormElement} form
 * @property {HTMLInputElement} search the free-text box in the header
 * @property {(state: FilterState) => void} onChange
 * @property {number} [searchDelayMs] typing pauses this long before the search is sent (default: `250`)
 */

const LIST_FIELDS = /** @type {const} */ (['posts', 'rules', 'tags']);

/**
 * The filter controls: severity and kind apply at once, the post, rule and tag lists
 * when the field is left or Enter is pressed, and the search box once typing pauses.
 * The lists suggest what the page has seen, continuing after a comma.
 */
export class FilterBar {
  #form;
  #search;
  #options;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #searchTimer;
  /** @type {Seen | null} */
  #seen = null;

  /** @param {FilterBarOptions} options */
  constructor(options) {
    this.#form = options.form;
    this.#search = options.search;
    this.#options = options;
    const form = this.#form;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#changed();
    });
    form.addEventListener('reset', (event) => {
      event.preventDefault();
      this.set(emptyFilter());
      this.#changed();
    });
    form.addEventListener('change', (event) => {
      if (event.target instanceof HTMLInputElement && event.target.type === 'text') this.#normalise(event.target);
      this.#changed();
    });
    // Suggestions follow the text typed, and are there as soon as a list field is entered.
    for (const type of ['input', 'focusin']) {
      form.addEventListener(type, (event) => {
        const input = event.target;
        if (input instanceof HTMLInputElement && LIST_FIELDS.some((f) => f === input.name)) this.#suggest(input);
      });
    }
    this.#search.addEventListener('input', () => {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => this.#changed(), options.searchDelayMs ?? 250);
    });
    this.#search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      clearTimeout(this.#searchTimer);
      this.#changed();
    });
  }

  /** @returns {FilterState} */
  get state() {
    const form = this.#form;
    const data = new FormData(form);
    const min = String(data.get('minSeverity') ?? '');
    return {
      minSeverity: SEVERITIES.find((s) => s === min) ?? null,
      kinds: KINDS.filter((k) => data.getAll('kind').includes(k)),
      posts: parseList(String(data.get('posts') ?? ''), { upper: true }),
      rules: parseList(String(data.get('rules') ?? '')),
      tags: parseList(String(data.get('tags') ?? '')),
      text: this.#search.value,
      repeats: data.get('hideRepeats') === null,
      muted: data.get('showMuted') !== null,
    };
  }

  /**
   * Puts a filter into the controls (without reporting a change).
   * @param {FilterState} state
   */
  set(state) {
    const form = this.#form;
    for (const input of form.querySelectorAll('input[name="minSeverity"]')) {
      const radio = /** @type {HTMLInputElement} */ (input);
      radio.checked = radio.value === (state.minSeverity ?? '');
    }
    for (const input of form.querySelectorAll('input[name="kind"]')) {
      const box = /** @type {HTMLInputElement} */ (input);
      box.checked = state.kinds.some((k) => k === box.value);
    }
    for (const field of LIST_FIELDS) this.#input(field).value = state[field].join(', ');
    /** @type {HTMLInputElement} */ (form.elements.namedItem('hideRepeats')).checked = !state.repeats;
    /** @type {HTMLInputElement} */ (form.elements.namedItem('showMuted')).checked = state.muted;
    this.#search.value = state.text;
    this.showIssues([]);
  }

  /**
   * Marks the fields with problems and says what they are; an empty list clears them.
   * @param {FilterIssue[]} issues
   */
  showIssues(issues) {
    for (const field of LIST_FIELDS) this.#input(field).removeAttribute('aria-invalid');
    this.#search.removeAttribute('aria-invalid');
    for (const issue of issues) {
      const input = issue.field === 'text' ? this.#search : LIST_FIELDS.some((f) => f === issue.field) ? this.#input(/** @type {'posts' | 'rules' | 'tags'} */ (issue.field)) : null;
      input?.setAttribute('aria-invalid', 'true');
    }
    const box = /** @type {HTMLElement} */ (this.#form.querySelector('.filter-issues'));
    box.hidden = issues.length === 0;
    replaceChildren(box, issues.map((i) => h('span', {}, i.message)));
  }

  /**
   * What the page has seen, for suggestions.
   * @param {Seen} seen
   */
  suggest(seen) {
    this.#seen = seen;
  }

  /** Focuses the first control, for the `f` shortcut. */
  focus() {
    /** @type {HTMLInputElement | null} */ (this.#form.querySelector('input:checked, input'))?.focus();
  }

  /** @param {'posts' | 'rules' | 'tags'} name */
  #input(name) {
    return /** @type {HTMLInputElement} */ (this.#form.elements.namedItem(name));
  }

  /** @param {HTMLInputElement} input */
  #normalise(input) {
    const items = parseList(input.value, { upper: input.name === 'posts' });
    input.value = items.join(', ');
  }

  /**
   * Fills the field's datalist with what it could continue with: the text before the
   * last comma, then each seen value not already in the list.
   * @param {HTMLInputElement} input
   */
  #suggest(input) {
    const list = input.list;
    if (!list || !this.#seen) return;
    const cut = Math.max(input.value.lastIndexOf(','), -1);
    const prefix = cut === -1 ? '' : `${input.value.slice(0, cut + 1).trimEnd()} `;
    const chosen = new Set(parseList(input.value.slice(0, cut + 1), { upper: input.name === 'posts' }));
    /** @type {[string, string][]} */
    const options =
      input.name === 'rules'
        ? [...this.#seen.rules]
        : [...(input.name === 'posts' ? this.#seen.posts : this.#seen.tags)].map((v) => /** @type {[string, string]} */ ([v, '']));
    replaceChildren(
      list,
      options
        .filter(([value]) => !chosen.has(value))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([value, label]) => h('option', { value: `${prefix}${value}` }, label)),
    );
  }

  #changed() {
    this.#options.onChange(this.state);
  }
}
