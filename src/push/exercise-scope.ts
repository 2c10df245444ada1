import type { StoredAlert } from '../store/alert-log.ts';

/**
 * Which alerts a subscriber works in (docs/casework.md#exercises): `undefined` for live
 * alerts (every role but the trainee), an exercise's id for a trainee while that exercise
 * runs, `null` for a trainee when none does (it then sees and triages nothing).
 */
export type AlertScope = string | null | undefined;

/** Whether the alert is in the scope: live alerts for live roles, the running exercise's for trainees. */
export function inScope(scope: AlertScope, stored: StoredAlert): boolean {
  return scope !== null && scope === stored.scope;
}

/**
 * Why a subscriber working in `scope` may not `act` on this alert, or undefined when it
 * may. The server says so rather than only hiding the alert: a trainee's client that
 * names a live alert's seq must learn that nothing was changed, and why.
 */
export function scopeRefusal(scope: AlertScope, stored: StoredAlert, act: 'triage' | 'read' = 'triage'): string | undefined {
  if (inScope(scope, stored)) return undefined;
  const unchanged = act === 'triage' ? '; nothing was changed' : '';
  if (stored.scope === undefined) {
    return scope === null
      ? `alert ${stored.seq} is a live alert and no exercise is running: a trainee may ${act} only an exercise's alerts${unchanged}`
      : `alert ${stored.seq} is a live alert: a trainee may ${act} only the alerts of exercise ${scope}${unchanged}`;
  }
  return `alert ${stored.seq} belongs to exercise ${stored.scope}: only its trainees may ${act} it${unchanged}`;
}
