import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/cli/anomaly.ts';
import { Random } from '../../src/generate/random.ts';
import { ROOT, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, 'anomaly', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A NAB-style file: five-minute rows with a daily cycle and one spike at row 1500. */
function nabCsv(dir: string): { file: string; lines: string[] } {
  const rng = new Random(3);
  const start = Date.parse('2014-04-01T00:00:00Z');
  const lines = ['timestamp,value'];
  for (let i = 0; i < 2000; i++) {
    const v = i === 1500 ? 400 : 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + rng.normal();
    lines.push(`${new Date(start + i * 300_000).toISOString().slice(0, 19).replace('T', ' ')},${v}`);
  }
  const file = path.join(dir, 'series.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, lines };
}

const rowsOf = (file: string): string[][] => fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => l.split(','));

describe('border-risk anomaly score', () => {
  it('writes every row with its timestamp and value unchanged and a score, high at the spike', () => {
    const dir = tempDir();
    const { file, lines } = nabCsv(dir);
    const out = path.join(dir, 'scored.csv');
    const result = run(['score', '--in', file, '--out', out]);
    expect(result.stderr).toContain('scored 2000 of 2000 rows');
    expect(result.status).toBe(0);
    const rows = rowsOf(out);
    expect(rows[0]).toEqual(['timestamp', 'value', 'anomaly_score']);
    expect(rows).toHaveLength(lines.length);
    rows.slice(1).forEach((row, i) => {
      expect(`${row[0]},${row[1]}`).toBe(lines[i + 1]);
    });
    const scores = rows.slice(1).map((r) => Number(r[2]));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores[1500]).toBeGreaterThan(0.5);
    expect(scores.filter((s) => s > 0.5).length).toBeLessThanOrEqual(3);
  });

  it('reports bad rows by line, keeps them in the output without a score, goes on, and exits 1', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'site,value,timestamp\nA,1,2024-01-01T00:00:00Z\nA,lots,2024-01-01T01:00:00Z\n\nA,3,yesterday\n"B,C",4,2024-01-01 03:00:00\n');
    const out = path.join(dir, 'out.csv');
    const result = run(['score', '--in', file, '--out', out, '--detector', 'robust']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}:3: value "lots" is not a finite number`);
    expect(result.stderr).toContain(`${file}:5: timestamp "yesterday" is not a date-time`);
    expect(result.stderr).toContain('scored 2 of 4 rows (2 not scored');
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'timestamp,value,anomaly_score\n2024-01-01T00:00:00Z,1,0\n2024-01-01T01:00:00Z,lots,\nyesterday,3,\n2024-01-01 03:00:00,4,0\n',
    );
  });

  it('stops with the line number when the file is not CSV at all', () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, 'timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,"2\n');
    const result = run(['score', '--in', file, '--out', path.join(dir, 'out.csv')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/error \(ERR_CONFIG\): .*broken\.csv:3: not readable as CSV: Quote Not Closed/);
  });

  it('refuses a header without timestamp and value, and a detector spec that is not valid', () => {
    const dir = tempDir();
    const file = path.join(dir, 'h.csv');
    fs.writeFileSync(file, 'time,val\n1,2\n');
    const header = run(['score', '--in', file, '--out', path.join(dir, 'o.csv')]);
    expect(header.status).toBe(2);
    expect(header.stderr).toContain('h.csv:1: the header needs timestamp and value columns, found: "time", "val"');
    const spec = run(['score', '--in', file, '--out', path.join(dir, 'o.csv'), '--detector', '{"kind":"cusum","h":0}']);
    expect(spec.status).toBe(2);
    expect(spec.stderr).toContain('h: Too small');
    expect(run(['score', '--in', file, '--out', path.join(dir, 'o.csv'), '--detector', 'magic']).stderr).toContain('unknown --detector "magic"');
  });

  it('reads NAB, RFC 3339 and epoch-millisecond timestamps, zoneless ones as UTC', () => {
    expect(parseTimestamp('2014-04-01 00:05:00')).toBe(Date.UTC(2014, 3, 1, 0, 5));
    expect(parseTimestamp('2014-04-01T00:05:00.250')).toBe(Date.UTC(2014, 3, 1, 0, 5, 0, 250));
    expect(parseTimestamp('2014-04-01T05:05:00+05:00')).toBe(Date.UTC(2014, 3, 1, 0, 5));
    expect(parseTimestamp('1396310700000')).toBe(Date.UTC(2014, 3, 1, 0, 5));
    expect(parseTimestamp('01/04/2014')).toBeNaN();
    expect(parseTimestamp('')).toBeNaN();
  });
});
