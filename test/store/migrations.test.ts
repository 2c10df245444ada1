import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { latestVersion, MIGRATIONS, type Migration, migrate, schemaVersion } from '../../src/store/migrations.ts';
import { tempDir } from '../helpers.ts';

/** Made by the alert store as it was before numbered migrations (four alerts, two triaged, checkpoint 40). */
const BEFORE = path.join(import.meta.dirname, '../fixtures/store/alerts-before-migrations.db');

function copyOfBefore(): string {
  const file = path.join(tempDir(), 'alerts.db');
  fs.copyFileSync(BEFORE, file);
  return file;
}

describe('alert database migrations', () => {
  it('upgrades a database made before numbered migrations in place, keeping its alerts, triage, checkpoint and sequence', () => {
    const file = copyOfBefore();
    const before = new Database(file, { readonly: true });
    expect(schemaVersion(before)).toBe(0);
    before.close();

    const store = new AlertStore(file);
    expect(store.migrated.length).toBe(MIGRATIONS.length);
    const alerts = store.since(0);
    expect(alerts.map((a) => a.alert.alertId)).toEqual(['alert:e1', 'alert:e2', 'alert:e3', 'alert:e4']);
    expect(alerts[0]!.triage).toMatchObject({ status: 'acknowledged', history: [{ by: 'ana' }] });
    expect(alerts[1]!.triage).toMatchObject({ status: 'dismissed', outcome: 'false-positive', history: [{ note: 'namesake' }] });
    expect(store.processedRecord).toBe(40);
    expect(store.ruleOutcomes().find((r) => r.ruleId === 'crossing.watchlist-name-match')).toMatchObject({ alerts: 2, falsePositives: 1 });
    const next = store.append({ ...alerts[3]!.alert, alertId: 'alert:e5', eventId: 'e5' });
    expect(next?.seq).toBe(5);
    store.close();

    const db = new Database(file, { readonly: true });
    expect(schemaVersion(db)).toBe(latestVersion());
    // Step 2 keyed the alerts already held by their own JSON, as new ones are keyed when stored.
    expect(db.prepare('SELECT subject_key AS subject, person_key AS person, muted FROM alerts WHERE seq = 1').get()).toEqual({ subject: 'document UZB:AB1', person: 'person aziz karimov 1980-01-01', muted: null });
    // Step 6 took the alerts held as live ones; step 7 marked the two triaged as acknowledged, at their first action.
    expect(db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE scope = ''").get()).toEqual({ n: 5 });
    const triaged = db.prepare('SELECT a.seq, a.first_action_at AS firstAction, (SELECT MIN(at) FROM triage t WHERE t.seq = a.seq) AS firstTriage FROM alerts a ORDER BY a.seq').all() as { seq: number; firstAction: string | null; firstTriage: string | null }[];
    expect(triaged.filter((r) => r.firstAction !== null).map((r) => r.seq)).toEqual([1, 2]);
    for (const r of triaged) expect(r.firstAction).toBe(r.firstTriage);
    db.close();
    // Opened again, a current database has nothing to apply.
    const again = new AlertStore(file);
    expect(again.migrated).toEqual([]);
    expect(again.lastSeq).toBe(5);
    again.close();
  });

  it('drops the unread rules-fired index from a database of schema step 7, keeping what the rules fired and what analysts concluded', () => {
    const file = copyOfBefore();
    const seven = new Database(file);
    migrate(seven, file, MIGRATIONS.filter((m) => m.version <= 7));
    expect(schemaVersion(seven)).toBe(7);
    expect(indexes(seven)).toContain('alert_rules_by_rule');
    seven.close();

    const store = new AlertStore(file);
    expect(store.migrated).toEqual(MIGRATIONS.filter((m) => m.version > 7).map((m) => `${m.version} (${m.name})`));
    expect(indexes(store.database)).not.toContain('alert_rules_by_rule');
    expect(store.ruleOutcomes().find((r) => r.ruleId === 'crossing.watchlist-name-match')).toMatchObject({ alerts: 2, falsePositives: 1 });
    const last = store.since(0).at(-1)!.alert;
    const next = store.append({ ...last, alertId: 'alert:e5', eventId: 'e5' });
    expect(next?.seq).toBe(5);
    expect(store.database.prepare('SELECT rule_id AS ruleId FROM alert_rules WHERE seq = 5').all()).toEqual(last.indicators.map((i) => ({ ruleId: i.id })));
    store.close();
  });

  it('makes a new database at the newest version without reporting an upgrade', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file);
    expect(store.migrated).toEqual([]);
    store.close();
    const db = new Database(file, { readonly: true });
    expect(schemaVersion(db)).toBe(latestVersion());
    db.close();
  });

  it('refuses a database written by a newer release, leaving it as it was', () => {
    const file = path.join(tempDir(), 'alerts.db');
    new AlertStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    expect(() => new AlertStore(file)).toThrow(ConfigError);
    expect(() => new AlertStore(file)).toThrow(/newer than this release knows/);
    const after = new Database(file, { readonly: true });
    expect(schemaVersion(after)).toBe(latestVersion() + 1);
    after.close();
  });

  it('applies each step whole or not at all: a step that fails leaves the version and tables of the one before', () => {
    const db = new Database(':memory:');
    const steps: Migration[] = [
      { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE one (x)') },
      {
        version: 2,
        name: 'two',
        up: (d) => {
          d.exec('CREATE TABLE two (x)');
          throw new Error('disk went away');
        },
      },
    ];
    expect(() => migrate(db, ':memory:', steps)).toThrow('disk went away');
    expect(schemaVersion(db)).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['one']);
    expect(migrate(db, ':memory:', steps.slice(0, 1))).toEqual([]);
    db.close();
  });
});

function indexes(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name);
}
