/**
 * Per-event costs of the hot path, on seeded generated traffic built before timing:
 * validation (zod), enrichment, indicator evaluation and scoring. Each task handles a
 * block of 1,000 events, so events/s = 1,000 × tasks/s.
 */
import path from 'node:path';
import { Bench } from 'tinybench';
import { enrichEvent } from '../src/enrich/enrich.ts';
import type { EnrichedEvent } from '../src/enrich/enriched.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { firedRules } from '../src/indicators/evaluate-indicators.ts';
import { type BorderEvent, validateEvent } from '../src/model/event.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { celContext, environmentFor } from '../src/rules/cel/cel-condition.ts';
import { loadRuleSet } from '../src/rules/rule-set.ts';
import { scoreFired } from '../src/score/score-events.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BLOCK = 1000;

export async function runPipelineBench(): Promise<{ task: string; medianUsPerBlock: number; eventsPerSecond: number }[]> {
  const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const traffic = generateTraffic({ seed: 1234, plantRate: 0.02, ...trafficReference(rules.lists) });
  const events: BorderEvent[] = Array.from({ length: BLOCK }, () => traffic.next().value.event);
  const texts = events.map((e) => JSON.stringify(e));
  const raw = texts.map((t) => JSON.parse(t) as unknown);
  const noMrz = events.map((e) => (e.kind === 'crossing' && e.document.mrz ? { ...e, document: { ...e.document, mrz: undefined } } : e)) as BorderEvent[];
  for (const e of noMrz) if (e.kind === 'crossing') delete (e.document as { mrz?: unknown }).mrz;
  const enriched: EnrichedEvent[] = events.map((e, i) => enrichEvent(i, e, rules.reference));
  const metrics = createMetrics();
  // The library's own evaluator on the same conditions, with contexts converted (ints to BigInt) before timing.
  const interpreted = rules.rules.map((r) => ({ kinds: r.kinds, run: environmentFor([...r.kinds][0]!, rules.lists).parse(r.def.condition ?? 'false') }));
  const contexts = enriched.map((e) => celContext(e.event, e.derived, e.event.kind));
  let sink = 0;

  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add('validate (zod, pre-parsed JSON)', () => {
      for (let i = 0; i < BLOCK; i++) if (validateEvent(raw[i]).success) sink++;
    })
    .add('JSON.parse + validate', () => {
      for (let i = 0; i < BLOCK; i++) if (validateEvent(JSON.parse(texts[i]!)).success) sink++;
    })
    .add('enrich (with MRZ checks)', () => {
      for (let i = 0; i < BLOCK; i++) sink += enrichEvent(i, events[i]!, rules.reference).n;
    })
    .add('enrich (events without MRZ)', () => {
      for (let i = 0; i < BLOCK; i++) sink += enrichEvent(i, noMrz[i]!, rules.reference).n;
    })
    .add(`indicators (${rules.rules.length} rules, pre-enriched)`, () => {
      for (let i = 0; i < BLOCK; i++) sink += firedRules(rules, enriched[i]!, metrics).length;
    })
    .add(`indicators on the cel-js evaluator (${rules.rules.length} rules, reference)`, () => {
      for (let i = 0; i < BLOCK; i++) {
        const kind = enriched[i]!.event.kind;
        for (const rule of interpreted) {
          if (!rule.kinds.has(kind)) continue;
          try {
            if (rule.run(contexts[i]!) === true) sink++;
          } catch {
            // An evaluation error means the rule does not fire, as in the compiled path.
          }
        }
      }
    })
    .add('indicators + score (pre-enriched)', () => {
      for (let i = 0; i < BLOCK; i++) sink += scoreFired(firedRules(rules, enriched[i]!, metrics), rules.scoring).score;
    });
  await bench.run();
  if (sink === -1) console.log(sink);
  return bench.tasks.map((task) => {
    const result = task.result as { latency?: { p50?: number } } | undefined;
    const medianMs = result?.latency?.p50 ?? Number.NaN;
    return { task: task.name, medianUsPerBlock: medianMs * 1000, eventsPerSecond: (BLOCK * 1000) / medianMs };
  });
}
