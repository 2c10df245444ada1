import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, subjectOf } from '../../src/alert/alert.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { generated, tempDir } from '../helpers.ts';
import { type ConsolePage, rowOf } from './browser.ts';
import { type ConsoleSession, openConsoleSession } from './console-session.ts';


/**
 * Bidirectional-text spoofing: a family name ending in an unterminated U+202E (RIGHT-TO-LEFT
 * OVERRIDE) used to reverse the rest of the console's row, so that the document number and
 * the date of birth read backwards. The schema refuses such names now, but alerts stored
 * before it did (and any other text) still reach the page: it must show them harmlessly.
 */

const TEST_MS = 60_000;
const RLO = '\u202e';

let session: ConsoleSession;
let consolePage: ConsolePage;

const base = generated(200, { seed: 19, plantRate: 0 }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing')!;
const event: Crossing = {
  ...base,
  eventId: 'bidi-1',
  traveller: { ...base.traveller, familyName: `Karimov${RLO}`, givenNames: 'Aziz', dateOfBirth: '1989-01-21' },
  document: { ...base.document, number: 'FA6061944' },
};
const alert: Alert = {
  alertId: 'alert:bidi-1', eventId: 'bidi-1', kind: 'crossing', post: event.post, eventTime: event.eventTime, journalRecord: 1,
  subject: subjectOf(event), score: 80, threshold: 50, severity: 'high', ruleSetVersion: 'v1', trigger: 'event', shadowIndicators: [],
  indicators: [{ id: 'crossing.mrz-check-digit', version: 1, title: 'MRZ check digit fails', weight: 80, severity: 'high', tags: ['mrz'], evidence: [{ field: 'event.traveller.familyName', op: 'equals', expected: 'x', actual: event.traveller.familyName }] }],
  event,
};

/**
 * The left edge, on screen, of each character of `needle` where it first appears in the
 * text under `selector`: increasing when it reads left to right, decreasing when reversed.
 */
function edgesOf(page: Page, selector: string, needle: string): Promise<number[] | null> {
  return page.evaluate(
    `((selector, needle) => {
      const root = document.querySelector(selector);
      if (!root) return null;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(needle);
        if (at === -1) continue;
        const edges = [];
        for (let i = 0; i < needle.length; i++) {
          const range = document.createRange();
          range.setStart(node, at + i);
          range.setEnd(node, at + i + 1);
          edges.push(range.getBoundingClientRect().left);
        }
        return edges;
      }
      return null;
    })(${JSON.stringify(selector)}, ${JSON.stringify(needle)})`,
  );
}

const increasing = (xs: number[] | null): boolean => xs !== null && xs.length > 1 && xs.every((x, i) => i === 0 || x > xs[i - 1]!);

beforeAll(async () => {
  const dataDir = tempDir('border-risk-bidi-');
  // Stored as an alert of a processor from before the schema refused control characters.
  const store = new AlertStore(path.join(dataDir, 'alerts.db'));
  const stored = store.append(alert)!;
  store.triage(stored.seq, { action: 'note', by: `Aigerim${RLO}`, at: '2026-11-02T10:00:00.000Z', note: `seen with ${RLO}FA6061944` });
  store.close();
  session = await openConsoleSession({ dataDir });
  consolePage = session.page;
}, TEST_MS);

afterAll(() => session?.close(), TEST_MS);

describe('a name with an unterminated right-to-left override', () => {
  it('leaves the document number and date of birth reading left to right in the alert list', async () => {
    const row = rowOf(alert.alertId);
    await consolePage.page.waitForSelector(row, { state: 'visible', timeout: 15_000 });
    expect(increasing(await edgesOf(consolePage.page, `${row} .subject`, 'FA6061944')), 'document number').toBe(true);
    expect(increasing(await edgesOf(consolePage.page, `${row} .subject`, '1989-01-21')), 'date of birth').toBe(true);
    // The override is shown for what it is, not obeyed, and the subject is isolated from the rest of the row.
    const subject = await consolePage.page.locator(`${row} .subject`).textContent();
    expect(subject).not.toContain(RLO);
    expect(subject).toContain('⟨U+202E⟩');
    expect(await consolePage.page.locator(`${row} .subject bdi`).count()).toBe(1);
    expect(consolePage.errors).toEqual([]);
  }, TEST_MS);

  it('shows the subject, the event, the evidence and the triage history harmlessly in the detail', async () => {
    await consolePage.page.locator(rowOf(alert.alertId)).click();
    await consolePage.page.waitForSelector('#detail-subject', { timeout: 10_000 });
    expect(increasing(await edgesOf(consolePage.page, '#detail-subject', 'FA6061944'))).toBe(true);
    expect(increasing(await edgesOf(consolePage.page, '.history', 'FA6061944')), 'a note').toBe(true);
    const detail = (await consolePage.page.locator('#detail').textContent()) ?? '';
    expect(detail).toContain('⟨U+202E⟩');
    expect(detail).not.toContain(RLO);
    expect(await consolePage.page.locator('.history bdi').count()).toBeGreaterThan(0);
    expect(consolePage.errors).toEqual([]);
  }, TEST_MS);
});
