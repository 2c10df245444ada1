import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { CloseCode } from '../../src/kernel/close-codes.js';
import { AlertHub, type SubscriberSink } from '../../src/push/alert-hub.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { tempDir } from '../helpers.ts';

class FakeSink implements SubscriberSink {
  messages: { type: string; seq?: number; from?: number; to?: number; [k: string]: unknown }[] = [];
  closedWith: { code: number; reason: string } | undefined;
  bufferedAmount = 0;
  send(message: string): void {
    this.messages.push(JSON.parse(message) as FakeSink['messages'][number]);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  seqs(): number[] {
    return this.messages.flatMap((m) => (m.type === 'alert' ? [m.seq!] : []));
  }
}

function alert(n: number, overrides: Partial<Alert> = {}): Alert {
  return { alertId: `alert:e${n}`, eventId: `e${n}`, kind: 'crossing', post: 'KZ-KORDAY', eventTime: '2026-11-22T10:00:00.000+05:00', journalRecord: n, subject: 's', score: 60, threshold: 50, severity: 'low', ruleSetVersion: 'v', indicators: [], shadowIndicators: [], trigger: 'event', event: {} as Alert['event'], ...overrides };
}

let hub: AlertHub | undefined;
afterEach(() => hub?.close());

describe('AlertHub', () => {
  it('delivers only the alerts that match a subscriber\'s filter', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store);
    const all = new FakeSink();
    const highCargo = new FakeSink();
    hub.connect(all, { type: 'subscribe' });
    hub.connect(highCargo, { type: 'subscribe', filter: { minSeverity: 'high', kinds: ['cargo'] } });
    hub.publish(store.append(alert(1, { severity: 'critical', kind: 'crossing' }))!);
    hub.publish(store.append(alert(2, { severity: 'medium', kind: 'cargo' }))!);
    hub.publish(store.append(alert(3, { severity: 'high', kind: 'cargo' }))!);
    expect(all.seqs()).toEqual([1, 2, 3]);
    expect(highCargo.seqs()).toEqual([3]);
    expect(highCargo.messages[0]).toMatchObject({ type: 'welcome', protocol: 1, lastSeq: 0 });
  });

