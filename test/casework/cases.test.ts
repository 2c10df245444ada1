import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { addTokens, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { caseworkCrossing, LISTED, ORDINARY, POST } from './casework-events.ts';

type AlertMsg = { type: 'alert'; seq: number; alert: Alert };
type Case = { id: string; title: string; status: string; outcome?: string; seqs: number[]; notes: { by: string; note: string }[] };
type History = { seq: number; via: string[]; status: string; triageOutcome?: string; cases: { id: string; outcome?: string }[]; subject: string };
const byEvent = (c: TestClient, eventId: string): AlertMsg | undefined =>
  c.messages.find((m): m is AlertMsg => (m as AlertMsg).type === 'alert' && (m as AlertMsg).alert.eventId === eventId && (m as AlertMsg).alert.trigger === 'event');

describe('cases and the subject panel', () => {
  let processor: Processor;
  let dataDir: string;
  let producer: TestClient;
  let analyst: TestClient;
  let trainer: TestClient;
  let requests = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;

  async function ask(client: TestClient, message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const requestId = `c${++requests}`;
    client.send(JSON.stringify({ ...message, requestId }));
    await client.until((m) => m.some((x) => (x as { requestId?: string }).requestId === requestId));
    return client.messages.find((x) => (x as { requestId?: string }).requestId === requestId) as Record<string, unknown>;
  }

  beforeAll(async () => {
    dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [p, a, t] = addTokens(tokensFile, [
      { role: 'producer', name: 'Khorgos gateway', posts: [POST] },
      { role: 'analyst', name: 'Aigerim Bekova' },
      { role: 'trainer', name: 'Timur Trainer' },
    ]);
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, snapshots: false, fsync: false, log: () => {} });
    producer = new TestClient(`${processor.url}/ingest`, p!.secret);
    analyst = new TestClient(`${processor.url}/alerts`, a!.secret);
    trainer = new TestClient(`${processor.url}/alerts`, t!.secret);
    await Promise.all([producer, analyst, trainer].map((c) => c.opened()));
    // The listed person on document A1, then on A2 (spelt the Latin way); someone else on A1, expired.
    const events = [caseworkCrossing(1, 'N3330001', LISTED), caseworkCrossing(20, 'N3330002', { ...LISTED, familyName: 'UMAROV', givenNames: 'Doku' }), caseworkCrossing(40, 'N3330001', ORDINARY, true)];
    producer.send(JSON.stringify(events));
    await analyst.until(() => events.every((e) => byEvent(analyst, e.eventId) !== undefined));
    [s1, s2, s3] = events.map((e) => byEvent(analyst, e.eventId)!.seq) as [number, number, number];
  });

  afterAll(async () => {
    for (const c of [producer, analyst, trainer]) c.close();
    await processor.close();
  });

  it('gathers three alerts into a case with notes, a status and a referral outcome from the fixed vocabulary', async () => {
    const created = await ask(analyst, { type: 'case-create', title: 'Umarov namesake on two passports', seqs: [s1], note: 'opened from the first hit' });
    const id = (created.case as Case).id;
    expect(created).toMatchObject({ type: 'case-result', ok: true, case: { status: 'open', seqs: [s1], notes: [{ by: 'Aigerim Bekova', note: 'opened from the first hit' }] } });
    const grown = await ask(analyst, { type: 'case-update', id, add: [s2, s3], note: 'same document seen with another traveller', status: 'referred' });
    expect(grown.case).toMatchObject({ seqs: [s1, s2, s3], status: 'referred' });
    expect((grown.alerts as { seq: number }[]).map((a) => a.seq)).toEqual([s1, s2, s3]);
    expect(await ask(analyst, { type: 'case-update', id, outcome: 'arrested' })).toMatchObject({ type: 'error', issues: [{ path: 'outcome' }] });
    expect(await ask(analyst, { type: 'case-update', id, add: [99_999] })).toMatchObject({ type: 'error', message: 'no alert with seq 99999 is held' });
    expect(await ask(trainer, { type: 'case-update', id, status: 'closed' })).toMatchObject({ type: 'error', message: expect.stringMatching(/may not triage/) });
    const closed = await ask(analyst, { type: 'case-update', id, outcome: 'secondary-negative', status: 'closed', remove: [s3] });
    expect(closed.case).toMatchObject({ seqs: [s1, s2], status: 'closed', outcome: 'secondary-negative' });
    expect(((await ask(analyst, { type: 'cases', status: 'closed' })).cases as Case[]).map((c) => c.id)).toEqual([id]);

    // Masked roles see the case without its free text.
    const seen = await ask(trainer, { type: 'case', id });
    expect((seen.case as Case).title).not.toContain('Umarov');
    expect(JSON.stringify(seen)).not.toMatch(/N333000|UMAROV|Умаров|another traveller/i);

    const db = new Database(path.join(dataDir, 'alerts.db'), { readonly: true });
    const log = db.prepare('SELECT action FROM casework_log WHERE target = ? ORDER BY id').all(id) as { action: string }[];
    db.close();
    expect(log.map((l) => l.action)).toEqual(['case.create', 'case.update', 'case.update']);
  });

  it("shows a subject's earlier alerts by document and by person (any spelling), with their triage and case outcomes", async () => {
    await ask(analyst, { type: 'triage', seq: s1, action: 'escalate' });
    const forThird = await ask(analyst, { type: 'subject', seq: s3 });
    expect(forThird.keys).toEqual({ subject: 'document KAZ:N3330001', person: 'person ivanov petr 1990-05-05', vehicle: null });
    expect((forThird.history as History[]).map((h) => [h.seq, h.via])).toEqual([[s1, ['document']]]);
    const forSecond = await ask(analyst, { type: 'subject', seq: s2 });
    const [earlier] = forSecond.history as History[];
    expect(earlier).toMatchObject({ seq: s1, via: ['person'], status: 'escalated', cases: [{ outcome: 'secondary-negative' }] });
    const masked = await ask(trainer, { type: 'subject', seq: s2 });
    expect((masked.keys as { person: string }).person).toMatch(/^person name#[0-9a-f]{8} 1964-XX-XX$/);
    expect(JSON.stringify(masked)).not.toMatch(/N333000|umarov|Умаров/i);
    expect((masked.history as History[])[0]!.seq).toBe(s1);
  });
});
