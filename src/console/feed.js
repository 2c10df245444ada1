// @ts-check
import { compileFilter, covers, decidable } from './filter.js';
import { NEW_TRIAGE } from './wire.js';

/** @typedef {import('./alert-model.js').AlertModel} AlertModel */
/** @typedef {import('./wire.js').ServerMessage} ServerMessage */
/** @typedef {import('./wire.js').SubscriptionFilter} SubscriptionFilter */
/** @typedef {import('./wire.js').TriageRequest} TriageRequest */
/** @typedef {import('./wire.js').RulesMessage} RulesMessage */

/** @typedef {import('./wire.js').Identity} Identity */
/** @typedef {import('./wire.js').TriageEntry} TriageEntry */
/** @typedef {import('./wire.js').CaseworkReply} CaseworkReply */
/** @typedef {import('./wire.js').CaseworkNotice} CaseworkNotice */
/** @typedef {{ ok: true, reply: CaseworkReply } | { ok: false, message: string }} CaseworkOutcome */

/** `entry`: the change as the server recorded it (who, when). */
/** @typedef {{ ok: true, entry?: TriageEntry } | { ok: false, message: string }} TriageOutcome */
/** @typedef {'info' | 'warning' | 'error'} NoticeLevel */

/**
 * @typedef {object} FeedOptions
 * @property {AlertModel} model
 * @property {(message: unknown) => boolean} send sends on the connection; false when it is not open
 * @property {number} [history] How many of the newest sequence numbers to fetch when
 *   the page opens or a filter widens; the alerts among them that match are shown. (default: `5_000`)
 * @property {() => void} [onChange] the model or the feed's status changed
 * @property {(level: NoticeLevel, text: string) => void} [onNotice]
 * @property {(message: string, issues: { path: string, message: string }[]) => void} [onFilterRefused]
 * @property {(message: RulesMessage) => void} [onRules]
 * @property {(you: Identity | null) => void} [onIdentity] who the server says this connection is (null: no authentication)
 * @property {(notice: CaseworkNotice) => void} [onCasework] a silence or non-match changed (here or in another console)
 * @property {number} [requestTimeoutMs] (default: `10_000`)
 */

/**
 * The subscription side of `/alerts`: what to ask for on every (re)connection, which
 * messages belong to the current subscription, and triage requests with their answers.
 *
 * `position` is the `since` of the next `subscribe`: the last sequence number received
 * under the current filter. After a reconnection the feed resumes from it, so nothing
 * raised meanwhile is missed and nothing is shown twice (alerts are keyed by `seq`).
 * Until the first welcome it is unknown, and the page fetches the newest `history`.
 *
 * Replies are matched to subscriptions by counting welcomes: the server answers each
 * subscription with one welcome, in order, so alerts that arrive before the welcome of
 * the newest subscription belong to an older one and are dropped; the newer one sends
 * them again if they match.
 */
export class Feed {
  #model;
  #send;
  #history;
  #options;
  /** @type {SubscriptionFilter} */
  #filter = {};
  #matches = compileFilter({});
  /** @type {number | null} */
  #position = null;
  /** Oldest sequence number (exclusive) the held alerts are complete from, for the current filter. */
  #coveredFrom = 0;
  #newest = 0;
  #welcomesExpected = 0;
  #welcomesSeen = 0;
  /** The connection's own subscription (from the URL) is answered; ours can be sent. */
  #ready = false;
  /** @type {Map<string, { resolve: (outcome: TriageOutcome) => void, timer: ReturnType<typeof setTimeout> }>} */
  #pending = new Map();
  /** @type {Map<string, { resolve: (outcome: CaseworkOutcome) => void, timer: ReturnType<typeof setTimeout> }>} */
  #asked = new Map();
  #requests = 0;
  /** Whether the newest subscription's welcome has come. */
  live = false;

  /** @param {FeedOptions} options */
  constructor(options) {
    this.#model = options.model;
    this.#send = options.send;
    this.#history = options.history ?? 5_000;
    this.#options = options;
  }

  /** The newest sequence number the server has told of. */
  get newestSeq() {
    return this.#newest;
  }

  /** The `since` the next subscription will use, or null before the first welcome. */
  get position() {
    return this.#position;
  }

  get filter() {
    return this.#filter;
  }

  /** A new connection is open; the server's welcome to its URL subscription comes first. */
  opened() {
    this.#welcomesExpected = 1;
    this.#welcomesSeen = 0;
    this.#ready = false;
    this.live = false;
  }

