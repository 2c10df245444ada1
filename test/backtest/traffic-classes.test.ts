import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backtestCommand, judge } from '../../src/cli/backtest.ts';
import { record } from '../../src/cli/record.ts';
import { backtest } from '../../src/backtest/backtest.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { generated, RULES_DIR, shippedRules, tempDir } from '../helpers.ts';

afterEach(() => vi.restoreAllMocks());

/**
 * Traffic from "another source": seeded events labelled with classes of our own choosing,
 * one of them ("noisy-post") made of ordinary-looking crossings whose documents expired,
 * so that it raises medium alerts that no planted case accounts for.
 */
function labelledTraffic(dir: string): { events: string; labels: string; noisy: number; ordinary: number } {
  const traffic = generated(3000, { seed: 31, plantRate: 0.02 });
  const lines: string[] = [];
  const labels: string[] = [];
  let noisy = 0;
  let ordinary = 0;
  traffic.forEach((g, i) => {
    const event = structuredClone(g.event);
    let cls = event.kind === 'cargo' ? 'cargo' : 'traveller';
    if (!g.label && event.kind === 'crossing' && i % 50 === 0) {
      (event as Crossing).document.expiry = '2020-01-01';
      delete (event as Crossing).document.mrz;
      cls = 'noisy-post';
      noisy += 1;
    } else if (!g.label) ordinary += 1;
    lines.push(JSON.stringify(event));
    labels.push(JSON.stringify(g.label ? { ...g.label, class: cls } : { eventId: event.eventId, class: cls }));
  });
  const events = path.join(dir, 'day.ndjson');
  fs.writeFileSync(events, `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'day.labels.ndjson'), `${labels.join('\n')}\n`);
  return { events, labels: path.join(dir, 'day.labels.ndjson'), noisy, ordinary };
}

describe('backtest per traffic class', () => {
  const dir = tempDir();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const source = labelledTraffic(dir);
  const out = path.join(dir, 'rec');
  expect(record(['--in', source.events, '--out', out])).toBe(0);
  vi.restoreAllMocks();

  it('records each event with the class its labels file gives', () => {
    const recorded = [...readRecording(out)];
    expect(new Set(recorded.map((r) => r.trafficClass))).toEqual(new Set(['cargo', 'traveller', 'noisy-post']));
    expect(recorded.filter((r) => r.trafficClass === 'noisy-post').length).toBe(source.noisy);
    expect(recorded.filter((r) => r.label).every((r) => r.trafficClass !== undefined)).toBe(true);
  });

  it('counts medium-or-higher alerts per 1,000 ordinary events of each class, with the rules behind them', () => {
    const report = backtest({ ruleSet: shippedRules(), recordings: [out] });
    const noisy = report.classes!.find((c) => c.class === 'noisy-post')!;
    expect(noisy.events).toBe(source.noisy);
    expect(noisy.mediumOrHigher).toBe(source.noisy);
    expect(noisy.perThousand).toBe(1000);
    expect(noisy.rules[0]).toEqual({ ruleId: 'crossing.document-expired', alerts: source.noisy });
    const all = report.classes!.find((c) => c.class === 'all')!;
    expect(all.events).toBe(source.noisy + source.ordinary);
    expect(all.planted).toBe(report.planted!.cases);
    // Per rule, the same count over all events.
    const expired = report.rules.find((r) => r.ruleId === 'crossing.document-expired')!;
    expect(expired.falseAlerts).toBeGreaterThanOrEqual(source.noisy);
    expect(expired.falseAlertsPerThousand).toBeCloseTo((1000 * expired.falseAlerts) / report.events, 6);
    // Planted cases each say whether one of their indicators alerts alone.
    const byCase = new Map(report.planted!.byCase.map((c) => [c.case, c]));
    expect(byCase.get('expired-document')?.alertsAlone).toEqual(['crossing.document-expired']);
    expect(judge(report, 1, undefined)).toEqual([
      expect.stringMatching(/^class noisy-post: \d+ alerts \(medium or higher\) on \d+ ordinary events = 1000\.00 per 1,000, over the budget of 1/),
      // The whole stream is over too, carried by the noisy class.
      expect.stringMatching(/^class all: /),
    ]);
    expect(judge(report, 1000, 0.5)).toEqual([]);
  });

  it('exits 1 from the command line when a class is over the budget, and 0 when the budget holds', () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(backtestCommand(['--rules', RULES_DIR, '--budget', '1', out])).toBe(1);
    expect(logs.join('\n')).toMatch(/noisy-post\s+\d+\s+0\s+\d+\s+\d+\s+1000\.00/);
    expect(errors.join('\n')).toMatch(/class noisy-post: .* over the budget of 1/);
    expect(backtestCommand(['--rules', RULES_DIR, '--budget', '1000', '--json', out])).toBe(0);
    const json = JSON.parse(logs.at(-1)!) as { classes: { class: string }[] };
    expect(json.classes.map((c) => c.class)).toEqual(['cargo', 'noisy-post', 'traveller', 'all']);
  });

  it('refuses a bad --budget before running the backtest', () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    expect(() => backtestCommand(['--rules', RULES_DIR, '--budget', 'abc', out])).toThrow(/--budget must be a valid number/);
    expect(logs).toEqual([]);
  });

  it('stops record with the line number of a malformed labels line', () => {
    const bad = path.join(dir, 'bad.labels.ndjson');
    fs.writeFileSync(bad, '{"eventId":"x","class":"bus"}\n{"eventId":"y","case":"expired-document"}\n');
    expect(() => record(['--in', source.events, '--labels', bad, '--out', path.join(dir, 'rec2')])).toThrow(/bad\.labels\.ndjson:2: not a label line: .*case and indicators/);
  });
});
