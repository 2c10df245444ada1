// @ts-check
/**
 * Sign-in for the console's single-purpose pages (the dashboard and the joint centre):
 * the tab's token, a form to type another, and what a refusal says. Each page polls one
 * API; a 401 or 403 answer shows the form with the page's own wording, and a new token
 * is kept in the tab's sessionStorage like the console's.
 */
import { STORAGE_KEY, takeToken } from './access-token.js';

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{ unauthenticated: string, forbidden: string, onToken: () => void }} page
 *   the sentences shown for a 401 and a 403, and what to do once a token is typed in
 */
export function pageSignIn(page) {
  let token = takeToken(window.location, sessionStorage, (url) => history.replaceState(null, '', url));
  byId('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    token = /** @type {HTMLInputElement} */ (byId('token')).value.trim();
    sessionStorage.setItem(STORAGE_KEY, token);
    page.onToken();
  });
  return {
    /** The header that presents the current token. */
    authorization: () => `Bearer ${token ?? ''}`,
    /**
     * Shows the form when `status` refuses the token; hides it otherwise.
     * @param {number} status
     * @returns {boolean} whether the answer was a refusal
     */
    refused(status) {
      const refused = status === 401 || status === 403;
      byId('sign-in').hidden = !refused;
      if (refused) {
        byId('sign-in-error').textContent = status === 401 ? page.unauthenticated : page.forbidden;
        byId('status').textContent = 'signed out';
      }
      return refused;
    },
  };
}
