import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alertStreamHash, canonicalJson } from '../../src/backtest/alert-hash.ts';
import { backtest } from '../../src/backtest/backtest.ts';
import { runRules } from '../../src/backtest/run-rules.ts';
import { readTriageOutcomes } from '../../src/backtest/triage-outcomes.ts';
import { Casework } from '../../src/casework/casework.ts';
import { readReferralOutcomes } from '../../src/casework/referrals.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { backtestCommand } from '../../src/cli/backtest.ts';
import { Recorder } from '../../src/record/recorder.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { loadRuleSet } from '../../src/rules/rule-set.ts';
import { RULES_DIR, STREAMS_DIR, shippedRules, tempDir } from '../helpers.ts';
import { recordedTraffic } from '../record/helpers.ts';

afterEach(() => vi.restoreAllMocks());

const recording = path.join(tempDir(), 'rec');
const traffic = recordedTraffic(4000, 21, 0.05);
{
  const recorder = Recorder.open(recording, { flushMs: 0, segmentEvents: 1500 });
  for (const e of traffic) recorder.append(e);
  recorder.close();
}

/** A copy of the shipped rules with one-way tickets weighing enough to alert alone, and expired documents in shadow. */
function changedRules(): string {
  const dir = path.join(tempDir(), 'rules');
  fs.cpSync(RULES_DIR, dir, { recursive: true });
  const edit = (file: string, id: string, from: RegExp, to: string): void => {
    const text = fs.readFileSync(path.join(dir, 'indicators', file), 'utf8');
    const at = text.indexOf(`id: ${id}\n`);
    expect(at).toBeGreaterThan(-1);
    fs.writeFileSync(path.join(dir, 'indicators', file), text.slice(0, at) + text.slice(at).replace(from, to));
  };
  edit('crossing-itinerary.yaml', 'crossing.one-way-ticket', /weight: 10\n/, 'weight: 50\n');
  edit('crossing-document.yaml', 'crossing.document-expired', /weight: 60\n/, 'weight: 60\n    shadow: true\n');
  return dir;
}

