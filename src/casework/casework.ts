import type { InhibitRule } from '../rules/scoring-config.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { Cases } from './cases.ts';
import { CaseworkLog } from './casework-log.ts';
import { inhibitor } from './inhibition.ts';
import { NonMatches } from './non-matches.ts';
import { Silences } from './silences.ts';
import { type SubjectHistory, subjectHistory } from './subject-history.ts';

export interface CaseworkOptions {
  /** The wall clock silences run on and changes are stamped with. @default Date.now */
  now?: () => number;
  /** The inhibition rules in force (`scoring.yaml`), read per alert so that a rule reload takes effect. @default none */
  inhibitRules?: () => readonly InhibitRule[] | undefined;
}

/**
 * Analysts' casework kept in the alert database beside the alerts: silences, confirmed
 * non-matches, cases, subjects' history and the log of every change. Opening it makes the store mute what a
 * silence or an inhibition rule covers as each alert is stored.
 */
export class Casework {
  readonly log: CaseworkLog;
  readonly silences: Silences;
  readonly nonMatches: NonMatches;
  readonly cases: Cases;
  /** Earlier alerts about an alert's document, person or vehicle, with their outcomes. */
  readonly subjectHistory: (seq: number) => SubjectHistory | undefined;

  constructor(store: AlertStore, options: CaseworkOptions = {}) {
    const { now = Date.now, inhibitRules = () => undefined } = options;
    const db = store.database;
    this.log = new CaseworkLog(db);
    this.silences = new Silences(db, this.log, now);
    this.nonMatches = new NonMatches(db, this.log, now);
    this.cases = new Cases(db, this.log, now);
    this.subjectHistory = subjectHistory(db, this.cases);
    const inhibitedBy = inhibitor(db);
    store.muteWith((alert, keys, eventMs) => {
      const silence = this.silences.match(alert, keys);
      if (silence) return { by: 'silence', id: silence.id, endsAt: silence.endsAt };
      const rules = inhibitRules();
      return rules && rules.length > 0 ? inhibitedBy(rules, alert, keys, eventMs) : undefined;
    });
  }
}
