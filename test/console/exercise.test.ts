import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExerciseReport } from '../../src/exercise/exercise-report.ts';
import { type Manifest, writeManifest } from '../../src/exercise/manifest.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { InProcessSink } from '../../src/replay/in-process-sink.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { addTokens, generated, ROOT, TestClient, tempDir } from '../helpers.ts';
import { type ConsolePage, launchBrowser, live, openConsole, Producer, rowOf } from './browser.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

/**
 * A trainee in an exercise run beside live traffic (`replay --serve --exercise`): the
 * console shows the exercise's alerts only, the trainee's triage is scored by
 * `exercise report`, and the live alert is out of the trainee's reach, over the protocol too.
 */

const TEST_MS = 90_000;
const EXERCISE = 'drill-1';

let server: ConsoleServer;
let dataDir: string;
let browser: Browser;
let producer: Producer;
let trainee: string;
let analyst: string;
let page: ConsolePage;
const manifestDir = tempDir('border-risk-exercise-');
// Each raises an alert on its own (a wrong MRZ check digit). The first exercise event is
// the manifest's planted case; the second is about no planted case (a false alarm).
const liveEvent = generated(1, { seed: 77, plantRate: 1, cases: ['mrz-check-digit'], idPrefix: 'live' })[0]!.event as Crossing;
const drill = generated(2, { seed: 78, plantRate: 1, cases: ['mrz-check-digit'], idPrefix: 'drill' });
const [planted, falseAlarm] = drill.map((g) => g.event as Crossing) as [Crossing, Crossing];

