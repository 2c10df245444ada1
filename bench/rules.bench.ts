/**
 * The rule pack's cost per event, on seeded traffic built before timing:
 * - the stateless part of the shipped pack (pre-validated, pre-enriched events);
 * - the full pack with windows, sequences and absences, over 100,000 distinct documents:
 *   once on events built before timing (cold in memory, 200,000 of them), and once as the
 *   pipeline meets them, parsed from the wire and enriched just before the indicators run
 *   (parse and enrichment untimed: they have rows of their own), with scoring;
 * - side by side, the same twelve stateless conditions as CEL compiled to closures and
 *   as json-rules-engine rules (the engine most Node users pick), with the ratio.
 */
import path from 'node:path';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { Bench } from 'tinybench';
import { enrichEvent } from '../src/enrich/enrich.ts';
import type { EnrichedEvent } from '../src/enrich/enriched.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { assessEvent, firedRules } from '../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../src/indicators/state-engine.ts';
import { type BorderEvent, validateEvent } from '../src/model/event.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { scoreFired } from '../src/score/score-events.ts';
import { compileCelCondition } from '../src/rules/cel/cel-condition.ts';
import type { CompiledCondition } from '../src/state/condition.ts';
import { loadRuleSet, type RuleSet } from '../src/rules/rule-set.ts';
import { Random } from '../src/generate/random.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BLOCK = 1000;
const DOCUMENTS = 100_000;

const AFGHAN_POSTS = ['UZ-AYRITOM', 'TM-IMAMNAZAR', 'TJ-PANJIPOYON'];
type Jre = RuleProperties['conditions'];
const fact = (f: string, p: string, operator: string, value: unknown) => ({ fact: f, path: `$.${p}`, operator, value });

/** The same logic twice: CEL for this project, conditions for json-rules-engine. */
const SIDE_BY_SIDE: { id: string; kind: 'crossing' | 'cargo'; cel: string; jre: Jre }[] = [
  { id: 'document-expired', kind: 'crossing', cel: 'derived.documentExpired', jre: { all: [fact('derived', 'documentExpired', 'equal', true)] } },
  { id: 'expiring-soon', kind: 'crossing', cel: 'derived.documentDaysToExpiry >= 0 && derived.documentDaysToExpiry <= 30', jre: { all: [fact('derived', 'documentDaysToExpiry', 'greaterThanInclusive', 0), fact('derived', 'documentDaysToExpiry', 'lessThanInclusive', 30)] } },
  { id: 'mrz-check-digit', kind: 'crossing', cel: 'derived.mrzValid == false', jre: { all: [fact('derived', 'mrzValid', 'equal', false)] } },
  { id: 'mrz-mismatch', kind: 'crossing', cel: 'derived.mrzMatchesDocument == false', jre: { all: [fact('derived', 'mrzMatchesDocument', 'equal', false)] } },
  { id: 'one-way', kind: 'crossing', cel: 'has(event.itinerary) && event.itinerary.oneWay', jre: { all: [fact('event', 'itinerary.oneWay', 'equal', true)] } },
  { id: 'cash', kind: 'crossing', cel: 'has(event.itinerary) && event.itinerary.paymentForm == "cash"', jre: { all: [fact('event', 'itinerary.paymentForm', 'equal', 'cash')] } },
  { id: 'one-way-cash-same-day', kind: 'crossing', cel: 'has(event.itinerary) && event.itinerary.oneWay && event.itinerary.paymentForm == "cash" && derived.bookingLeadDays <= 0', jre: { all: [fact('event', 'itinerary.oneWay', 'equal', true), fact('event', 'itinerary.paymentForm', 'equal', 'cash'), fact('derived', 'bookingLeadDays', 'lessThanInclusive', 0)] } },
  { id: 'no-bags-connecting', kind: 'crossing', cel: 'has(event.itinerary) && event.itinerary.bagCount == 0 && derived.transitCount >= 1', jre: { all: [fact('event', 'itinerary.bagCount', 'equal', 0), fact('derived', 'transitCount', 'greaterThanInclusive', 1)] } },
  { id: 'exit-afghan-border', kind: 'crossing', cel: `event.direction == "exit" && event.post in ${JSON.stringify(AFGHAN_POSTS)}`, jre: { all: [fact('event', 'direction', 'equal', 'exit'), fact('event', 'post', 'in', AFGHAN_POSTS)] } },
  { id: 'containers-unsealed', kind: 'cargo', cel: 'derived.containerCount >= 1 && derived.sealCount == 0', jre: { all: [fact('derived', 'containerCount', 'greaterThanInclusive', 1), fact('derived', 'sealCount', 'equal', 0)] } },
  { id: 'freight-above-value', kind: 'cargo', cel: 'derived.freightRatio != null && derived.freightRatio > 1.0', jre: { all: [fact('derived', 'freightRatio', 'greaterThan', 1)] } },
  { id: 'consignee-outside-destination', kind: 'cargo', cel: 'event.consignee.country != event.countries.destination', jre: { all: [{ fact: 'event', path: '$.consignee.country', operator: 'notEqual', value: { fact: 'event', path: '$.countries.destination' } }] } },
];

