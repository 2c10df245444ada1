import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { Recorder } from '../../src/record/recorder.ts';
import { addTokens, ROOT, RULES_DIR, STREAMS_DIR, tempDir } from '../helpers.ts';
import { recordedTraffic } from '../record/helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');
const traffic = recordedTraffic(300, 41, 0.05);
const recording = path.join(tempDir(), 'rec');
const tokensFile = path.join(tempDir(), 'tokens.json');
let processor: Processor;
let producer: string;
let analyst: string;

/** `border-risk replay` in a child process (asynchronously: the processor under test runs in this one). */
function replay(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'replay', recording, ...args], { cwd: ROOT, env: { ...process.env, BORDER_RISK_TOKEN: '', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

async function journalRecords(): Promise<number> {
  const health = (await (await fetch(`${processor.url.replace(/^ws:/, 'http:')}/health`)).json()) as { journalRecords: number };
  return health.journalRecords;
}

beforeAll(async () => {
  const recorder = Recorder.open(recording, { fsync: false });
  for (const event of traffic) recorder.append(event);
  recorder.close();
  const posts = [...new Set(traffic.map((r) => r.event.post))];
  const [made, other] = addTokens(tokensFile, [
    { role: 'producer', name: 'replay producer', posts },
    { role: 'analyst', name: 'an analyst' },
  ]);
  producer = made!.secret;
  analyst = other!.secret;
  processor = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, tokensFile, log: () => {} });
});
afterAll(() => processor?.close());

describe('border-risk replay --url against a server that authenticates', () => {
  it('is refused without a token, and with a token whose role may not send, with the close code and what to do', async () => {
    const without = await replay(['--url', `${processor.url}/ingest`, '--speed', 'max', '--quiet']);
    expect(without.code).not.toBe(0);
    expect(without.stderr).toMatch(/refused the producer \(4401: .+\); give a producer token/);
    const wrongRole = await replay(['--url', `${processor.url}/ingest`, '--speed', 'max', '--quiet', '--token', analyst]);
    expect(wrongRole.code).not.toBe(0);
    expect(wrongRole.stderr).toMatch(/4403/);
    expect(await journalRecords()).toBe(0);
  });

  it('stops at once on a refused token at any speed, paused too, saying why, rather than showing playing', async () => {
    // The recording spans hours of event time: at 1× or 60× only a prompt stop ends it within the test.
    for (const speed of [['--speed', '1'], ['--speed', '60'], ['--speed', '60', '--paused']]) {
      const started = Date.now();
      const result = await replay(['--url', `${processor.url}/ingest`, ...speed]);
      expect(result.code, result.stderr).toBe(1);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.stderr).toMatch(/refused the producer \(4401: .+\); give a producer token/);
      const progress = result.stderr.split('\n').filter((l) => /^\[[#.]+\]/.test(l));
      expect(progress.at(-1), result.stderr).toMatch(/ failed: .*4401/);
      // The clock in the posts' own time, labelled with their offset, as the console shows event times.
      expect(progress.at(-1)).toMatch(/ clock \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2} /);
      expect(result.stderr).toMatch(/replay failed at event \d+ of 300/);
    }
  }, 90_000);

  it('sends every event of the recording with a producer token, from --token or BORDER_RISK_TOKEN', async () => {
    const byOption = await replay(['--url', `${processor.url}/ingest`, '--speed', 'max', '--quiet', '--token', producer]);
    expect(byOption.stderr).not.toMatch(/error/i);
    expect(byOption.code).toBe(0);
    expect(await journalRecords()).toBe(traffic.length);
    // Sent again from the environment: every event is a duplicate, none journaled twice.
    const byEnvironment = await replay(['--url', `${processor.url}/ingest`, '--speed', 'max', '--quiet'], { BORDER_RISK_TOKEN: producer });
    expect(byEnvironment.code).toBe(0);
    expect(await journalRecords()).toBe(traffic.length);
  });
});

describe('border-risk replay --serve', () => {
  it('starts its own authenticating processor, replays into it in process (no socket, no token), and keeps serving until Ctrl-C', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [BIN, 'replay', recording, '--serve', '--port', '0', '--data-dir', dataDir, '--rules', RULES_DIR, '--streams', STREAMS_DIR, '--speed', 'max', '--quiet'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    /** Resolves once the standard error so far matches. */
    const seen = (pattern: RegExp): Promise<RegExpMatchArray> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${stderr}`)), 30_000);
        const check = (): void => {
          const match = stderr.match(pattern);
          if (!match) return;
          clearTimeout(timer);
          child.stderr.off('data', check);
          resolve(match);
        };
        child.stderr.on('data', check);
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const [, url] = await seen(/processor at (ws:\/\/[\d.]+:\d+)/);
      await seen(/replay done at event 300 of 300 .* 300 accepted/);
      await seen(/the processor keeps serving; Ctrl-C stops it/);
      // Still serving, and it authenticates: an unauthenticated read of the alerts is refused.
      const health = (await (await fetch(`${url!.replace(/^ws:/, 'http:')}/health`)).json()) as { journalRecords: number };
      expect(health.journalRecords).toBe(300);
      expect((await fetch(`${url!.replace(/^ws:/, 'http:')}/api/rules/outcomes`)).status).toBe(401);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
