// @ts-check
/**
 * The console's access token. It arrives once in the URL's fragment (`/#token=...`, which
 * browsers never send to a server, so it is in no access log) or is typed into the sign-in
 * dialog; it is kept in sessionStorage, so it lasts as long as the tab and no longer, and
 * is sent as the WebSocket subprotocol `bearer.<token>`, the one header a browser's
 * WebSocket lets a page set (docs/protocol.md).
 */

import { CloseCode } from '../kernel/close-codes.js';

export const STORAGE_KEY = 'border-risk.console.token';
/** The subprotocol the server selects; offered beside the token so that the token is never echoed. */
export const SUBPROTOCOL = 'border-risk';

/**
 * Takes a token from the fragment into storage and removes it from the address bar.
 * @param {{ hash: string, pathname: string, search: string }} location
 * @param {Pick<Storage, 'getItem' | 'setItem'>} storage
 * @param {(url: string) => void} replaceUrl
 * @returns {string | null} the token to use, if any
 */
export function takeToken(location, storage, replaceUrl) {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem(STORAGE_KEY, fromHash.trim());
    replaceUrl(`${location.pathname}${location.search}`);
  }
  return storage.getItem(STORAGE_KEY);
}

/**
 * The subprotocols that present `token`, or none without one.
 * @param {string | null} token
 * @returns {string[]}
 */
export function protocolsFor(token) {
  return token ? [SUBPROTOCOL, `bearer.${token}`] : [];
}

/**
 * Why the server refused the console, said for the person at it rather than in the
 * protocol's terms (close codes, headers and subprotocols are for programs).
 * @param {number} code 4401 (no valid token) or 4403 (a role that may not read alerts)
 * @param {string} reason the server's reason
 */
export function describeRefusal(code, reason) {
  if (code === CloseCode.forbidden) return 'Your token may not read alerts (a producer token is for sending events). Sign in with the token of an analyst, trainer or rule author.';
  if (/revoked/i.test(reason)) return 'Your token has been revoked. Ask an administrator for a new one.';
  if (/unknown/i.test(reason)) return 'This server does not know that token. Check that it was pasted whole, or ask an administrator for a new one.';
  return 'Sign in to see the alerts.';
}

/**
 * The sign-in dialog: asks for a token when the server refused the one the console had
 * (or it had none), and keeps the answer in storage.
 */
export class TokenDialog {
  #dialog;
  #storage;
  #input;
  #reason;
  /** @type {((token: string) => void) | null} */
  #answer = null;

  /**
   * @param {HTMLDialogElement} dialog holds a form with a `token` input and a `.reason` paragraph
   * @param {Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>} storage
   */
  constructor(dialog, storage) {
    this.#dialog = dialog;
    this.#storage = storage;
    const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
    this.#input = /** @type {HTMLInputElement} */ (form.elements.namedItem('token'));
    this.#reason = /** @type {HTMLElement} */ (dialog.querySelector('.reason'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = this.#input.value.trim();
      if (token === '') return;
      this.#storage.setItem(STORAGE_KEY, token);
      this.#input.value = '';
      dialog.close();
      const answer = this.#answer;
      this.#answer = null;
      answer?.(token);
    });
  }

  get open() {
    return this.#dialog.open;
  }

  /**
   * Forgets the refused token and asks for another.
   * @param {string} reason why, in plain words ({@link describeRefusal})
   * @returns {Promise<string>}
   */
  ask(reason) {
    this.#storage.removeItem(STORAGE_KEY);
    this.#reason.textContent = reason;
    if (!this.#dialog.open) this.#dialog.showModal();
    this.#input.focus();
    return new Promise((resolve) => {
      this.#answer = resolve;
    });
  }
}
