import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { AlertStore } from '../../src/store/alert-store.ts';
import { BackgroundCheckpoints } from '../../src/store/background-checkpoints.ts';
import { sampleAlerts } from '../console/sample-alerts.ts';
import { tempDir } from '../helpers.ts';

const alerts = sampleAlerts(4_000, 7).map((a, i) => ({ ...a, alertId: `alert:bg${i}`, eventId: `bg${i}` }));

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
    // SQLite's default automatic checkpoint on the storing thread, every 1,000 pages (4 KiB).
    expect(largest).toBeLessThan(3_000 * 4096);
    // The checkpoint thread closed first, so the storing thread's close was the last and removed the log.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n).toBe(alerts.length);
    } finally {
      db.close();
    }
  });

  it('syncs while the other thread checkpoints, each time up to the end of the log', () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file, { backgroundCheckpoints: true });
    try {
      for (let round = 0; round < 40; round++) {
        for (const a of alerts.slice(round * 10, round * 10 + 10)) store.append(a);
        expect(() => store.sync()).not.toThrow();
      }
    } finally {
      store.close();
    }
  });

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
