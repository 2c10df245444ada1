import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCommitLog } from '../../src/journal/group-commit-log.ts';
import { tempDir } from '../helpers.ts';

describe('GroupCommitLog', () => {
  it('calls back only once the records appended before are in the file', async () => {
    const file = path.join(tempDir(), 'log.ndjson');
    const log = new GroupCommitLog(file);
    const seen: number[] = [];
    for (let i = 0; i < 100; i++) {
      log.append(`${i}\n`);
      log.whenDurable((error) => {
        expect(error).toBeNull();
        seen.push(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length);
      });
    }
    await log.close();
    // Every callback saw at least its own record on disk, and callbacks ran in append order.
    expect(seen).toHaveLength(100);
    seen.forEach((lines, i) => {
      expect(lines).toBeGreaterThanOrEqual(i + 1);
    });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(fs.readFileSync(file, 'utf8')).toBe(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(''));
  });

  it('writes records appended during one turn of the event loop as one batch', async () => {
    const file = path.join(tempDir(), 'log.ndjson');
    const log = new GroupCommitLog(file);
    const sizes: number[] = [];
    for (let i = 0; i < 50; i++) {
      log.append('x\n');
      log.whenDurable(() => sizes.push(log.bytes));
    }
    await log.close();
    // One write covered all fifty, so every callback saw the full 100 bytes.
    expect(new Set(sizes)).toEqual(new Set([100]));
  });

  it('answers at once when nothing is waiting', () => {
    const log = new GroupCommitLog(path.join(tempDir(), 'log.ndjson'));
    let called = false;
    log.whenDurable(() => (called = true));
    expect(called).toBe(true);
    return log.close();
  });
});
