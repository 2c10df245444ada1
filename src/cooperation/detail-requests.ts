import type { AuditLog } from '../auth/audit-log.ts';
import type { Identity } from '../auth/authenticator.ts';
import type { ExchangeMessage } from '../exchange/exchange-messages.ts';
import type { Agreement } from '../exchange/load-agreements.ts';
import { type ExchangeRequest, ExchangeRequests } from './exchange-requests.ts';
import { maskValues, type OfferedSubject, type SubjectValues } from './offer.ts';
import type { PartnerLink } from './partner-link.ts';

/** The outcome of an analyst's step: done, or refused with an HTTP status and why. */
export type StepResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** A partner with an agreement in force, as requests for details need it. */
export interface RequestParty {
  agreement: Agreement;
  link: PartnerLink;
  /** What this side offered under a reference (an alert or a flagged subject), if it still does. */
  subjectOf(ref: string): OfferedSubject | undefined;
}

export interface DetailRequestOptions {
  /** The partner of this id, while its agreement is in force. */
  party(partner: string): RequestParty | undefined;
  audit: AuditLog;
  log: (line: string) => void;
  now: () => number;
}

const DAY_MS = 86_400_000;
const AUDIT_DOWN = 'the audit log cannot be written (see the server log), so nothing was done; try again later';

const fail = <T>(status: number, error: string): StepResult<T> => ({ ok: false, status, error });

/**
 * Requests for the details behind a reference, both ways (docs/exchange.md): an analyst
 * asks a partner for a stated purpose; the partner's analyst approves, releasing what the
 * agreement allows, or refuses with a reason. Every step is written to the audit log
 * before it takes effect; a step the audit log cannot record is not taken.
 */
export class DetailRequests {
  private readonly held = new ExchangeRequests();

  constructor(private readonly options: DetailRequestOptions) {}

  private now(): number {
    return this.options.now();
  }

  /** Every request, newest first, without released details. */
  list(): ReturnType<ExchangeRequests['list']> {
    return this.held.list();
  }

  /** A partner asks for the details behind one of this side's references: refused at once past the agreement's daily limit or for an unknown reference. */
  receiveRequest(part: RequestParty, message: Extract<ExchangeMessage, { type: 'request' }>, from: Identity, address: string): void {
    const { def } = part.agreement;
    const partner = def.partner.id;
    if (this.held.get(message.id)) return;
    const now = this.now();
    const subject = part.subjectOf(message.ref);
    const request: ExchangeRequest = { id: message.id, direction: 'incoming', partner, ref: message.ref, purpose: message.purpose, requestedBy: message.requestedBy, at: new Date(now).toISOString(), status: 'pending', ...(subject && { subject: subject.label }) };
    const refusal =
      this.held.incomingSince(partner, now - DAY_MS) >= def.limits.requestsPerDay
        ? `the agreement's limit of ${def.limits.requestsPerDay} request(s) a day is reached`
        : subject === undefined
          ? 'no subject offered under this reference (it may have expired)'
          : undefined;
    const audit = { agreement: def.agreement, partner, request: message.id, ref: message.ref, purpose: message.purpose, requestedBy: message.requestedBy, ...(subject && { subject: subject.label }) };
    if (!this.options.audit.exchange(from, address, 'request-received', audit, subject?.alertSeq === undefined ? [] : [subject.alertSeq])) {
      this.options.log(`exchange: request ${message.id} from ${partner} not taken: ${AUDIT_DOWN}`);
      return;
    }
    this.held.add(request);
    if (refusal !== undefined) this.answer(part, request, { tokenId: 'exchange', name: `exchange (${def.agreement})`, role: 'partner' }, address, 'refused', refusal);
  }

  /** The partner's answer to this side's request, with what it released. */
  receiveDecision(part: RequestParty, message: Extract<ExchangeMessage, { type: 'decision' }>, from: Identity, address: string): void {
    const request = this.held.get(message.id);
    if (request?.direction !== 'outgoing' || request.partner !== part.agreement.def.partner.id || request.status !== 'pending') return;
    const details = message.details as SubjectValues | undefined;
    const audit = { agreement: part.agreement.def.agreement, partner: request.partner, request: request.id, ref: request.ref, decision: message.decision, decidedBy: message.decidedBy, ...(message.reason !== undefined && { reason: message.reason }), ...(details && { fieldsReceived: Object.keys(details) }) };
    if (!this.options.audit.exchange(from, address, message.decision === 'approved' ? 'details-received' : 'refusal-received', audit, request.alertSeq === undefined ? [] : [request.alertSeq])) {
      this.options.log(`exchange: decision on ${request.id} from ${request.partner} not taken: ${AUDIT_DOWN}`);
      return;
    }
    request.status = message.decision;
    request.decidedBy = message.decidedBy;
    request.decidedAt = message.at;
    if (message.reason !== undefined) request.reason = message.reason;
    if (details) request.details = details;
  }

