import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { type AlertModelModule, consoleModule, type FeedModule } from './console-modules.ts';
import { sampleAlerts } from './sample-alerts.ts';

let AlertModel: AlertModelModule['AlertModel'];
let Feed: FeedModule['Feed'];
beforeAll(async () => {
  ({ AlertModel } = await consoleModule<AlertModelModule>('alert-model.js'));
  ({ Feed } = await consoleModule<FeedModule>('feed.js'));
});

const alerts = sampleAlerts(200, 5);
const welcome = (lastSeq: number): string => JSON.stringify({ type: 'welcome', protocol: 1, lastSeq, firstSeq: 1, filter: {} });
const alertAt = (seq: number, alert: Alert = alerts[seq % alerts.length]!): string => JSON.stringify({ type: 'alert', seq, alert, triage: { status: 'new', history: [] } });

/** A feed over a connection that records what the page sends and is always open. */
function setup(history = 100) {
  const model = new AlertModel();
  const sent: Record<string, unknown>[] = [];
  const refused: string[] = [];
  const notices: string[] = [];
  const feed = new Feed({
    model,
    history,
    send: (message) => {
      sent.push(message as Record<string, unknown>);
      return true;
    },
    onFilterRefused: (message) => refused.push(message),
    onNotice: (_level, text) => notices.push(text),
    requestTimeoutMs: 200,
  });
  /** Opens the connection and answers both welcomes: the URL subscription's and the feed's own. */
  const connect = (lastSeq: number): void => {
    feed.opened();
    feed.receive(welcome(lastSeq));
    feed.receive(welcome(lastSeq));
  };
  const subscribes = () => sent.filter((m) => m.type === 'subscribe');
  return { model, sent, refused, notices, feed, connect, subscribes };
}

