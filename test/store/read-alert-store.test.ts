import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { ConfigError } from '../../src/errors.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { readAlerts, readRuleOutcomes, readTriageOutcomes } from '../../src/store/read-alert-database.ts';
import { tempDir } from '../helpers.ts';

function alert(n: number): Alert {
  const indicator = { id: 'crossing.cash-payment', version: 1, title: 'Cash', weight: 30, severity: 'low' as const, tags: [], evidence: [{ field: 'event.itinerary.paymentForm', op: '==', expected: 'cash', actual: 'cash' }] };
  return { alertId: `alert:e${n}`, eventId: `e${n}`, kind: 'crossing', post: 'UZ-AYRITOM', eventTime: `2026-11-02T10:0${n}:00.000+05:00`, journalRecord: n * 10, subject: `traveller ${n}`, score: 60 + n, threshold: 50, severity: 'low', ruleSetVersion: 'v1', indicators: [indicator], shadowIndicators: [], trigger: 'event', event: { eventId: `e${n}` } as unknown as Alert['event'] };
}

/** A store file with five alerts: #1 confirmed, #2 dismissed as false positive, #3 acknowledged, #4 untouched, #5 dismissed then reopened and dismissed as a duplicate. */
function writeStore(file: string): AlertStore {
  const store = new AlertStore(file);
  for (let n = 1; n <= 5; n++) store.append(alert(n));
  const at = '2026-11-23T09:00:00.000Z';
  store.triage(1, { action: 'dismiss', by: 'ana', at, reason: 'true-hit' });
  store.triage(2, { action: 'acknowledge', by: 'ana', at });
  store.triage(2, { action: 'dismiss', by: 'ana', at: '2026-11-23T09:05:00.000Z', reason: 'false-positive' });
  store.triage(3, { action: 'acknowledge', by: 'bo', at });
  store.triage(5, { action: 'dismiss', by: 'bo', at, reason: 'other' });
  store.triage(5, { action: 'escalate', by: 'bo', at });
  store.triage(5, { action: 'dismiss', by: 'cy', at, reason: 'duplicate' });
  return store;
}

describe('reading an alert database from outside the processor', () => {
  it('gives every alert with its stored time and triage, in sequence order, as AlertStore wrote them', () => {
    const file = path.join(tempDir(), 'alerts.db');
    writeStore(file).close();
    const records = readAlerts(file);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const [i, r] of records.entries()) {
      expect(r.alert).toEqual(alert(i + 1));
      expect(Date.parse(r.createdAt)).not.toBeNaN();
    }
    expect(records[0]!.triage).toEqual({ status: 'dismissed', outcome: 'true-hit', history: [{ action: 'dismiss', by: 'ana', at: '2026-11-23T09:00:00.000Z', reason: 'true-hit' }] });
    expect(records[1]!.triage).toMatchObject({ status: 'dismissed', outcome: 'false-positive', history: [{ action: 'acknowledge' }, { action: 'dismiss', at: '2026-11-23T09:05:00.000Z' }] });
    expect(records[2]!.triage).toEqual({ status: 'acknowledged', history: [{ action: 'acknowledge', by: 'bo', at: '2026-11-23T09:00:00.000Z' }] });
    // Never touched: no triage row, told apart from an alert acknowledged and reopened.
    expect(records[3]!.triage).toBeNull();
    expect(records[4]!.triage).toMatchObject({ status: 'dismissed', outcome: 'duplicate' });
    expect(records[4]!.triage!.history).toHaveLength(3);
  });

  it('gives the outcome of each concluded alert by alert id, the last dismissal\'s reason, leaving open alerts out', () => {
    const file = path.join(tempDir(), 'alerts.db');
    writeStore(file).close();
    const outcomes = readTriageOutcomes(file);
    expect([...outcomes]).toEqual([
      ['alert:e1', 'true-hit'],
      ['alert:e2', 'false-positive'],
      ['alert:e5', 'duplicate'],
    ]);
  });

  it('reads a database the processor still holds open, with what it has committed so far', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = writeStore(file);
    try {
      expect(readAlerts(file)).toHaveLength(5);
      store.append(alert(6));
      store.triage(6, { action: 'dismiss', by: 'ana', at: '2026-11-23T10:00:00.000Z', reason: 'true-hit' });
      expect(readAlerts(file).at(-1)).toMatchObject({ seq: 6, alert: { alertId: 'alert:e6' }, triage: { outcome: 'true-hit' } });
      expect(readTriageOutcomes(file).get('alert:e6')).toBe('true-hit');
    } finally {
      store.close();
    }
    // Reading wrote nothing: the store reopens with its sequence where it was.
    const again = new AlertStore(file);
    expect(again.lastSeq).toBe(6);
    again.close();
  });

  it('tells a missing file from a file that is not an alert database, as configuration errors', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'nope.db');
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database\n');
    const otherDb = path.join(dir, 'other.db');
    const db = new Database(otherDb);
    db.exec('CREATE TABLE things (id INTEGER)');
    db.close();
    for (const read of [readAlerts, readTriageOutcomes]) {
      expect(() => read(missing)).toThrow(ConfigError);
      expect(() => read(missing)).toThrow(`no alert database at ${missing}`);
      expect(() => read(text)).toThrow(ConfigError);
      expect(() => read(text)).toThrow(`cannot read ${text} as an alert database: file is not a database`);
      expect(() => read(otherDb)).toThrow(`cannot read ${otherDb} as an alert database: no such table: alerts`);
    }
    // Per-rule outcomes: no database yet is no outcomes yet; a wrong file is still an error.
    expect(readRuleOutcomes(missing)).toEqual([]);
    expect(() => readRuleOutcomes(otherDb)).toThrow(`cannot read ${otherDb} as an alert database: no such table: alert_rules`);
  });
});

describe('the newest live alerts (what the exchange offers at start)', () => {
  it('leaves out exercise alerts and gives the newest live ones, oldest first', () => {
    const store = new AlertStore(path.join(tempDir(), 'alerts.db'));
    for (let n = 1; n <= 6; n++) store.append(alert(n), n % 2 === 0 ? 'drill-1' : '');
    expect(store.recentLive(2).map((s) => s.seq)).toEqual([3, 5]);
    expect(store.recentLive(10).map((s) => [s.seq, s.scope])).toEqual([[1, undefined], [3, undefined], [5, undefined]]);
    store.close();
  });
});
