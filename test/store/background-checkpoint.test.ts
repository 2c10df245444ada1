import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { tempDir } from '../helpers.ts';

function alert(n: number): Alert {
  const indicator = { id: 'crossing.cash-payment', version: 1, title: 'Cash', weight: 30, severity: 'low' as const, tags: [], evidence: [{ field: 'event.itinerary.paymentForm', op: '==', expected: 'cash', actual: 'cash'.repeat(200) }] };
  return { alertId: `alert:e${n}`, eventId: `e${n}`, kind: 'crossing', post: 'UZ-AYRITOM', eventTime: '2026-11-02T10:00:00.000+05:00', journalRecord: n, subject: `traveller ${n}`, score: 60, threshold: 50, severity: 'low', ruleSetVersion: 'v1', indicators: [indicator], shadowIndicators: [], trigger: 'event', event: { eventId: `e${n}` } as unknown as Alert['event'] };
}

describe('checkpointing the alert database in the background', () => {
  it('copies the log into the database from another thread, the writing connection never checkpointing on its own', async () => {
    const file = path.join(tempDir(), 'alerts.db');
    const store = new AlertStore(file, { checkpointInBackground: true });
    try {
      // The writer's automatic checkpoints are off: without the thread, the database file would not grow.
      expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const sizeAtOpen = fs.statSync(file).size;
      for (let n = 1; n <= 400; n++) store.appendAll([alert(n)]);
      await expect.poll(() => fs.statSync(file).size, { timeout: 20_000, interval: 50 }).toBeGreaterThan(sizeAtOpen + 200 * 1024);
    } finally {
      store.close();
    }
    const records = readAlerts(file);
    expect(records).toHaveLength(400);
    expect(records.at(-1)!.alert).toEqual(alert(400));
  });

  it('leaves checkpoints to the writing connection when not asked to', () => {
    const store = new AlertStore(path.join(tempDir(), 'alerts.db'));
    expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    store.close();
  });
});
