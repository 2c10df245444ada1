import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection checkpoints the log. @default 250 */
const DEFAULT_EVERY_MS = 250;

/**
 * The checkpointing thread's code. Plain JavaScript in a string, run with `eval`, since the
 * process may load TypeScript through a loader hook that a worker thread does not inherit.
 * A PASSIVE checkpoint never blocks the writer; with nothing new in the log it reads a
 * header and syncs nothing.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
} catch (error) {
  parentPort.postMessage({ failed: String(error && error.message || error) });
  process.exit(0);
}
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // A busy database is the writer's moment; the next tick tries again.
    if (!(error && error.code === 'SQLITE_BUSY')) parentPort.postMessage({ failed: String(error && error.message || error) });
  }
  setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', () => {
  stopped = true;
  try { db.close(); } catch {}
  process.exit(0);
});
setTimeout(tick, workerData.everyMs);
`;

export interface WalCheckpointerOptions {
  /** @default 250 */
  everyMs?: number;
  /** Told once if the thread cannot checkpoint (it then stops, and the caller checkpoints as before). */
  onFailure: (reason: string) => void;
}

/**
 * Checkpoints a WAL-mode SQLite database from a thread of its own, through a second
 * connection, so that the writer's connection can turn its automatic checkpoints off. A
 * checkpoint copies the log into the database and syncs both files: done on the writer's
 * thread it stalls that thread for milliseconds to tens of milliseconds every thousand
 * pages, which is the event loop of the live pipeline.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  /** Failure reported or stop asked: nothing more is reported. */
  private done = false;
  private stopped = false;

  constructor(file: string, options: WalCheckpointerOptions) {
    const { everyMs = DEFAULT_EVERY_MS, onFailure } = options;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs } });
    // The thread never keeps the process alive: the writer's close or exit ends it.
    this.worker.unref();
    const fail = (reason: string): void => {
      if (this.done) return;
      this.done = true;
      onFailure(reason);
    };
    this.worker.on('message', (message: { failed?: string }) => {
      if (message.failed !== undefined) {
        fail(message.failed);
        this.stop();
      }
    });
    this.worker.on('error', (error) => fail(error.message));
    this.worker.on('exit', () => fail('the checkpointing thread ended'));
  }

  /** Ends the thread, which closes its connection; the caller's checkpoints take over. */
  stop(): void {
    this.done = true;
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
  }
}
