import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { record } from '../../src/cli/record.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { generated, RULES_DIR, tempDir } from '../helpers.ts';

afterEach(() => vi.restoreAllMocks());

describe('the record command', () => {
  it('records an NDJSON file with the labels beside it, leaving out invalid lines with their line numbers', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = tempDir();
    const traffic = generated(400, { seed: 5, plantRate: 0.1 });
    const lines = traffic.map((g) => JSON.stringify(g.event));
    lines.splice(10, 0, '{"kind":"crossing","eventId":"broken"}', '{not json');
    fs.writeFileSync(path.join(dir, 'in.ndjson'), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'in.labels.ndjson'), traffic.flatMap((g) => (g.label ? [`${JSON.stringify(g.label)}\n`] : [])).join(''));
    const out = path.join(dir, 'rec');
    expect(record(['--in', path.join(dir, 'in.ndjson'), '--out', out, '--batch-events', '50'])).toBe(1);
    const said = errors.mock.calls.map((c) => String(c[0])).join('\n');
    expect(said).toMatch(/in\.ndjson:11: /);
    expect(said).toMatch(/in\.ndjson:12: invalid JSON/);
    expect(said).toMatch(/recorded 400 events in 1 segment/);
    const recorded = [...readRecording(out)];
    expect(recorded.map((r) => r.event.eventId)).toEqual(traffic.map((g) => g.event.eventId));
    expect(recorded.map((r) => r.n)).toEqual(traffic.map((_, i) => i + 1));
    expect(recorded.flatMap((r) => (r.label ? [r.label] : []))).toEqual(traffic.flatMap((g) => (g.label ? [g.label] : [])));
    // A directory that already holds a recording is not written over.
    expect(() => record(['--in', path.join(dir, 'in.ndjson'), '--out', out])).toThrow(/already holds a recording/);
  });

  it('records seeded generated traffic with its planted cases labelled, the same for the same seed', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = tempDir();
    const args = (out: string) => ['--generate', '--count', '600', '--seed', '9', '--plant-rate', '0.1', '--rules', RULES_DIR, '--out', path.join(dir, out)];
    expect(record(args('a'))).toBe(0);
    expect(record(args('b'))).toBe(0);
    const a = [...readRecording(path.join(dir, 'a'))];
    expect(a.length).toBe(600);
    expect(a.filter((r) => r.label).length).toBeGreaterThan(20);
    expect(JSON.stringify([...readRecording(path.join(dir, 'b'))])).toBe(JSON.stringify(a));
  });
});
