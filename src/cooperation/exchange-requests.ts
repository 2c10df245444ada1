import { randomBytes } from 'node:crypto';
import type { SubjectValues } from './offer.ts';

/** A request for the details behind a partner's reference, as either side keeps it. */
export interface ExchangeRequest {
  id: string;
  /** `outgoing`: this side asked; `incoming`: the partner asked this side. */
  direction: 'outgoing' | 'incoming';
  partner: string;
  ref: string;
  purpose: string;
  requestedBy: string;
  at: string;
  status: 'pending' | 'approved' | 'refused';
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  /** Outgoing and approved: what the partner released (read through `details`, which is audited). */
  details?: SubjectValues;
  /** Incoming: what the reference is on this side (`kz-national KZN-7`, `alert #12`). */
  subject?: string;
  /** Outgoing: this side's alert that raised the hit, if the analyst asked from one. */
  alertSeq?: number;
}

/** Requests kept at most; the oldest decided ones go first. */
const MAX_REQUESTS = 10_000;

/** The requests of one processor, both ways, in the order they were made. */
export class ExchangeRequests {
  private readonly byId = new Map<string, ExchangeRequest>();

  static newId(): string {
    return `req-${randomBytes(12).toString('hex')}`;
  }

  add(request: ExchangeRequest): void {
    this.byId.set(request.id, request);
    if (this.byId.size > MAX_REQUESTS) {
      const oldest = [...this.byId.values()].find((r) => r.status !== 'pending');
      if (oldest) this.byId.delete(oldest.id);
    }
  }

  get(id: string): ExchangeRequest | undefined {
    return this.byId.get(id);
  }

  /** Every request, newest first, without released details (those are read one at a time, audited). */
  list(): Omit<ExchangeRequest, 'details'>[] {
    return [...this.byId.values()].reverse().map(({ details, ...rest }) => ({ ...rest, ...(details !== undefined && { detailsReleased: Object.keys(details) }) }));
  }

  /** Incoming requests from a partner since a time, for its daily limit. */
  incomingSince(partner: string, since: number): number {
    let n = 0;
    for (const r of this.byId.values()) if (r.direction === 'incoming' && r.partner === partner && Date.parse(r.at) >= since) n++;
    return n;
  }
}
