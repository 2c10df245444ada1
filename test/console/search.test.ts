import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crossing } from '../../src/model/crossing.ts';
import { generated } from '../helpers.ts';
import { type ConsolePage, live, rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';

/** The console's search across scripts, in a real browser against a real processor. */

const TEST_MS = 60_000;

let session: ConsoleSession;
let page: ConsolePage;

// Two alerts (a failed MRZ check digit each): one about an UMAROV, one about someone else.
const [umarov, other] = generated(2, { seed: 404, plantRate: 1, cases: ['mrz-check-digit'], idPrefix: 'search' }).map((g) => g.event as Crossing) as [Crossing, Crossing];
umarov.traveller.familyName = 'UMAROV';
other.traveller.familyName = 'SEITKALIEV';

beforeAll(async () => {
  session = await openConsoleSession({ send: [umarov, other] });
  ({ page } = session);
}, TEST_MS);

afterAll(() => session?.close(), TEST_MS);

describe('searching the console', () => {
  it('finds with Cyrillic what it finds with Latin: Умаров as umarov, from the page and from the server', async () => {
    const { page: p, sent } = page;
    const mine = p.locator(rowOf(`alert:${umarov.eventId}`));
    const theirs = p.locator(rowOf(`alert:${other.eventId}`));
    await mine.waitFor();
    await theirs.waitFor();
    for (const query of ['umarov', 'Умаров', 'УМАРОВ']) {
      await p.locator('#search').fill('');
      await theirs.waitFor();
      await p.locator('#search').fill(query);
      await expect.poll(() => sent.at(-1)?.message.filter).toEqual({ text: query });
      await theirs.waitFor({ state: 'detached', timeout: 5_000 });
      await mine.waitFor({ timeout: 5_000 });
      await live(p);
      expect(await p.locator('.row').count()).toBe(1);
    }
    // A later page load with the search in its URL gets the alert from the server.
    await p.reload();
    await live(p);
    await mine.waitFor({ timeout: 5_000 });
    expect(await p.locator('.row').count()).toBe(1);
    expect(page.errors).toEqual([]);
  }, TEST_MS);
});
