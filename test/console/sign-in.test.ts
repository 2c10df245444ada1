import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crossing } from '../../src/model/crossing.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { addTokens, generated, tempDir } from '../helpers.ts';
import { type ConsolePage, launchBrowser, live, openConsole, Producer, rowOf } from './browser.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

/** The console against a processor that authenticates: the token from the URL's fragment or the sign-in dialog. */

const TEST_MS = 60_000;

let server: ConsoleServer;
let dataDir: string;
let browser: Browser;
let producer: Producer;
let analyst: string;
let trainer: string;
let producerSecret: string;
const pages: ConsolePage[] = [];
const event = generated(1, { seed: 77, plantRate: 1, cases: ['mrz-check-digit'], idPrefix: 'sign-in' })[0]!.event as Crossing;

beforeAll(async () => {
  dataDir = tempDir('border-risk-console-');
  const tokensFile = path.join(dataDir, 'tokens.json');
  const tokens = addTokens(tokensFile, [
    { role: 'producer', name: 'post gateway', posts: [event.post] },
    { role: 'analyst', name: 'Aigerim' },
    { role: 'trainer', name: 'Timur' },
  ]);
  [producerSecret, analyst, trainer] = [tokens[0]!.secret, tokens[1]!.secret, tokens[2]!.secret];
  [server, browser] = await Promise.all([startConsoleServer({ dataDir, tokensFile, fsync: false }), launchBrowser()]);
  producer = new Producer(server.processor.url, tokens[0]!.secret);
  await producer.send([event]);
}, TEST_MS);

afterAll(async () => {
  producer?.close();
  await Promise.all(pages.map((p) => p.context.close()));
  await browser?.close();
  await server?.close();
}, TEST_MS);

describe('signing in to the console', () => {
  it('takes the token from the URL fragment, keeps it in the tab, removes it from the address bar and shows the alert unmasked to an analyst', async () => {
    const page = await openConsole(browser, `${server.pageUrl}/#token=${analyst}`);
    pages.push(page);
    await live(page.page);
    expect(page.page.url()).not.toContain(analyst);
    expect(await page.page.evaluate("sessionStorage.getItem('border-risk.console.token')")).toBe(analyst);
    await page.page.waitForSelector(rowOf(`alert:${event.eventId}`));
    const text = (await page.page.locator(rowOf(`alert:${event.eventId}`)).textContent()) ?? '';
    expect(text.toUpperCase()).toContain(event.traveller.familyName.toUpperCase());
    expect(page.errors).toEqual([]);
  }, TEST_MS);

  it('asks for a token when it has none, and shows a trainer the alert with the names masked', async () => {
    const page = await openConsole(browser, `${server.pageUrl}/`);
    pages.push(page);
    const dialog = page.page.locator('#token-dialog');
    await expect.poll(() => dialog.getAttribute('open')).toBe('');
    // In plain words, with nothing of the protocol, and the page says it waits for a token rather than retrying.
    expect(await dialog.locator('.reason').textContent()).toBe('Sign in to see the alerts.');
    expect(await dialog.textContent()).not.toMatch(/4401|Bearer|subprotocol|Authorization|border-risk tokens/);
    await expect.poll(() => page.page.locator('#connection .label').textContent()).toBe('signed out · waiting for a token');
    expect(await page.page.locator('#connection .retry').isHidden()).toBe(true);
    await page.page.locator('#token-input').fill(trainer);
    await page.page.locator('#token-dialog button[type="submit"]').click();
    await live(page.page);
    const row = page.page.locator(rowOf(`alert:${event.eventId}`));
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/name#[0-9a-f]{8}/);
    expect(text.toUpperCase()).not.toContain(event.traveller.familyName.toUpperCase());
    expect(text).not.toContain(event.document.number);
  }, TEST_MS);

  it('shows who is signed in, asks no name, and records the token’s name in the history and the database alike', async () => {
    // A name typed into an older console is in this browser's storage: it must not be used.
    const page = await openConsole(browser, `${server.pageUrl}/#token=${analyst}`, { analyst: 'Somebody Typed' });
    pages.push(page);
    await live(page.page);
    await expect.poll(() => page.page.locator('#analyst').textContent()).toBe('Aigerim · analyst');
    expect(await page.page.locator('.who-label').textContent()).toBe('Signed in as');
    await page.page.locator('#analyst').click();
    expect(await page.page.locator('#analyst-dialog').getAttribute('open')).toBeNull();

    await page.page.locator(rowOf(`alert:${event.eventId}`)).click();
    await page.page.locator('#detail button.act-escalate').click();
    await page.page.locator('.form-escalate textarea').fill('passport seen twice today');
    await page.page.locator('.form-escalate button[type="submit"]').click();
    await expect.poll(() => page.page.locator('.triage-result').textContent()).toBe('Escalated by Aigerim.');
    expect(await page.page.locator('#analyst-dialog').getAttribute('open')).toBeNull();
    await expect.poll(() => page.page.locator('#detail .history').textContent()).toContain('Aigerim escalated');
    expect(await page.page.locator('#detail .history').textContent()).not.toContain('Somebody Typed');
    // The page sends no name: the server records the token's holder.
    expect(page.sent.filter((s) => s.message.type === 'triage').map((s) => s.message)).toEqual([
      { type: 'triage', requestId: expect.stringMatching(/^t\d+$/), seq: expect.any(Number), action: 'escalate', note: 'passport seen twice today' },
    ]);
    const stored = readAlerts(path.join(dataDir, 'alerts.db')).find((a) => a.alert.eventId === event.eventId)!;
    expect(stored.triage?.history.map((h) => [h.action, h.by])).toEqual([['escalate', 'Aigerim']]);
    expect(page.errors).toEqual([]);
  }, TEST_MS);

  it('tells a trainer, whose role may not triage, who they are signed in as', async () => {
    const page = await openConsole(browser, `${server.pageUrl}/#token=${trainer}`, { analyst: null });
    pages.push(page);
    await live(page.page);
    await expect.poll(() => page.page.locator('#analyst').textContent()).toBe('Timur · trainer');
    expect(await page.page.locator('#analyst').getAttribute('title')).toContain('may not triage');
    expect(await page.page.locator('#analyst-dialog').getAttribute('open')).toBeNull();
  }, TEST_MS);

  it('says in plain words when a token is unknown, or may not read alerts', async () => {
    for (const [token, expected] of [['brk_not-a-real-token', /^This server does not know that token\./], [producerSecret, /^Your token may not read alerts/]] as const) {
      const page = await openConsole(browser, `${server.pageUrl}/#token=${token}`);
      pages.push(page);
      const dialog = page.page.locator('#token-dialog');
      await expect.poll(() => dialog.getAttribute('open')).toBe('');
      expect(await dialog.locator('.reason').textContent()).toMatch(expected);
      expect(await dialog.textContent()).not.toMatch(/440[13]|Bearer|subprotocol|Authorization/);
      await expect.poll(() => page.page.locator('#connection .label').textContent()).toBe('signed out · waiting for a token');
    }
  }, TEST_MS);
});
