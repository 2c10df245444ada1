import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crossing } from '../../src/model/crossing.ts';
import { type AlertRecord, readAlerts } from '../../src/store/read-alert-database.ts';
import { LISTED } from '../casework/casework-events.ts';
import { addTokens, crossingAt, TestClient, tempDir } from '../helpers.ts';
import { type ConsolePage, launchBrowser, openConsole, Producer } from './browser.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

/** The supervisors' dashboard against a real processor: backlog and time to acknowledge per post and severity. */

const TEST_MS = 90_000;
const KHORGOS = 'KZ-KHORGOS';
const AYRITOM = 'UZ-AYRITOM';

let server: ConsoleServer;
let dataDir: string;
let browser: Browser;
let producer: Producer;
let analystClient: TestClient;
let secrets: Record<'analyst' | 'supervisor' | 'trainer', string>;
let page: ConsolePage;
let serial = 0;

/** A crossing that alerts on its own: an expired passport (its own number, so that no two group or inhibit), or a listed traveller. */
function alerting(post: string, listed = false): Crossing {
  serial += 1;
  const event = crossingAt(post, 'entry', serial, `D${String(700000 + serial)}`);
  event.eventId = `dashboard-${process.pid}-${serial}`;
  if (listed) event.traveller = { ...event.traveller, ...LISTED };
  else event.document.expiry = '2020-01-01';
  return event;
}

const first = [alerting(KHORGOS), alerting(KHORGOS), alerting(KHORGOS), alerting(KHORGOS, true), alerting(AYRITOM), alerting(AYRITOM)];

beforeAll(async () => {
  dataDir = tempDir('border-risk-console-');
  const tokensFile = path.join(dataDir, 'tokens.json');
  const tokens = addTokens(tokensFile, [
    { role: 'producer', name: 'gateway', posts: [KHORGOS, AYRITOM] },
    { role: 'analyst', name: 'Aigerim' },
    { role: 'supervisor', name: 'Saule' },
    { role: 'trainer', name: 'Timur' },
  ]);
  secrets = { analyst: tokens[1]!.secret, supervisor: tokens[2]!.secret, trainer: tokens[3]!.secret };
  [server, browser] = await Promise.all([startConsoleServer({ dataDir, tokensFile, fsync: false }), launchBrowser()]);
  producer = new Producer(server.processor.url, tokens[0]!.secret);
  await producer.send(first);
  analystClient = new TestClient(`${server.processor.url}/alerts`, secrets.analyst);
  await analystClient.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
}, TEST_MS);

afterAll(async () => {
  producer?.close();
  analystClient?.close();
  await page?.context.close();
  await browser?.close();
  await server?.close();
}, TEST_MS);

const stored = (): AlertRecord[] => readAlerts(path.join(dataDir, 'alerts.db'));
const seqOf = (event: Crossing): number => stored().find((a) => a.alert.eventId === event.eventId)!.seq;

let requests = 0;
/** Triage by the analyst over the protocol, waiting for the server's answer. */
async function triage(event: Crossing, action: 'acknowledge' | 'escalate' | 'note'): Promise<void> {
  const requestId = `d${++requests}`;
  analystClient.send(JSON.stringify({ type: 'triage', requestId, seq: seqOf(event), action, ...(action === 'note' && { note: 'looking' }) }));
  await analystClient.until((m) => m.some((x) => (x as { requestId?: string }).requestId === requestId));
  expect(analystClient.messages.find((x) => (x as { requestId?: string }).requestId === requestId)).toMatchObject({ type: 'triage-result', ok: true });
}

/** What the page should show, worked out from the alerts as the database holds them. */
function expected(by: (a: AlertRecord) => string): Map<string, { open: number; raised: number; acknowledged: number; median: number | null; p90: number | null }> {
  const groups = new Map<string, AlertRecord[]>();
  for (const a of stored()) groups.set(by(a), [...(groups.get(by(a)) ?? []), a]);
  const rank = (xs: number[], q: number): number | null => (xs.length === 0 ? null : xs[Math.ceil(q * xs.length) - 1]!);
  return new Map(
    [...groups].map(([key, alerts]) => {
      const times = alerts
        .flatMap((a) => {
          const firstAction = a.triage?.history.find((e) => e.action !== 'note');
          return firstAction ? [Date.parse(firstAction.at) - Date.parse(a.createdAt)] : [];
        })
        .sort((x, y) => x - y);
      return [key, { open: alerts.length - times.length, raised: alerts.length, acknowledged: times.length, median: rank(times, 0.5), p90: rank(times, 0.9) }];
    }),
  );
}

