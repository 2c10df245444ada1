import { type Processor, type ProcessorOptions, startProcessor } from '../../src/processor.ts';
import { RULES_DIR, STREAMS_DIR } from '../helpers.ts';

/** A processor for the browser tests, which serves the page at `/` itself. */
export interface ConsoleServer {
  /** The running processor (a new one after `restartProcessor`). */
  readonly processor: Processor;
  /** `http://127.0.0.1:PORT`: the page is at `${pageUrl}/`. */
  pageUrl: string;
  /** Closes the processor; the page sees the server go away. */
  stopProcessor(): Promise<void>;
  /** Starts a new processor on the same port and data directory. */
  restartProcessor(): Promise<Processor>;
  close(): Promise<void>;
}

export async function startConsoleServer(options: ProcessorOptions & { dataDir: string }): Promise<ConsoleServer> {
  const processorOptions: ProcessorOptions = { port: 0, watchRules: false, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, log: () => {}, ...options };
  let processor = await startProcessor(processorOptions);
  const port = processor.port;
  let running = true;
  return {
    get processor() {
      return processor;
    },
    pageUrl: `http://127.0.0.1:${port}`,
    async stopProcessor() {
      running = false;
      await processor.close();
    },
    async restartProcessor() {
      processor = await startProcessor({ ...processorOptions, port });
      running = true;
      return processor;
    },
    async close() {
      if (running) await processor.close();
      running = false;
    },
  };
}
