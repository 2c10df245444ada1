import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');

describe('border-risk serve with its output piped (npm start 2>&1 | cat, then Ctrl-C)', () => {
  it('stops cleanly with the journal flushed and a snapshot written when the pipe’s reader is gone first', async () => {
    const dataDir = tempDir();
    // Both outputs into one pipe, as `2>&1 | cat` does.
    const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data-dir', dataDir, '--demo-rate', '200', '--seed', '3', '--stats-every', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no throughput line in:\n${output}`)), 30_000);
      const onData = (d: Buffer): void => {
        output += d.toString();
        if (/events\/s accepted/.test(output) && /\b[1-9]\d* accepted/.test(output.split('\n').filter((l) => l.includes('totals')).at(-1) ?? '')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    // The reader goes away (`cat` ends on Ctrl-C first), then the processor gets its SIGINT.
    child.stdout.destroy();
    child.stderr.destroy();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const snapshots = fs.readdirSync(path.join(dataDir, 'snapshots')).filter((f) => f.endsWith('.snapshot'));
    expect(snapshots.length).toBeGreaterThan(0);
    const journal = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean);
    const newest = Math.max(...snapshots.map((f) => Number(/state-(\d+)\.snapshot/.exec(f)?.[1] ?? 0)));
    // The snapshot taken at the stop covers the journal up to its end.
    expect(newest).toBeGreaterThanOrEqual(journal.length - 1);
  }, 60_000);
});
