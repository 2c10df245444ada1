import type { ExchangeMessage } from '../exchange/exchange-messages.ts';

/** Where a link stands, for `/health` and the joint view. */
export interface LinkStatus {
  state: 'connecting' | 'open' | 'closed';
  /** Where messages go (a URL, a broker subject). */
  to: string;
  /** Messages waiting for the link to open. */
  queued: number;
  sent: number;
  /** Why the last attempt failed or the link last closed, if it did. */
  lastError?: string;
}

/** The sending half of a link to one partner: messages wait while it is down and go in order once it is up. */
export interface PartnerLink {
  send(message: ExchangeMessage): void;
  status(): LinkStatus;
  close(): void;
}

/** What a link needs: where to send, the credential the partner gave us, and whom it is for (named in logs). */
export interface LinkSpec {
  partner: string;
  url: string;
  token: string;
}

/**
 * How the exchange reaches partners: one `PartnerLink` per agreement. `onOpen` runs each
 * time the link (re)opens, before anything queued is sent, so that the exchange can send its
 * greeting and its current offer first. What arrives from partners is handed to
 * `ExchangeService.receive` by the transport's inbound side (over WebSocket, the processor's
 * `/exchange` endpoint); a broker transport would subscribe and do the same.
 */
export interface ExchangeTransport {
  open(spec: LinkSpec, onOpen: (link: PartnerLink) => void): PartnerLink;
}