describe('backtest', () => {
  it('is deterministic: the same recording and rules give the same alert stream and hash, run after run', () => {
    const first = backtest({ ruleSet: shippedRules(), recordings: [recording] });
    const second = backtest({ ruleSet: loadRuleSet({ rulesDir: RULES_DIR, streamsDir: STREAMS_DIR }), recordings: [recording] });
    expect(first.alerts).toBeGreaterThan(50);
    expect(second.hash).toBe(first.hash);
    expect(second).toEqual(first);
    // The hash is of the alerts as assessEvents raises them, in order.
    const direct = runRules(shippedRules(), traffic.map(({ n, event }) => ({ n, event })));
    expect(alertStreamHash(direct.alerts)).toBe(first.hash);
  });

  it('counts alerts per rule and per day and severity, and scores the planted cases', () => {
    const report = backtest({ ruleSet: shippedRules(), recordings: [recording] });
    const direct = runRules(shippedRules(), readRecording(recording)).alerts;
    expect(report.days.reduce((s, d) => s + d.total, 0)).toBe(direct.length);
    const expired = direct.filter((a) => a.indicators.some((i) => i.id === 'crossing.document-expired')).length;
    expect(report.rules.find((r) => r.ruleId === 'crossing.document-expired')?.alerts).toBe(expired);
    const labels = traffic.filter((r) => r.label).length;
    expect(report.planted?.cases).toBe(labels);
    expect(report.planted!.recall).toBeGreaterThan(0.9);
    expect(report.planted!.byCase.reduce((s, c) => s + c.planted, 0)).toBe(labels);
    // Hits count every firing, an alert or not: a light rule fires far more often than it alerts.
    for (const rule of report.rules) expect(rule.hits).toBeGreaterThanOrEqual(rule.alerts);
    const oneWay = report.rules.find((r) => r.ruleId === 'crossing.one-way-ticket')!;
    const oneWayEvents = traffic.filter((r) => r.event.kind === 'crossing' && r.event.itinerary?.oneWay === true).length;
    expect(oneWay.hits).toBe(oneWayEvents);
    expect(oneWay.alerts).toBeLessThan(oneWay.hits);
  });

  it('shows the alerts a changed rule adds and removes against the baseline, with examples', () => {
    const rulesDir = changedRules();
    const report = backtest({ ruleSet: loadRuleSet({ rulesDir, streamsDir: STREAMS_DIR }), baseline: shippedRules(), recordings: [recording], examples: 3 });
    const base = report.baseline!;
    expect(base.added).toBeGreaterThan(0);
    expect(base.removed).toBeGreaterThan(0);
    expect(base.examples.added).toHaveLength(3);
    for (const a of base.examples.added) expect(a.indicators).toContain('crossing.one-way-ticket');
    // Removed: alerts the expired-document rule raised alone in the baseline.
    const baseAlerts = new Map(runRules(shippedRules(), readRecording(recording)).alerts.map((a) => [a.alertId, a]));
    for (const r of base.examples.removed) expect(baseAlerts.get(r.alertId)?.indicators.map((i) => i.id)).toContain('crossing.document-expired');
    expect(report.hash).not.toBe(base.hash);
    expect(report.rules.find((r) => r.ruleId === 'crossing.document-expired')).toMatchObject({ alerts: 0, baselineAlerts: expect.any(Number) });
    // The one-way rule fires on the same events; with its new weight each hit is an alert.
    const oneWay = report.rules.find((r) => r.ruleId === 'crossing.one-way-ticket')!;
    expect(oneWay.hits).toBe(oneWay.baselineHits);
    expect(oneWay.alerts).toBe(oneWay.hits);
    expect(oneWay.baselineAlerts!).toBeLessThan(oneWay.alerts);
  });

  it('prints a table or JSON, the hash in both', () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    const rulesDir = changedRules();
    expect(backtestCommand(['--rules', rulesDir, '--baseline', RULES_DIR, '--streams', STREAMS_DIR, recording])).toBe(0);
    const table = logs.join('\n');
    expect(table).toMatch(/hits and alerts per rule \(baseline → now\)/);
    expect(table).toMatch(/against the baseline .*: \d+ added, \d+ removed, \d+ changed/);
    expect(table).toMatch(/planted cases: \d+ of \d+ found/);
    expect(table).toMatch(/alert stream hash \(SHA-256\): [0-9a-f]{64}/);
    logs.length = 0;
    expect(backtestCommand(['--rules', rulesDir, '--baseline', RULES_DIR, '--streams', STREAMS_DIR, '--json', recording])).toBe(0);
    const json = JSON.parse(logs.join('\n')) as { hash: string; baseline: { added: number } };
    expect(table).toContain(json.hash);
    expect(json.baseline.added).toBeGreaterThan(0);
  });

  it('scores the rule set against analysts\' triage outcomes from an alert database', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file);
    const alerts = runRules(shippedRules(), readRecording(recording)).alerts;
    for (const alert of alerts) store.append(alert);
    // Analysts confirmed the alerts with an expired document and dismissed the one-way-ticket ones.
    let confirmed = 0;
    let dismissed = 0;
    alerts.forEach((alert, i) => {
      const ids = alert.indicators.map((x) => x.id);
      if (ids.includes('crossing.document-expired')) {
        confirmed += 1;
        store.triage(i + 1, { action: 'dismiss', by: 'test', at: '2026-11-03T00:00:00Z', reason: 'true-hit' });
      } else if (ids.includes('crossing.one-way-ticket')) {
        dismissed += 1;
        store.triage(i + 1, { action: 'dismiss', by: 'test', at: '2026-11-03T00:00:00Z', reason: 'false-positive' });
      }
    });
    store.close();
    expect(confirmed).toBeGreaterThan(0);
    expect(dismissed).toBeGreaterThan(0);
    const same = backtest({ ruleSet: shippedRules(), recordings: [recording], outcomes: readTriageOutcomes(file) });
    expect(same.triage).toMatchObject({ concluded: confirmed + dismissed, trueHits: confirmed, trueHitsRaised: confirmed, falsePositivesRaised: dismissed, recall: 1 });
    const changed = backtest({ ruleSet: loadRuleSet({ rulesDir: changedRules(), streamsDir: STREAMS_DIR }), recordings: [recording], outcomes: readTriageOutcomes(file) });
    // Expired documents in shadow: the confirmed alerts they raised alone are no longer raised.
    expect(changed.triage!.recall!).toBeLessThan(1);
  });

  it('scores the rule set against referral outcomes recorded in cases', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file);
    const casework = new Casework(store);
    const alerts = runRules(shippedRules(), readRecording(recording)).alerts;
    for (const alert of alerts) store.append(alert);
    // Referrals of expired documents ended in refused entry; one-way tickets were released.
    const positive = alerts.flatMap((a, i) => (a.indicators.some((x) => x.id === 'crossing.document-expired') ? [i + 1] : []));
    const negative = alerts.flatMap((a, i) => (a.indicators.some((x) => x.id === 'crossing.document-expired') || !a.indicators.some((x) => x.id === 'crossing.one-way-ticket') ? [] : [i + 1]));
    expect(positive.length).toBeGreaterThan(0);
    expect(negative.length).toBeGreaterThan(0);
    casework.cases.update(casework.cases.create({ title: 'expired', seqs: positive, by: 't' }).id, { outcome: 'refused-entry' }, 't');
    casework.cases.update(casework.cases.create({ title: 'one-way', seqs: negative, by: 't' }).id, { outcome: 'released' }, 't');
    store.close();
    const referrals = readReferralOutcomes(file);
    expect(referrals.size).toBe(positive.length + negative.length);
    const same = backtest({ ruleSet: shippedRules(), recordings: [recording], referrals });
    expect(same.referrals).toEqual({ referred: referrals.size, positives: positive.length, positivesRaised: positive.length, negatives: negative.length, negativesRaised: negative.length, recall: 1, precision: positive.length / (positive.length + negative.length) });
    const changed = backtest({ ruleSet: loadRuleSet({ rulesDir: changedRules(), streamsDir: STREAMS_DIR }), recordings: [recording], referrals });
    expect(changed.referrals!.recall!).toBeLessThan(1);
  });

  it('hashes alerts by content, whatever order their keys were built in', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }], e: undefined })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });
});
