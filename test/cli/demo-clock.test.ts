import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** `serve --demo` on `dataDir` until `until` matches its output, then Ctrl-C; resolves with the output. */
async function demoRun(dataDir: string, until: RegExp): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data-dir', dataDir, '--demo-rate', '100', '--seed', '11', '--stats-every', '1', '--no-fsync'], { cwd: ROOT });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${until} within 30 s:\n${output}`)), 30_000);
    const check = (): void => {
      if (until.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
  });
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  return output;
}

/** Totals of the last throughput line. */
const totals = (output: string): { accepted: number; late: number } => {
  const line = output.split('\n').filter((l) => l.includes('| totals:')).at(-1)!;
  return { accepted: Number(/(\d+) accepted,/.exec(line.split('totals:')[1]!)![1]), late: Number(/(\d+) late/.exec(line)![1]) };
};

describe('the demo traffic of npm start', () => {
  it('stamps events with the wall clock, and a restart’s first events are not late', async () => {
    const dataDir = tempDir();
    const started = Date.now();
    // Three throughput lines with events: a few seconds of traffic.
    const first = await demoRun(dataDir, /totals: [1-9]\d* accepted[\s\S]*totals: [1-9]\d* accepted[\s\S]*totals: [1-9]\d* accepted/);
    const stopped = Date.now();
    const times = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => Date.parse((JSON.parse(l) as { event: { eventTime: string } }).event.eventTime));
    expect(times.length).toBeGreaterThan(100);
    // Every event time within the run's wall-clock span (a second of slack for rounding), none hours ahead.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(started - 1_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(stopped + 1_000);
    expect(totals(first).late).toBe(0);
    expect(first).toMatch(/demo: streaming seeded traffic \(seed 11, about 100 events\/s: \d+× the region's modelled one-off trips, stamped with the wall clock/);

    const second = await demoRun(dataDir, /totals: [1-9]\d* accepted[\s\S]*totals: [1-9]\d* accepted[\s\S]*totals: [1-9]\d* accepted/);
    expect(second).toMatch(/recovered state from snapshot/);
    const after = totals(second);
    expect(after.accepted).toBeGreaterThan(0);
    expect(after.late).toBe(0);
    const journal = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean);
    // At least what the last throughput line counted (more may come before the stop).
    expect(journal.length).toBeGreaterThanOrEqual(times.length + after.accepted);
    expect(second).not.toMatch(/^late: /m);
  }, 90_000);
});
