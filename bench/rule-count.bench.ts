/**
 * How the stateless rule loop scales with the number of rules: the shipped stateless pack
 * alone, then with extra profile rules of equality and membership tests
 * (`event.traveller.nationality == "KAZ" && event.post == "KZ-ALA"`,
 * `event.post in [...] && event.traveller.nationality == "AFG"`), as a targeting centre
 * writes them by the hundred. Each size runs twice: through the predicate index (what the
 * pipeline does) and with every rule's condition evaluated on every event (as before the
 * index). The shipped stateless pack here is its plain-condition rules (watchlist rules,
 * which screen names, and stateful rules are left out of every variant). Blocks of 250
 * seeded crossings and cargo declarations go to every variant in turn, so the shared
 * machine's noise falls on all of them alike; the figures are medians over blocks. The
 * target: 1,000 extra rules cost at most 2× the shipped stateless pack per event.
 *
 *   node --import tsx bench/rule-count.bench.ts [--passes N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enrichEvent } from '../src/enrich/enrich.ts';
import type { EnrichedEvent } from '../src/enrich/enriched.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { Random } from '../src/generate/random.ts';
import { firedRules } from '../src/indicators/evaluate-indicators.ts';
import { predicateIndex } from '../src/indicators/predicate-index.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { validateEvent } from '../src/model/event.ts';
import countries from 'i18n-iso-countries';
import { loadRuleSet, type RuleSet, rulesByKind } from '../src/rules/rule-set.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BLOCK = 250;
const BLOCKS = 40;

export interface RuleCountRow {
  rules: number;
  variant: 'indexed' | 'every condition';
  usPerEvent: number;
  /** Against the shipped stateless pack, indexed. */
  ratio: number;
  /** Rules whose condition ran, and rules that fired, per event (means). */
  evaluated: number;
  fired: number;
}

