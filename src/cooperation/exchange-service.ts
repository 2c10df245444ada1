import fs from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '../auth/audit-log.ts';
import type { Identity } from '../auth/authenticator.ts';
import { ConfigError, toError } from '../errors.ts';
import { EXCHANGE_PROTOCOL, type ExchangeMessage } from '../exchange/exchange-messages.ts';
import { type Agreement, describeAgreementProblems, readAgreements } from '../exchange/load-agreements.ts';
import type { PartnerTokens } from '../exchange/partner-tokens.ts';
import type { AlertSink } from '../push/alert-sink.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { WatchlistFile } from '../watchlist/entry.ts';
import { loadWatchlistFile, watchlistFiles } from '../watchlist/load-watchlist.ts';
import { DetailRequests, type RequestParty } from './detail-requests.ts';
import type { ExchangeRequests } from './exchange-requests.ts';
import { alertSubject, currentKey, flaggedSubject, maskValues, type OfferedSubject, offersAlert, type SubjectValues, tokensOf } from './offer.ts';
import type { ExchangeTransport, LinkStatus, PartnerLink } from './partner-link.ts';

export interface ExchangeOptions {
  /** The agreements (`*.yaml`, docs/exchange.md). */
  dir: string;
  /** Flagged subjects come from the watchlists here (`<rulesDir>/watchlists`). */
  watchlistsDir: string;
  /** Recent alerts are offered from here at start; later ones as they are stored. */
  store: AlertStore;
  audit: AuditLog;
  /** The partners' tokens that `partner-hit` rules match against; kept up to date here. */
  partners: PartnerTokens;
  transport: ExchangeTransport;
  log: (line: string) => void;
  /** @default Date.now */
  now?: () => number;
  /** Where `env:` references in agreements are looked up. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** How soon a change of the offer is sent (changes within it go in one message). @default 50 */
  debounceMs?: number;
}

/** What the joint centre's page shows (`GET /api/exchange`). */
export interface JointView {
  partners: {
    partner: string;
    name: string;
    agreement: string;
    link: LinkStatus;
    tokensOffered: number;
    tokensHeld: number;
    offered: { ref: string; fields: SubjectValues }[];
    received: { ref: string; fields: SubjectValues; receivedAt: string }[];
  }[];
  matches: PartnerMatch[];
  requests: ReturnType<ExchangeRequests['list']>;
}

/** A hit on a partner's token: this side's alert that raised it, with nothing of the traveller's. */
export interface PartnerMatch {
  seq: number;
  partner: string;
  partnerName: string;
  ref: string;
  matchedOn: string;
  source: string;
  post: string;
  eventTime: string;
  severity: string;
}

interface PartnerState {
  agreement: Agreement;
  link: PartnerLink;
  flagged: OfferedSubject[];
  /** Offered alerts by reference, oldest first. */
  alerts: Map<string, OfferedSubject>;
  /** What the partner offers: its masked alerts. */
  theirAlerts: { ref: string; fields: SubjectValues; receivedAt: string }[];
  tokensReceived: number;
  tokensSent: number;
  timer: NodeJS.Timeout | undefined;
}

/** Alerts looked at when a processor starts, for alerts to offer and matches to show. */
const STARTUP_ALERTS = 10_000;
/** Matches kept for the joint view. */
const MAX_MATCHES = 1_000;
/** Offered alerts kept per partner. */
const MAX_OFFERED_ALERTS = 1_000;
/** A token set is sent again this often, so that its expiry moves on. */
const REFRESH_MS = 3_600_000;

/**
 * Exchange agreements at work: the offer made to each partner (tokens of flagged subjects
 * and of recent severe alerts, and those alerts masked by the agreement), what each partner
 * offers in return, the matches of this side's crossings (raised by `partner-hit` rules),
 * and requests for details both ways, every step in the audit log. Agreements are re-read
 * by `reload` (and on change, with `watch`): one removed or revoked stops every flow with
 * its partner at once.
 */
export class ExchangeService implements AlertSink {
  private readonly parts = new Map<string, PartnerState>();
  /** Requests for details, both ways. */
  readonly requests: DetailRequests;
  private readonly matches: PartnerMatch[] = [];
  private readonly now: () => number;
  private readonly debounceMs: number;
  private watchlists: WatchlistFile[] = [];
  private watcher: fs.FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private readonly refresh: NodeJS.Timeout;
  private readonly ended = new Set<(partner: string) => void>();
  private lastProblems: string | undefined;

