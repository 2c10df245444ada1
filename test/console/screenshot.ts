/**
 * Takes the console's screenshot for the docs: a real processor fed seeded traffic with
 * planted cases, a few alerts triaged over `/alerts`, the page in a real browser with
 * the alert that has the most indicators selected.
 *
 *   node --import tsx test/console/screenshot.ts [--out docs/console.png]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Alert } from '../../src/alert/alert.ts';
import { generated, ROOT, TestClient, tempDir } from '../helpers.ts';
import { launchBrowser, live, openConsole, Producer, rowOf } from './browser.ts';
import { startConsoleServer } from './console-server.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(ROOT, 'docs', 'console.png') } } });
const out = path.resolve(values.out);

const server = await startConsoleServer({ dataDir: tempDir('border-risk-screenshot-'), fsync: false });
const browser = await launchBrowser();
try {
  // About half a day of event time across the region's posts, 4 % planted.
  const events = generated(14_000, { seed: 20_261_102, plantRate: 0.04, idPrefix: 'shot' }).map((g) => g.event);
  const producer = new Producer(server.processor.url);
  await producer.send(events, 500);
  producer.close();

  const health = (await (await fetch(`${server.pageUrl}/health`)).json()) as { alerts: { lastSeq: number } };
  const analyst = new TestClient(`${server.processor.url}/alerts?since=0`);
  await analyst.opened();
  await analyst.until((m) => m.filter(isAlert).length >= health.alerts.lastSeq, 30_000);
  const alerts = analyst.messages.filter(isAlert);
  const newest = alerts.slice(-14);
  const pick = (i: number): number => newest[newest.length - 1 - i]!.seq;
  const actions = [
    { seq: pick(1), action: 'acknowledge', by: 'Aigerim' },
    { seq: pick(3), action: 'assign', by: 'Aigerim', assignee: 'Daniyar' },
    { seq: pick(4), action: 'escalate', by: 'Daniyar', note: 'same document at Korday two hours earlier' },
    { seq: pick(6), action: 'dismiss', by: 'Aigerim', reason: 'false-positive', note: 'known trader, papers checked' },
    { seq: pick(8), action: 'acknowledge', by: 'Madina' },
  ];
  for (const [i, request] of actions.entries()) analyst.send(JSON.stringify({ type: 'triage', requestId: `s${i}`, ...request }));
  await analyst.until((m) => m.filter((x) => (x as { type: string }).type === 'triage-result').length === actions.length);
  analyst.close();

  const { page, errors } = await openConsole(browser, `${server.pageUrl}/`, { analyst: 'Aigerim', viewport: { width: 1360, height: 820 } });
  await live(page);
  await page.waitForSelector('.row');
  // The alert with the most indicators among the rows in view.
  const rows = await page.locator('.row').evaluateAll((elements) => elements.map((e) => ({ id: e.getAttribute('data-alert-id') ?? '', top: e.getBoundingClientRect().top })));
  const inView = new Set(rows.filter((r) => r.top < 700).map((r) => r.id));
  const richest = [...alerts].filter((a) => inView.has(a.alert.alertId)).sort((a, b) => b.alert.indicators.length - a.alert.indicators.length)[0]!;
  await page.locator(rowOf(richest.alert.alertId)).click();
  await page.waitForTimeout(600);
  if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join('; ')}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`${path.relative(process.cwd(), out)}: ${Math.round(fs.statSync(out).size / 1024)} KB, ${alerts.length} alerts, selected ${richest.alert.alertId} (${richest.alert.indicators.length} indicators)`);
} finally {
  await browser.close();
  await server.close();
}

function isAlert(message: unknown): message is { type: 'alert'; seq: number; alert: Alert } {
  return (message as { type?: string }).type === 'alert';
}
