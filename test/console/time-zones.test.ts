import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Crossing } from '../../src/model/crossing.ts';
import { generated } from '../helpers.ts';
import { consoleModule } from './console-modules.ts';
import { type ConsolePage, rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';

/**
 * One rule for time on the page: event times (and what derives from them) in the post's
 * own offset, labelled; triage times in the analyst's, labelled. The browser here is in
 * New York, far from every post, so that a time in the wrong zone shows.
 */

const TEST_MS = 60_000;

let session: ConsoleSession;
let page: ConsolePage;

// Two alerts in the same hour at their posts (07:xx), at posts an hour apart in offset: in UTC they fall in different hours.
const [akzhol, korday] = generated(2, { seed: 505, plantRate: 1, cases: ['mrz-check-digit'], idPrefix: 'zones' }).map((g) => g.event as Crossing) as [Crossing, Crossing];
akzhol.post = 'KG-AKZHOL';
akzhol.eventTime = '2026-11-02T07:41:05.000+06:00';
korday.post = 'KZ-KORDAY';
korday.eventTime = '2026-11-02T07:20:00.000+05:00';

beforeAll(async () => {
  session = await openConsoleSession({ send: [korday, akzhol], page: { timezoneId: 'America/New_York' } });
  ({ page } = session);
}, TEST_MS);

afterAll(() => session?.close(), TEST_MS);

describe('time zones in the console', () => {
  it('shows event times at the post with their offset, counts the chart’s hours at the post, and says so', async () => {
    const { page: p } = page;
    await p.locator(rowOf(`alert:${akzhol.eventId}`)).waitFor();
    expect(await p.locator(`${rowOf(`alert:${akzhol.eventId}`)} time`).textContent()).toBe('02 Nov 07:41 +06');
    expect(await p.locator(`${rowOf(`alert:${korday.eventId}`)} time`).textContent()).toBe('02 Nov 07:20 +05');
    // Both in the post hour 07:00, though an hour apart in UTC and at 20:41 and 21:20 in New York.
    await expect.poll(() => p.locator('#hourly-chart .hour[data-total="2"] title').textContent()).toMatch(/^07:00–08:00: 2 alerts \(/);
    expect(await p.locator('#hourly-chart .hour[data-total="1"]').count()).toBe(0);
    expect(await p.locator('#time-rule').textContent()).toBe('Event times are each post’s local time, with its UTC offset (+05, +06); the chart’s hours are hours at the post. Triage times are yours (-05).');

    // Triage is in the analyst's time, labelled as such.
    await p.locator(rowOf(`alert:${akzhol.eventId}`)).click();
    expect(await p.locator('#detail .facts').textContent()).toContain('02 Nov 07:41:05 +06');
    await p.locator('#detail button.act-acknowledge').click();
    await expect.poll(() => p.locator('#detail .history time').textContent()).toMatch(/^\d{2} [A-Z][a-z]{2} \d{2}:\d{2}:\d{2} -05 \(yours\)$/);
    expect(page.errors).toEqual([]);
  }, TEST_MS);

  it('tells times that come as UTC (anomaly buckets) in the post’s offset', async () => {
    const format = await consoleModule<{ formatAtOffset(iso: string, offset: string, o?: object): string; postHour(iso: string): number; formatHour(ms: number): string }>('format.js');
    expect(format.formatAtOffset('2026-11-02T01:00:00.000Z', '+05:00')).toBe('02 Nov 06:00:00 +05');
    expect(format.formatAtOffset('2026-11-01T23:15:00.000Z', '+06:00', { seconds: false })).toBe('02 Nov 05:15 +06');
    expect(format.formatHour(format.postHour('2026-11-02T07:41:05.000+06:00'))).toBe('07:00');
    expect(format.formatHour(format.postHour('2026-11-02T00:10:00.000-03:30'))).toBe('00:00');
  });
});
