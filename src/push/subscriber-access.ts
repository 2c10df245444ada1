import type { Alert } from '../alert/alert.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import type { AlertScope } from './exercise-scope.ts';
import type { SubscriptionFilter } from './subscription.ts';

/**
 * What a subscriber may see and do; the server derives it from the connection's token.
 * The default (`{}`) sees everything, may triage and is not audited: a processor
 * embedded without authentication.
 */
export interface SubscriberAccess {
  /** For roles that may not see personal data: how to mask what they are sent (`AlertMasker`). */
  mask?: {
    message(stored: StoredAlert): string;
    mask<T>(alert: Alert, value: T): T;
    /** The alert as this subscriber sees it, which its text filter searches. */
    view(alert: Alert): Alert;
    /** A stable pseudonym for a personal value outside any alert (a silence's or non-match's subject). */
    pseudonym(kind: 'doc' | 'name' | 'plate', value: string): string;
  };
  /**
   * Told before alerts are sent to this subscriber, with the filter that chose them (the
   * audit log); one call per page of backlog. False when the read could not be recorded:
   * the alerts are then not sent.
   */
  onRead?(seqs: readonly number[], how: 'live' | 'backlog' | 'casework', filter: SubscriptionFilter): boolean;
  /** Why this subscriber may not triage (its role); undefined when it may. */
  triageRefused?: string;
  /** Who its triage entries are by (the token's holder), whatever name a message gives. */
  by?: string;
  /** Its role, told to it in the welcome with `by` so that a console can show who is signed in. */
  role?: string;
  /** Live alerts (undefined), or a trainee's exercise: it sees and triages only those (`exercise-scope.ts`). */
  scope?: AlertScope;
}

/** What the hub needs of a connection; the WebSocket adapter provides it. */
export interface SubscriberSink {
  send(message: string): void;
  readonly bufferedAmount: number;
  /** False once the connection is closing: nothing sent reaches it any more. Undefined counts as open. */
  readonly open?: boolean;
  close(code: number, reason: string): void;
}