/** The numbers of one row of the page, once they equal what the database says. */
async function expectRow(section: 'posts' | 'severities' | 'all', key: string, want: { open: number; raised: number; acknowledged: number; median: number | null; p90: number | null }): Promise<void> {
  const row = page.page.locator(`#${section} tr[data-key="${key}"]`);
  const read = async () => ({
    open: Number(await row.locator('[data-field="open"]').textContent()),
    raised: Number(await row.locator('[data-field="raised"]').textContent()),
    acknowledged: Number(await row.locator('[data-field="acknowledged"]').textContent()),
    median: await row.locator('[data-field="median"]').getAttribute('data-ms').then((v) => (v ? Number(v) : null)),
    p90: await row.locator('[data-field="p90"]').getAttribute('data-ms').then((v) => (v ? Number(v) : null)),
  });
  await expect.poll(read, { timeout: 20_000 }).toEqual(want);
}

async function expectPage(): Promise<void> {
  for (const [post, want] of expected((a) => a.alert.post)) await expectRow('posts', post, want);
  const severities = expected((a) => a.alert.severity);
  expect(severities.size).toBeGreaterThan(1);
  for (const [severity, want] of severities) await expectRow('severities', severity, want);
  expect(await page.page.locator('#severities tbody tr').count()).toBe(severities.size);
  await expectRow('all', 'all', expected(() => 'all').get('all')!);
}

describe('the dashboard', () => {
  it('shows backlog and time to acknowledge per post and severity as the database holds them, and follows new alerts and triage', async () => {
    // Two acknowledged at Khorgos, one escalated at Ayritom; a note alone leaves an alert open.
    await triage(first[0]!, 'acknowledge');
    await triage(first[3]!, 'acknowledge');
    await triage(first[1]!, 'note');
    await triage(first[4]!, 'escalate');
    // From the console, where the supervisor signed in: the link takes the tab's token along.
    page = await openConsole(browser, `${server.pageUrl}/#token=${secrets.supervisor}`);
    await page.page.locator('#dashboard-link').click({ timeout: 20_000 });
    await page.page.waitForURL(`${server.pageUrl}/dashboard`);
    await expectPage();
    const khorgos = expected((a) => a.alert.post).get(KHORGOS)!;
    expect(khorgos).toMatchObject({ open: 2, raised: 4, acknowledged: 2 });
    expect(await page.page.locator(`#posts tr[data-key="${AYRITOM}"] [data-field="oldest"]`).textContent()).toMatch(/^\d+ s$/);

    // A new alert joins the backlog, and its acknowledgement the times, without reloading the page.
    const later = alerting(AYRITOM);
    await producer.send([later]);
    await expectPage();
    expect(expected((a) => a.alert.post).get(AYRITOM)).toMatchObject({ open: 2, raised: 3 });
    await triage(later, 'acknowledge');
    await expectPage();
    expect(expected((a) => a.alert.post).get(AYRITOM)).toMatchObject({ open: 1, acknowledged: 2 });
    expect(page.errors).toEqual([]);
  }, TEST_MS);

  it('is for supervisors and administrators, holds nothing personal, and refuses a bad window with the reason', async () => {
    const get = (token: string, query = '') => fetch(`${server.pageUrl}/api/dashboard${query}`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get(secrets.supervisor);
    expect(ok.status).toBe(200);
    const text = await ok.text();
    for (const event of first) {
      expect(text).not.toContain(event.document.number);
      expect(text.toUpperCase()).not.toContain(event.traveller.familyName.toUpperCase());
    }
    expect(await get(secrets.analyst).then(async (r) => [r.status, await r.json()])).toEqual([403, { error: 'role analyst may not read the dashboard; supervisor and admin tokens may' }]);
    expect((await get(secrets.trainer)).status).toBe(403);
    expect((await fetch(`${server.pageUrl}/api/dashboard`)).status).toBe(401);
    expect(await get(secrets.supervisor, '?hours=0').then(async (r) => [r.status, await r.json()])).toEqual([400, { error: 'hours must be a whole number of hours from 1 to 720, got "0"' }]);

    // In the page: an analyst's token is refused with the reason, and a supervisor's typed in shows the figures.
    const signIn = await openConsole(browser, `${server.pageUrl}/dashboard#token=${secrets.analyst}`);
    try {
      await expect.poll(() => signIn.page.locator('#sign-in-error').textContent(), { timeout: 20_000 }).toContain('may not read the dashboard');
      expect(await signIn.page.locator('#status').textContent()).toBe('signed out');
      await signIn.page.fill('#token', secrets.supervisor);
      await signIn.page.click('#sign-in button[type="submit"]');
      await expect.poll(() => signIn.page.locator('#sign-in').isHidden(), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => signIn.page.locator(`#posts tr[data-key="${KHORGOS}"]`).count(), { timeout: 20_000 }).toBe(1);
      expect(signIn.errors.filter((e) => !/403/.test(e))).toEqual([]);
    } finally {
      await signIn.context.close();
    }
  }, TEST_MS);
});
