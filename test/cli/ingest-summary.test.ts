import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestSummary } from '../../src/cli/ingest-summary.ts';
import { POSTS } from '../../src/generate/region.ts';
import { produce } from '../../src/generate/producer.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { addTokens, generated, RULES_DIR, STREAMS_DIR, tempDir } from '../helpers.ts';

let processor: Processor;
let narrow: string;

beforeAll(async () => {
  const dataDir = tempDir();
  const tokensFile = path.join(dataDir, 'tokens.json');
  narrow = addTokens(tokensFile, [{ role: 'producer', name: 'one post', posts: ['KZ-KHORGOS'] }])[0]!.secret;
  processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, tokensFile, log: () => {} });
});
afterAll(() => processor?.close());

describe('what generate --url says about the server’s answers', () => {
  it('names the generated posts at the start, and why events were rejected, summarised, for a token scoped to fewer posts', async () => {
    const lines: string[] = [];
    const summary = new IngestSummary((line) => lines.push(line));
    summary.announcePosts();
    expect(lines[0]).toContain(`generating traffic for ${POSTS.length} posts: ${POSTS.map((p) => p.id).join(', ')}`);
    expect(lines[0]).toContain(`--posts ${POSTS.map((p) => p.id).join(',')}`);

    const events = generated(400, { seed: 9, plantRate: 0 }).map((g) => g.event);
    const sent = await produce(events[Symbol.iterator](), { url: `${processor.url}/ingest`, token: narrow, batch: 50, onReply: (reply) => summary.note(reply) });
    const refused = events.filter((e) => e.post !== 'KZ-KHORGOS');
    expect(sent.rejected).toBe(refused.length);
    expect(refused.length).toBeGreaterThan(0);
    lines.length = 0;
    summary.report();
    expect(lines[0]).toBe(`${refused.length} rejected, for 1 reason:`);
    expect(lines[1]).toMatch(new RegExp(`^ +${refused.length} × post: this producer's token may send for KZ-KHORGOS only, not the event's post  \\(e\\.g\\. ${refused[0]!.eventId}, `));
    const posts = [...new Set(refused.map((e) => e.post))].sort();
    expect(lines[2]).toBe(`the token may not send for ${posts.join(', ')}: use a producer token that lists every generated post`);
    expect(lines).toHaveLength(3);
  });

  it('says nothing more when nothing was rejected', () => {
    const lines: string[] = [];
    const summary = new IngestSummary((line) => lines.push(line));
    summary.note({ type: 'ack', frame: 1, accepted: 1, duplicates: 0, rejected: 0, failed: 0, results: [{ i: 0, status: 'accepted' }] });
    summary.report();
    expect(lines).toEqual([]);
  });
});
