import { Observable, type OperatorFunction } from 'rxjs';
import type { Alert } from '../alert/alert.ts';
import { toError } from '../errors.ts';
import { describeWriteFailure, isDiskFailure } from '../kernel/write-failure.ts';
import type { FaultHandler } from '../kernel/safe-map.ts';
import type { AlertLog, StoredAlert } from './alert-log.ts';

export interface StoreAlertsOptions {
  /** While this holds, alerts go no further (state is being rebuilt from the journal). */
  quiet?: () => boolean;
  /** How often held alerts are offered to the store again. @default 1_000 */
  retryMs?: number;
  /** Told when the store fails to write on a disk failure (the reason) and when it writes again (null). */
  onOutcome?: (failure: string | null) => void;
}

/** The store stage, with what it holds while the alert database cannot be written. */
export interface AlertStoring {
  operator: OperatorFunction<Alert, StoredAlert>;
  /** Alerts raised but not yet stored, oldest first; empty unless the disk failed. */
  readonly held: readonly Alert[];
  /** The oldest alert raised but not yet stored: held, or waiting for the end of the turn. */
  oldestUnstored(): Alert | undefined;
  /** Why alerts are held (disk full on alerts.db, say); undefined when none are. */
  stalled(): string | undefined;
  /** Stores (and passes on) the alerts waiting for the end of the turn now: a synchronous replay's end. */
  flush(): void;
}

/** Alerts stored in one write at most: a replay of a long journal flushes as it goes. */
const MAX_BATCH = 256;

/**
 * Store stage: an alert gets its sequence number and is kept before anyone is told of
 * it. An alert already stored (raised again by a replay after a crash) goes no further,
 * and neither does any alert while `quiet()` holds.
 *
 * The alerts raised in one turn of the event loop (the events of every frame one journal
 * sync made durable) are kept in one write (`AlertLog.appendAll`, one transaction) at the
 * end of the turn, and then passed on in order: a database commit per turn rather than
 * per alert. If that write fails for one alert's sake (not the disk), each alert of the
 * turn is tried alone, so that the fault stays that alert's.
 *
 * When the database cannot be written (disk full, I/O error) an alert is not dropped: it
 * is held in memory, in order, and offered again every `retryMs`; alerts raised meanwhile
 * queue behind it so that sequence numbers keep the order alerts were raised in. The
 * pipeline refuses new events while any are held, so the queue holds at most the alerts
 * of events already accepted; the journal still has those events, and the checkpoint
 * stays before them, so even a crash meanwhile loses nothing.
 */
export function storeAlerts(store: AlertLog, onFault: FaultHandler, options: StoreAlertsOptions = {}): AlertStoring {
  const { quiet = () => false, retryMs = 1_000, onOutcome } = options;
  const held: Alert[] = [];
  let waiting: Alert[] = [];
  let failure: string | undefined;
  /** Set once the stage is subscribed to: before that nothing can be waiting. */
  let flushNow: (() => void) | undefined;

  const operator: OperatorFunction<Alert, StoredAlert> = (source) =>
    new Observable<StoredAlert>((subscriber) => {
      let timer: NodeJS.Timeout | undefined;
      let scheduled = false;
      let closed = false;
      /** Stores one alert; false when the disk failed and it must be held. */
      const attempt = (alert: Alert): boolean => {
        let stored: StoredAlert | undefined;
        try {
          stored = store.append(alert);
        } catch (thrown) {
          return failed(thrown, alert);
        }
        if (stored) subscriber.next(stored);
        return true;
      };
      /** A write that threw: false (hold) on a disk failure, else a fault of `alert`'s (true: go on). */
      const failed = (thrown: unknown, alert: Alert | undefined): boolean => {
        const error = toError(thrown) as Error & { code?: string };
        if (!isDiskFailure(error)) {
          if (alert) onFault('store', error, alert);
          return true;
        }
        failure = describeWriteFailure(store.file, error);
        onOutcome?.(failure);
        return false;
      };
      const hold = (alerts: readonly Alert[]): void => {
        held.push(...alerts);
        timer ??= setTimeout(retry, retryMs);
      };
      /** Stores the turn's alerts in one write where the log can; one at a time where it cannot. */
      const flush = (): void => {
        scheduled = false;
        const batch = waiting;
        if (batch.length === 0 || closed) return;
        waiting = [];
        if (held.length > 0) {
          hold(batch);
          return;
        }
        if (batch.length === 1 || !store.appendAll) {
          storeEach(batch);
          return;
        }
        let results: (StoredAlert | undefined)[];
        try {
          results = store.appendAll(batch);
        } catch (thrown) {
          // None was kept. The disk: hold them all. Anything else: try each alone, so that only the faulty one is lost.
          if (failed(thrown, undefined)) storeEach(batch);
          else hold(batch);
          return;
        }
        for (const stored of results) if (stored) subscriber.next(stored);
      };
      const storeEach = (batch: readonly Alert[]): void => {
        for (let i = 0; i < batch.length; i++) {
          if (!attempt(batch[i]!)) {
            hold(batch.slice(i));
            return;
          }
        }
      };
      flushNow = flush;
      const retry = (): void => {
        timer = undefined;
        while (held.length > 0) {
          if (!attempt(held[0]!)) {
            timer = setTimeout(retry, retryMs);
            return;
          }
          held.shift();
        }
        failure = undefined;
        onOutcome?.(null);
      };
      const subscription = source.subscribe({
        next(alert) {
          if (quiet()) return;
          waiting.push(alert);
          if (waiting.length >= MAX_BATCH) flush();
          else if (!scheduled) {
            scheduled = true;
            // After the turn's synchronous work, before any timer (a snapshot's capture) can look at the state.
            queueMicrotask(flush);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        // What the last turn raised is kept, as it would have been had each alert been stored
        // at once; those alerts go no further (the stream is closed): `AlertStoring.flush`
        // before unsubscribing passes them on too, as the pipeline's stop does.
        flush();
        closed = true;
        clearTimeout(timer);
        subscription.unsubscribe();
      };
    });

  return {
    operator,
    held,
    oldestUnstored: () => held[0] ?? waiting[0],
    stalled: () => (held.length > 0 ? failure : undefined),
    flush: () => flushNow?.(),
  };
}