export interface RulesBenchRow {
  task: string;
  usPerEvent: number;
  eventsPerSecond: number;
}

function validEvents(rules: RuleSet, count: number, seed: number): BorderEvent[] {
  const traffic = generateTraffic({ seed, plantRate: 0.02, ...trafficReference(rules.lists) });
  return Array.from({ length: count }, () => {
    const result = validateEvent(JSON.parse(JSON.stringify(traffic.next().value.event)) as unknown);
    if (!result.success) throw new Error('generated an invalid event');
    return result.event;
  });
}

/**
 * Traffic whose crossings reuse 100,000 documents, so that windows hold that many keys;
 * each document keeps the traveller it was first seen with, as real documents do.
 */
export function manyDocumentEvents(rules: RuleSet, count: number): BorderEvent[] {
  const rng = new Random(99);
  const holders = new Map<number, Extract<BorderEvent, { kind: 'crossing' }>['traveller']>();
  return validEvents(rules, count, 77).map((event) => {
    if (event.kind === 'crossing') {
      const doc = rng.int(1, DOCUMENTS);
      const holder = holders.get(doc) ?? event.traveller;
      holders.set(doc, holder);
      event.traveller = holder;
      event.document = { ...event.document, number: `D${String(doc).padStart(8, '0')}`, issuingState: holder.nationality };
      delete event.document.mrz;
    }
    return event;
  });
}

function manyDocuments(rules: RuleSet, events: readonly BorderEvent[]): EnrichedEvent[] {
  return events.map((event, i) => enrichEvent(i + 1, event, rules.reference));
}

