import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

  it.runIf(process.platform === 'linux')('syncs the directory when it creates the file, so that the file itself survives a power cut, and not when the file was there', async () => {
    const dir = tempDir();
    const synced: string[] = [];
    const fsync = fs.fsyncSync;
    // Sees which file each fsync is for, and syncs it.
    const spy = vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      fsync(fd);
    });
    try {
      const created = new GroupCommitLog(path.join(dir, 'new.ndjson'));
      expect(synced).toEqual([fs.realpathSync(dir)]);
      await created.close();
      const reopened = new GroupCommitLog(path.join(dir, 'new.ndjson'));
      const unsynced = new GroupCommitLog(path.join(dir, 'unsynced.ndjson'), { fsync: false });
      expect(synced).toEqual([fs.realpathSync(dir)]);
      await reopened.close();
      await unsynced.close();
    } finally {
      spy.mockRestore();
    }
  });

  it.runIf(process.platform === 'linux')('writes with O_DSYNC when syncing, so that a batch is durable in one write (no separate fdatasync)', async () => {
    const dir = tempDir();
    const synced = new GroupCommitLog(path.join(dir, 'synced.ndjson'));
    const unsynced = new GroupCommitLog(path.join(dir, 'unsynced.ndjson'), { fsync: false });
    // The kernel's own account of each open file's flags (octal), found by the file it names.
    const flagsOf = (file: string): number => {
      for (const fd of fs.readdirSync('/proc/self/fd')) {
        let target: string;
        try {
          target = fs.readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          continue;
        }
        if (target === file) return Number.parseInt(/^flags:\s*([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8);
      }
      throw new Error(`${file} is not open`);
    };
    expect(flagsOf(synced.path) & fs.constants.O_DSYNC).toBe(fs.constants.O_DSYNC);
    expect(flagsOf(unsynced.path) & fs.constants.O_DSYNC).toBe(0);
    synced.append('a\n');
    await new Promise<void>((resolve) => synced.whenDurable(() => resolve()));
    expect(fs.readFileSync(synced.path, 'utf8')).toBe('a\n');
    // A file renamed over the log (a trim) is opened again the same way.
    const inode = fs.statSync(synced.path).ino;
    await synced.replace(async () => {
      fs.writeFileSync(`${synced.path}.new`, '');
      fs.renameSync(`${synced.path}.new`, synced.path);
    });
    expect(fs.statSync(synced.path).ino).not.toBe(inode);
    expect(flagsOf(synced.path) & fs.constants.O_DSYNC).toBe(fs.constants.O_DSYNC);
    synced.append('b\n');
    await new Promise<void>((resolve) => synced.whenDurable(() => resolve()));
    expect(fs.readFileSync(synced.path, 'utf8')).toBe('b\n');
    await synced.close();
    await unsynced.close();
  });
});
