import { type AlertRecord, readAlerts } from '../store/read-alert-database.ts';

/** An alert of a training session as the alert database holds it. */
export type SessionAlert = AlertRecord;

/**
 * Every alert of a session with its triage, read without writing to the alert database
 * (the session's processor may still run): an exercise's scope (`replay --serve
 * --exercise ID`), or without one the live alerts (a processor run for the session alone).
 */
export function readSessionAlerts(file: string, exercise?: string): SessionAlert[] {
  return readAlerts(file, exercise ?? '');
}
