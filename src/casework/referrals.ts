import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors.ts';
import type { ReferralOutcome } from './cases.ts';

/**
 * Whether a referral outcome says the alert was right: the subject was refused, or
 * secondary inspection found something, or something was seized. `released` and
 * `secondary-negative` say it was not; `missed` says nothing either way (nobody looked).
 */
export function referralVerdict(outcome: ReferralOutcome): 'positive' | 'negative' | undefined {
  if (outcome === 'refused-entry' || outcome === 'secondary-positive' || outcome === 'seizure') return 'positive';
  if (outcome === 'secondary-negative' || outcome === 'released') return 'negative';
  return undefined;
}

/** Per rule: the referral outcomes of the alerts it took part in. */
export interface RuleReferrals {
  ruleId: string;
  /** Alerts with a referral outcome (from a case they are in). */
  referred: number;
  positive: number;
  negative: number;
  missed: number;
}

// An alert's referral outcome: that of the most recently updated case holding it that has one.
const ALERT_REFERRALS = `
  SELECT a.seq, a.alert_id AS alertId,
         (SELECT c.outcome FROM case_alerts ca JOIN cases c ON c.id = ca.case_id
          WHERE ca.seq = a.seq AND c.outcome IS NOT NULL ORDER BY c.updated_at DESC LIMIT 1) AS outcome
  FROM alerts a WHERE a.seq IN (SELECT seq FROM case_alerts)`;

/** Opens an alert database read-only; null when it predates cases (schema before step 4), which then has no referral outcomes. */
function withCases<T>(file: string, read: (db: Database.Database) => T, none: T): T {
  if (!fs.existsSync(file)) throw new ConfigError(`no alert database at ${file}`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const hasCases = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases'").get() !== undefined;
    return hasCases ? read(db) : none;
  } catch (thrown) {
    if (thrown instanceof Database.SqliteError) throw new ConfigError(`cannot read ${file} as an alert database: ${thrown.message}`, { cause: thrown });
    throw thrown;
  } finally {
    db?.close();
  }
}

/** The referral outcome of every alert that has one, by alert id, read without writing (the processor may be running). */
export function readReferralOutcomes(file: string): Map<string, ReferralOutcome> {
  return withCases(
    file,
    (db) => {
      const rows = db.prepare(`${ALERT_REFERRALS} ORDER BY a.seq`).all() as { alertId: string; outcome: ReferralOutcome | null }[];
      return new Map(rows.filter((r) => r.outcome !== null).map((r) => [r.alertId, r.outcome!]));
    },
    new Map(),
  );
}

/** Referral outcomes counted per rule (shadow firings left out), for `rules stats`. */
export function readRuleReferrals(file: string): RuleReferrals[] {
  if (!fs.existsSync(file)) return [];
  return withCases(
    file,
    (db) => {
      const rows = db.prepare(`SELECT r.rule_id AS ruleId, x.outcome FROM (${ALERT_REFERRALS}) x JOIN alert_rules r ON r.seq = x.seq AND r.shadow = 0 WHERE x.outcome IS NOT NULL`).all() as { ruleId: string; outcome: ReferralOutcome }[];
      const byRule = new Map<string, RuleReferrals>();
      for (const { ruleId, outcome } of rows) {
        let counts = byRule.get(ruleId);
        if (!counts) byRule.set(ruleId, (counts = { ruleId, referred: 0, positive: 0, negative: 0, missed: 0 }));
        counts.referred += 1;
        const verdict = referralVerdict(outcome);
        if (verdict === 'positive') counts.positive += 1;
        else if (verdict === 'negative') counts.negative += 1;
        else counts.missed += 1;
      }
      return [...byRule.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
    },
    [],
  );
}