beforeAll(async () => {
  dataDir = tempDir('border-risk-console-');
  const tokensFile = path.join(dataDir, 'tokens.json');
  const tokens = addTokens(tokensFile, [
    { role: 'producer', name: 'post gateway', posts: [liveEvent.post] },
    { role: 'trainee', name: 'Timur' },
    { role: 'analyst', name: 'Aigerim' },
  ]);
  trainee = tokens[1]!.secret;
  analyst = tokens[2]!.secret;
  const replay = new InProcessSink([planted.post, falseAlarm.post]);
  [server, browser] = await Promise.all([startConsoleServer({ dataDir, tokensFile, fsync: false, exercise: { id: EXERCISE, source: replay } }), launchBrowser()]);
  producer = new Producer(server.processor.url, tokens[0]!.secret);
  await producer.send([liveEvent]);
  const reply = await replay.send([planted, falseAlarm]);
  expect(reply.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  const label = drill[0]!.label!;
  const manifest: Manifest = {
    manifestVersion: 1,
    title: 'Drill',
    description: 'two crossings, one planted case',
    recording: '.',
    from: [planted.eventTime, falseAlarm.eventTime].sort()[0]!,
    to: [planted.eventTime, falseAlarm.eventTime].sort()[1]!,
    events: 2,
    posts: [...new Set([planted.post, falseAlarm.post])],
    plantedCases: [{ id: 'case-001', case: label.case, eventId: planted.eventId, eventTime: planted.eventTime, post: planted.post, indicators: [...label.indicators], expectedAlertId: `alert:${planted.eventId}` }],
  };
  writeManifest(path.join(manifestDir, 'manifest.json'), manifest);
  page = await openConsole(browser, `${server.pageUrl}/#token=${trainee}`);
  await live(page.page);
}, TEST_MS);

afterAll(async () => {
  producer?.close();
  await page?.context.close();
  await browser?.close();
  await server?.close();
}, TEST_MS);

const liveAlertOf = () => readAlerts(path.join(dataDir, 'alerts.db')).find((a) => a.alert.eventId === liveEvent.eventId)!;

describe('a trainee in an exercise', () => {
  it('sees the exercise feed only, triages it in the console, is scored by exercise report, and leaves the live alert untouched', async () => {
    const p = page.page;
    await expect.poll(() => p.locator('#analyst').textContent(), { timeout: 20_000 }).toBe(`Timur · trainee · exercise ${EXERCISE}`);
    await p.locator(rowOf(`alert:${planted.eventId}`)).waitFor({ timeout: 20_000 });
    await p.locator(rowOf(`alert:${falseAlarm.eventId}`)).waitFor({ timeout: 20_000 });
    // Stored before the exercise's alerts, yet never sent to the trainee.
    expect(liveAlertOf().seq).toBeLessThan(readAlerts(path.join(dataDir, 'alerts.db'), EXERCISE)[0]!.seq);
    expect(await p.locator(rowOf(`alert:${liveEvent.eventId}`)).count()).toBe(0);

    await p.locator(rowOf(`alert:${planted.eventId}`)).click();
    // Live casework (silences, cases, subject history) is not offered in an exercise.
    expect(await p.locator('#detail .cases-panel').isVisible()).toBe(false);
    expect(await p.locator('#cases').isVisible()).toBe(false);
    await p.locator('#detail button.act-escalate').click();
    await p.locator('.form-escalate button[type="submit"]').click();
    await expect.poll(() => p.locator('.triage-result').textContent(), { timeout: 20_000 }).toBe('Escalated by Timur.');
    await p.locator(rowOf(`alert:${falseAlarm.eventId}`)).click();
    await p.locator('#detail button.act-dismiss').click();
    await p.locator('.form-dismiss input[value="false-positive"]').check();
    await p.locator('.form-dismiss button[type="submit"]').click();
    await expect.poll(() => p.locator(`${rowOf(`alert:${falseAlarm.eventId}`)}.status-dismissed`).count(), { timeout: 20_000 }).toBe(1);

    const scored = spawnSync(process.execPath, ['bin/border-risk.js', 'exercise', 'report', '--manifest', manifestDir, '--alerts', path.join(dataDir, 'alerts.db'), '--exercise', EXERCISE, '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(scored.status, scored.stderr).toBe(0);
    const report = JSON.parse(scored.stdout) as ExerciseReport;
    expect(report).toMatchObject({ alerts: 2, found: 1, missed: 0, cases: [{ id: 'case-001', found: true, correct: true, alert: { status: 'escalated', by: 'Timur' } }] });
    expect(report.trainees).toEqual([
      { by: 'Timur', triaged: 2, correctEscalations: 1, wrongEscalations: 0, correctDismissals: 1, wrongDismissals: 0, missed: 0, missedCases: [], timeToTriage: { medianMs: expect.any(Number), p90Ms: expect.any(Number), maxMs: expect.any(Number) } },
    ]);
    // The live alert: never triaged, and not in the exercise's report.
    expect(liveAlertOf().triage).toBeNull();
    expect(report.falseAlarms.examples.map((e) => e.alertId)).not.toContain(`alert:${liveEvent.eventId}`);
    expect(page.errors).toEqual([]);
  }, TEST_MS);

  it('is refused, with the reason, when it triages a live alert over the protocol, and nothing changes', async () => {
    const liveSeq = liveAlertOf().seq;
    const client = new TestClient(`${server.processor.url}/alerts`, trainee);
    try {
      await client.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
      client.send(JSON.stringify({ type: 'triage', requestId: 'r1', seq: liveSeq, action: 'dismiss', reason: 'false-positive' }));
      client.send(JSON.stringify({ type: 'triage-bulk', requestId: 'r2', seqs: [liveSeq], action: 'acknowledge' }));
      client.send(JSON.stringify({ type: 'silences', requestId: 'r3' }));
      await client.until((m) => m.filter((x) => typeof (x as { requestId?: string }).requestId === 'string').length >= 3);
      const replies = client.messages.filter((x) => typeof (x as { requestId?: string }).requestId === 'string');
      expect(replies).toEqual([
        { type: 'error', requestId: 'r1', message: `alert ${liveSeq} is a live alert: a trainee may triage only the alerts of exercise ${EXERCISE}; nothing was changed` },
        { type: 'triage-bulk-result', requestId: 'r2', results: [{ seq: liveSeq, ok: false, message: `alert ${liveSeq} is a live alert: a trainee may triage only the alerts of exercise ${EXERCISE}; nothing was changed` }] },
        { type: 'error', requestId: 'r3', message: expect.stringContaining('a trainee works only on the exercise') },
      ]);
      const welcome = client.messages.find((x) => (x as { type: string }).type === 'welcome');
      expect(welcome).toMatchObject({ you: { name: 'Timur', role: 'trainee', triage: true, exercise: EXERCISE } });
      expect(liveAlertOf().triage).toBeNull();
      // An analyst's live casework is not news to a trainee: the silence's notice does not reach it
      // (the trainee's next answer comes after anything the server sent it before).
      const analystClient = new TestClient(`${server.processor.url}/alerts`, analyst);
      try {
        await analystClient.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
        analystClient.send(JSON.stringify({ type: 'silence', requestId: 's1', matchers: { post: 'KG-DOSTUK' }, reason: 'road works', duration: '1h' }));
        await analystClient.until((m) => m.some((x) => (x as { requestId?: string }).requestId === 's1'));
        expect(analystClient.messages.find((x) => (x as { requestId?: string }).requestId === 's1')).toMatchObject({ type: 'silence-result', ok: true });
      } finally {
        analystClient.close();
      }
      client.send(JSON.stringify({ type: 'queue', requestId: 'r4', queue: 'open' }));
      await client.until((m) => m.some((x) => (x as { requestId?: string }).requestId === 'r4'));
      // Its open queue is the exercise's: the escalated case, not the dismissed false alarm, never the live alert.
      const queue = client.messages.find((x) => (x as { requestId?: string }).requestId === 'r4') as { type: string; items: { alertId: string; status: string }[] };
      expect(queue.items.map((i) => [i.alertId, i.status])).toEqual([[`alert:${planted.eventId}`, 'escalated']]);
      expect(client.messages.filter((x) => (x as { type: string }).type === 'silence')).toEqual([]);
      const http = await fetch(`${server.pageUrl}/api/alerts/${liveSeq}`, { headers: { authorization: `Bearer ${trainee}` } });
      expect(http.status).toBe(403);
      expect(await http.json()).toEqual({ error: `alert ${liveSeq} is a live alert: a trainee may read only the alerts of exercise ${EXERCISE}` });
      // Live casework over HTTP is refused to a trainee as over the WebSocket.
      for (const route of ['/api/silences', '/api/non-matches', '/api/rules/outcomes']) {
        const refused = await fetch(`${server.pageUrl}${route}`, { headers: { authorization: `Bearer ${trainee}` } });
        expect(refused.status, route).toBe(403);
        expect(await refused.json()).toEqual({ error: `${route} is live casework: a trainee works only in an exercise's alerts` });
      }
      const allowed = await fetch(`${server.pageUrl}/api/silences`, { headers: { authorization: `Bearer ${analyst}` } });
      expect(allowed.status).toBe(200);
    } finally {
      client.close();
    }
  }, TEST_MS);

  it('keeps live casework off the exercise alerts: an analyst can neither record a non-match on one nor read a subject history from it', async () => {
    const drillSeq = readAlerts(path.join(dataDir, 'alerts.db'), EXERCISE).find((a) => a.alert.eventId === planted.eventId)!.seq;
    const client = new TestClient(`${server.processor.url}/alerts`, analyst);
    try {
      await client.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
      client.send(JSON.stringify({ type: 'non-match', requestId: 'n1', seq: drillSeq, entry: 'un:QDi.290', scope: 'document', reason: 'different date of birth' }));
      client.send(JSON.stringify({ type: 'subject', requestId: 'n2', seq: drillSeq }));
      await client.until((m) => m.filter((x) => typeof (x as { requestId?: string }).requestId === 'string').length >= 2);
      const refusal = `alert ${drillSeq} belongs to exercise ${EXERCISE}: non-matches and subject history are live casework; nothing was changed`;
      expect(client.messages.filter((x) => typeof (x as { requestId?: string }).requestId === 'string')).toEqual([
        { type: 'error', requestId: 'n1', message: refusal },
        { type: 'error', requestId: 'n2', message: refusal },
      ]);
    } finally {
      client.close();
    }
  }, TEST_MS);
});
