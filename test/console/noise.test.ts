import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkCrossing, LISTED, ORDINARY } from '../casework/casework-events.ts';
import { rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';

/** Noise control in the console: a confirmed non-match and a silence, as an analyst makes them. */

const TEST_MS = 60_000;
let session: ConsoleSession;

beforeAll(async () => {
  session = await openConsoleSession();
}, TEST_MS);

afterAll(async () => {
  await session?.close();
}, TEST_MS);

const alertOf = (eventId: string): string => rowOf(`alert:${eventId}`);

describe('noise control in the console', () => {
  it('a watchlist false positive confirmed as not this person does not come back for that document', async () => {
    const { page } = session.page;
    const first = caseworkCrossing(1, 'N6660001', LISTED);
    await session.producer.send([first]);
    await page.click(alertOf(first.eventId));
    await page.click('.noise .act-non-match');
    await page.fill('.form-non-match textarea[name="reason"]', 'namesake; birth certificate seen');
    await page.click('.form-non-match button[type="submit"]');
    await page.waitForSelector('.noise-result.ok');
    expect(await page.textContent('.noise-result')).toMatch(/Confirmed not a match \(nm-[0-9a-f]{8}\) for document KAZ:N6660001/);

    const again = caseworkCrossing(2, 'N6660001', LISTED);
    const marker = caseworkCrossing(3, 'N6660002', ORDINARY, true);
    await session.producer.send([again, marker]);
    await page.waitForSelector(alertOf(marker.eventId));
    expect(await page.locator(alertOf(again.eventId)).count()).toBe(0);
    expect(session.page.errors).toEqual([]);
  }, TEST_MS);

  it('a silence hides matching alerts from the feed until it is expired, and they can be shown on request, marked', async () => {
    const { page } = session.page;
    const expired = caseworkCrossing(10, 'N6660003', ORDINARY, true);
    await session.producer.send([expired]);
    await page.click(alertOf(expired.eventId));
    await page.click('.noise .act-silence');
    // The first indicator and the post are chosen for it; the analyst says why and for how long.
    expect(await page.inputValue('.form-silence select[name="rule"]')).toBe('crossing.document-expired');
    await page.selectOption('.form-silence select[name="duration"]', '24h');
    await page.fill('.form-silence textarea[name="reason"]', 'expiry feed from the registry is wrong today');
    await page.click('.form-silence button[type="submit"]');
    await page.waitForSelector('.noise-result.ok');
    expect(await page.textContent('.noise-result')).toMatch(/Silenced \(sil-[0-9a-f]{8}\)/);

    const hidden = caseworkCrossing(11, 'N6660004', ORDINARY, true);
    const marker = caseworkCrossing(12, 'N6660005', LISTED);
    await session.producer.send([hidden, marker]);
    await page.waitForSelector(alertOf(marker.eventId));
    expect(await page.locator(alertOf(hidden.eventId)).count()).toBe(0);

    // "show muted" fetches it, and its detail says which silence muted it.
    await page.check('input[name="showMuted"]');
    await page.waitForSelector(alertOf(hidden.eventId));
    await page.click(alertOf(hidden.eventId));
    expect(await page.textContent('.noise .muted-by')).toMatch(/Muted by silence sil-[0-9a-f]{8}/);
    await page.uncheck('input[name="showMuted"]');
    await page.waitForSelector(alertOf(hidden.eventId), { state: 'detached' });

    // The silences dialog lists it with what it muted; expired there, alerts like it are live again.
    await page.click('#casework');
    await page.waitForSelector('#casework-dialog tr.silence.state-active');
    expect(await page.textContent('#casework-dialog tr.silence.state-active td.num')).toBe('1');
    expect(await page.textContent('#casework-dialog tr.non-match')).toContain('namesake; birth certificate seen');
    await page.click('#casework-dialog tr.silence.state-active button.expire');
    await page.waitForSelector('#casework-dialog tr.silence.state-expired');
    await page.click('#casework-dialog button[name="close"]');
    const live = caseworkCrossing(13, 'N6660006', ORDINARY, true);
    await session.producer.send([live]);
    await page.waitForSelector(alertOf(live.eventId));
    expect(session.page.errors).toEqual([]);
  }, TEST_MS);
});
