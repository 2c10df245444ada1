import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generate } from '../../src/cli/generate.ts';
import { importMessages } from '../../src/cli/import.ts';
import { RULES_DIR, tempDir } from '../helpers.ts';

const GUIDE = path.join(import.meta.dirname, '../fixtures/edifact/guide');
const files = ['paxlst-d05b-passengers.edi', 'paxlst-d05b-bad-count.edi', 'pnrgov-13-1-two-bookings.edi'].map((f) => path.join(GUIDE, f));

afterEach(() => vi.restoreAllMocks());

describe('border-risk import', () => {
  it('writes the crossings read and every rejection with its segment, prints a summary, and exits 1 when anything was rejected', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const dir = tempDir();
    const out = path.join(dir, 'events.ndjson');
    const rejections = path.join(dir, 'rejections.ndjson');
    const code = await importMessages([...files, '--out', out, '--rejections', rejections, '--rules', RULES_DIR]);
    expect(code).toBe(1);
    const events = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { post: string; traveller: { familyName: string } });
    expect(events.map((e) => e.traveller.familyName)).toEqual(["O'BRIEN", 'NURLANOVA', 'AKHMEDOV', 'SAFAROV', 'BEKOVA']);
    // rules/lists/post-airports.yaml places Almaty's arrivals at KZ-ALA.
    expect(new Set(events.map((e) => e.post))).toEqual(new Set(['KZ-ALA']));
    const rejected = fs.readFileSync(rejections, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { scope: string; problems: string[] });
    expect(rejected.map((r) => r.scope)).toEqual(['traveller', 'message']);
    expect(rejected[1]!.problems[0]).toContain('segment 44 (UNT) element 1');
    expect(lines.join('\n')).toContain('read 3 file(s), 3 message(s): 5 traveller(s) → crossing events; rejected 0 file(s) or parts of files, 1 message(s), 1 traveller(s)');
  });

  it('reads back what generate --format pnrgov writes, every air crossing and nothing rejected', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const dir = tempDir();
    const messages = path.join(dir, 'traffic.edi');
    await generate(['--count', '2000', '--seed', '4', '--format', 'pnrgov', '--out', messages]);
    const written = /for (\d+) air crossing/.exec(lines.join('\n'))?.[1];
    expect(Number(written)).toBeGreaterThan(100);
    const code = await importMessages([messages, '--out', path.join(dir, 'events.ndjson'), '--rules', RULES_DIR]);
    expect(code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'events.ndjson'), 'utf8').trim().split('\n')).toHaveLength(Number(written));
  });

  it('refuses to run without a file', async () => {
    await expect(importMessages([])).rejects.toThrow(/name at least one message file/);
  });
});