  /** Reads the agreements (a ConfigError if any is wrong) and opens a link to each partner. */
  constructor(private readonly options: ExchangeOptions) {
    this.now = options.now ?? Date.now;
    const party = (partner: string): RequestParty | undefined => {
      const part = this.parts.get(partner);
      return part && this.party(part);
    };
    this.requests = new DetailRequests({ party, audit: options.audit, log: options.log, now: this.now });
    this.debounceMs = options.debounceMs ?? 50;
    const { agreements, problems } = readAgreements(options.dir, options.env);
    if (problems.length > 0) throw new ConfigError(describeAgreementProblems(problems));
    this.watchlists = this.readWatchlists(agreements, (message) => {
      throw new ConfigError(message);
    });
    // Live alerts only: an exercise's alerts (docs/casework.md#exercises) are never offered to partners.
    const recent = options.store.recentLive(STARTUP_ALERTS);
    for (const stored of recent) this.noteMatch(stored);
    for (const agreement of agreements) this.begin(agreement, recent);
    this.refresh = setInterval(() => {
      for (const part of this.parts.values()) this.schedule(part);
    }, REFRESH_MS);
    this.refresh.unref();
  }

  /** Told when a partner's agreement ends, so that its inbound connections are closed. */
  onPartnerEnded(listener: (partner: string) => void): void {
    this.ended.add(listener);
  }

  /** The agreement in force with a partner, if there is one. */
  agreementWith(partner: string): Agreement | undefined {
    return this.parts.get(partner)?.agreement;
  }

  private readWatchlists(agreements: readonly Agreement[], problem: (message: string) => void): WatchlistFile[] {
    const wanted = new Set(agreements.flatMap((a) => a.def.offer.watchlists));
    if (wanted.size === 0) return [];
    const files: WatchlistFile[] = [];
    try {
      for (const file of watchlistFiles(this.options.watchlistsDir)) {
        const list = loadWatchlistFile(file);
        if (wanted.has(list.list)) files.push(list);
      }
    } catch (error) {
      problem(`exchange: the watchlists in ${this.options.watchlistsDir} cannot be read: ${toError(error).message}`);
      return files;
    }
    const missing = [...wanted].filter((id) => !files.some((f) => f.list === id));
    if (missing.length > 0) {
      const where = agreements.filter((a) => a.def.offer.watchlists.some((id) => missing.includes(id))).map((a) => a.file);
      problem(`exchange: ${where.join(', ')} offer${where.length === 1 ? 's' : ''} watchlist(s) ${missing.join(', ')}, not found in ${this.options.watchlistsDir}`);
    }
    return files;
  }

  private begin(agreement: Agreement, recent: readonly StoredAlert[]): void {
    const { def } = agreement;
    const now = this.now();
    this.options.partners.setPartner(def.partner.id, def.partner.name, agreement.keys);
    const key = currentKey(agreement, now);
    const flagged = key === undefined ? [] : this.watchlists.filter((w) => def.offer.watchlists.includes(w.list)).flatMap((w) => w.entries.flatMap((e) => flaggedSubject(w.list, e, key) ?? []));
    const alerts = new Map<string, OfferedSubject>();
    if (key !== undefined) {
      for (const stored of recent) {
        if (!offersAlert(def, stored.alert, now)) continue;
        const s = alertSubject(stored, key);
        alerts.set(s.ref, s);
      }
    }
    const part: PartnerState = { agreement, flagged, alerts, theirAlerts: [], tokensReceived: 0, tokensSent: 0, timer: undefined, link: undefined as unknown as PartnerLink };
    this.parts.set(def.partner.id, part);
    part.link = this.options.transport.open({ partner: def.partner.id, url: def.link.url, token: agreement.linkToken }, (link) => {
      link.send({ type: 'hello', protocol: EXCHANGE_PROTOCOL, from: def.us, agreement: def.agreement });
      this.sendOffer(part, link);
    });
    if (key === undefined) this.options.log(`exchange with ${def.partner.id}: no key of ${agreement.file} is valid now; nothing is offered until one is`);
    this.options.log(`exchange with ${def.partner.id} (${agreement.file}): ${flagged.length} flagged subject(s) and ${alerts.size} recent alert(s) offered, link to ${def.link.url}`);
  }

