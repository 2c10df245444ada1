/**
 * A backtest of fresh traffic: a seeded day or two of generated events (new travellers on
 * nearly every crossing, as `generate --count 200000 --seed 11` then `record` make them)
 * recorded to Arrow, then `backtest` with the shipped pack, as a rule author runs it. Rows:
 * the full pack, and the pack without its watchlist name rules and without its stateful
 * rules, to show where the time goes. Each row is one backtest of the whole recording; the
 * rows run one after the other in one process, and each is timed in wall time and in the
 * process's CPU time (user + system), which a shared machine disturbs less, and in its main
 * thread's alone (Linux): the difference is mostly the collector's helper threads copying
 * the young objects that survive, which is the state the rules keep of each new traveller.
 *
 *   node --import tsx bench/fresh-traffic.bench.ts [--count N] [--seed S]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backtest } from '../src/backtest/backtest.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { validateEvent } from '../src/model/event.ts';
import { Recorder } from '../src/record/recorder.ts';
import { mainThreadCpuMs } from './stats.ts';
import { type CompiledRule, loadRuleSet, type RuleSet, rulesByKind } from '../src/rules/rule-set.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export function shippedRuleSet(): RuleSet {
  return loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
}

/** Records `count` events of seeded traffic into `dir` as `record --generate` does (validated, 1% planted). */
export function recordFreshTraffic(dir: string, count: number, seed: number, rules: RuleSet): void {
  const traffic = generateTraffic({ seed, plantRate: 0.01, ...trafficReference(rules.lists) });
  const recorder = Recorder.open(dir, { flushMs: 0 });
  for (let n = 1; n <= count; n++) {
    const { event, label, trafficClass } = traffic.next().value;
    const checked = validateEvent(JSON.parse(JSON.stringify(event)) as unknown);
    if (!checked.success) throw new Error(`the generator made an invalid event ${event.eventId}`);
    recorder.append({ n, event: checked.event, ...(label && { label: { ...label, eventTime: checked.event.eventTime, post: checked.event.post } }), trafficClass });
  }
  recorder.close();
}

/** The rule set without the rules `drop` picks (same compiled rules, same reference data). */
export function without(set: RuleSet, drop: (rule: CompiledRule) => boolean): RuleSet {
  const rules = set.rules.filter((rule) => !drop(rule));
  return { ...set, rules, byKind: rulesByKind(rules) };
}

export interface FreshTrafficRow {
  task: string;
  events: number;
  alerts: number;
  wallMs: number;
  cpuMs: number;
  /** Of `cpuMs`, the main thread's: the rest is the collector's helper threads (and the file reads'). */
  mainThreadCpuMs: number;
  /** Events per second of CPU time. */
  eventsPerCpuSecond: number;
  eventsPerSecond: number;
}

export function runFreshTrafficBench(options: { count?: number; seed?: number; log?: (line: string) => void } = {}): FreshTrafficRow[] {
  const { count = 200_000, seed = 11, log = () => {} } = options;
  const rules = shippedRuleSet();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-traffic-'));
  try {
    log(`recording ${count.toLocaleString('en')} events of seed ${seed} ...`);
    recordFreshTraffic(dir, count, seed, rules);
    const variants: [string, RuleSet][] = [
      [`full pack (${rules.rules.length} rules)`, rules],
      ['without the watchlist name rules', without(rules, (r) => r.def.watchlist !== undefined && r.def.watchlist.match !== 'documents')],
      ['without the stateful rules', without(rules, (r) => r.stateful !== undefined)],
    ];
    return variants.map(([task, set]) => {
      log(`backtest: ${task} ...`);
      const cpu0 = process.cpuUsage();
      const main0 = mainThreadCpuMs();
      const t0 = performance.now();
      const report = backtest({ ruleSet: set, recordings: [dir] });
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      return { task, events: report.events, alerts: report.alerts, wallMs, cpuMs, mainThreadCpuMs: mainThreadCpuMs() - main0, eventsPerCpuSecond: (report.events * 1000) / cpuMs, eventsPerSecond: (report.events * 1000) / wallMs };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printFreshTraffic(rows: readonly FreshTrafficRow[]): void {
  console.log('| backtest of fresh traffic | events | alerts | wall s | events/s (wall) | CPU s | events/s (CPU) | µs CPU/event | of which main thread |\n|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.task} | ${r.events.toLocaleString('en')} | ${r.alerts.toLocaleString('en')} | ${(r.wallMs / 1000).toFixed(1)} | ${Math.round(r.eventsPerSecond).toLocaleString('en')} | ${(r.cpuMs / 1000).toFixed(1)} | ${Math.round(r.eventsPerCpuSecond).toLocaleString('en')} | ${((r.cpuMs * 1000) / r.events).toFixed(1)} | ${Number.isNaN(r.mainThreadCpuMs) ? '-' : ((r.mainThreadCpuMs * 1000) / r.events).toFixed(1)} |`,
    );
  }
}

/** `--name value` from the command line, as a whole number. */
export function intOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of 1 or more`);
  return value;
}

if (process.argv[1] === import.meta.filename) {
  printFreshTraffic(runFreshTrafficBench({ count: intOption('count', 200_000), seed: intOption('seed', 11), log: (line) => console.error(line) }));
}
