import fs from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Crossing } from '../../src/model/crossing.ts';
import type { Cargo } from '../../src/model/cargo.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import { TestClient } from '../helpers.ts';

/** Debian's chromium, which CI installs (`.ci/run`); `CHROMIUM` overrides the path. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the console's browser tests cannot run: no browser at `executable`. Said with the
 * package to install, since playwright-core's own message ("Executable doesn't exist")
 * names neither the package nor the variable.
 */
export function missingBrowser(executable: string): string {
  return (
    `the console's browser tests need Chromium, and there is none at ${executable}. ` +
    'Install Debian\'s chromium package (sudo apt-get install chromium; .ci/run does this), ' +
    'or set CHROMIUM to the path of a Chromium or Chrome binary.'
  );
}

/** Starts headless Chromium; fails at once, naming the package to install, when there is none. */
export function launchBrowser(executable = CHROMIUM): Promise<Browser> {
  if (!fs.existsSync(executable)) return Promise.reject(new Error(missingBrowser(executable)));
  return chromium.launch({
    executablePath: executable,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where the page keeps the analyst's name (src/console/analyst.js). */
export const ANALYST_KEY = 'border-risk.console.analyst';

/** A page of the console with everything it logged, and every message it sent on `/alerts`. */
export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and failed requests. */
  errors: string[];
  /** Parsed messages the page sent on its `/alerts` sockets, oldest first. */
  sent: { at: number; message: Record<string, unknown> }[];
}

/**
 * Opens the console in a fresh browser context (its own localStorage). `analyst` is
 * stored before the page loads, as if the analyst had entered it before; null leaves it unset.
 */
export async function openConsole(
  browser: Browser,
  url: string,
  options: { analyst?: string | null; viewport?: { width: number; height: number }; beforeLoad?: (page: Page) => Promise<void>; timezoneId?: string } = {},
): Promise<ConsolePage> {
  const { analyst = 'Aigerim', viewport = { width: 1440, height: 900 }, beforeLoad, timezoneId } = options;
  const context = await browser.newContext({ viewport, ...(timezoneId !== undefined && { timezoneId }) });
  const page = await context.newPage();
  const result: ConsolePage = { context, page, errors: [], sent: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') result.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => result.errors.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => result.errors.push(`request: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('websocket', (socket) => {
    if (!socket.url().endsWith('/alerts')) return;
    socket.on('framesent', (frame) => {
      if (typeof frame.payload === 'string') result.sent.push({ at: Date.now(), message: JSON.parse(frame.payload) as Record<string, unknown> });
    });
  });
  if (analyst !== null) await page.addInitScript({ content: `localStorage.setItem(${JSON.stringify(ANALYST_KEY)}, ${JSON.stringify(analyst)});` });
  await beforeLoad?.(page);
  await page.goto(url);
  return result;
}

/** Resolves when the page is connected and its own subscription has been welcomed. */
export async function live(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForSelector('#connection.state-connected', { timeout });
  await page.waitForSelector('#count:not(.catching-up)', { timeout });
}

/** The selector of an alert's row. */
export const rowOf = (alertId: string): string => `.row[data-alert-id="${alertId}"]`;

/** A producer on `/ingest` that sends frames and waits for their acknowledgement. */
export class Producer {
  readonly client: TestClient;
  #frames = 0;

  /** `token`: a producer token, for a processor with authentication. */
  constructor(processorUrl: string, token?: string) {
    this.client = new TestClient(`${processorUrl}/ingest`, token);
  }

  async send(events: (Crossing | Cargo)[], perFrame = 250): Promise<void> {
    await this.client.opened();
    for (let i = 0; i < events.length; i += perFrame) {
      this.client.send(JSON.stringify(events.slice(i, i + perFrame)));
      this.#frames++;
    }
    const frames = this.#frames;
    await this.client.until((m) => m.filter((x) => (x as IngestReply).type === 'ack').length >= frames, 60_000);
    const rejected = this.client.messages.flatMap((m) => (m as IngestReply).results ?? []).filter((r) => r.status === 'rejected');
    if (rejected.length > 0) throw new Error(`events rejected: ${JSON.stringify(rejected.slice(0, 2))}`);
  }

  close(): void {
    this.client.close();
  }
}