  private end(partner: string, reason: string): void {
    const part = this.parts.get(partner);
    if (!part) return;
    clearTimeout(part.timer);
    part.link.send({ type: 'withdraw', reason });
    part.link.close();
    this.parts.delete(partner);
    this.options.partners.drop(partner);
    for (const listener of this.ended) listener(partner);
    this.options.log(`exchange with ${partner} ended: ${reason}`);
  }

  private sendOffer(part: PartnerState, link: PartnerLink = part.link): void {
    const { def } = part.agreement;
    const now = this.now();
    const key = currentKey(part.agreement, now);
    const subjects = key === undefined ? [] : [...part.flagged, ...part.alerts.values()];
    const tokens = key === undefined ? [] : tokensOf(def, subjects, key, now);
    part.tokensSent = tokens.length;
    const at = new Date(now).toISOString();
    link.send({ type: 'tokens', at, tokens });
    link.send({ type: 'alerts', at, alerts: [...part.alerts.values()].map((s) => ({ ref: s.ref, fields: maskValues(s.values, def.share.clear) })) });
  }

  private schedule(part: PartnerState): void {
    if (part.timer !== undefined) return;
    part.timer = setTimeout(() => {
      part.timer = undefined;
      if (this.parts.get(part.agreement.def.partner.id) === part) this.sendOffer(part);
    }, this.debounceMs);
    part.timer.unref();
  }

  /** An alert was stored: offered to every partner whose agreement offers it, and noted if it is a partner hit. */
  publish(stored: StoredAlert): void {
    this.noteMatch(stored);
    const now = this.now();
    for (const part of this.parts.values()) {
      if (!offersAlert(part.agreement.def, stored.alert, now)) continue;
      const key = currentKey(part.agreement, now);
      if (key === undefined) continue;
      const s = alertSubject(stored, key);
      part.alerts.set(s.ref, s);
      if (part.alerts.size > MAX_OFFERED_ALERTS) part.alerts.delete(part.alerts.keys().next().value!);
      this.schedule(part);
    }
  }

  private noteMatch(stored: StoredAlert): void {
    for (const indicator of stored.alert.indicators) {
      for (const e of indicator.evidence) {
        if (e.op !== 'partner-hit' || typeof e.actual !== 'object' || e.actual === null) continue;
        const a = e.actual as Record<string, string>;
        this.matches.push({ seq: stored.seq, partner: a.partner!, partnerName: a.partnerName!, ref: a.ref!, matchedOn: a.matchedOn!, source: a.source!, post: stored.alert.post, eventTime: stored.alert.eventTime, severity: stored.alert.severity });
        if (this.matches.length > MAX_MATCHES) this.matches.shift();
      }
    }
  }

  /**
   * A message from a partner's processor (`from`: the identity its link token carries, which
   * names the partner). Messages of a partner without an agreement in force are dropped.
   */
  receive(partner: string, message: ExchangeMessage, from: Identity, address: string): void {
    const part = this.parts.get(partner);
    if (!part) return;
    const { def } = part.agreement;
    switch (message.type) {
      case 'hello':
        return;
      case 'tokens': {
        const tokens = message.tokens.map((t) => ({ token: t.token, kind: t.kind, ref: t.ref, source: t.source, keyId: t.keyId, expiresAt: Math.min(Date.parse(t.expires), this.now() + def.retention.tokens) }));
        this.options.partners.replace(partner, tokens);
        part.tokensReceived = tokens.length;
        return;
      }
      case 'alerts':
        part.theirAlerts = message.alerts.map((a) => ({ ref: a.ref, fields: a.fields as SubjectValues, receivedAt: new Date(this.now()).toISOString() }));
        return;
      case 'withdraw':
        this.options.partners.clear(partner);
        part.theirAlerts = [];
        part.tokensReceived = 0;
        this.options.log(`exchange: ${partner} withdrew its offer: ${message.reason}`);
        return;
      case 'request':
        this.requests.receiveRequest(this.party(part), message, from, address);
        return;
      case 'decision':
        this.requests.receiveDecision(this.party(part), message, from, address);
        return;
    }
  }

  /** A partner as requests for details see it. */
  private party(part: PartnerState): RequestParty {
    return { agreement: part.agreement, link: part.link, subjectOf: (ref) => part.alerts.get(ref) ?? part.flagged.find((s) => s.ref === ref) };
  }

