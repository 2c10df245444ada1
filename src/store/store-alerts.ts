import type { OperatorFunction } from 'rxjs';
import { type FaultHandler, safeMap } from '../pipeline/safe-map.ts';
import type { Alert } from '../alert/alert.ts';
import type { AlertStore, StoredAlert } from './alert-store.ts';

/**
 * Store stage: an alert gets its sequence number and is kept before anyone is told of
 * it. An alert already stored (raised again by a replay after a crash) goes no further,
 * and neither does any alert while `quiet()` holds (state is being rebuilt).
 */
export function storeAlerts(store: AlertStore, onFault: FaultHandler, quiet: () => boolean = () => false): OperatorFunction<Alert, StoredAlert> {
  return safeMap('store', (alert) => (quiet() ? undefined : store.append(alert)), onFault);
}