  it('sends the stored backlog after `since`, then live alerts, with no gap and no duplicate', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store);
    for (let i = 1; i <= 5; i++) hub.publish(store.append(alert(i))!);
    const late = new FakeSink();
    hub.connect(late, { type: 'subscribe', since: 2 });
    hub.publish(store.append(alert(6))!);
    expect(late.seqs()).toEqual([3, 4, 5, 6]);
  });

  it('says plainly which alerts the store no longer holds', () => {
    const store = new AlertStore(':memory:', { retain: 3 });
    hub = new AlertHub(store);
    for (let i = 1; i <= 6; i++) hub.publish(store.append(alert(i))!);
    const late = new FakeSink();
    hub.connect(late, { type: 'subscribe', since: 1 });
    expect(late.messages.filter((m) => m.type === 'gap')).toEqual([{ type: 'gap', from: 2, to: 3 }]);
    expect(late.seqs()).toEqual([4, 5, 6]);
  });

  it('tells a subscriber whose since is ahead of the store that the sequence started again', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store);
    hub.publish(store.append(alert(1))!);
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe', since: 500 });
    hub.publish(store.append(alert(2))!);
    expect(sink.messages.map((m) => m.type)).toEqual(['welcome', 'reset', 'alert']);
    expect(sink.seqs()).toEqual([2]);
  });

  it('lets a subscriber that falls behind catch up from the store, without holding back others', async () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store, { maxBufferedBytes: 1000 });
    const lagging = new FakeSink();
    const fast = new FakeSink();
    hub.connect(lagging, { type: 'subscribe' });
    hub.connect(fast, { type: 'subscribe' });
    hub.publish(store.append(alert(1))!);
    lagging.bufferedAmount = 5000;
    hub.publish(store.append(alert(2))!);
    hub.publish(store.append(alert(3))!);
    expect(lagging.seqs()).toEqual([1]);
    expect(fast.seqs()).toEqual([1, 2, 3]);
    lagging.bufferedAmount = 0; // it read what it had
    await new Promise((resolve) => setTimeout(resolve, 40));
    hub.publish(store.append(alert(4))!);
    expect(lagging.seqs()).toEqual([1, 2, 3, 4]);
    expect(lagging.closedWith).toBeUndefined();
  });

  it('closes a subscriber that reads nothing for maxStallMs with 4008 and its resume point', async () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store, { maxBufferedBytes: 1000, maxStallMs: 30 });
    const stalled = new FakeSink();
    const fast = new FakeSink();
    hub.connect(stalled, { type: 'subscribe' });
    hub.connect(fast, { type: 'subscribe' });
    hub.publish(store.append(alert(1))!);
    stalled.bufferedAmount = 5000;
    hub.publish(store.append(alert(2))!);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(stalled.closedWith).toEqual({ code: CloseCode.tooSlow, reason: 'too slow; resume with since=1' });
    expect(fast.seqs()).toEqual([1, 2]);
    expect(hub.size).toBe(1);
  });

  it('refuses an invalid subscription with 4400 and the reason', () => {
    hub = new AlertHub(new AlertStore(':memory:'));
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe', filter: { minSeverity: 'urgent' } });
    expect(sink.closedWith?.code).toBe(CloseCode.badSubscription);
    expect(sink.closedWith?.reason).toContain('filter.minSeverity');
    expect(hub.size).toBe(0);
  });

  it('answers a malformed subscribe message with an error and keeps the subscription', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store);
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe' });
    hub.receive(sink, '{"type":"subscribe","filter":{"kinds":["parcel"]}}');
    hub.receive(sink, 'not json');
    hub.publish(store.append(alert(1))!);
    expect(sink.messages.map((m) => m.type)).toEqual(['welcome', 'error', 'error', 'alert']);
  });

  it('filters by rule id, tag and free text', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store);
    const indicator = (id: string, tags: string[], title = id) => ({ id, version: 1, title, weight: 40, severity: 'medium' as const, tags, evidence: [] });
    const byRule = new FakeSink();
    const byTag = new FakeSink();
    const byText = new FakeSink();
    hub.connect(byRule, { type: 'subscribe', filter: { rules: ['crossing.cash-payment'] } });
    hub.connect(byTag, { type: 'subscribe', filter: { tags: ['document'] } });
    hub.connect(byText, { type: 'subscribe', filter: { text: 'KARIMOV' } });
    hub.publish(store.append(alert(1, { indicators: [indicator('crossing.cash-payment', ['itinerary'])], subject: 'Aliev Rustam' }))!);
    hub.publish(store.append(alert(2, { indicators: [indicator('crossing.document-expired', ['document'], 'Document expired')], subject: 'Karimova Dilnoza' }))!);
    hub.publish(store.append(alert(3, { indicators: [indicator('cargo.unknown-hs-code', ['goods'])], subject: 'Tashkent Trading' }))!);
    expect(byRule.seqs()).toEqual([1]);
    expect(byTag.seqs()).toEqual([2]);
    expect(byText.seqs()).toEqual([2]);
  });

  it('stores a triage change with who and when, replies to the sender and tells every subscriber that sees the alert', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store, { now: () => new Date('2026-11-22T10:00:00Z') });
    const analyst = new FakeSink();
    const other = new FakeSink();
    const cargoOnly = new FakeSink();
    hub.connect(analyst, { type: 'subscribe' });
    hub.connect(other, { type: 'subscribe' });
    hub.connect(cargoOnly, { type: 'subscribe', filter: { kinds: ['cargo'] } });
    hub.publish(store.append(alert(1))!);
    hub.receive(analyst, JSON.stringify({ type: 'triage', requestId: 'r1', seq: 1, action: 'assign', by: 'Aigerim', assignee: 'Timur' }));
    hub.receive(analyst, JSON.stringify({ type: 'triage', requestId: 'r2', seq: 1, action: 'dismiss', by: 'Timur', reason: 'false-positive', note: 'known trader' }));
    expect(analyst.messages.filter((m) => m.type === 'triage-result')).toEqual([
      { type: 'triage-result', requestId: 'r1', ok: true, seq: 1, entry: { action: 'assign', by: 'Aigerim', at: '2026-11-22T10:00:00.000Z', assignee: 'Timur' } },
      { type: 'triage-result', requestId: 'r2', ok: true, seq: 1, entry: { action: 'dismiss', by: 'Timur', at: '2026-11-22T10:00:00.000Z', reason: 'false-positive', note: 'known trader' } },
    ]);
    // Without authentication a triage message must name who acts.
    hub.receive(analyst, JSON.stringify({ type: 'triage', requestId: 'r3', seq: 1, action: 'acknowledge' }));
    expect(analyst.messages.at(-1)).toMatchObject({ type: 'error', requestId: 'r3', issues: [{ path: 'by' }] });
    const seen = other.messages.filter((m) => m.type === 'triage');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({
      seq: 1,
      alertId: 'alert:e1',
      entry: { action: 'dismiss', by: 'Timur', at: '2026-11-22T10:00:00.000Z', reason: 'false-positive', note: 'known trader' },
      triage: { status: 'dismissed', assignee: 'Timur', outcome: 'false-positive' },
    });
    expect(cargoOnly.messages.some((m) => m.type === 'triage')).toBe(false);
    // A late subscriber gets the alert with its triage so far.
    const late = new FakeSink();
    hub.connect(late, { type: 'subscribe', since: 0 });
    const backlog = late.messages.find((m) => m.type === 'alert') as unknown as { triage: { status: string; history: unknown[] } };
    expect(backlog.triage.status).toBe('dismissed');
    expect(backlog.triage.history).toHaveLength(2);
  });

  it('answers an invalid triage request with an error naming the problem, and changes nothing', () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store);
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe' });
    hub.publish(store.append(alert(1))!);
    hub.receive(sink, JSON.stringify({ type: 'triage', requestId: 'a', seq: 1, action: 'dismiss', by: 'Aigerim' }));
    hub.receive(sink, JSON.stringify({ type: 'triage', requestId: 'b', seq: 99, action: 'acknowledge', by: 'Aigerim' }));
    const errors = sink.messages.filter((m) => m.type === 'error');
    expect(errors[0]).toMatchObject({ requestId: 'a', issues: [{ path: 'reason' }] });
    expect(errors[1]).toMatchObject({ requestId: 'b', message: 'no alert with seq 99 is held' });
    expect(store.get(1)!.triage.status).toBe('new');
  });

  it('pages a large backlog, waiting while the subscriber has unread data, then goes live with no gap or duplicate', async () => {
    const store = new AlertStore(':memory:');
    hub = new AlertHub(store, { maxBufferedBytes: 1000 });
    for (let i = 1; i <= 1200; i++) store.append(alert(i));
    const reader = new FakeSink();
    reader.bufferedAmount = 800; // above half the bound: the hub must wait
    hub.connect(reader, { type: 'subscribe', since: 0 });
    hub.publish(store.append(alert(1201))!);
    expect(reader.seqs()).toEqual([]);
    reader.bufferedAmount = 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
    hub.publish(store.append(alert(1202))!);
    expect(reader.seqs()).toEqual(Array.from({ length: 1202 }, (_, i) => i + 1));
    expect(reader.closedWith).toBeUndefined();
    // The switch to live is marked with how far the store was read.
    expect(reader.messages.filter((m) => m.type === 'live')).toEqual([{ type: 'live', lastSeq: 1201 }]);
    // A subscriber whose filter matches nothing still learns where to resume from.
    const narrow = new FakeSink();
    hub.connect(narrow, { type: 'subscribe', since: 0, filter: { kinds: ['cargo'] } });
    expect(narrow.messages.map((m) => m.type)).toEqual(['welcome', 'live']);
    expect(narrow.messages[1]).toEqual({ type: 'live', lastSeq: 1202 });
  });
});

