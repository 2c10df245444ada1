import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { produce } from '../../src/generate/producer.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { POSTS } from '../../src/generate/region.ts';
import { addTokens, generated, ROOT, RULES_DIR, STREAMS_DIR, tempDir } from '../helpers.ts';

describe('serve --record-dir', () => {
  // Two processor processes start and stop in turn: on a loaded machine that takes more than the default 30 s.
  it('catches up from the journal at start, then records every accepted event', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const recordDir = path.join(tempDir(), 'recording');
    const events = generated(400, { seed: 17 }).map((g) => g.event);
    const [producer] = addTokens(path.join(dataDir, 'tokens.json'), [{ role: 'producer', name: 'test producer', posts: POSTS.map((p) => p.id) }]);
    const run = async (batch: unknown[], record: boolean): Promise<string> => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/border-risk.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--rules', RULES_DIR, '--streams', STREAMS_DIR, ...(record ? ['--record-dir', recordDir] : []), '--no-fsync', '--no-watch', '--quiet', '--stats-every', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000);
        child.stdout.on('data', () => {
          const m = /listening on (ws:\/\/[^\s]+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const summary = await produce(batch[Symbol.iterator](), { url: `${url}/ingest`, token: producer!.secret, batch: 20 });
      expect(summary.accepted).toBe(batch.length);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT');
      await exited;
      return out;
    };
    // A first run without recording; the next one records, catching up on it from the journal.
    const first = await run(events.slice(0, 250), false);
    expect(first).not.toMatch(/recording to/);
    const second = await run(events.slice(250), true);
    expect(second).toMatch(/recording to .*recording \(250 event\(s\) caught up from the journal\)/);
    const recorded = [...readRecording(recordDir)];
    expect(recorded.map((r) => r.event.eventId)).toEqual(events.map((e) => e.eventId));
    expect(recorded.map((r) => r.n)).toEqual(events.map((_, i) => i + 1));
  });
});
