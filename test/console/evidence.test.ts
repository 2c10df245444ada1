import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cargo } from '../../src/model/cargo.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { crossingAt, generated, shippedRules, tempDir } from '../helpers.ts';
import { type ConsolePage, type Producer, rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';

/** The evidence of real alerts, as an analyst reads it in the console. */

const TEST_MS = 60_000;

let session: ConsoleSession;
let producer: Producer;
let page: ConsolePage;
const dataDir = tempDir('border-risk-console-');

const planted = (cases: string[], seed: number, count: number) =>
  generated(count, { seed, plantRate: 1, cases: cases as never, idPrefix: `evidence-${seed}` }).map((g) => g.event as Crossing | Cargo);
const descriptionOf = (id: string): string => shippedRules().rules.find((r) => r.def.id === id)!.def.description;

beforeAll(async () => {
  session = await openConsoleSession({ dataDir });
  ({ producer, page } = session);
}, TEST_MS);

afterAll(() => session?.close(), TEST_MS);

/** Sends the events and opens the alert among theirs that fired `ruleId` (found in the alert database); returns its indicator card. */
async function cardOf(events: (Crossing | Cargo)[], ruleId: string) {
  await producer.send(events);
  const ours = new Set(events.map((e) => e.eventId));
  const find = () => readAlerts(path.join(dataDir, 'alerts.db')).find((a) => ours.has(a.alert.eventId) && a.alert.indicators.some((i) => i.id === ruleId));
  await expect.poll(() => find() !== undefined, { timeout: 10_000 }).toBe(true);
  const card = page.page.locator(`#detail article.indicator[data-rule="${ruleId}"]`);
  // A click lands where the row was: alerts arriving meanwhile push the rows down, and the
  // click may select another alert. Click again until the alert's card shows.
  await expect
    .poll(
      async () => {
        if (await card.isVisible()) return true;
        await page.page.locator(rowOf(find()!.alert.alertId)).click({ timeout: 5_000 }).catch(() => undefined);
        return card.isVisible();
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  return card;
}

describe('an alert’s evidence in the console', () => {
  it('says why the rule matters and leaves out the presence checks every hit passes', async () => {
    const card = await cardOf(planted(['one-way-cash-same-day'], 301, 3), 'crossing.one-way-cash-same-day');
    expect(await card.locator('.rationale').textContent()).toBe(`Why it matters: ${descriptionOf('crossing.one-way-cash-same-day').trim()}`);
    const rows = await card.locator('table.evidence tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => /event\.itinerary\s*has/.test(r))).toBe(false);
    expect(rows.join('\n')).toContain('paymentForm');
    expect(await card.locator('.guards').textContent()).toMatch(/^\d+ presence checks? \(the field is there\) not shown\.$/);

    const cargo = await cardOf(planted(['undervalued-vague'], 302, 3), 'cargo.low-value-per-kg');
    const cargoRows = await cargo.locator('table.evidence tbody tr').allTextContents();
    expect(cargoRows.some((r) => r.includes('valueRatio') && r.includes('≠'))).toBe(false);
    expect(cargoRows.some((r) => r.includes('valueRatio') && r.includes('<'))).toBe(true);
    expect(page.errors).toEqual([]);
  }, TEST_MS);

  it('shows what a window held as a table of events with their time at the post, not as JSON', async () => {
    // One passport entering at three crossing points within a day (after the events above in event time).
    const entries = [crossingAt('KZ-KORDAY', 'entry', 10, 'N70000303'), crossingAt('KZ-KHORGOS', 'entry', 14, 'N70000303'), crossingAt('UZ-OYBEK', 'entry', 20, 'N70000303')];
    const card = await cardOf(entries, 'crossing.repeated-entries-several-posts');
    const table = card.locator('figure.held table.held-events');
    expect(await table.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['time at the post', 'event']));
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells[0]).toMatch(/^\d{2} [A-Z][a-z]{2} \d{2}:\d{2}:\d{2} [+-]\d{2}/);
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    expect(await card.textContent()).not.toContain('{"eventId"');
    expect(await card.locator('table.evidence').textContent()).not.toContain('window held');
    expect(page.errors).toEqual([]);
  }, TEST_MS);
});
