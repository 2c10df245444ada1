import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { AlertGrouper } from '../../src/alert/group-alerts.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

const HOUR = 3_600_000;
const base = generated(300, { seed: 81, plantRate: 0 }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing' && e.mode === 'road')!;

function alertFor(id: string, number: string): Alert {
  const event = { ...structuredClone(base), eventId: id, document: { ...base.document, number } };
  return { alertId: `alert:${id}`, event } as Alert;
}

describe('AlertGrouper', () => {
  it('groups alerts about one document within the period and starts a new group after it', () => {
    const grouper = new AlertGrouper(6 * HOUR);
    const t0 = Date.parse('2026-11-02T10:00:00Z');
    expect(grouper.assign(alertFor('a', 'N1'), t0)).toMatchObject({ id: 'alert:a', count: 1 });
    expect(grouper.assign(alertFor('b', 'N1'), t0 + 2 * HOUR)).toMatchObject({ id: 'alert:a', count: 2 });
    expect(grouper.assign(alertFor('c', 'N2'), t0 + 3 * HOUR)).toMatchObject({ id: 'alert:c', count: 1 });
    expect(grouper.assign(alertFor('d', 'N1'), t0 + 7 * HOUR)).toMatchObject({ id: 'alert:d', count: 1 });
  });
});

describe('grouped alerts, end to end', () => {
  let processor: Processor | undefined;
  afterAll(() => processor?.close());

  it('marks the second alert about a document as a repeat, which a subscriber can leave out', async () => {
    processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
    const everything = new TestClient(`${processor.url}/alerts`);
    const firstsOnly = new TestClient(`${processor.url}/alerts?repeats=false`);
    const producer = new TestClient(`${processor.url}/ingest`);
    await Promise.all([everything.opened(), firstsOnly.opened(), producer.opened()]);
    const expired = (id: string, hour: number): Crossing => {
      const e = structuredClone(base);
      e.eventId = id;
      e.eventTime = `2026-11-02T${String(10 + hour).padStart(2, '0')}:00:00.000+05:00`;
      e.document = { type: 'passport', number: 'N55500011', issuingState: 'KAZ', expiry: '2026-01-01' };
      e.traveller.nationality = 'KAZ';
      return e;
    };
    producer.send(JSON.stringify([expired('g-1', 0), expired('g-2', 1), expired('g-3', 2)]));
    await everything.until((m) => m.filter((x) => (x as { type: string }).type === 'alert').length === 3);
    const groups = everything.messages.flatMap((x) => ((x as { type: string }).type === 'alert' ? [(x as { alert: Alert }).alert.group] : []));
    expect(groups).toEqual([
      { id: 'alert:g-1', count: 1, subject: 'document KAZ:N55500011' },
      { id: 'alert:g-1', count: 2, subject: 'document KAZ:N55500011' },
      { id: 'alert:g-1', count: 3, subject: 'document KAZ:N55500011' },
    ]);
    producer.send(JSON.stringify([expired('g-4', 9)]));
    await everything.until((m) => m.filter((x) => (x as { type: string }).type === 'alert').length === 4);
    await firstsOnly.until((m) => m.filter((x) => (x as { type: string }).type === 'alert').length === 2);
    const firsts = firstsOnly.messages.flatMap((x) => ((x as { type: string }).type === 'alert' ? [(x as { alert: Alert }).alert.eventId] : []));
    expect(firsts).toEqual(['g-1', 'g-4']);
    for (const c of [everything, firstsOnly, producer]) c.close();
  });
});
