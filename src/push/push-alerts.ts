import type { OperatorFunction } from 'rxjs';
import { type FaultHandler, safeMap } from '../kernel/safe-map.ts';
import type { StoredAlert } from '../store/alert-store.ts';
import type { AlertHub } from './alert-hub.ts';

/** Push stage: hands each stored alert to the subscribers. */
export function pushAlerts(hub: AlertHub, onFault: FaultHandler): OperatorFunction<StoredAlert, StoredAlert> {
  return safeMap(
    'push',
    (stored) => {
      hub.publish(stored);
      return stored;
    },
    onFault,
  );
}
