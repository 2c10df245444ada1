/**
 * What each stateful indicator of the shipped pack costs: the full pack against the pack
 * without that one indicator, side by side in one run, on the stream of the full-pack row
 * of `rules.bench.ts` (200,000 events, crossings over 100,000 documents). Every variant
 * keeps its own state engine; blocks of 1,000 events go to each variant in turn (the order
 * reversed every other block), so machine noise falls on all of them alike. A figure is
 * what leaving the indicator out saves: a key table its neighbours share stays, so the
 * savings do not add up to the stateful part as a whole (its own row). With a state engine
 * per variant the caches are colder than in `rules.bench.ts`, so the figures per event are
 * higher there; compare rows of one run, not runs. Rows within about 0.3 µs of nothing are
 * noise on this machine (some come out below zero).
 *
 *   node --import tsx bench/rule-costs.ts [--passes N]
 */
import path from 'node:path';
import { enrichEvent } from '../src/enrich/enrich.ts';
import { assessEvent } from '../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../src/indicators/state-engine.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { type CompiledRule, loadRuleSet, type RuleSet, rulesByKind } from '../src/rules/rule-set.ts';
import { manyDocumentEvents } from './rules.bench.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BLOCK = 1000;

export interface RuleCostRow {
  variant: string;
  usPerEvent: number;
  /** What leaving it out saves per event, against the full pack (µs). */
  savesUs: number;
}

/** The rule set without the rules `drop` picks (same compiled rules, same reference data). */
function without(set: RuleSet, drop: (rule: CompiledRule) => boolean): RuleSet {
  const rules = set.rules.filter((rule) => !drop(rule));
  return { ...set, rules, byKind: rulesByKind(rules) };
}

export function runRuleCosts(passes = 2, onPass?: (pass: number, passes: number) => void): RuleCostRow[] {
  const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const stream = manyDocumentEvents(rules, 200_000).map((event, i) => enrichEvent(i + 1, event, rules.reference));
  const span = stream.at(-1)!.derived.eventTimeMs - stream[0]!.derived.eventTimeMs + 60_000;
  const variants: [string, RuleSet][] = [
    ['full pack', rules],
    ['without every stateful indicator', without(rules, (r) => r.stateful !== undefined)],
    ['without the watchlist name indicators', without(rules, (r) => r.def.watchlist !== undefined && r.def.watchlist.match !== 'documents')],
    ...rules.rules.filter((r) => r.stateful).map((r): [string, RuleSet] => [`without ${r.def.id}`, without(rules, (x) => x === r)]),
  ];
  const runs = variants.map(([variant, set]) => ({ variant, set, engine: new StateEngine(), metrics: createMetrics(), times: [] as number[], shift: 0 }));
  let sink = 0;
  const block = (run: (typeof runs)[number], from: number): number => {
    // Each variant sees the stream at its own pass's event times.
    for (let i = from; i < from + BLOCK; i++) stream[i]!.derived.eventTimeMs += run.shift;
    const t0 = performance.now();
    for (let i = from; i < from + BLOCK; i++) sink += assessEvent(run.set, run.engine, stream[i]!, run.metrics).fired.length;
    const elapsed = performance.now() - t0;
    for (let i = from; i < from + BLOCK; i++) stream[i]!.derived.eventTimeMs -= run.shift;
    return elapsed;
  };
  // Pass 0 warms every engine (100,000 documents in state) and is not timed.
  for (let pass = 0; pass <= passes; pass++) {
    for (let from = 0, k = 0; from < stream.length; from += BLOCK, k++) {
      for (const run of k % 2 === 0 ? runs : [...runs].reverse()) {
        const elapsed = block(run, from);
        if (pass > 0) run.times.push(elapsed);
      }
    }
    for (const run of runs) run.shift += span;
    onPass?.(pass, passes);
  }
  if (sink < 0) throw new Error('unreachable');
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const full = (median(runs[0]!.times) * 1000) / BLOCK;
  return runs.map(({ variant, times }) => {
    const us = (median(times) * 1000) / BLOCK;
    return { variant, usPerEvent: us, savesUs: full - us };
  });
}

if (process.argv[1] === import.meta.filename) {
  const at = process.argv.indexOf('--passes');
  const passes = at > 0 ? Number(process.argv[at + 1]) : 2;
  if (!Number.isInteger(passes) || passes < 1) throw new Error('--passes takes a whole number of 1 or more');
  console.error('building 200,000 events and one state engine per variant ...');
  const rows = runRuleCosts(passes, (pass, n) => console.error(pass === 0 ? 'warmed' : `pass ${pass} of ${n}`));
  console.log('| variant | µs/event | events/s | saves µs/event |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.variant} | ${r.usPerEvent.toFixed(3)} | ${Math.round(1e6 / r.usPerEvent).toLocaleString('en')} | ${r.savesUs.toFixed(3)} |`);
}
