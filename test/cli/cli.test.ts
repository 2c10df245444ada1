import { TRAFFIC_CLASSES } from '../../src/generate/traffic-class.ts';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { ROOT, TestClient, tempDir } from '../helpers.ts';

const BIN = path.join(ROOT, 'bin', 'border-risk.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Collects a child's standard output and resolves once a line matches. */
function waitForLine(child: ChildProcess, output: string[], pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs);
    const check = (): void => {
      const match = output.join('').match(pattern);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match);
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

describe('border-risk serve --demo (what npm start runs)', () => {
  it('prints alerts within 10 s, serves them on /alerts, and stops cleanly on Ctrl-C with the journal flushed', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data-dir', dataDir, '--demo-rate', '100', '--demo-plant-rate', '0.1', '--seed', '5', '--stats-every', '1'], { cwd: ROOT });
    children.push(child);
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));

    const [, url] = await waitForLine(child, output, /listening on (ws:\/\/[\d.]+:\d+)/, 10_000);
    // A first start makes the tokens file and shows its administrator token once, in the console's URL too.
    const [, admin] = await waitForLine(child, output, /console: http:\/\/[\d.]+:\d+\/#token=(brk_[\w-]+)/, 10_000);
    const started = Date.now();
    const subscriber = new TestClient(`${url}/alerts`, admin);
    await subscriber.opened();
    await waitForLine(child, output, /#1 +(LOW|MEDIUM|HIGH|CRITICAL)/, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    await subscriber.until((m) => m.some((x) => (x as { type: string }).type === 'alert'));
    await waitForLine(child, output, /events\/s accepted/, 5_000);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const [, accepted] = await waitForLine(child, output, /stopped cleanly: (\d+) accepted/, 10_000);
    expect(await exited).toBe(0);
    const journal = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean);
    expect(journal).toHaveLength(Number(accepted));
    expect(Number(accepted)).toBeGreaterThan(0);
    subscriber.close();
  });

  it('refuses a port that is in use with a clear message', async () => {
    const dataDir = tempDir();
    const first = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--stats-every', '0'], { cwd: ROOT });
    children.push(first);
    const output: string[] = [];
    first.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    const [, port] = await waitForLine(first, output, /listening on ws:\/\/[\d.]+:(\d+)/, 10_000);
    const second = run(['serve', '--port', port!, '--data-dir', tempDir()]);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    first.kill('SIGINT');
  });
});

