import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backtest } from '../../src/backtest/backtest.ts';
import { runRules } from '../../src/backtest/run-rules.ts';
import { exercise } from '../../src/cli/exercise.ts';
import { buildExercise } from '../../src/exercise/build-exercise.ts';
import { exerciseReport } from '../../src/exercise/exercise-report.ts';
import { MANIFEST_FILE, readManifest } from '../../src/exercise/manifest.ts';
import { readSessionAlerts } from '../../src/exercise/session-alerts.ts';
import { produce } from '../../src/generate/producer.ts';
import { startProcessor } from '../../src/processor.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { ROOT, RULES_DIR, STREAMS_DIR, shippedRules, tempDir } from '../helpers.ts';

afterEach(() => vi.restoreAllMocks());

const dir = path.join(tempDir(), 'exercise');
const built = buildExercise({
  out: dir,
  lists: shippedRules().lists,
  title: 'A day on the Afghan border',
  description: 'test',
  seed: 3,
  days: 1,
  posts: ['UZ-AYRITOM', 'TJ-PANJIPOYON', 'TM-IMAMNAZAR'],
  cases: ['expired-document', 'mrz-check-digit', 'unknown-hs-code', 'precursor-to-afghanistan'],
  plantRate: 0.02,
  generatorCases: ['afghan-transit'],
  generatorPlantRate: 0.0001,
});

describe('exercises', () => {
  it('builds a recording with its manifest: time span, posts and planted cases with the alerts they should raise', () => {
    const { manifest, recordingPath } = readManifest(dir);
    expect(manifest).toEqual(built);
    expect(recordingPath).toBe(path.resolve(dir));
    const recorded = [...readRecording(dir)];
    expect(recorded.length).toBe(manifest.events);
    expect(new Set(recorded.map((r) => r.event.post))).toEqual(new Set(manifest.posts));
    const labelled = recorded.filter((r) => r.label);
    expect(manifest.plantedCases.map((c) => c.eventId)).toEqual(labelled.map((r) => r.event.eventId));
    expect(new Set(manifest.plantedCases.map((c) => c.case))).toEqual(new Set(['expired-document', 'mrz-check-digit', 'unknown-hs-code', 'precursor-to-afghanistan', 'afghan-transit']));
    for (const c of manifest.plantedCases) expect(c.expectedAlertId).toBe(`alert:${c.eventId}`);
  });

  it('reports found and missed cases, false alarms and time to triage from a session\'s alert database', () => {
    const { manifest } = readManifest(path.join(dir, MANIFEST_FILE));
    // A case the rules cannot raise, to be reported missed.
    const withMissing = { ...manifest, plantedCases: [...manifest.plantedCases, { ...manifest.plantedCases[0]!, id: 'case-x', eventId: 'no-such-event', expectedAlertId: 'alert:no-such-event' }] };
    const db = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(db);
    const alerts = runRules(shippedRules(), readRecording(dir)).alerts;
    for (const alert of alerts) store.append(alert);
    store.close();
    const stored = readSessionAlerts(db);
    const first = manifest.plantedCases[0]!;
    const firstSeq = stored.find((s) => s.alert.alertId === first.expectedAlertId)!.seq;
    const falseAlarm = stored.find((s) => !manifest.plantedCases.some((c) => c.eventId === s.alert.eventId));
    const again = new AlertStore(db);
    const at = (seq: number, seconds: number): string => new Date(Date.parse(stored.find((s) => s.seq === seq)!.createdAt) + seconds * 1000).toISOString();
    again.triage(firstSeq, { action: 'acknowledge', by: 'trainee', at: at(firstSeq, 90) });
    again.triage(firstSeq, { action: 'dismiss', by: 'trainee', at: at(firstSeq, 200), reason: 'false-positive' });
    if (falseAlarm) again.triage(falseAlarm.seq, { action: 'dismiss', by: 'trainee', at: at(falseAlarm.seq, 30), reason: 'false-positive' });
    again.close();

    const report = exerciseReport(withMissing, readSessionAlerts(db));
    expect(report.found).toBe(manifest.plantedCases.length);
    expect(report.missed).toBe(1);
    expect(report.cases.at(-1)).toMatchObject({ id: 'case-x', found: false });
    expect(report.cases[0]).toMatchObject({ found: true, correct: false, alert: { status: 'dismissed', outcome: 'false-positive', timeToTriageMs: 90_000, by: 'trainee' } });
    expect(report.timeToTriage.casesMedianMs).toBe(90_000);
    expect(report.falseAlarms.count).toBe(alerts.length - report.cases.filter((c) => c.found).length);
    if (falseAlarm) expect(report.falseAlarms.dismissedAsFalsePositive).toBe(1);
  });

  it('scores a session that replayed the exercise into a processor, from the command line', async () => {
    const dataDir = tempDir();
    const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, log: () => {} });
    await produce([...readRecording(dir)].map((r) => r.event)[Symbol.iterator](), { url: `${processor.url}/ingest`, batch: 200 });
    await processor.close();
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    expect(exercise(['report', '--manifest', dir, '--alerts', path.join(dataDir, 'alerts.db'), '--json'])).toBe(0);
    const report = JSON.parse(logs.join('\n')) as { found: number; missed: number; timeToTriage: { untriaged: number } };
    expect(report).toMatchObject({ found: built.plantedCases.length, missed: 0 });
    logs.length = 0;
    expect(exercise(['report', '--manifest', dir, '--alerts', path.join(dataDir, 'alerts.db')])).toBe(0);
    expect(logs.join('\n')).toMatch(new RegExp(`planted cases: ${built.plantedCases.length} found, 0 missed`));
  });

  it('ships an exercise in replay-data whose manifest matches its recording and whose cases the shipped rules raise', () => {
    const shipped = path.join(ROOT, 'replay-data', 'afghan-border-week');
    const { manifest } = readManifest(shipped);
    const bytes = fs.readdirSync(shipped).reduce((sum, f) => sum + fs.statSync(path.join(shipped, f)).size, 0);
    // A week of realistic traffic at three posts: trucks with their declarations, cars, coaches.
    expect(bytes).toBeLessThan(8 * 1024 * 1024);
    expect(Date.parse(manifest.to) - Date.parse(manifest.from)).toBeGreaterThan(6.9 * 86_400_000);
    expect(manifest.posts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(manifest.plantedCases.flatMap((c) => c.indicators)).size).toBeGreaterThanOrEqual(12);
    const report = backtest({ ruleSet: shippedRules(), recordings: [shipped] });
    expect(report.events).toBe(manifest.events);
    expect(report.planted).toMatchObject({ cases: manifest.plantedCases.length, found: manifest.plantedCases.length });
  });
});
