import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/store/alert-store.ts';
import { outcomesSql } from '../../src/store/read-alert-database.ts';
import { tempDir } from '../helpers.ts';

const BEFORE = path.join(import.meta.dirname, '../fixtures/store/alerts-before-migrations.db');

/** The steps SQLite plans for `sql`, one line each ("SEARCH r USING PRIMARY KEY (seq=?)", "SCAN a"). */
function plan(store: AlertStore, sql: string, ...params: unknown[]): string[] {
  return (store.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

describe('the queries on the rules fired, without an index by rule', () => {
  it('find an alert’s rules by its primary key: rule statistics, referral outcomes per rule, retention', () => {
    const file = path.join(tempDir(), 'alerts.db');
    fs.copyFileSync(BEFORE, file);
    const store = new AlertStore(file);
    try {
      const outcomes = plan(store, outcomesSql());
      expect(outcomes).toContain('SEARCH r USING PRIMARY KEY (seq=?)');
      // As src/casework/referrals.ts joins them: from the alerts in cases, by alert.
      const referrals = plan(store, 'SELECT r.rule_id FROM (SELECT a.seq FROM alerts a WHERE a.seq IN (SELECT seq FROM case_alerts)) x JOIN alert_rules r ON r.seq = x.seq AND r.shadow = 0');
      expect(referrals).toContain('SEARCH r USING PRIMARY KEY (seq=?)');
      expect(plan(store, 'DELETE FROM alert_rules WHERE seq <= ?', 1)).toEqual(['SEARCH alert_rules USING PRIMARY KEY (seq<?)']);
      for (const step of [...outcomes, ...referrals]) expect(step).not.toMatch(/^SCAN (r|alert_rules)\b/);
    } finally {
      store.close();
    }
  });
});
