import type { Browser } from 'playwright-core';
import type { Cargo } from '../../src/model/cargo.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { tempDir } from '../helpers.ts';
import { type ConsolePage, launchBrowser, live, openConsole, Producer } from './browser.ts';
import { type ConsoleServer, startConsoleServer } from './console-server.ts';

/** A console test's parts: a processor serving the console, Chromium on it (connected), and a producer. */
export interface ConsoleSession {
  server: ConsoleServer;
  browser: Browser;
  producer: Producer;
  page: ConsolePage;
  /** Closes the producer, the page, the browser and the processor, whichever were made. */
  close(): Promise<void>;
}

/**
 * Starts a processor on `dataDir` (a new temporary one by default) and Chromium side by
 * side, sends `send` first when given (so that the page opens on its alerts), then opens
 * the console and waits until it is connected and caught up.
 */
export async function openConsoleSession(options: { dataDir?: string; send?: (Crossing | Cargo)[]; page?: Parameters<typeof openConsole>[2] } = {}): Promise<ConsoleSession> {
  const [started, launched] = await Promise.allSettled([startConsoleServer({ dataDir: options.dataDir ?? tempDir('border-risk-console-'), fsync: false }), launchBrowser()]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    // Whatever did start is closed: a missing browser must not leave a processor running.
    if (started.status === 'fulfilled') await started.value.close();
    if (launched.status === 'fulfilled') await launched.value.close();
    throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const server = started.value;
  const browser = launched.value;
  const producer = new Producer(server.processor.url);
  if (options.send) await producer.send(options.send);
  const page = await openConsole(browser, `${server.pageUrl}/`, options.page);
  await live(page.page);
  return {
    server,
    browser,
    producer,
    page,
    async close() {
      producer.close();
      await page.context.close();
      await browser.close();
      await server.close();
    },
  };
}