export async function runRulesBench(): Promise<{ rows: RulesBenchRow[]; ratio: number; keys: Record<string, number> }> {
  const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const enriched = validEvents(rules, BLOCK, 1234).map((e, i) => enrichEvent(i + 1, e, rules.reference));
  const metrics = createMetrics();

  // Full pack: the 200,000-event stream is replayed block by block with event time moved
  // on each pass, so state keeps growing and expiring as it would live.
  const raw = manyDocumentEvents(rules, 200_000);
  // The same stream as the wire carries it: one JSON array per block of 1,000 events.
  const wire = Array.from({ length: raw.length / BLOCK }, (_, b) => JSON.stringify(raw.slice(b * BLOCK, (b + 1) * BLOCK)));
  const stream = manyDocuments(rules, raw);
  const span = stream.at(-1)!.derived.eventTimeMs - stream[0]!.derived.eventTimeMs + 60_000;
  const engine = new StateEngine();
  let cursor = 0;
  let shift = 0;
  const warm = (): void => {
    for (const e of stream) assessEvent(rules, engine, e, metrics);
  };
  warm();
  shift += span;
  for (const e of stream) e.derived.eventTimeMs += span;

  // Events fresh from the wire: a second engine warmed on the same stream; each iteration
  // parses and enriches the next block untimed, then times indicators and scoring on it.
  const liveEngine = new StateEngine();
  for (const e of manyDocuments(rules, raw)) assessEvent(rules, liveEngine, e, metrics);
  let liveBlock = 0;
  let liveShift = span;
  let liveSeq = 0;
  let fresh: EnrichedEvent[] = [];
  const nextFreshBlock = (): void => {
    const events = JSON.parse(wire[liveBlock]!) as BorderEvent[];
    fresh = events.map((event) => {
      const enriched = enrichEvent(++liveSeq, event, rules.reference);
      enriched.derived.eventTimeMs += liveShift;
      return enriched;
    });
    liveBlock += 1;
    if (liveBlock === wire.length) {
      liveBlock = 0;
      liveShift += span;
    }
  };

  const ours = SIDE_BY_SIDE.map((r) => ({ kind: r.kind, condition: compileCelCondition(r.cel, [r.kind], rules.lists).condition as CompiledCondition }));
  const jre = new Engine([], { allowUndefinedFacts: true });
  for (const r of SIDE_BY_SIDE) jre.addRule({ name: r.id, conditions: r.jre, event: { type: r.id } });
  const facts = enriched.map((e) => ({ event: e.event, derived: e.derived }));
  let sink = 0;

  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add(`stateless pack (${rules.rules.filter((r) => !r.stateful).length} rules)`, () => {
      for (let i = 0; i < BLOCK; i++) sink += firedRules(rules, enriched[i]!, metrics).length;
    })
    .add(`full pack (${rules.rules.length} rules, ${DOCUMENTS.toLocaleString('en')} documents in state)`, () => {
      for (let i = 0; i < BLOCK; i++) {
        sink += assessEvent(rules, engine, stream[cursor]!, metrics).fired.length;
        cursor += 1;
        if (cursor === stream.length) {
          cursor = 0;
          shift += span;
          for (const e of stream) e.derived.eventTimeMs += span;
        }
      }
    })
    .add(
      `full pack + scoring on events fresh from the wire (${DOCUMENTS.toLocaleString('en')} documents in state)`,
      () => {
        for (let i = 0; i < BLOCK; i++) {
          const assessment = assessEvent(rules, liveEngine, fresh[i]!, metrics);
          if (assessment.fired.length > 0) sink += scoreFired(assessment.fired, rules.scoring).score;
        }
      },
      { beforeEach: nextFreshBlock },
    )
    .add('12 conditions: CEL compiled (generated functions)', () => {
      for (let i = 0; i < BLOCK; i++) {
        const e = enriched[i]!;
        for (let r = 0; r < ours.length; r++) if (SIDE_BY_SIDE[r]!.kind === e.event.kind && ours[r]!.condition.test(e)) sink++;
      }
    })
    .add('12 conditions: json-rules-engine', async () => {
      for (let i = 0; i < BLOCK; i++) {
        const kind = enriched[i]!.event.kind;
        const { events } = await jre.run(facts[i]!);
        for (const ev of events) if (SIDE_BY_SIDE.find((r) => r.id === ev.type)?.kind === kind) sink++;
      }
    });
  await bench.run();
  if (sink === -1) console.log(sink, shift);
  const rows = bench.tasks.map((task) => {
    const medianMs = (task.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? Number.NaN;
    return { task: task.name, usPerEvent: (medianMs * 1000) / BLOCK, eventsPerSecond: (BLOCK * 1000) / medianMs };
  });
  const row = (prefix: string): RulesBenchRow => rows.find((r) => r.task.startsWith(prefix))!;
  return { rows, ratio: row('12 conditions: json').usPerEvent / row('12 conditions: CEL').usPerEvent, keys: engine.keyCounts() };
}
