import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../src/auth/audit-log.ts';
import { alertsIn } from '../helpers.ts';
import { AKHMEDOV, api, crossing, health, type LinkedPair, send, startLinkedPair, until } from '../exchange/linked-pair.ts';
import { type ConsolePage, launchBrowser, openConsole } from './browser.ts';

/** The joint centre's page (/joint) on two linked processors, driven in Chromium. */

const TEST_MS = 60_000;

let pair: LinkedPair;
let browser: Browser;
const pages: ConsolePage[] = [];

beforeAll(async () => {
  [pair, browser] = await Promise.all([startLinkedPair(), launchBrowser()]);
  await until(() => health(pair.b), (h) => h.exchange.partners['kz-bs'].tokensHeld > 0, "B to hold A's tokens");
  await send(pair.b, [crossing('KG-AKZHOL', AKHMEDOV)]);
  await pair.b.feed.until((m) => alertsIn(m).some((x) => x.alert.indicators.some((i) => i.id === 'crossing.known-to-partner')));
}, TEST_MS);

afterAll(async () => {
  await Promise.all(pages.map((p) => p.context.close()));
  await browser?.close();
  await pair?.close();
}, TEST_MS);

describe('the joint centre page', () => {
  it('shows the match, asks for details, has them approved on the other side, and reads them', async () => {
    const { a, b } = pair;
    const kg = await openConsole(browser, `${b.http}/joint#token=${b.jointCentre}`, { analyst: null });
    pages.push(kg);
    const ask = kg.page.locator('#matches button.ask').first();
    await ask.waitFor();
    expect(await kg.page.locator('#matches tbody tr').first().textContent()).toContain('name-dob');
    expect(await kg.page.locator('#partners').textContent()).toContain('open');
    await ask.click();
    await kg.page.fill('#ask textarea[name="purpose"]', 'Identity check of a traveller at KG-AKZHOL before onward travel');
    await kg.page.click('#ask button[type="submit"]');
    await kg.page.waitForSelector('#ask-result:has-text("sent")');

    const kz = await openConsole(browser, `${a.http}/joint#token=${a.analyst}`, { analyst: null });
    pages.push(kz);
    const approve = kz.page.locator('#requests button.approve');
    await approve.waitFor();
    expect(await kz.page.locator('#requests tbody tr').first().textContent()).toContain('kz-flagged KZF-1');
    await approve.click();
    await kz.page.waitForSelector('#action:has-text("approved")');

    const read = kg.page.locator('#requests button.read');
    await read.waitFor({ timeout: 15_000 });
    await read.click();
    const details = kg.page.locator('#details .joint-details');
    await details.waitFor();
    expect(await details.textContent()).toContain('Ахмедов');
    expect(kg.errors).toEqual([]);
    expect(kz.errors).toEqual([]);

    const audit = readAuditLog(path.join(b.dataDir, 'audit.ndjson'));
    // The page polls every 2 s; a read is on record when it showed something new (the match, the request, the decision).
    const views = audit.filter((r) => r.endpoint === 'exchange:view');
    expect(views.length).toBeGreaterThanOrEqual(3);
    expect(views.every((r) => r.role === 'joint-centre')).toBe(true);
    expect(views.length).toBeLessThan(audit.length);
    const steps = audit.filter((r) => r.endpoint.startsWith('exchange:') && r.endpoint !== 'exchange:view');
    expect(steps.map((r) => [r.endpoint, r.role])).toEqual([
      ['exchange:request-sent', 'joint-centre'],
      ['exchange:details-received', 'partner'],
      ['exchange:details-read', 'joint-centre'],
    ]);
  }, TEST_MS);

  it('keeps a joint-centre token off the alert feed and API, and asks a page without a token to sign in', async () => {
    const { b } = pair;
    expect((await api(b, 'GET', '/api/alerts/1', undefined, b.jointCentre)).status).toBe(403);
    expect((await api(b, 'GET', '/api/exchange', undefined, b.producer)).status).toBe(403);
    const page = await openConsole(browser, `${b.http}/joint`, { analyst: null });
    pages.push(page);
    await page.page.waitForSelector('#sign-in:not([hidden])');
    await page.page.fill('#token', b.jointCentre);
    await page.page.click('#sign-in button[type="submit"]');
    await page.page.locator('#matches button.ask').first().waitFor();
    // The 401 of the first, token-less fetch is the only failed request.
    expect(page.errors.filter((e) => !/401/.test(e))).toEqual([]);
  }, TEST_MS);
});
