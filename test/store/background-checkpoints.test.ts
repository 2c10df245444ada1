import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { AlertStore } from '../../src/store/alert-store.ts';
import { BackgroundCheckpoints } from '../../src/store/background-checkpoints.ts';
import { sampleAlerts } from '../console/sample-alerts.ts';
import { fillDisk, mountTmpfs, ROOT, tempDir } from '../helpers.ts';

const alerts = sampleAlerts(4_000, 7).map((a, i) => ({ ...a, alertId: `alert:bg${i}`, eventId: `bg${i}` }));

/** The imports a script run in a node of its own (`runModule`) needs to store sample alerts. */
const STORE_AND_ALERTS = [
  `import { AlertStore } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/store/alert-store.ts')).href)};`,
  `import { sampleAlerts } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'test/console/sample-alerts.ts')).href)};`,
].join('\n');

const size = (file: string): number => (fs.existsSync(file) ? fs.statSync(file).size : 0);

describe('the alert database checkpointed from a thread of its own', () => {
  it('copies the log into the database file while the storing thread makes no checkpoint', async () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file, { backgroundCheckpoints: true });
    try {
      const before = size(file);
      // A few hundred log pages: below the storing thread's own checkpoint (1,000 pages).
      for (const a of alerts.slice(0, 30)) store.append(a);
      expect(size(`${file}-wal`)).toBeGreaterThan(100 * 4096);
      expect(size(`${file}-wal`)).toBeLessThan(1_000 * 4096);
      // Only a checkpoint writes the database file; the other thread is the only one that makes one here.
      await vi.waitFor(() => expect(size(file)).toBeGreaterThan(before + 50 * 1024), { timeout: 20_000, interval: 50 });
    } finally {
      store.close();
    }
  });

  it('keeps the log bounded while alerts keep coming, and close leaves one checkpointed file with every alert', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file, { backgroundCheckpoints: true });
    let largest = 0;
    try {
      // Stored as fast as one thread can: the other thread's checkpoints never reach the end of a growing log.
      for (const a of alerts) {
        store.append(a);
        largest = Math.max(largest, size(`${file}-wal`));
      }
    } finally {
      store.close();
    }
    // SQLite's default automatic checkpoint on the storing thread, every 1,000 pages (4 KiB),
    // passed over while the thread holds the checkpoint: about twice that at most.
    expect(largest).toBeLessThan(4_000 * 4096);
    // The checkpoint thread closed first, so the storing thread's close was the last and removed the log.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n).toBe(alerts.length);
    } finally {
      db.close();
    }
  });

  it('syncs up to the end of the log while another connection keeps taking the checkpoint', () => {
    const dir = tempDir();
    const file = path.join(dir, 'alerts.db');
    const store = new AlertStore(file, { backgroundCheckpoints: true });
    // A connection that checkpoints without a pause, so that sync finds the checkpoint taken again and again.
    const state = new Int32Array(new SharedArrayBuffer(4));
    const rival = new Worker(
      `const { workerData } = require('node:worker_threads');
       const db = new (require(workerData.driver))(workerData.file);
       const state = new Int32Array(workerData.state);
       while (Atomics.load(state, 0) === 0) db.pragma('wal_checkpoint(PASSIVE)');
       db.close();
       Atomics.store(state, 0, 2);
       Atomics.notify(state, 0);`,
      { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), state: state.buffer } },
    );
    try {
      for (let round = 0; round < 40; round++) {
        for (const a of alerts.slice(round * 10, round * 10 + 10)) store.append(a);
        syncPast(store);
        // The database file alone, without its log: what an operating-system crash would leave.
        const copy = path.join(dir, `synced-${round}.db`);
        fs.copyFileSync(file, copy);
        const db = new Database(copy, { readonly: true });
        try {
          expect((db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n).toBe(round * 10 + 10);
        } finally {
          db.close();
        }
      }
    } finally {
      Atomics.store(state, 0, 1);
      Atomics.wait(state, 0, 1, 10_000);
      void rival.terminate();
      store.close();
    }
  });

  it('tries again after a checkpoint fails on a full disk, and copies the log once there is room', async () => {
    const disk = mountTmpfs(4 << 20);
    const file = path.join(disk.dir, 'alerts.db');
    // A writer that never checkpoints itself and holds the log open: only the thread copies it.
    const writer = new Database(file);
    const reasons: (string | null)[] = [];
    let checkpoints: BackgroundCheckpoints | undefined;
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE t (x TEXT)');
      const insert = writer.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 200; i++) insert.run('x'.repeat(2_000));
      const filler = fillDisk(disk.dir);
      checkpoints = new BackgroundCheckpoints(file, (error) => reasons.push(`ended: ${error.message}`), (reason) => reasons.push(reason));
      await vi.waitFor(() => expect(reasons).toHaveLength(1), { timeout: 20_000, interval: 20 });
      expect(reasons[0]).toMatch(/SQLITE_FULL/);
      const before = size(file);
      fs.rmSync(filler);
      await vi.waitFor(() => expect(reasons).toEqual([reasons[0], null]), { timeout: 20_000, interval: 20 });
      expect(size(file)).toBeGreaterThan(before + 200 * 2_000);
      expect(checkpoints.failed).toBeUndefined();
    } finally {
      checkpoints?.stop();
      writer.close();
      disk.unmount();
    }
  });

  it('finds its driver from any working directory, as an installed command runs', async () => {
    const dir = tempDir();
    const script = `
      ${STORE_AND_ALERTS}
      import fs from 'node:fs';
      const file = ${JSON.stringify(path.join(dir, 'alerts.db'))};
      const lines = [];
      const store = new AlertStore(file, { backgroundCheckpoints: true, log: (line) => lines.push(line) });
      const before = fs.statSync(file).size;
      for (const a of sampleAlerts(30, 9)) store.append(a);
      const until = Date.now() + 20_000;
      while (fs.statSync(file).size <= before && Date.now() < until && lines.length === 0) await new Promise((r) => setTimeout(r, 20));
      const copied = fs.statSync(file).size > before;
      const t0 = Date.now();
      store.close();
      console.log(JSON.stringify({ copied, closeMs: Date.now() - t0, lines }));
    `;
    const out = runModule(script, os.tmpdir());
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { copied: boolean; closeMs: number; lines: string[] };
    expect(result.lines).toEqual([]);
    expect(result.copied).toBe(true);
    expect(result.closeMs).toBeLessThan(5_000);
  });

  it('lets a process that never closes its store exit', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const script = `
      ${STORE_AND_ALERTS}
      const store = new AlertStore(${JSON.stringify(file)}, { backgroundCheckpoints: true });
      for (const a of sampleAlerts(5, 9)) store.append(a);
      console.log('stored');
    `;
    // Throws if the process is still running after 45 s (it takes a few).
    expect(runModule(script, ROOT, 45_000).trim()).toBe('stored');
  }, 60_000);

  it('tells of a thread that fails and stops at once', async () => {
    const errors: Error[] = [];
    const checkpoints = new BackgroundCheckpoints(path.join(tempDir(), 'no-such.db'), (error) => errors.push(error));
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 20_000, interval: 20 });
    expect(errors[0]!.message).toMatch(/unable to open database file \(SQLITE_CANTOPEN\)/);
    expect(checkpoints.failed).toBe(errors[0]);
    const started = Date.now();
    checkpoints.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

/** Runs an ES module's text in a node of its own (TypeScript imports by absolute URL) from `cwd`; its output. */
function runModule(script: string, cwd: string, timeout = 60_000): string {
  return execFileSync(process.execPath, ['--import', pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, '--input-type=module', '-e', script], { cwd, encoding: 'utf8', timeout });
}

/**
 * `sync`, asked again while it says a reader holds part of the log (as it may say, and a
 * snapshot then waits): the rival's and the thread's statements read the database for a
 * moment. Any other failure, or a reader that stays, fails the test.
 */
function syncPast(store: AlertStore): void {
  for (let attempt = 1; ; attempt++) {
    try {
      store.sync();
      return;
    } catch (error) {
      if (attempt === 200 || !/a reader holds the rest/.test((error as Error).message)) throw error;
    }
  }
}
