/**
 * Memory against distinct documents held in window state. Run as its own process with
 * `--expose-gc` (the load benchmark forks it): seeded crossings, every one with a new
 * document, go through the shipped pack's indicators (the processor's hot path without the
 * network), and at each checkpoint the heap is measured after full collections, with the
 * number of documents the document-keyed rules hold. The slope between checkpoints is the
 * cost per document; the retained event ids and times of the held events are included.
 */
import path from 'node:path';
import { enrichEvent } from '../src/enrich/enrich.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { assessEvent } from '../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../src/indicators/state-engine.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { loadRuleSet } from '../src/rules/rule-set.ts';

export interface MemoryPoint {
  events: number;
  /** Distinct documents held by the document-keyed window rules (the most held by one). */
  documents: number;
  heapMB: number;
}

export interface StateMemory {
  points: MemoryPoint[];
  /** Heap per document held, from the first to the last checkpoint. */
  bytesPerDocument: number;
  mbPerMillionDocuments: number;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const DOCUMENT_RULES = ['crossing.document-several-names', 'crossing.repeated-entries-several-posts'];

function measure(total: number, every: number): StateMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const engine = new StateEngine();
  const metrics = createMetrics();
  const traffic = generateTraffic({ seed: 5, idPrefix: 'mem', plantRate: 0, ...trafficReference(rules.lists) });
  const points: MemoryPoint[] = [];
  const point = (events: number): void => {
    gc();
    gc();
    const keys = engine.keyCounts();
    points.push({ events, documents: Math.max(...DOCUMENT_RULES.map((id) => keys[id] ?? 0)), heapMB: process.memoryUsage().heapUsed / 2 ** 20 });
  };
  let crossings = 0;
  let n = 0;
  point(0);
  while (crossings < total) {
    const { event } = traffic.next().value;
    if (event.kind !== 'crossing') continue;
    crossings += 1;
    // A document never seen before, kept by its traveller's state.
    event.document = { ...event.document, number: `M${String(crossings).padStart(9, '0')}` };
    delete event.document.mrz;
    assessEvent(rules, engine, enrichEvent(++n, event, rules.reference), metrics);
    if (crossings % every === 0) point(crossings);
  }
  const first = points[1]!;
  const last = points.at(-1)!;
  const bytesPerDocument = ((last.heapMB - first.heapMB) * 2 ** 20) / (last.documents - first.documents);
  return { points, bytesPerDocument, mbPerMillionDocuments: (bytesPerDocument * 1e6) / 2 ** 20 };
}

if (process.argv[1] === import.meta.filename) {
  const total = Number(process.argv[2] ?? 1_000_000);
  const result = measure(total, Math.max(1, Math.round(total / 4)));
  if (process.send) process.send(result);
  else console.log(JSON.stringify(result, null, 2));
}