  /** An analyst asks a partner for the details behind one of its references, for a stated purpose. */
  request(who: Identity, address: string, input: { partner: string; ref: string; purpose: string; alertSeq?: number }): StepResult<ExchangeRequest> {
    const part = this.options.party(input.partner);
    if (!part) return fail(404, `no exchange agreement with ${input.partner} is in force`);
    if (!/^[a-z]-[0-9a-f]{32}$/.test(input.ref)) return fail(400, 'ref must be a partner reference from a hit (such as f-3fa9…)');
    const purpose = input.purpose.trim();
    if (purpose.length < 10 || purpose.length > 1000) return fail(400, 'state the purpose of the request (10 to 1,000 characters): it is recorded on both sides');
    const request: ExchangeRequest = { id: ExchangeRequests.newId(), direction: 'outgoing', partner: input.partner, ref: input.ref, purpose, requestedBy: who.name, at: new Date(this.now()).toISOString(), status: 'pending', ...(input.alertSeq !== undefined && { alertSeq: input.alertSeq }) };
    const audit = { agreement: part.agreement.def.agreement, partner: input.partner, request: request.id, ref: input.ref, purpose };
    if (!this.options.audit.exchange(who, address, 'request-sent', audit, input.alertSeq === undefined ? [] : [input.alertSeq])) return fail(503, AUDIT_DOWN);
    this.held.add(request);
    part.link.send({ type: 'request', id: request.id, ref: request.ref, purpose, requestedBy: who.name, at: request.at });
    return { ok: true, value: request };
  }

  /** This side's analyst approves (releasing what the agreement allows) or refuses a partner's request. */
  decide(who: Identity, address: string, id: string, decision: 'approved' | 'refused', reason?: string): StepResult<ExchangeRequest> {
    const request = this.held.get(id);
    if (request?.direction !== 'incoming') return fail(404, `no request ${id} from a partner is held`);
    if (request.status !== 'pending') return fail(409, `request ${id} was already ${request.status}`);
    const part = this.options.party(request.partner);
    if (!part) return fail(409, `the agreement with ${request.partner} is no longer in force; nothing can be released`);
    if (decision === 'refused' && (reason === undefined || reason.trim().length === 0)) return fail(400, 'a refusal needs a reason; it is sent to the partner and recorded');
    return this.answer(part, request, who, address, decision, reason?.trim());
  }

  private answer(part: RequestParty, request: ExchangeRequest, who: Identity, address: string, decision: 'approved' | 'refused', reason: string | undefined): StepResult<ExchangeRequest> {
    const { def } = part.agreement;
    const subject = part.subjectOf(request.ref);
    if (decision === 'approved' && subject === undefined) return fail(409, 'the subject behind this reference is no longer offered (its alert aged out); refuse the request instead');
    const fields = [...new Set([...def.share.clear, ...def.share.onRequest])];
    const details = decision === 'approved' && subject ? maskValues(subject.values, fields) : undefined;
    const audit = { agreement: def.agreement, partner: request.partner, request: request.id, ref: request.ref, purpose: request.purpose, ...(subject && { subject: subject.label }), ...(reason !== undefined && { reason }), ...(details && { fieldsReleased: Object.keys(details) }) };
    if (!this.options.audit.exchange(who, address, decision === 'approved' ? 'details-released' : 'request-refused', audit, subject?.alertSeq === undefined ? [] : [subject.alertSeq])) return fail(503, AUDIT_DOWN);
    const at = new Date(this.now()).toISOString();
    request.status = decision;
    request.decidedBy = who.name;
    request.decidedAt = at;
    if (reason !== undefined) request.reason = reason;
    part.link.send({ type: 'decision', id: request.id, decision, decidedBy: who.name, at, ...(reason !== undefined && { reason }), ...(details && { details }) });
    return { ok: true, value: request };
  }

  /** The details a partner released on this side's request; every read is audited. */
  details(who: Identity, address: string, id: string): StepResult<{ request: ExchangeRequest; details: SubjectValues }> {
    const request = this.held.get(id);
    if (request?.direction !== 'outgoing') return fail(404, `no request ${id} of this side is held`);
    if (request.status !== 'approved' || request.details === undefined) return fail(409, `request ${id} is ${request.status}: there are no details to read`);
    const audit = { partner: request.partner, request: id, ref: request.ref, fields: Object.keys(request.details) };
    if (!this.options.audit.exchange(who, address, 'details-read', audit, request.alertSeq === undefined ? [] : [request.alertSeq])) return fail(503, AUDIT_DOWN);
    return { ok: true, value: { request, details: request.details } };
  }
}
