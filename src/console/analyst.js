// @ts-check
/**
 * Who triages from this console. A processor with authentication (every `border-risk
 * serve`) records the holder of the console's token, and tells the page so in its
 * welcome: the header then shows that name and role and nothing is asked. Only a
 * processor without authentication (one embedded in a program or a test) takes the name
 * the analyst gives, asked for once and kept in this browser's localStorage.
 */

/** @typedef {import('./wire.js').Identity} Identity */

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
  /** @type {Identity | null} */
  #identity = null;

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
    this.#button.addEventListener('click', () => {
      if (this.#identity === null) void this.ask(true);
    });
    this.#show();
  }

  /** @returns {string | null} */
  get name() {
    if (this.#identity !== null) return this.#identity.name;
    const name = this.#storage.getItem(STORAGE_KEY)?.trim();
    return name ? name : null;
  }

  /** Whether the name is the server's (the token's holder) rather than one typed here. */
  get signedIn() {
    return this.#identity !== null;
  }

  /**
   * What the server said this connection is; null on a processor without authentication.
   * @param {Identity | null} you
   */
  signIn(you) {
    this.#identity = you;
    if (you !== null && this.#dialog.open) this.#close(you.name);
    this.#show();
  }

  /**
   * The analyst's name; asks for it when it is not known yet (or when `again`).
   * Resolves with null if the analyst declines.
   * @param {boolean} [again]
   * @returns {Promise<string | null>}
   */
  ask(again = false) {
    const known = this.name;
    if (this.#identity !== null || (known !== null && !again)) return Promise.resolve(known);
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
    const you = this.#identity;
    const label = this.#button.parentElement?.querySelector('.who-label');
    if (label) label.textContent = you ? 'Signed in as' : 'Analyst';
    this.#button.textContent = you ? `${you.name}${you.role ? ` · ${you.role}` : ''}${exerciseLabel(you)}` : (name ?? 'Set your name');
    this.#button.title = you
      ? `Your token's name: the server records it with each triage action${you.triage ? '' : ` (your role${you.role ? `, ${you.role},` : ''} may not triage)`}`
      : 'Your name, recorded with each triage action (this processor has no sign-in)';
    this.#button.classList.toggle('signed-in', you !== null);
    // A trainee's feed is an exercise's alerts only: the page says so, so that nobody takes them for live ones.
    document.body.classList.toggle('exercise-scope', you?.exercise !== undefined);
    // The dashboard is for supervisors and administrators (the server refuses anyone else); the token stays in this tab.
    const dashboard = document.getElementById('dashboard-link');
    if (dashboard) dashboard.hidden = !(you?.role === 'supervisor' || you?.role === 'admin');
    this.#button.classList.toggle('unset', name === null);
  }
}

/**
 * What a trainee works on (the server sends `exercise` to trainees only): the exercise's
 * id, or that none is running (the feed is then empty).
 * @param {Identity} you
 */
function exerciseLabel(you) {
  if (you.exercise === undefined) return '';
  return you.exercise === null ? ' · no exercise running' : ` · exercise ${you.exercise}`;
}