describe('border-risk generate', () => {
  it('writes the same seeded traffic twice, with the labels beside it', () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.ndjson');
    const b = path.join(dir, 'b.ndjson');
    const first = run(['generate', '--count', '500', '--seed', '4', '--plant-rate', '0.05', '--out', a]);
    expect(first.status).toBe(0);
    run(['generate', '--count', '500', '--seed', '4', '--plant-rate', '0.05', '--out', b]);
    expect(fs.readFileSync(a, 'utf8')).toBe(fs.readFileSync(b, 'utf8'));
    expect(fs.readFileSync(a, 'utf8').trim().split('\n')).toHaveLength(500);
    // One label line per event: its traffic class, and for planted cases the case and its indicators.
    const lines = fs.readFileSync(path.join(dir, 'a.labels.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eventId: string; class: string; case?: string; indicators?: string[] });
    const events = fs.readFileSync(a, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { eventId: string }).eventId);
    expect(lines.map((l) => l.eventId)).toEqual(events);
    expect(lines.every((l) => typeof l.class === 'string' && l.class.length > 0)).toBe(true);
    const labels = lines.filter((l) => l.case !== undefined);
    expect(first.stderr).toContain(`${labels.length} planted cases`);
    expect(labels.length).toBeGreaterThan(5);
    expect(labels.every((l) => l.indicators!.length > 0)).toBe(true);
  });

  it('lists the traffic classes with what each is', () => {
    const listed = run(['generate', '--list-classes']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^commuter +a worker crossing between paired posts/m);
    expect(listed.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual([...TRAFFIC_CLASSES]);
  });

  it('rejects unknown options and unknown planted cases with the reason', () => {
    const badOption = run(['generate', '--colour', 'red']);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--colour'");
    const badCase = run(['generate', '--cases', 'smuggled-cheese']);
    expect(badCase.status).toBe(2);
    expect(badCase.stderr).toContain('unknown planted case(s): smuggled-cheese');
  });
});

describe('border-risk rules check', () => {
  it('passes on the shipped rules and points at file and line for a broken one', () => {
    expect(run(['rules', 'check'])).toMatchObject({ status: 0, stdout: expect.stringContaining('ok: rule set') });
    const rules = tempDir();
    fs.cpSync(path.join(ROOT, 'rules'), rules, { recursive: true });
    fs.writeFileSync(path.join(rules, 'broken.yaml'), 'id: test.broken\ntitle: t\ndescription: d\nversion: 1\nowner: o\nstreams: [crossings]\nseverity: low\nweight: 5\ncondition: event.traveller.age > 60\n');
    const result = run(['rules', 'check', '--rules', rules]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${path.join(rules, 'broken.yaml')}:9:28  condition  No such key: age`);
  });
});

describe('border-risk rules test and rules explain', () => {
  it('runs the shipped examples, and explains an event file rule by rule', () => {
    const tested = run(['rules', 'test']);
    expect(tested.status).toBe(0);
    expect(tested.stdout).toMatch(/(\d+) of \1 examples passed/);
    const file = path.join(tempDir(), 'events.ndjson');
    run(['generate', '--count', '2', '--seed', '9', '--plant-rate', '1', '--cases', 'stolen-document', '--out', file]);
    const explained = run(['rules', 'explain', '--event', file]);
    expect(explained.status).toBe(0);
    expect(explained.stdout).toMatch(/FIRED {2}crossing\.document-stolen-lost v1 \+100/);
    expect(explained.stdout).toMatch(/score \d+ → CRITICAL alert/);
  });
});

describe('border-risk rules stats', () => {
  it('shows each rule\'s alerts and how analysts triaged them, from the alert database', () => {
    const dataDir = tempDir();
    const store = new AlertStore(path.join(dataDir, 'alerts.db'));
    const indicator = { id: 'crossing.cash-payment', version: 1, title: 'Cash', weight: 30, severity: 'low' as const, tags: [], evidence: [] };
    const alert = (n: number): Alert => ({ alertId: `a${n}`, eventId: `e${n}`, kind: 'crossing', post: 'KZ-KORDAY', eventTime: '2026-11-02T10:00:00.000+05:00', journalRecord: n, subject: 's', score: 60, threshold: 50, severity: 'low', ruleSetVersion: 'v', indicators: [indicator], shadowIndicators: [], trigger: 'event', event: {} as Alert['event'] });
    for (let n = 1; n <= 5; n++) store.append(alert(n));
    const at = '2026-11-22T10:00:00.000Z';
    store.triage(1, { action: 'dismiss', by: 'A', at, reason: 'true-hit' });
    store.triage(2, { action: 'dismiss', by: 'A', at, reason: 'false-positive' });
    store.triage(3, { action: 'dismiss', by: 'A', at, reason: 'false-positive' });
    store.triage(4, { action: 'acknowledge', by: 'A', at });
    // A duplicate says nothing of whether the rule was right: precision leaves it out.
    store.triage(5, { action: 'dismiss', by: 'A', at, reason: 'duplicate' });
    store.close();
    const result = run(['rules', 'stats', '--data-dir', dataDir, '--json']);
    expect(result.status).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rules: { ruleId: string }[] }).rules;
    expect(rows.find((r) => r.ruleId === 'crossing.cash-payment')).toEqual({
      ruleId: 'crossing.cash-payment', alerts: 5, shadow: 0, triaged: 4, confirmed: 1, falsePositives: 2, duplicates: 1, other: 0, confirmedRate: 1 / 4, falsePositiveRate: 2 / 4, precision: 1 / 3,
      referral: { referred: 0, positive: 0, negative: 0, missed: 0 }, referralPrecision: null,
    });
    expect(rows.find((r) => r.ruleId === 'crossing.document-expired')).toMatchObject({ alerts: 0, triaged: 0, confirmedRate: null, precision: null });
    const text = run(['rules', 'stats', '--data-dir', dataDir]).stdout;
    expect(text).toMatch(/crossing\.cash-payment\s+5\s+0\s+4\s+1 25%\s+2 50%\s+33%/);
    expect(text).toMatch(/crossing\.document-expired\s+0\s+0\s+0\s+0\s+0\s+-\s+0\s+0\/0\s+-\n/);
    expect(text).not.toContain('null');
  });
});

describe('border-risk --help', () => {
  it('lists the commands, and each command explains its options', () => {
    expect(run(['--help']).stdout).toMatch(/serve[\s\S]*generate[\s\S]*rules/);
    for (const command of ['serve', 'generate', 'rules']) {
      const help = run([command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: border-risk ${command}`);
    }
  });
});
