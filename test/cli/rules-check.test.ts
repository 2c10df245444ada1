import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, rulesWith } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const HEAD = (id: string): string => `  - id: ${id}\n    title: t\n    description: d\n    version: 1\n    owner: o\n    streams: [cargo]\n    severity: low\n    weight: 5\n`;

/** Line numbers below are those of this file's text: every fault sits on a line of its own. */
const BROKEN = [
  'rules:',
  HEAD('test.unknown-field-in-macro').trimEnd(), // lines 2-9
  '    condition: |', // 10
  '      event.items.size() > 0', // 11
  '      && derived.items.exists(d,', // 12
  '           d.item.grossKgg > 5000.0)', // 13
  HEAD('test.type-in-macro').trimEnd(), // 14-21
  '    condition: >-', // 22
  '      event.items.all(i,', // 23
  '        i.grossKg > "5000")', // 24
  HEAD('test.chapter-is-a-string').trimEnd(), // 25-32
  '    condition: derived.items.exists_one(d, d.hsChapter == 29)', // 33
  HEAD('test.filter-and-map').trimEnd(), // 34-41
  '    condition: |', // 42
  '      event.items.filter(i, i.packages > 2).size() > 0', // 43
  '      && event.items.map(i, i.value.amounts).size() > 0', // 44
  '',
].join('\n');

describe('border-risk rules check on broken rule files', () => {
  it('reports unknown fields and type mismatches inside macros at the line and column of the fault', () => {
    const rules = rulesWith({ 'indicators/broken.yaml': BROKEN });
    const file = path.join(rules, 'indicators', 'broken.yaml');
    const result = run(['rules', 'check', '--rules', rules]);
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n');
    const at = (line: number): string | undefined => lines.find((l) => l.startsWith(`${file}:${line}:`));
    expect(at(13)).toMatch(/:13:19 +rules\[0\]\.condition +No such key: grossKgg/);
    expect(at(24)).toMatch(/:24:\d+ +rules\[1\]\.condition +no such overload: double > string/);
    expect(at(33)).toMatch(/:33:\d+ +rules\[2\]\.condition +no such overload: string == int/);
    expect(at(44)).toMatch(/:44:\d+ +rules\[3\]\.condition +No such key: amounts/);
    // The column points into the line: the fault's text starts there.
    const column = Number(/:33:(\d+)/.exec(at(33)!)![1]);
    expect(BROKEN.split('\n')[32]!.slice(column - 1)).toMatch(/^d\.hsChapter == 29|^== 29/);
    expect(result.stdout).toContain('4 problem(s); the rule set was not loaded.');
    expect(result.stdout).not.toContain('ok: rule set');
  });
});