/** `count` profile rules over the nationalities and posts the traffic uses, and codes it does not. */
function profileRules(count: number, posts: readonly string[], nationalities: readonly string[]): string {
  const rng = new Random(31);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)]!;
  const lines = ['rules:'];
  for (let i = 0; i < count; i++) {
    const nationality = pick(nationalities);
    const condition =
      i % 3 === 2
        ? `event.post in ${JSON.stringify([pick(posts), pick(posts), pick(posts)])} && event.traveller.nationality == "${nationality}"`
        : `event.traveller.nationality == "${nationality}" && event.post == "${pick(posts)}"`;
    lines.push(
      `  - id: profile.p${i}`,
      `    title: Profile ${i}`,
      '    description: A targeting profile of two field tests.',
      '    version: 1',
      '    owner: bench',
      '    streams: [crossings]',
      '    severity: low',
      '    weight: 1',
      `    condition: '${condition}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The shipped rules plus `extra` profile rules, loaded as a rule author's directory would be. */
function withProfiles(extra: number, posts: readonly string[], nationalities: readonly string[]): RuleSet {
  const streamsDir = path.join(ROOT, 'streams');
  if (extra === 0) return loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-count-'));
  try {
    fs.cpSync(path.join(ROOT, 'rules'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'indicators', 'profiles.yaml'), profileRules(extra, posts, nationalities));
    return loadRuleSet({ rulesDir: dir, streamsDir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Only the stateless rules (the loop under test), and the same without their index tests. */
function stateless(set: RuleSet): { indexed: RuleSet; naive: RuleSet } {
  // Both are copies made alike, so that neither has its rule objects closer together in memory.
  const rules = set.rules.filter((r) => !r.stateful && !r.kind).map((r) => ({ ...r }));
  const plain = rules.map(({ indexTests: _, ...r }) => r);
  return { indexed: { ...set, rules, byKind: rulesByKind(rules) }, naive: { ...set, rules: plain, byKind: rulesByKind(plain) } };
}

export function runRuleCountBench(passes = 1, log: (line: string) => void = () => {}): RuleCountRow[] {
  const shipped = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const traffic = generateTraffic({ seed: 4242, plantRate: 0.02, ...trafficReference(shipped.lists) });
  const events: EnrichedEvent[] = Array.from({ length: BLOCK * BLOCKS }, (_, i) => {
    const result = validateEvent(JSON.parse(JSON.stringify(traffic.next().value.event)) as unknown);
    if (!result.success) throw new Error('generated an invalid event');
    return enrichEvent(i + 1, result.event, shipped.reference);
  });
  const posts = [...new Set(events.map((e) => e.event.post))];
  const seen = [...new Set(events.flatMap((e) => (e.event.kind === 'crossing' ? [e.event.traveller.nationality] : [])))];
  // Most profiles name travellers from elsewhere than the region's usual traffic, so that,
  // as profiles do, they seldom fire: nine in ten use a code the traffic never carries.
  const unseen = Object.keys(countries.getAlpha3Codes()).filter((code) => !seen.includes(code));
  const nationalities = [...seen, ...Array.from({ length: 9 }, () => unseen).flat()];
  const baseCount = stateless(shipped).indexed.rules.length;
  const sizes = [0, 300 - baseCount, 1000, 3000 - baseCount];
  const variants = sizes.flatMap((extra) => {
    log(`loading the pack with ${extra} extra rules ...`);
    const { indexed, naive } = stateless(withProfiles(extra, posts, nationalities));
    return [
      { rules: indexed.rules.length, variant: 'indexed' as const, set: indexed, times: [] as number[] },
      { rules: naive.rules.length, variant: 'every condition' as const, set: naive, times: [] as number[] },
    ];
  });
  const metrics = createMetrics();
  let sink = 0;
  const counts = variants.map((v) => {
    let evaluated = 0;
    let fired = 0;
    for (const e of events) {
      evaluated += predicateIndex(v.set.byKind[e.event.kind]).select(e);
      fired += firedRules(v.set, e, metrics).length;
    }
    return { evaluated: evaluated / events.length, fired: fired / events.length };
  });
  const block = (v: (typeof variants)[number], b: number): number => {
    const t0 = performance.now();
    for (let i = b * BLOCK; i < (b + 1) * BLOCK; i++) sink += firedRules(v.set, events[i]!, metrics).length;
    return performance.now() - t0;
  };
  // The variants that evaluate every condition run apart, after the others: evaluating
  // thousands of conditions evicts the caches, and whatever ran next would pay for it.
  const cheap = variants.filter((v) => v.variant === 'indexed' || v.rules === variants[0]!.rules);
  const costly = variants.filter((v) => !cheap.includes(v));
  for (const group of [cheap, costly]) {
    // Eight blocks warm every variant untimed; then each block goes to every variant, the
    // first one turning round from block to block, since the first to read a block meets it cold.
    for (const v of group) for (let b = 0; b < 8; b++) block(v, b);
    for (let pass = 1; pass <= passes; pass++) {
      for (let b = 0; b < BLOCKS; b++) {
        for (let k = 0; k < group.length; k++) {
          const v = group[(b + k) % group.length]!;
          v.times.push(block(v, b));
        }
      }
    }
    log(`timed ${group.map((v) => `${v.rules} ${v.variant}`).join(', ')}`);
  }
  if (sink < 0) throw new Error('unreachable');
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const us = variants.map((v) => (median(v.times) * 1000) / BLOCK);
  return variants.map((v, i) => ({ rules: v.rules, variant: v.variant, usPerEvent: us[i]!, ratio: us[i]! / us[0]!, ...counts[i]! }));
}

export function printRuleCount(rows: readonly RuleCountRow[]): void {
  console.log('| stateless rules | evaluation | µs/event (median) | events/s | × shipped pack (indexed) | conditions run/event | fired/event |\n|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.rules.toLocaleString('en')} | ${r.variant} | ${r.usPerEvent.toFixed(3)} | ${Math.round(1e6 / r.usPerEvent).toLocaleString('en')} | ${r.ratio.toFixed(2)} | ${r.evaluated.toFixed(1)} | ${r.fired.toFixed(2)} |`,
    );
  }
}

if (process.argv[1] === import.meta.filename) {
  const at = process.argv.indexOf('--passes');
  const passes = at > 0 ? Number(process.argv[at + 1]) : 1;
  if (!Number.isInteger(passes) || passes < 1) throw new Error('--passes takes a whole number of 1 or more');
  printRuleCount(runRuleCountBench(passes, (line) => console.error(line)));
}
