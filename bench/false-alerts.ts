/**
 * The false-alert budget on realistic traffic: a seeded stretch of generated traffic
 * (buses, cars, commuters, shuttle traders, trucks, block trains, flights, tour groups,
 * crews, with planted cases), recorded as a recording is, and backtested with a rule set.
 * It reports, per traffic class, the medium-or-higher alerts per 1,000 ordinary events, and
 * the planted recall per case. `npm run bench` prints it for two seeds: one the weights
 * were tuned on, one held out. Run alone:
 *
 *   node --import tsx bench/false-alerts.ts [--events N] [--seed S] [--start T] [--volume V] [--unknown-posts] [--rules DIR]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BacktestReport, backtest } from '../src/backtest/backtest.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { validateEvent } from '../src/model/event.ts';
import { Recorder } from '../src/record/recorder.ts';
import { loadLists } from '../src/enrich/lists.ts';
import { loadRuleSet } from '../src/rules/rule-set.ts';

export interface BudgetRun {
  seed: number;
  events: number;
  report: BacktestReport;
}

export interface BudgetOptions {
  seed: number;
  events: number;
  /** @default 'rules' */
  rulesDir?: string;
  /** @default 'streams' */
  streamsDir?: string;
  /** @default 0.01 */
  plantRate?: number;
  /** @default '2026-11-02T00:00:00Z' (a Monday) */
  start?: string;
  /** Multiplier of the generator's volumes. @default 1 */
  volume?: number;
  /**
   * Renames every post to a code the posts list does not know (`KZ-KORDAY` → `KZ-P01`), as
   * traffic from a deployment whose lists name none of its crossing points would look.
   * @default false
   */
  unknownPosts?: boolean;
  /** Called every 10,000 events generated. */
  onProgress?: (done: number) => void;
}

/**
 * Records seeded realistic traffic, validated as /ingest would take it, with each event's
 * traffic class and planted cases labelled, into `recording` (a new directory).
 */
export function recordRealisticTraffic(recording: string, options: Omit<BudgetOptions, 'rulesDir' | 'streamsDir'> & { listsDir?: string }): void {
  const { seed, events, plantRate = 0.01, start = '2026-11-02T00:00:00Z', volume = 1, unknownPosts = false, onProgress, listsDir = path.join('rules', 'lists') } = options;
  const recorder = Recorder.open(recording, { flushMs: 0 });
  const renamed = new Map<string, string>();
  const rename = (post: string): string => {
    let code = renamed.get(post);
    if (code === undefined) renamed.set(post, (code = `${post.slice(0, 2)}-P${String(renamed.size + 1).padStart(2, '0')}`));
    return code;
  };
  try {
    const traffic = generateTraffic({ seed, start, plantRate, volume, ...trafficReference(loadLists(listsDir)) });
    for (let n = 1; n <= events; n++) {
      const { event, label: original, trafficClass } = traffic.next().value;
      let label = original;
      if (unknownPosts) {
        event.post = rename(event.post);
        if (label) label = { ...label, post: event.post };
      }
      const checked = validateEvent(JSON.parse(JSON.stringify(event)) as unknown);
      if (!checked.success) throw new Error(`generated an invalid event ${event.eventId}: ${JSON.stringify(checked.issues)}`);
      recorder.append(label ? { n, event: checked.event, label, trafficClass } : { n, event: checked.event, trafficClass });
      if (n % 10_000 === 0) onProgress?.(n);
    }
  } finally {
    recorder.close();
  }
}

/** Generates, records (into a temporary directory, removed after) and backtests. */
export function runFalseAlertBudget(options: BudgetOptions): BudgetRun {
  const { rulesDir = 'rules', streamsDir = 'streams' } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'border-risk-budget-'));
  try {
    const recording = path.join(dir, 'traffic');
    recordRealisticTraffic(recording, { ...options, listsDir: path.join(rulesDir, 'lists') });
    const report = backtest({ ruleSet: loadRuleSet({ rulesDir, streamsDir }), recordings: [recording] });
    return { seed: options.seed, events: options.events, report };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One table row per traffic class: ordinary events, alerts and medium-or-higher alerts per 1,000. */
export function budgetRows(run: BudgetRun): Record<string, string | number>[] {
  return (run.report.classes ?? []).map((c) => ({
    seed: run.seed,
    class: c.class,
    events: c.events,
    'alerts (any)': c.alerts,
    '≥medium': c.mediumOrHigher,
    '≥medium /1,000': c.perThousand.toFixed(2),
    'top rules': c.rules.slice(0, 2).map((r) => `${r.ruleId} ${r.alerts}`).join(', '),
  }));
}

export function recallLine(run: BudgetRun): string {
  const p = run.report.planted;
  if (!p) return `seed ${run.seed}: no planted cases`;
  const worst = [...p.byCase].sort((a, b) => a.recall - b.recall)[0];
  return `seed ${run.seed}: planted recall ${(100 * p.recall).toFixed(1)}% (${p.found} of ${p.cases}); lowest case ${worst?.case} ${(100 * (worst?.recall ?? 0)).toFixed(1)}%`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const events = Number(arg('events') ?? 200_000);
  const seeds = arg('seed') ? [Number(arg('seed'))] : [1, 2];
  const start = arg('start');
  const volume = arg('volume');
  for (const seed of seeds) {
    const run = runFalseAlertBudget({
      seed,
      events,
      rulesDir: arg('rules') ?? 'rules',
      ...(start !== undefined && { start }),
      ...(volume !== undefined && { volume: Number(volume) }),
      unknownPosts: process.argv.includes('--unknown-posts'),
      onProgress: (n) => process.stderr.write(`\rseed ${seed}: ${n.toLocaleString('en')} of ${events.toLocaleString('en')} events generated`),
    });
    process.stderr.write('\n');
    console.table(budgetRows(run));
    console.log(recallLine(run));
  }
}
