import type { Alert } from '../alert/alert.ts';
import type { TriageState } from '../triage/triage.ts';

/** An alert with its place in the alert sequence and its triage so far. */
export interface StoredAlert {
  seq: number;
  alert: Alert;
  triage: TriageState;
  /** The alert's wire message, serialised once however many subscribers receive it. */
  message: string;
  /** Why it was stored but not pushed live (docs/casework.md); absent for a live alert. */
  muted?: Muted;
  /** The exercise that raised it (docs/casework.md#exercises); absent for a live alert. */
  scope?: string;
}

/** What kept a stored alert from the live feed: a silence matching it, or a stronger alert about the same subject. */
export type Muted = { by: 'silence'; id: string; endsAt: string } | { by: 'inhibition'; seq: number; alertId: string; severity: string };

/**
 * Where raised alerts are kept, each given its sequence number, before any sink is told
 * of them: the port the store stage (`storeAlerts`) writes through. The alert database
 * (src/store/alert-store.ts) is one; a broker's alert stream would be another.
 */
export interface AlertLog {
  /** Where the alerts are written (a file, a stream), named in error messages. */
  readonly file: string;
  /** The sequence number of the last alert kept (0 before the first). */
  readonly lastSeq: number;
  /**
   * Keeps the alert and gives it the next sequence number; undefined when an alert of
   * that id is already kept (raised again by a replay after a crash). Throws when it
   * cannot be written: an error with a disk-failure `code` (ENOSPC, EIO) holds alerts
   * until it can.
   */
  append(alert: Alert): StoredAlert | undefined;
  /**
   * Keeps several alerts in one write, as `append` would one after the other, all or none:
   * when it throws, none is kept. Optional: the store stage calls `append` per alert
   * without it.
   */
  appendAll?(alerts: readonly Alert[]): (StoredAlert | undefined)[];
}
