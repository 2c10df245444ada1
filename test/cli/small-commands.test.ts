import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { Casework } from '../../src/casework/casework.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { ROOT, rulesWith, tempDir } from '../helpers.ts';

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

describe('border-risk rules check --help', () => {
  it('prints the help of check itself, not of every rules action', () => {
    const help = run(['rules', 'check', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: border-risk rules check [--rules DIR] [--streams DIR]');
    expect(help.stdout).toMatch(/--rules <value>/);
    expect(help.stdout).not.toMatch(/--event|--data-dir|rules explain|rules stats/);
    expect(run(['rules', 'stats', '--help']).stdout).toContain('Usage: border-risk rules stats [--data-dir DIR]');
    // Without an action, the whole command's help.
    expect(run(['rules', '--help']).stdout).toContain('rules check | rules test | rules explain');
  });
});

describe('border-risk rules stats on alerts nobody has triaged yet', () => {
  it('counts zero true hits and false positives, never null', () => {
    const dataDir = tempDir();
    const store = new AlertStore(path.join(dataDir, 'alerts.db'));
    const indicator = { id: 'crossing.document-expired', version: 1, title: 'Expired', weight: 60, severity: 'medium' as const, tags: [], evidence: [] };
    for (let n = 1; n <= 3; n++) {
      store.append({ alertId: `a${n}`, eventId: `e${n}`, kind: 'crossing', post: 'KZ-KORDAY', eventTime: '2026-11-02T10:00:00.000+05:00', journalRecord: n, subject: 's', score: 60, threshold: 50, severity: 'medium', ruleSetVersion: 'v', indicators: [indicator], shadowIndicators: [], trigger: 'event', event: {} as Alert['event'] });
    }
    store.triage(1, { action: 'acknowledge', by: 'A', at: '2026-11-22T10:00:00.000Z' });
    store.close();
    const text = run(['rules', 'stats', '--data-dir', dataDir]);
    expect(text.status).toBe(0);
    expect(text.stdout).not.toContain('null');
    expect(text.stdout).toMatch(/crossing\.document-expired\s+3\s+0\s+0\s+0\s+0\s+-\s+0\s+0\/0\s+-\n/);
    const json = JSON.parse(run(['rules', 'stats', '--data-dir', dataDir, '--json']).stdout) as { rules: { ruleId: string }[] };
    expect(json.rules.find((r) => r.ruleId === 'crossing.document-expired')).toMatchObject({ alerts: 3, triaged: 0, confirmed: 0, falsePositives: 0, duplicates: 0, other: 0 });
  });

  it('counts referral outcomes per rule from cases, with the precision of the referrals that say yes or no', () => {
    const dataDir = tempDir();
    const store = new AlertStore(path.join(dataDir, 'alerts.db'));
    const casework = new Casework(store);
    const expired = { id: 'crossing.document-expired', version: 1, title: 'Expired', weight: 60, severity: 'medium' as const, tags: [], evidence: [] };
    const cash = { id: 'crossing.one-way-cash-same-day', version: 1, title: 'Cash', weight: 35, severity: 'low' as const, tags: [], evidence: [] };
    for (let n = 1; n <= 5; n++) {
      store.append({ alertId: `a${n}`, eventId: `e${n}`, kind: 'crossing', post: 'KZ-KORDAY', eventTime: '2026-11-02T10:00:00.000+05:00', journalRecord: n, subject: 's', score: 95, threshold: 50, severity: 'medium', ruleSetVersion: 'v', indicators: n <= 3 ? [expired, cash] : [expired], shadowIndicators: [], trigger: 'event', event: {} as Alert['event'] });
    }
    // Alerts 1-2 refused entry, 3 released, 4 missed; 5 never referred.
    const refused = casework.cases.create({ title: 'one', seqs: [1, 2], by: 'A' });
    casework.cases.update(refused.id, { outcome: 'refused-entry', status: 'closed' }, 'A');
    casework.cases.update(casework.cases.create({ title: 'two', seqs: [3], by: 'A' }).id, { outcome: 'released' }, 'A');
    casework.cases.update(casework.cases.create({ title: 'three', seqs: [4], by: 'A' }).id, { outcome: 'missed' }, 'A');
    store.close();
    const json = JSON.parse(run(['rules', 'stats', '--data-dir', dataDir, '--json']).stdout) as { rules: { ruleId: string; referral: unknown; referralPrecision: number | null }[] };
    const byRule = new Map(json.rules.map((r) => [r.ruleId, r]));
    expect(byRule.get('crossing.document-expired')).toMatchObject({ referral: { referred: 4, positive: 2, negative: 1, missed: 1 }, referralPrecision: 2 / 3 });
    expect(byRule.get('crossing.one-way-cash-same-day')).toMatchObject({ referral: { referred: 3, positive: 2, negative: 1, missed: 0 } });
    const text = run(['rules', 'stats', '--data-dir', dataDir]).stdout;
    expect(text).toMatch(/crossing\.document-expired\s+5\s+0\s+0\s+0\s+0\s+-\s+4\s+2\/1\s+67%\n/);
  });
});

describe('border-risk watchlist screen', () => {
  it('prints a readable screening by default and JSON with --json', () => {
    const text = run(['watchlist', 'screen', '--family', 'Умаров', '--given', 'Доку', '--dob', '1964-04-13']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^screening Умаров Доку, born 1964-04-13: \d+ match/);
    expect(text.stdout).toMatch(/MATCH {2}DOKU KHAMATOVICH UMAROV {2}\(un-sc UN-\d+, QDi\.290\) {2}score 1\.00, threshold 0\.90/);
    expect(text.stdout).toContain('name parts: umarov = umarov, doku = doku');
    expect(text.stdout).toContain('+0.06 dateOfBirth: exact: listed 1964-04-13');
    expect(text.stdout.trimStart().startsWith('{')).toBe(false);
    const json = JSON.parse(run(['watchlist', 'screen', '--family', 'Умаров', '--given', 'Доку', '--json']).stdout) as { matches: { name: string }[] };
    expect(json.matches.map((m) => m.name)).toContain('DOKU KHAMATOVICH UMAROV');
    expect(run(['watchlist', 'screen', '--family', 'Nobodyvich', '--given', 'Zzyzx']).stdout).toMatch(/^screening Nobodyvich Zzyzx: no match$/m);
  });
});
