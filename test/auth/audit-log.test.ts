import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog, readAuditLog } from '../../src/auth/audit-log.ts';
import { tempDir } from '../helpers.ts';

const analyst = { tokenId: 'tok-1', name: 'A. Analyst', role: 'analyst' } as const;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the audit log reaching the disk', () => {
  afterEach(() => vi.restoreAllMocks());

  it('flushes lines written to the disk within its interval, and only when there are new ones', async () => {
    const file = path.join(tempDir(), 'audit.ndjson');
    const flushes = vi.spyOn(fs, 'fdatasync');
    const audit = new AuditLog(file, () => {}, 30);
    try {
      await settle(120);
      expect(flushes).not.toHaveBeenCalled();
      expect(audit.read(analyst, '127.0.0.1', 'alerts:live', [1, 2])).toBe(true);
      await vi.waitFor(() => expect(flushes).toHaveBeenCalledTimes(1), { timeout: 5_000 });
      // Nothing new: no more flushes.
      await settle(120);
      expect(flushes).toHaveBeenCalledTimes(1);
      audit.read(analyst, '127.0.0.1', 'GET /api/alerts/3', [3]);
      await vi.waitFor(() => expect(flushes).toHaveBeenCalledTimes(2), { timeout: 5_000 });
    } finally {
      audit.close();
    }
    expect(readAuditLog(file).map((r) => r.seqs)).toEqual([[1, 2], [3]]);
  });

  it('logs a flush that fails once, tries again, and says when it works again', async () => {
    const file = path.join(tempDir(), 'audit.ndjson');
    const lines: string[] = [];
    const real = fs.fdatasync;
    let failures = 2;
    vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, done: (error: NodeJS.ErrnoException | null) => void) => {
      if (failures-- > 0) return void setImmediate(() => done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })));
      real(fd, done);
    }) as typeof fs.fdatasync);
    const audit = new AuditLog(file, (line) => lines.push(line), 20);
    try {
      audit.read(analyst, '127.0.0.1', 'alerts:live', [7]);
      const deadline = Date.now() + 5_000;
      while (lines.length < 2 && Date.now() < deadline) await settle(20);
    } finally {
      audit.close();
    }
    expect(lines).toEqual([expect.stringMatching(/audit log .* not flushed to disk \(EIO: i\/o error, fdatasync\): tried again shortly/), expect.stringMatching(/audit log .* flushed to disk again/)]);
  });
});
