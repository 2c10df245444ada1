// @ts-check
/**
 * The analyst's name, which every triage action records as `by`. It is asked for once
 * and kept in this browser's localStorage. (A processor with authentication records the
 * holder of the console's token instead; one without keeps the name given here.)
 */

export const STORAGE_KEY = 'border-risk.console.analyst';

/**
 * @typedef {object} AnalystOptions
 * @property {HTMLDialogElement} dialog holds a form with a `name` input and a `cancel` button
 * @property {HTMLButtonElement} button shows the name in the header; opens the dialog
 * @property {Pick<Storage, 'getItem' | 'setItem'>} [storage] (default: `localStorage`)
 */

export class Analyst {
  #dialog;
  #button;
  #storage;
  #form;
  #input;
  /** @type {((name: string | null) => void) | null} */
  #answer = null;

  /** @param {AnalystOptions} options */
  constructor(options) {
    this.#dialog = options.dialog;
    this.#button = options.button;
    this.#storage = options.storage ?? localStorage;
    this.#form = /** @type {HTMLFormElement} */ (this.#dialog.querySelector('form'));
    this.#input = /** @type {HTMLInputElement} */ (this.#form.elements.namedItem('name'));
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = this.#input.value.trim();
      if (name === '') return;
      this.#storage.setItem(STORAGE_KEY, name);
      this.#close(name);
    });
    /** @type {HTMLButtonElement} */ (this.#form.querySelector('[name="cancel"]')).addEventListener('click', () => this.#close(this.name));
    this.#dialog.addEventListener('cancel', () => this.#close(this.name));
    this.#button.addEventListener('click', () => void this.ask(true));
    this.#show();
  }

  /** @returns {string | null} */
  get name() {
    const name = this.#storage.getItem(STORAGE_KEY)?.trim();
    return name ? name : null;
  }

  /**
   * The analyst's name; asks for it when it is not known yet (or when `again`).
   * Resolves with null if the analyst declines.
   * @param {boolean} [again]
   * @returns {Promise<string | null>}
   */
  ask(again = false) {
    const known = this.name;
    if (known !== null && !again) return Promise.resolve(known);
    this.#answer?.(known);
    this.#input.value = known ?? '';
    if (!this.#dialog.open) this.#dialog.showModal();
    this.#input.focus();
    return new Promise((resolve) => {
      this.#answer = resolve;
    });
  }

  /** @param {string | null} name */
  #close(name) {
    if (this.#dialog.open) this.#dialog.close();
    this.#show();
    const answer = this.#answer;
    this.#answer = null;
    answer?.(name);
  }

  #show() {
    const name = this.name;
    this.#button.textContent = name ?? 'Set your name';
    this.#button.classList.toggle('unset', name === null);
  }
}
