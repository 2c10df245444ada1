import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { readRuleOutcomes } from '../../src/store/read-alert-database.ts';
import { addTokens, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { caseworkCrossing, LISTED, ORDINARY, POST } from './casework-events.ts';

type AlertMsg = { type: 'alert'; seq: number; alert: Alert };
type Item = { seq: number; subject: string; status: string; assignee?: string; proposed?: { reason: string; by: string } };
const byEvent = (c: TestClient, eventId: string): AlertMsg | undefined =>
  c.messages.find((m): m is AlertMsg => (m as AlertMsg).type === 'alert' && (m as AlertMsg).alert.eventId === eventId && (m as AlertMsg).alert.trigger === 'event');

describe('work queues, bulk triage and the four-eyes rule', () => {
  let processor: Processor;
  let dataDir: string;
  let producer: TestClient;
  let aigerim: TestClient;
  let bakyt: TestClient;
  let trainer: TestClient;
  let requests = 0;
  const seqs: number[] = [];

  async function ask(client: TestClient, message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const requestId = `q${++requests}`;
    client.send(JSON.stringify({ ...message, requestId }));
    await client.until((m) => m.some((x) => (x as { requestId?: string }).requestId === requestId));
    return client.messages.find((x) => (x as { requestId?: string }).requestId === requestId) as Record<string, unknown>;
  }
  const queue = async (client: TestClient, name: string): Promise<Item[]> => (await ask(client, { type: 'queue', queue: name })).items as Item[];

  beforeAll(async () => {
    dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [p, a, b, t] = addTokens(tokensFile, [
      { role: 'producer', name: 'Khorgos gateway', posts: [POST] },
      { role: 'analyst', name: 'Aigerim Bekova' },
      { role: 'analyst', name: 'Bakyt Osmonov' },
      { role: 'trainer', name: 'Timur Trainer' },
    ]);
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, snapshots: false, fsync: false, log: () => {} });
    producer = new TestClient(`${processor.url}/ingest`, p!.secret);
    aigerim = new TestClient(`${processor.url}/alerts`, a!.secret);
    bakyt = new TestClient(`${processor.url}/alerts`, b!.secret);
    trainer = new TestClient(`${processor.url}/alerts`, t!.secret);
    await Promise.all([producer, aigerim, bakyt, trainer].map((c) => c.opened()));
    const events: Crossing[] = [caseworkCrossing(1, 'N9990001', LISTED), caseworkCrossing(20, 'N9990002', LISTED), caseworkCrossing(40, 'N9990003', ORDINARY, true)];
    producer.send(JSON.stringify(events));
    await aigerim.until(() => events.every((e) => byEvent(aigerim, e.eventId) !== undefined));
    seqs.push(...events.map((e) => byEvent(aigerim, e.eventId)!.seq));
  });

  afterAll(async () => {
    for (const c of [producer, aigerim, bakyt, trainer]) c.close();
    await processor.close();
  });

  it('lists unassigned and own alerts, and assigns several at once', async () => {
    const [s1, s2, s3] = seqs as [number, number, number];
    expect((await queue(aigerim, 'unassigned')).map((i) => i.seq)).toEqual([s3, s2, s1]);
    expect(await queue(aigerim, 'mine')).toEqual([]);
    const assigned = await ask(aigerim, { type: 'triage-bulk', seqs: [s1, s2], action: 'assign', assignee: 'Aigerim Bekova' });
    expect(assigned).toMatchObject({ type: 'triage-bulk-result', results: [{ seq: s1, ok: true }, { seq: s2, ok: true }] });
    // Everyone watching hears of each change, as with single triage.
    await bakyt.until((m) => m.filter((x) => (x as { type: string }).type === 'triage').length >= 2);
    expect((await queue(aigerim, 'mine')).map((i) => i.seq)).toEqual([s2, s1]);
    expect(await queue(bakyt, 'mine')).toEqual([]);
    expect((await queue(aigerim, 'unassigned')).map((i) => i.seq)).toEqual([s3]);
    const refused = await ask(aigerim, { type: 'triage-bulk', seqs: [s3, 99_999], action: 'acknowledge' });
    expect(refused).toMatchObject({ results: [{ seq: s3, ok: true }, { seq: 99_999, ok: false, message: 'no alert with seq 99999 is held' }] });
    expect(await ask(aigerim, { type: 'triage-bulk', seqs: [s3], action: 'dismiss' })).toMatchObject({ type: 'error', issues: [{ path: 'reason' }] });
  });

  it('holds the dismissal of a critical watchlist hit until a second analyst confirms it; others are dismissed at once', async () => {
    const [s1, , s3] = seqs as [number, number, number];
    const dismissed = await ask(aigerim, { type: 'triage-bulk', seqs: [s1, s3], action: 'dismiss', reason: 'false-positive', note: 'namesake' });
    const results = dismissed.results as { seq: number; ok: boolean; entry: { pending?: boolean } }[];
    expect(results.map((r) => [r.seq, r.ok, r.entry.pending ?? false])).toEqual([
      [s1, true, true],
      [s3, true, false],
    ]);
    // Pending: not yet a conclusion rule authors count.
    expect(readRuleOutcomes(path.join(dataDir, 'alerts.db')).find((r) => r.ruleId === 'crossing.watchlist-name-match')!.falsePositives).toBe(0);
    expect(await ask(aigerim, { type: 'triage', seq: s1, action: 'confirm' })).toMatchObject({ type: 'error', message: 'a second analyst must confirm: Aigerim Bekova proposed this dismissal' });
    expect(await ask(bakyt, { type: 'triage', seq: s3, action: 'confirm' })).toMatchObject({ type: 'error', message: 'no dismissal is waiting for confirmation on this alert' });

    const pending = await queue(bakyt, 'pending');
    expect(pending).toEqual([expect.objectContaining({ seq: s1, status: 'pending-dismissal', proposed: { reason: 'false-positive', by: 'Aigerim Bekova' } })]);
    expect(await ask(bakyt, { type: 'triage', seq: s1, action: 'confirm' })).toMatchObject({ type: 'triage-result', ok: true });
    expect(await queue(bakyt, 'pending')).toEqual([]);
    expect(readRuleOutcomes(path.join(dataDir, 'alerts.db')).find((r) => r.ruleId === 'crossing.watchlist-name-match')!.falsePositives).toBe(1);
    expect((await queue(aigerim, 'open')).map((i) => i.seq)).not.toContain(s1);
  });

  it('shows a masked role its queue masked and on record, and refuses it bulk triage', async () => {
    const items = await queue(trainer, 'open');
    expect(items.length).toBeGreaterThan(0);
    expect(JSON.stringify(items)).not.toMatch(/N999000|UMAROV|Умаров/i);
    expect(await ask(trainer, { type: 'triage-bulk', seqs: [seqs[1]!], action: 'acknowledge' })).toMatchObject({ type: 'error', message: expect.stringMatching(/role trainer may not triage/) });
    await processor.close();
    const audit = fs.readFileSync(path.join(dataDir, 'audit.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { endpoint: string; role: string; masked: boolean; seqs: number[] });
    expect(audit.some((r) => r.endpoint === 'alerts:casework' && r.role === 'trainer' && r.masked && r.seqs.length === items.length)).toBe(true);
  });
});
