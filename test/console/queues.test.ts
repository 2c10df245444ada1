import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkCrossing, LISTED, ORDINARY } from '../casework/casework-events.ts';
import { live, openConsole, rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';

/** Work queues, bulk triage and the four-eyes rule in the console, with two analysts. */

const TEST_MS = 60_000;
let session: ConsoleSession;
const critical = caseworkCrossing(1, 'N4440001', LISTED);
const medium = caseworkCrossing(30, 'N4440002', ORDINARY, true);

beforeAll(async () => {
  session = await openConsoleSession({ send: [critical, medium] });
}, TEST_MS);

afterAll(async () => {
  await session?.close();
}, TEST_MS);

describe('work queues in the console', () => {
  it('acknowledges the ticked alerts of the unassigned queue at once', async () => {
    const { page } = session.page;
    await page.waitForSelector(rowOf(`alert:${medium.eventId}`));
    await page.click('#queues');
    await page.selectOption('#queue-dialog select[name="queue"]', 'unassigned');
    await page.waitForSelector('#queue-dialog tr.queue-item');
    expect(await page.locator('#queue-dialog tr.queue-item').count()).toBe(2);
    for (const box of await page.locator('#queue-dialog input[name="pick"]').all()) await box.check();
    await page.click('#queue-dialog .bulk-acknowledge');
    await expect.poll(() => page.locator('#queue-dialog .queue-result').first().textContent(), { timeout: 20_000 }).toMatch(/^2 of 2 recorded/);
    expect(await page.locator('#queue-dialog tr.queue-item td.status').allTextContents()).toEqual(['acknowledged', 'acknowledged']);
    await page.click('#queue-dialog button[name="close"]');
    // The list's rows follow, as with any triage.
    await page.waitForSelector(`${rowOf(`alert:${critical.eventId}`)}.status-acknowledged`);
    expect(session.page.errors).toEqual([]);
  }, TEST_MS);

  it('holds the dismissal of a critical watchlist hit until another analyst confirms it', async () => {
    const { page } = session.page;
    await page.click(rowOf(`alert:${critical.eventId}`));
    await page.click('.triage .act-dismiss');
    await page.click('.form-dismiss button[type="submit"]');
    await page.waitForSelector('.triage .status-pending-dismissal');
    expect(await page.textContent('.triage-status')).toContain('proposed by Aigerim, waiting for a second analyst');
    // The proposer's own confirmation is refused.
    await page.click('.triage .act-confirm');
    await page.waitForSelector('.triage-result.error');
    expect(await page.textContent('.triage-result')).toContain('a second analyst must confirm');

    const second = await openConsole(session.browser, `${session.server.pageUrl}/`, { analyst: 'Bakyt' });
    try {
      await live(second.page);
      await second.page.click('#queues');
      await second.page.selectOption('#queue-dialog select[name="queue"]', 'pending');
      await second.page.waitForSelector('#queue-dialog tr.queue-item');
      expect(await second.page.textContent('#queue-dialog tr.queue-item td.status')).toContain('Aigerim proposed false-positive');
      await second.page.click('#queue-dialog tr.queue-item button.link');
      await second.page.click('.triage .act-confirm');
      await second.page.waitForSelector('.triage .status-dismissed');
      expect(second.errors).toEqual([]);
    } finally {
      await second.context.close();
    }
    // The first analyst's page hears of it.
    await page.waitForSelector('.triage .status-dismissed');
    expect(await page.textContent('.triage-status')).toContain('outcome: false positive');
  }, TEST_MS);
});
