import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkCrossing, LISTED, ORDINARY } from '../casework/casework-events.ts';
import { rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';

/** A case gathered in the console from three alerts about one subject, and the subject's history. */

const TEST_MS = 60_000;
let session: ConsoleSession;
// The listed person on passport A, then on passport B spelt the Latin way; someone else on passport A.
const first = caseworkCrossing(1, 'N2220001', LISTED);
const second = caseworkCrossing(20, 'N2220002', { ...LISTED, familyName: 'UMAROV', givenNames: 'Doku' });
const third = caseworkCrossing(40, 'N2220001', ORDINARY, true);

beforeAll(async () => {
  session = await openConsoleSession({ send: [first, second, third] });
}, TEST_MS);

afterAll(async () => {
  await session?.close();
}, TEST_MS);

describe('cases in the console', () => {
  it('gathers three alerts into a case, records its outcome, and shows it in the subject history', async () => {
    const { page } = session.page;
    const open = async (eventId: string): Promise<void> => {
      await page.click(rowOf(`alert:${eventId}`));
      const seq = await page.getAttribute(rowOf(`alert:${eventId}`), 'data-seq');
      await page.waitForSelector(`.subject-history[data-seq="${seq}"]`);
    };
    await page.waitForSelector(rowOf(`alert:${third.eventId}`));
    await open(third.eventId);
    // The same passport, held earlier by the listed person.
    expect(await page.locator('.subject-history li.earlier').allTextContents()).toEqual([expect.stringMatching(/same document/)]);
    await page.fill('.cases-panel input[name="case-title"]', 'Passport N2220001 in two hands');
    await page.click('.cases-panel .case-new');
    await page.waitForSelector('.case-result.ok');
    expect(await page.textContent('.case-result')).toContain('now has 1 alert(s)');

    await open(second.eventId);
    expect(await page.locator('.subject-history li.earlier').allTextContents()).toEqual([expect.stringMatching(/same person/)]);
    await page.waitForSelector('.cases-panel .case-add');
    await page.click('.cases-panel .case-add');
    await expect.poll(() => page.locator('.case-result').first().textContent(), { timeout: 20_000 }).toContain('now has 2 alert(s)');
    await open(first.eventId);
    await page.waitForSelector('.cases-panel .case-add');
    await page.click('.cases-panel .case-add');
    await expect.poll(() => page.locator('.case-result').first().textContent(), { timeout: 20_000 }).toContain('now has 3 alert(s)');

    await page.click('#cases');
    await page.click('#cases-dialog .case-open');
    await page.waitForSelector('#cases-dialog tr.case-alert');
    expect(await page.locator('#cases-dialog tr.case-alert').count()).toBe(3);
    await page.selectOption('#cases-dialog select[name="status"]', 'closed');
    await page.selectOption('#cases-dialog select[name="outcome"]', 'refused-entry');
    await page.fill('#cases-dialog textarea[name="note"]', 'refused at secondary: passport reported lost');
    await page.click('#cases-dialog .case-form button[type="submit"]');
    await expect.poll(() => page.locator('#cases-dialog .cases-result').first().textContent(), { timeout: 20_000 }).toBe('Saved.');
    expect(await page.textContent('#cases-dialog .case-notes')).toContain('refused at secondary: passport reported lost');
    await page.click('#cases-dialog button[name="close"]');

    // The history of a later alert shows the earlier one's case and its outcome.
    await open(second.eventId);
    await page.waitForSelector('.subject-history .case-tag');
    expect(await page.textContent('.subject-history li.earlier')).toContain('Passport N2220001 in two hands: refused-entry');
    expect(session.page.errors).toEqual([]);
  }, TEST_MS);
});
