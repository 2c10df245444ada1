import type { StoredAlert } from '../store/alert-log.ts';

/**
 * Where alerts go once the alert database has them, the port every way out goes
 * through: the subscribers' hub (src/push/alert-hub.ts) is one, a broker publisher will
 * be another. The pipeline stores an alert first and then publishes it to every sink,
 * in sequence order; a sink that throws is a fault of that sink alone.
 */
export interface AlertSink {
  publish(stored: StoredAlert): void;
}
