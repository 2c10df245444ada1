// @ts-check
/**
 * The WebSocket to `/alerts`, kept open: it reconnects by itself with exponential
 * backoff and jitter, treats a silent socket (no heartbeat) as lost, and reports its
 * state for the connection indicator. What to send on (re)connecting is the feed's
 * business (feed.js); this file knows nothing of the protocol's messages.
 */

import { CloseCode } from '../kernel/close-codes.js';

/** @typedef {'connecting' | 'connected' | 'reconnecting' | 'offline'} ConnectionState */
/**
 * @typedef {object} StateDetail
 * @property {number} [retryAt] when the next attempt is due (ms, `Date.now()` clock)
 * @property {string} [reason] why the last connection ended
 */


/** `WebSocket.OPEN`, spelled out so the file also runs where there is no global WebSocket (unit tests). */
const OPEN = 1;

/**
 * Milliseconds before reconnect attempt `attempt` (0 for the first retry): 0.5 s doubling
 * to 30 s, each ±20 % so that many consoles do not reconnect in step after a restart.
 * @param {number} attempt
 * @param {number} random a number in [0, 1)
 */
export function backoffDelay(attempt, random) {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * @typedef {object} ConnectionOptions
 * @property {string} url
 * @property {() => void} onOpen
 * @property {(data: string) => void} onMessage
 * @property {(state: ConnectionState, detail: StateDetail) => void} onState
 * @property {(url: string, protocols: string[]) => WebSocket} [createSocket] (default: `(url, protocols) => new WebSocket(url, protocols)`)
 * @property {() => string[]} [protocols] The subprotocols to offer, read at each attempt (the token). (default: none)
 * @property {(code: number, reason: string) => void} [onRefused] The server refused the token
 *   (4401) or its role (4403): retrying the same cannot help, so the connection waits for
 *   `start()` again. Without it, such a close backs off and retries like any other.
 * @property {() => number} [random] (default: `Math.random`)
 * @property {() => number} [now] (default: `Date.now`)
 * @property {number} [silenceMs] A socket that brings nothing for this long (the server
 *   sends a heartbeat every 15 s) is closed and reconnected. (default: `45_000`)
 * @property {number} [offlineAfter] Failed attempts in a row after which the state says
 *   offline rather than reconnecting (it keeps trying). (default: `5`)
 * @property {() => boolean} [online] The browser's idea of the network. (default: `() => navigator.onLine`)
 */

export class Connection {
  /** @type {WebSocket | null} */
  #socket = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #retryTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #silenceTimer;
  #attempt = 0;
  #stopped = false;
  /** @type {ConnectionState} */
  state = 'connecting';
  #options;

  /** @param {ConnectionOptions} options */
  constructor(options) {
    this.#options = {
      createSocket: (/** @type {string} */ url, /** @type {string[]} */ protocols) => new WebSocket(url, protocols),
      protocols: () => [],
      random: Math.random,
      now: Date.now,
      silenceMs: 45_000,
      offlineAfter: 5,
      online: () => navigator.onLine,
      ...options,
    };
  }

  start() {
    this.#stopped = false;
    this.#open();
  }

  /**
   * Sends a message if the socket is open.
   * @param {unknown} message
   * @returns {boolean} whether it was sent
   */
  send(message) {
    if (this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Tries again now instead of waiting out the backoff (the network came back, or the analyst asked). */
  retryNow() {
    if (this.#stopped || this.#socket) return;
    clearTimeout(this.#retryTimer);
    this.#open();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#silenceTimer);
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000, 'console closed');
  }

  #open() {
    this.#retryTimer = undefined;
    const socket = this.#options.createSocket(this.#options.url, this.#options.protocols());
    this.#socket = socket;
    let heard = false;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#listen(socket);
      this.#setState('connected', {});
      this.#options.onOpen();
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket) return;
      // Backoff starts afresh only once the server has said something, so a server that
      // accepts and at once closes is not hammered.
      if (!heard) {
        heard = true;
        this.#attempt = 0;
      }
      this.#listen(socket);
      if (typeof event.data === 'string') this.#options.onMessage(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket !== socket) return;
      this.#lost(event.code, event.reason);
    });
    // An error is always followed by close, which does the work.
  }

  /**
   * (Re)arms the silence timer.
   * @param {WebSocket} socket
   */
  #listen(socket) {
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(() => {
      if (this.#socket !== socket) return;
      socket.close();
      this.#lost(0, `no message or heartbeat for ${Math.round(this.#options.silenceMs / 1000)} s`);
    }, this.#options.silenceMs);
  }

  /**
   * @param {number} code
   * @param {string} reason
   */
  #lost(code, reason) {
    clearTimeout(this.#silenceTimer);
    this.#socket = null;
    if (this.#stopped) return;
    if ((code === CloseCode.unauthenticated || code === CloseCode.forbidden) && this.#options.onRefused) {
      this.#stopped = true;
      this.#setState('offline', { reason: describeClose(code, reason) });
      this.#options.onRefused(code, reason);
      return;
    }
    // A subscriber cut off for being slow may resume at once; anything else backs off.
    const delay = code === CloseCode.tooSlow ? 0 : backoffDelay(this.#attempt, this.#options.random());
    this.#attempt++;
    const offline = !this.#options.online() || this.#attempt > this.#options.offlineAfter;
    this.#setState(offline ? 'offline' : 'reconnecting', { retryAt: this.#options.now() + delay, reason: describeClose(code, reason) });
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  /**
   * @param {ConnectionState} state
   * @param {StateDetail} detail
   */
  #setState(state, detail) {
    this.state = state;
    this.#options.onState(state, detail);
  }
}

/**
 * @param {number} code
 * @param {string} reason
 */
function describeClose(code, reason) {
  if (code === CloseCode.goingAway) return 'the server is restarting';
  if (code === CloseCode.tooSlow) return 'the console fell behind; resuming';
  if (code === CloseCode.badSubscription) return `the server refused the subscription: ${reason}`;
  if (code === CloseCode.unauthenticated) return `sign-in needed: ${reason}`;
  if (code === CloseCode.forbidden) return `this token may not watch alerts: ${reason}`;
  if (reason) return reason;
  return code === 1006 || code === 0 ? 'the connection was lost' : `closed (${code})`;
}
