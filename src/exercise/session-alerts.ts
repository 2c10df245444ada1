import { type AlertRecord, readAlerts } from '../store/alert-store.ts';

/** An alert of a training session as the alert database holds it. */
export type SessionAlert = AlertRecord;

/** Every alert of an alert database with its triage, read without writing to it (the session's processor may still run). */
export function readSessionAlerts(file: string): SessionAlert[] {
  return readAlerts(file);
}