  /** The connection is lost; requests in flight will get no answer. */
  closed() {
    this.#ready = false;
    this.live = false;
    for (const [id, request] of this.#pending) {
      clearTimeout(request.timer);
      request.resolve({ ok: false, message: 'the connection was lost before the server answered; check the alert’s history once reconnected' });
      this.#pending.delete(id);
    }
    for (const [id, request] of this.#asked) {
      clearTimeout(request.timer);
      request.resolve({ ok: false, message: 'the connection was lost before the server answered; look again once reconnected' });
      this.#asked.delete(id);
    }
    this.#changed();
  }

  /**
   * Changes the filter: the held alerts are filtered at once, and the subscription is
   * replaced. A narrower filter resumes where the feed is; any other fetches again the
   * range of sequence numbers the page covers, so alerts it left out come back.
   * @param {SubscriptionFilter} filter
   */
  setFilter(filter) {
    const narrower = covers(this.#filter, filter);
    this.#filter = filter;
    this.#matches = compileFilter(filter);
    // A search the page cannot fold itself: what it holds is fetched again, as the server filters it.
    // Muted alerts go when the filter stops asking for them (the server marks them; the alert itself cannot tell).
    const matches = this.#matches;
    this.#model.retain(decidable(filter) ? (alert, held) => (filter.muted === true || held.muted === undefined) && matches(alert) : () => false);
    if (!narrower && this.#position !== null) {
      this.#position = Math.max(this.#coveredFrom, this.#newest - this.#history);
      this.#coveredFrom = this.#position;
      this.#model.dropThrough(this.#position);
    }
    this.#subscribe();
    this.#changed();
  }

  /**
   * A message from the server.
   * @param {string} data
   */
  receive(data) {
    /** @type {ServerMessage} */
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      this.#notice('warning', 'the server sent a message that is not JSON; it was ignored');
      return;
    }
    switch (message.type) {
      case 'welcome':
        this.#newest = Math.max(this.#newest, message.lastSeq);
        this.#welcomesSeen++;
        if (this.#welcomesSeen === 1) this.#options.onIdentity?.(message.you ?? null);
        if (!this.#ready) {
          this.#ready = true;
          if (this.#position === null) this.#position = this.#coveredFrom = Math.max(0, message.lastSeq - this.#history);
          this.#subscribe();
        } else if (this.#welcomesSeen === this.#welcomesExpected) {
          this.live = true;
          if (message.protocol !== 1) this.#notice('warning', `the server speaks protocol ${message.protocol}; this console knows protocol 1`);
        }
        this.#changed();
        return;
      case 'alert':
        if (!this.live) return;
        this.#newest = Math.max(this.#newest, message.seq);
        this.#position = message.seq;
        // The server filtered it already; the same predicate guards the window in which a
        // refused subscription leaves the previous filter running.
        if (this.#matches(message.alert)) this.#model.put(message.seq, message.alert, message.triage ?? NEW_TRIAGE, message.muted);
        this.#changed();
        return;
      case 'heartbeat':
        this.#newest = Math.max(this.#newest, message.lastSeq);
        return;
      case 'live':
        // The backlog is done up to lastSeq: resume from there, even if the filter left the
        // last alerts out (no need to read them again after a reconnection).
        if (!this.live) return;
        this.#newest = Math.max(this.#newest, message.lastSeq);
        this.#position = Math.max(this.#position ?? 0, message.lastSeq);
        return;
      case 'gap':
        if (!this.live) return;
        this.#coveredFrom = Math.max(this.#coveredFrom, message.to);
        this.#notice('warning', `alerts #${message.from}–#${message.to} are no longer held by the server and cannot be shown`);
        return;
      case 'reset':
        if (!this.live) return;
        // The server's sequence started again (its store was replaced): what the page holds
        // belongs to the old sequence, and its numbers would collide with new alerts.
        this.#model.clear();
        this.#newest = message.lastSeq;
        this.#position = this.#coveredFrom = Math.max(0, message.lastSeq - this.#history);
        this.#notice('warning', `the server’s alert sequence started again (it was at #${message.since}, now #${message.lastSeq}); showing alerts from the new sequence`);
        this.#subscribe();
        this.#changed();
        return;
      case 'triage':
        if (this.#model.setTriage(message.seq, message.triage)) this.#changed();
        return;
      case 'triage-result':
        this.#settle(message.requestId, message.ok ? { ok: true, ...(message.entry && { entry: message.entry }) } : { ok: false, message: 'the server did not record the change' });
        return;
      case 'silence-result':
      case 'silences':
      case 'non-match-result':
      case 'non-matches':
      case 'queue':
      case 'triage-bulk-result':
      case 'case-result':
      case 'cases':
      case 'subject':
        this.#answer(message.requestId, { ok: true, reply: message });
        return;
      case 'silence':
      case 'non-match':
      case 'case':
        this.#options.onCasework?.(message);
        return;
      case 'error':
        if (message.requestId !== undefined) {
          const outcome = { ok: /** @type {const} */ (false), message: describeError(message.message, message.issues) };
          this.#settle(message.requestId, outcome);
          this.#answer(message.requestId, outcome);
          return;
        }
        // An error without a request id answers a subscribe the server refused; it keeps
        // the previous subscription, whose welcome has been counted already.
        if (this.#welcomesExpected > this.#welcomesSeen) this.#welcomesExpected--;
        if (this.#welcomesSeen === this.#welcomesExpected && this.#ready) this.live = true;
        this.#options.onFilterRefused?.(message.message, message.issues ?? []);
        this.#changed();
        return;
      case 'rules':
        this.#options.onRules?.(message);
        return;
      default:
        return;
    }
  }

  /**
   * Sends a triage request; resolves with the server's answer.
   * @param {TriageRequest} request
   * @returns {Promise<TriageOutcome>}
   */
  triage(request) {
    const requestId = `t${++this.#requests}`;
    // Triage needs an open connection, not a settled subscription: a filter change in
    // flight must not refuse an acknowledgement.
    if (!this.#ready || !this.#send({ type: 'triage', requestId, ...request })) {
      return Promise.resolve({ ok: false, message: 'not connected; try again once the console is connected' });
    }
    const timeoutMs = this.#options.requestTimeoutMs ?? 10_000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#settle(requestId, { ok: false, message: `no answer from the server within ${timeoutMs / 1000} s` }), timeoutMs);
      this.#pending.set(requestId, { resolve, timer });
    });
  }

  /**
   * Sends a casework request (a silence, a non-match, a list); resolves with the server's reply.
   * @param {{ type: string } & Record<string, unknown>} message
   * @returns {Promise<CaseworkOutcome>}
   */
  ask(message) {
    const requestId = `c${++this.#requests}`;
    if (!this.#ready || !this.#send({ ...message, requestId })) return Promise.resolve({ ok: false, message: 'not connected; try again once the console is connected' });
    const timeoutMs = this.#options.requestTimeoutMs ?? 10_000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#answer(requestId, { ok: false, message: `no answer from the server within ${timeoutMs / 1000} s` }), timeoutMs);
      this.#asked.set(requestId, { resolve, timer });
    });
  }

  /**
   * @param {string | undefined} requestId
   * @param {CaseworkOutcome} outcome
   */
  #answer(requestId, outcome) {
    if (requestId === undefined) return;
    const request = this.#asked.get(requestId);
    if (!request) return;
    clearTimeout(request.timer);
    this.#asked.delete(requestId);
    request.resolve(outcome);
  }

  #subscribe() {
    if (!this.#ready) return;
    /** @type {{ type: 'subscribe', filter: SubscriptionFilter, since?: number }} */
    const message = { type: 'subscribe', filter: this.#filter };
    if (this.#position !== null) message.since = this.#position;
    if (!this.#send(message)) return;
    this.#welcomesExpected++;
    this.live = false;
  }

  /**
   * @param {string | undefined} requestId
   * @param {TriageOutcome} outcome
   */
  #settle(requestId, outcome) {
    if (requestId === undefined) return;
    const request = this.#pending.get(requestId);
    if (!request) return;
    clearTimeout(request.timer);
    this.#pending.delete(requestId);
    request.resolve(outcome);
  }

  /**
   * @param {NoticeLevel} level
   * @param {string} text
   */
  #notice(level, text) {
    this.#options.onNotice?.(level, text);
  }

  #changed() {
    this.#options.onChange?.();
  }
}

/**
 * @param {string} message
 * @param {{ path: string, message: string }[] | undefined} issues
 */
function describeError(message, issues) {
  if (!issues || issues.length === 0) return message;
  return `${message}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
}
