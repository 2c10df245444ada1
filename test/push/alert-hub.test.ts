import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { AlertCloseCode, AlertHub, type SubscriberSink } from '../../src/push/alert-hub.ts';
import { MemoryAlertStore } from '../../src/store/alert-store.ts';

class FakeSink implements SubscriberSink {
  messages: { type: string; seq?: number; from?: number; to?: number }[] = [];
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
    const store = new MemoryAlertStore();
    hub = new AlertHub(store);
    const all = new FakeSink();
    const highCargo = new FakeSink();
    hub.connect(all, { type: 'subscribe' });
    hub.connect(highCargo, { type: 'subscribe', filter: { minSeverity: 'high', kinds: ['cargo'] } });
    hub.publish(store.append(alert(1, { severity: 'critical', kind: 'crossing' })));
    hub.publish(store.append(alert(2, { severity: 'medium', kind: 'cargo' })));
    hub.publish(store.append(alert(3, { severity: 'high', kind: 'cargo' })));
    expect(all.seqs()).toEqual([1, 2, 3]);
    expect(highCargo.seqs()).toEqual([3]);
    expect(highCargo.messages[0]).toMatchObject({ type: 'welcome', protocol: 1, lastSeq: 0 });
  });

  it('sends the stored backlog after `since`, then live alerts, with no gap and no duplicate', () => {
    const store = new MemoryAlertStore();
    hub = new AlertHub(store);
    for (let i = 1; i <= 5; i++) hub.publish(store.append(alert(i)));
    const late = new FakeSink();
    hub.connect(late, { type: 'subscribe', since: 2 });
    hub.publish(store.append(alert(6)));
    expect(late.seqs()).toEqual([3, 4, 5, 6]);
  });

  it('says plainly which alerts the store no longer holds', () => {
    const store = new MemoryAlertStore({ capacity: 3 });
    hub = new AlertHub(store);
    for (let i = 1; i <= 6; i++) hub.publish(store.append(alert(i)));
    const late = new FakeSink();
    hub.connect(late, { type: 'subscribe', since: 1 });
    expect(late.messages.filter((m) => m.type === 'gap')).toEqual([{ type: 'gap', from: 2, to: 3 }]);
    expect(late.seqs()).toEqual([4, 5, 6]);
  });

  it('tells a subscriber whose since is ahead of the store that the sequence started again', () => {
    const store = new MemoryAlertStore();
    hub = new AlertHub(store);
    hub.publish(store.append(alert(1)));
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe', since: 500 });
    hub.publish(store.append(alert(2)));
    expect(sink.messages.map((m) => m.type)).toEqual(['welcome', 'reset', 'alert']);
    expect(sink.seqs()).toEqual([2]);
  });

  it('closes a subscriber that falls behind with 4008 and its resume point, without holding back others', () => {
    const store = new MemoryAlertStore();
    hub = new AlertHub(store, { maxBufferedBytes: 1000 });
    const slow = new FakeSink();
    const fast = new FakeSink();
    hub.connect(slow, { type: 'subscribe' });
    hub.connect(fast, { type: 'subscribe' });
    hub.publish(store.append(alert(1)));
    slow.bufferedAmount = 5000;
    hub.publish(store.append(alert(2)));
    hub.publish(store.append(alert(3)));
    expect(slow.closedWith).toEqual({ code: AlertCloseCode.tooSlow, reason: 'too slow; resume with since=1' });
    expect(slow.seqs()).toEqual([1]);
    expect(fast.seqs()).toEqual([1, 2, 3]);
    expect(hub.size).toBe(1);
  });

  it('refuses an invalid subscription with 4400 and the reason', () => {
    hub = new AlertHub(new MemoryAlertStore());
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe', filter: { minSeverity: 'urgent' } });
    expect(sink.closedWith?.code).toBe(AlertCloseCode.badSubscription);
    expect(sink.closedWith?.reason).toContain('filter.minSeverity');
    expect(hub.size).toBe(0);
  });

  it('answers a malformed subscribe message with an error and keeps the subscription', () => {
    const store = new MemoryAlertStore();
    hub = new AlertHub(store);
    const sink = new FakeSink();
    hub.connect(sink, { type: 'subscribe' });
    hub.receive(sink, '{"type":"subscribe","filter":{"kinds":["parcel"]}}');
    hub.receive(sink, 'not json');
    hub.publish(store.append(alert(1)));
    expect(sink.messages.map((m) => m.type)).toEqual(['welcome', 'error', 'error', 'alert']);
  });
});