  /** Records a read of the joint view that showed something new: which offered alerts, matches and requests it held. */
  auditView(who: Identity, address: string, view: JointView): boolean {
    return this.options.audit.exchange(who, address, 'view', {
      offered: view.partners.flatMap((p) => p.offered.map((o) => o.ref)),
      received: view.partners.flatMap((p) => p.received.map((o) => o.ref)),
      requests: view.requests.map((r) => r.id),
    }, view.matches.map((m) => m.seq));
  }

  /** The joint centre's view: agreements and links, what each side offers (masked), the matches, the requests. */
  view(): JointView {
    return {
      partners: [...this.parts.values()].map((p) => ({
        partner: p.agreement.def.partner.id,
        name: p.agreement.def.partner.name,
        agreement: p.agreement.def.agreement,
        link: p.link.status(),
        tokensOffered: p.tokensSent,
        tokensHeld: p.tokensReceived,
        offered: [...p.alerts.values()].reverse().map((s) => ({ ref: s.ref, fields: maskValues(s.values, p.agreement.def.share.clear) })),
        received: p.theirAlerts,
      })),
      matches: [...this.matches].reverse(),
      requests: this.requests.list(),
    };
  }

  /** For `GET /health`: each partner's link and tokens. */
  status(): { partners: Record<string, { link: LinkStatus; tokensOffered: number; tokensHeld: number }>; problems?: string } {
    return {
      partners: Object.fromEntries([...this.parts].map(([id, p]) => [id, { link: p.link.status(), tokensOffered: p.tokensSent, tokensHeld: p.tokensReceived }])),
      ...(this.lastProblems !== undefined && { problems: this.lastProblems }),
    };
  }

  /**
   * Reads the agreements again. Removed or revoked ones end (the partner is told to drop what
   * it was sent, its tokens here are dropped, its link closed); new ones begin; changed ones
   * begin anew. With problems, the agreements in force stay and the problems are logged.
   */
  reload(): boolean {
    const { agreements, problems } = readAgreements(this.options.dir, this.options.env);
    if (problems.length > 0) {
      this.lastProblems = describeAgreementProblems(problems);
      this.options.log(`exchange agreements not reloaded, those in force stay: ${this.lastProblems}`);
      return false;
    }
    this.lastProblems = undefined;
    const next = new Map(agreements.map((a) => [a.def.partner.id, a]));
    for (const [partner, part] of [...this.parts]) {
      const replacement = next.get(partner);
      if (!replacement) this.end(partner, 'the agreement was revoked');
      else if (JSON.stringify(replacement.def) !== JSON.stringify(part.agreement.def) || !sameKeys(replacement, part.agreement) || replacement.linkToken !== part.agreement.linkToken) this.end(partner, 'the agreement changed');
    }
    this.watchlists = this.readWatchlists(agreements, (message) => this.options.log(message));
    const recent = this.options.store.recentLive(STARTUP_ALERTS);
    for (const agreement of agreements) if (!this.parts.has(agreement.def.partner.id)) this.begin(agreement, recent);
    return true;
  }

  /** Reloads when a file of the agreements directory changes. */
  watch(): void {
    if (this.watcher) return;
    this.watcher = fs.watch(this.options.dir, () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.reload(), 50);
      this.reloadTimer.unref();
    });
    this.watcher.on('error', (error) => this.options.log(`exchange agreements in ${this.options.dir} are no longer watched: ${error.message}`));
  }

  close(): void {
    clearInterval(this.refresh);
    clearTimeout(this.reloadTimer);
    this.watcher?.close();
    for (const part of this.parts.values()) {
      clearTimeout(part.timer);
      part.link.close();
    }
    this.parts.clear();
  }
}

function sameKeys(a: Agreement, b: Agreement): boolean {
  return a.keys.length === b.keys.length && a.keys.every((k, i) => k.id === b.keys[i]!.id && k.key.equals(b.keys[i]!.key) && k.notAfter === b.keys[i]!.notAfter);
}

/** The agreements directory, resolved, or a ConfigError if it is not a directory. */
export function agreementsDir(dir: string): string {
  const resolved = path.resolve(dir);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) throw new ConfigError(`exchange agreements directory ${resolved} does not exist`);
  return resolved;
}