describe('AlertStore', () => {
  it('keeps alerts, triage and the sequence across a restart', () => {
    const dir = tempDir();
    const file = path.join(dir, 'alerts.db');
    let store = new AlertStore(file);
    store.append(alert(1));
    store.append(alert(2, { indicators: [{ id: 'r.a', version: 2, title: 'A', weight: 60, severity: 'high', tags: [], evidence: [] }], shadowIndicators: ['r.shadow'] }));
    store.triage(2, { action: 'dismiss', by: 'Aigerim', at: '2026-11-22T10:00:00.000Z', reason: 'true-hit' });
    store.close();
    store = new AlertStore(file);
    expect(store.lastSeq).toBe(2);
    expect(store.append(alert(3))!.seq).toBe(3);
    expect(store.get(2)!.triage).toMatchObject({ status: 'dismissed', outcome: 'true-hit' });
    expect(store.ruleOutcomes()).toEqual([
      { ruleId: 'r.a', alerts: 1, shadow: 0, triaged: 1, confirmed: 1, falsePositives: 0, duplicates: 0, other: 0 },
      { ruleId: 'r.shadow', alerts: 0, shadow: 1, triaged: 1, confirmed: 1, falsePositives: 0, duplicates: 0, other: 0 },
    ]);
    store.close();
  });

  it('never reuses a sequence number, even when retention has deleted every alert', () => {
    const file = path.join(tempDir(), 'alerts.db');
    let store = new AlertStore(file, { retain: 2 });
    for (let i = 1; i <= 6; i++) store.append(alert(i));
    expect(store.firstSeq).toBe(5);
    store.close();
    store = new AlertStore(file, { retain: 2 });
    expect(store.append(alert(7))!.seq).toBe(7);
    store.close();
  });
});
