import type { OperatorFunction } from 'rxjs';
import { toError } from '../errors.ts';
import { type FaultHandler, safeMap } from '../kernel/safe-map.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import type { AlertSink } from './alert-sink.ts';

/** Push stage: hands each stored alert to every sink; one sink's fault does not keep the alert from the others. */
export function pushAlerts(sinks: readonly AlertSink[], onFault: FaultHandler): OperatorFunction<StoredAlert, StoredAlert> {
  return safeMap(
    'push',
    (stored) => {
      for (const sink of sinks) {
        try {
          sink.publish(stored);
        } catch (thrown) {
          onFault('push', toError(thrown), stored);
        }
      }
      return stored;
    },
    onFault,
  );
}