describe('the console’s feed', () => {
  it('asks for the newest `history` alerts when it opens, after the server’s first welcome', () => {
    const { feed, sent, model } = setup(100);
    feed.setFilter({ minSeverity: 'medium' });
    feed.opened();
    expect(sent).toEqual([]);
    feed.receive(welcome(950));
    expect(sent).toEqual([{ type: 'subscribe', filter: { minSeverity: 'medium' }, since: 850 }]);
    // Still the URL subscription's alerts (any severity): not the page's.
    feed.receive(alertAt(951, { ...alerts[0]!, severity: 'low' }));
    expect(model.size).toBe(0);
    feed.receive(welcome(951));
    expect(feed.live).toBe(true);
    feed.receive(alertAt(851, { ...alerts[1]!, severity: 'high' }));
    expect(model.get(851)).toBeDefined();
    expect(feed.position).toBe(851);
  });

  it('resumes from the last sequence number received after the connection is lost', () => {
    const { feed, connect, subscribes, model } = setup(100);
    connect(10);
    for (const seq of [3, 7, 12]) feed.receive(alertAt(seq));
    feed.closed();
    expect(feed.live).toBe(false);
    feed.opened();
    feed.receive(welcome(30));
    expect(subscribes().at(-1)).toEqual({ type: 'subscribe', filter: {}, since: 12 });
    feed.receive(welcome(30));
    feed.receive(alertAt(12));
    feed.receive(alertAt(13));
    expect(Array.from({ length: model.size }, (_, i) => model.at(i)!.seq)).toEqual([13, 12, 7, 3]);
  });

  it('narrows a filter on what it holds and resumes where it was, without fetching again', () => {
    const { feed, connect, subscribes, model } = setup(100);
    connect(500);
    for (let seq = 401; seq <= 500; seq++) feed.receive(alertAt(seq));
    feed.setFilter({ kinds: ['cargo'] });
    expect(subscribes().at(-1)).toEqual({ type: 'subscribe', filter: { kinds: ['cargo'] }, since: 500 });
    expect(model.size).toBe(countCargo(401, 500));
    // Alerts still in flight under the old filter are not shown.
    feed.receive(alertAt(501, { ...alerts[0]!, kind: 'crossing' }));
    expect(model.get(501)).toBeUndefined();
  });

  it('fetches the covered range again when a filter widens, so alerts it had left out come back', () => {
    const { feed, connect, subscribes, model } = setup(100);
    feed.setFilter({ kinds: ['cargo'] });
    connect(500);
    expect(subscribes().at(-1)).toEqual({ type: 'subscribe', filter: { kinds: ['cargo'] }, since: 400 });
    for (let seq = 401; seq <= 520; seq++) if (alerts[seq % alerts.length]!.kind === 'cargo') feed.receive(alertAt(seq));
    feed.setFilter({});
    expect(subscribes().at(-1)).toEqual({ type: 'subscribe', filter: {}, since: 420 });
    expect(model.size).toBe(countCargo(421, 520));
    feed.receive(welcome(520));
    for (let seq = 421; seq <= 520; seq++) feed.receive(alertAt(seq));
    expect(model.size).toBe(100);
  });

  it('starts again from the server’s sequence when the server says it was reset', () => {
    const { feed, connect, subscribes, model, notices } = setup(100);
    connect(900);
    feed.receive(alertAt(900));
    feed.closed();
    feed.opened();
    feed.receive(welcome(40));
    expect(subscribes().at(-1)).toMatchObject({ since: 900 });
    feed.receive(welcome(40));
    feed.receive(JSON.stringify({ type: 'reset', since: 900, lastSeq: 40 }));
    expect(model.size).toBe(0);
    expect(subscribes().at(-1)).toEqual({ type: 'subscribe', filter: {}, since: 0 });
    expect(notices.at(-1)).toContain('started again');
  });

  it('reports a filter the server refused and goes on with the subscription the server kept', () => {
    const { feed, connect, refused, model } = setup(100);
    connect(10);
    feed.setFilter({ posts: ['KZ-KHORGOS'] });
    expect(feed.live).toBe(false);
    feed.receive(JSON.stringify({ type: 'error', message: 'invalid subscribe message', issues: [{ path: 'filter.posts[0]', message: 'bad' }] }));
    expect(refused).toEqual(['invalid subscribe message']);
    expect(feed.live).toBe(true);
    feed.receive(alertAt(11, { ...alerts[0]!, post: 'KZ-KHORGOS' }));
    expect(model.get(11)).toBeDefined();
  });

  it('sends triage with a request id and resolves with the server’s answer', async () => {
    const { feed, connect, sent, model } = setup(100);
    connect(10);
    feed.receive(alertAt(5));
    // A filter change in flight does not hold triage back.
    feed.setFilter({ minSeverity: 'low' });
    expect(feed.live).toBe(false);
    const ok = feed.triage({ seq: 5, action: 'acknowledge', by: 'Aigerim' });
    const refused = feed.triage({ seq: 5, action: 'dismiss', by: 'Aigerim' });
    const triage = sent.filter((m) => m.type === 'triage');
    expect(triage).toEqual([
      { type: 'triage', requestId: 't1', seq: 5, action: 'acknowledge', by: 'Aigerim' },
      { type: 'triage', requestId: 't2', seq: 5, action: 'dismiss', by: 'Aigerim' },
    ]);
    feed.receive(JSON.stringify({ type: 'triage-result', requestId: 't1', ok: true, seq: 5 }));
    feed.receive(JSON.stringify({ type: 'error', requestId: 't2', message: 'invalid triage message', issues: [{ path: 'reason', message: 'dismiss needs a reason' }] }));
    expect(await ok).toEqual({ ok: true });
    expect(await refused).toEqual({ ok: false, message: 'invalid triage message: reason: dismiss needs a reason' });
    const state = { status: 'acknowledged', history: [{ action: 'acknowledge', by: 'Aigerim', at: '2026-11-22T10:00:00.000Z' }] };
    feed.receive(JSON.stringify({ type: 'triage', seq: 5, alertId: 'x', entry: state.history[0], triage: state }));
    expect(model.get(5)?.triage).toEqual(state);
  });

  it('does not leave a triage request hanging when the connection drops or the server is silent', async () => {
    const { feed, connect } = setup(100);
    const offline = await feed.triage({ seq: 1, action: 'acknowledge', by: 'A' });
    expect(offline).toMatchObject({ ok: false, message: expect.stringContaining('not connected') });
    connect(10);
    const lost = feed.triage({ seq: 1, action: 'acknowledge', by: 'A' });
    feed.closed();
    expect(await lost).toMatchObject({ ok: false, message: expect.stringContaining('connection was lost') });
    connect(10);
    expect(await feed.triage({ seq: 1, action: 'acknowledge', by: 'A' })).toMatchObject({ ok: false, message: expect.stringContaining('no answer') });
  });
});

function countCargo(from: number, to: number): number {
  let n = 0;
  for (let seq = from; seq <= to; seq++) if (alerts[seq % alerts.length]!.kind === 'cargo') n++;
  return n;
}
