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
  /** Why alerts are held (disk full on alerts.db, say); undefined when none are. */
  stalled(): string | undefined;
}

/**
 * Store stage: an alert gets its sequence number and is kept before anyone is told of
 * it. An alert already stored (raised again by a replay after a crash) goes no further,
 * and neither does any alert while `quiet()` holds.
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
  let failure: string | undefined;

  const operator: OperatorFunction<Alert, StoredAlert> = (source) =>
    new Observable<StoredAlert>((subscriber) => {
      let timer: NodeJS.Timeout | undefined;
      /** Stores one alert; false when the disk failed and it must be held. */
      const attempt = (alert: Alert): boolean => {
        let stored: StoredAlert | undefined;
        try {
          stored = store.append(alert);
        } catch (thrown) {
          const error = toError(thrown) as Error & { code?: string };
          if (!isDiskFailure(error)) {
            onFault('store', error, alert);
            return true;
          }
          failure = describeWriteFailure(store.file, error);
          onOutcome?.(failure);
          return false;
        }
        if (stored) subscriber.next(stored);
        return true;
      };
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
          if (held.length > 0 || !attempt(alert)) {
            held.push(alert);
            timer ??= setTimeout(retry, retryMs);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        clearTimeout(timer);
        subscription.unsubscribe();
      };
    });

  return { operator, held, stalled: () => (held.length > 0 ? failure : undefined) };
}
