import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEAD_LETTER_LIMITS } from '../../src/journal/dead-letter-budget.ts';
import { DEAD_LETTER_FILE, readDeadLetters } from '../../src/journal/dead-letters.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { acksIn, addTokens, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

/**
 * A producer floods `/ingest` with frames of malformed events: what the dead letters keep
 * is bounded per producer (and each letter keeps an excerpt and a hash, not the body),
 * and another producer's rejections are still kept.
 */
describe('dead letters under a flood of malformed frames', () => {
  let dataDir: string;
  let processor: Processor;
  let flooder: string;
  let other: string;
  const FRAMES = 20;
  const PER_FRAME = 150;
  // Each item about 2 KB, a dozen issues: the kind of frame that used to cost the disk several times its size.
  const frame = (f: number): string =>
    JSON.stringify(Array.from({ length: PER_FRAME }, (_, i) => ({ schemaVersion: 1, kind: 'crossing', eventId: `flood-${f}-${i}`, junk: 'y'.repeat(2_000) })));
  let sentBytes = 0;
  let floodMs = 0;
  let replies: IngestReply[] = [];

  beforeAll(async () => {
    dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    [flooder, other] = addTokens(tokensFile, [
      { role: 'producer', name: 'flooding gateway', posts: ['UZ-AYRITOM'] },
      { role: 'producer', name: 'Khorgos gateway', posts: ['KZ-KHORGOS'] },
    ]).map((t) => t.secret) as [string, string];
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {} });
    const client = new TestClient(`${processor.url}/ingest`, flooder);
    await client.opened();
    const started = performance.now();
    for (let f = 0; f < FRAMES; f++) {
      const data = frame(f);
      sentBytes += data.length;
      client.send(data);
    }
    await client.until((m) => acksIn(m).length === FRAMES, 120_000);
    floodMs = performance.now() - started;
    replies = acksIn(client.messages);
    client.close();
  }, 180_000);
  afterAll(async () => {
    await processor.close();
  });

  it("bounds the flooding producer's dead letters by its allowance, far below what it sent", () => {
    const { producerBurstBytes, producerBytesPerSecond } = DEFAULT_DEAD_LETTER_LIMITS;
    const written = fs.statSync(path.join(dataDir, DEAD_LETTER_FILE)).size;
    const allowance = producerBurstBytes + (producerBytesPerSecond * floodMs) / 1000;
    expect(written, `${written} bytes of dead letters for ${sentBytes} bytes sent in ${Math.round(floodMs)} ms`).toBeLessThanOrEqual(allowance);
    expect(written).toBeLessThan(sentBytes);
    // Every event is still answered, rejected; those whose letter was not kept say so.
    expect(replies.flatMap((r) => r.results.map((x) => x.status))).toEqual(Array<string>(FRAMES * PER_FRAME).fill('rejected'));
    const notKept = replies.flatMap((r) => r.results).filter((x) => x.issues!.some((i) => i.message.startsWith('dead letter not kept: this producer is over its dead-letter bound')));
    expect(notKept.length).toBeGreaterThan(0);
  });

  it('keeps an excerpt, a hash and the size of a large payload, not the payload', () => {
    const letters = readDeadLetters(dataDir).filter((l) => l.eventId?.startsWith('flood-'));
    expect(letters.length).toBeGreaterThan(0);
    for (const letter of letters) {
      expect(letter.payload).toBeUndefined();
      expect(letter.excerpt!.length).toBe(DEFAULT_DEAD_LETTER_LIMITS.excerptChars);
      expect(letter.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(letter.bytes).toBeGreaterThan(2_000);
    }
  });

  it("keeps another producer's dead letters meanwhile, and reports the bound in /health", async () => {
    const client = new TestClient(`${processor.url}/ingest`, other);
    await client.opened();
    client.send(JSON.stringify({ schemaVersion: 1, kind: 'crossing', eventId: 'khorgos-bad-1', post: 'KZ-KHORGOS' }));
    await client.until((m) => acksIn(m).length === 1);
    client.close();
    const [result] = acksIn(client.messages)[0]!.results;
    expect(result!.status).toBe('rejected');
    expect(result!.issues!.some((i) => i.message.startsWith('dead letter not kept'))).toBe(false);
    expect(readDeadLetters(dataDir).filter((l) => l.eventId === 'khorgos-bad-1')).toHaveLength(1);

    const health = (await (await fetch(`${processor.url.replace(/^ws:/, 'http:')}/health`)).json()) as { deadLetters: Record<string, unknown> };
    expect(health.deadLetters).toMatchObject({ notKept: expect.any(Number), fileBytes: expect.any(Number), kept: expect.any(Number), limits: DEFAULT_DEAD_LETTER_LIMITS });
    expect(health.deadLetters.notKept as number).toBeGreaterThan(0);
  });
});
