import type { OperatorFunction } from 'rxjs';
import { type FaultHandler, safeMap } from '../pipeline/safe-map.ts';
import type { Alert } from '../alert/alert.ts';
import type { AlertStore, StoredAlert } from './alert-store.ts';

/** Store stage: an alert gets its sequence number and is kept before anyone is told of it. */
export function storeAlerts(store: AlertStore, onFault: FaultHandler): OperatorFunction<Alert, StoredAlert> {
  return safeMap('store', (alert) => store.append(alert), onFault);
}
