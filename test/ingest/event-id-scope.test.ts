import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetters } from '../../src/journal/dead-letters.ts';
import { readJournal } from '../../src/journal/journal.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { acksIn, addTokens, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

/**
 * Event ids belong to the post that first sent them: a producer scoped to one post must
 * not be able to make another post's event a `duplicate`, before or after a restart.
 */
describe('event ids across producer scopes', () => {
  let dataDir: string;
  let tokensFile: string;
  let processor: Processor;
  let ayritom: string;
  let khorgos: string;
  const open = () => startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
  const harmless = generated(100, { seed: 41, plantRate: 0 }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing')!;
  const expired = generated(100, { seed: 42, plantRate: 1, cases: ['expired-document'] }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing')!;
  // The id the Khorgos post would use next, taken first by the Ayritom producer.
  const spoof: Crossing = { ...harmless, eventId: 'KZ-KHORGOS-000123', post: 'UZ-AYRITOM' };
  const real: Crossing = { ...expired, eventId: 'KZ-KHORGOS-000123', post: 'KZ-KHORGOS' };

  async function send(secret: string, events: Crossing[]): Promise<IngestReply> {
    const client = new TestClient(`${processor.url}/ingest`, secret);
    await client.opened();
    client.send(JSON.stringify(events));
    await client.until((m) => acksIn(m).length === 1);
    client.close();
    return acksIn(client.messages)[0]!;
  }

  beforeAll(async () => {
    dataDir = tempDir();
    tokensFile = path.join(dataDir, 'tokens.json');
    [ayritom, khorgos] = addTokens(tokensFile, [
      { role: 'producer', name: 'Ayritom gateway', posts: ['UZ-AYRITOM'] },
      { role: 'producer', name: 'Khorgos gateway', posts: ['KZ-KHORGOS'] },
    ]).map((t) => t.secret) as [string, string];
    processor = await open();
  });
  afterAll(async () => {
    await processor.close();
  });

  it("rejects another post's event under an id already used, naming the id, and never answers it duplicate", async () => {
    expect((await send(ayritom, [spoof])).results).toEqual([{ i: 0, eventId: spoof.eventId, status: 'accepted' }]);
    const reply = await send(khorgos, [real]);
    expect(reply.results).toEqual([{ i: 0, eventId: real.eventId, status: 'rejected', issues: [{ path: 'eventId', message: expect.stringContaining('already used by another post') }] }]);
    expect(reply.duplicates).toBe(0);
    // It is kept for inspection, and the journal holds only the first.
    expect(readDeadLetters(dataDir).filter((l) => l.eventId === real.eventId)).toHaveLength(1);
    expect(readJournal(path.join(dataDir, 'journal.ndjson')).filter((r) => r.event.eventId === real.eventId).map((r) => r.event.post)).toEqual(['UZ-AYRITOM']);
    // The same event resent by its own post is still a duplicate.
    expect((await send(ayritom, [spoof])).results[0]!.status).toBe('duplicate');
  });

  it('rejects the second of two posts using one id in the same frame', async () => {
    const both: Crossing[] = [{ ...harmless, eventId: 'same-frame-1', post: 'UZ-AYRITOM' }, { ...harmless, eventId: 'same-frame-1', post: 'KZ-KHORGOS' }];
    processor = await restartWithoutAuth();
    const client = new TestClient(`${processor.url}/ingest`);
    await client.opened();
    client.send(JSON.stringify(both));
    await client.until((m) => acksIn(m).length === 1);
    client.close();
    expect(acksIn(client.messages)[0]!.results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    await processor.close();
    processor = await open();
  });

  it('keeps which post owns an id across a restart (the index is rebuilt from the journal)', async () => {
    await processor.close();
    processor = await open();
    const reply = await send(khorgos, [real]);
    expect(reply.results[0]).toMatchObject({ status: 'rejected', issues: [{ path: 'eventId' }] });
    expect((await send(ayritom, [spoof])).results[0]!.status).toBe('duplicate');
    expect(fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8')).not.toContain('"post":"KZ-KHORGOS"');
  });

  async function restartWithoutAuth(): Promise<Processor> {
    await processor.close();
    return startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
  }
});
