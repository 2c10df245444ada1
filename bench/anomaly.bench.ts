/**
 * Anomaly detector costs, on seeded series built before timing:
 * - updates/s of one detector of each kind with its default spec (blocks of 1,000
 *   updates; the per-key detectors indicators use must reach 2,000,000/s on one core);
 * - keyed updates over 100,000 keys (map lookup, recency list, expiry, detector);
 * - memory per key: V8 heap after creating 100,000 keys (garbage collected before and
 *   after), and the size of a key's JSON snapshot.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Bench } from 'tinybench';
import { createDetector, type Detector } from '../src/anomaly/detector.ts';
import { DETECTOR_KINDS, type DetectorKind, DetectorSpecSchema } from '../src/anomaly/detector-spec.ts';
import { KeyedDetectors } from '../src/anomaly/keyed-detectors.ts';
import { createNabDetector } from '../src/anomaly/nab-detector.ts';
import { Random } from '../src/generate/random.ts';

const BLOCK = 1000;
const SERIES = 100_000;
const KEYS = 100_000;
const MINUTE = 60_000;

export interface AnomalyBenchRow {
  task: string;
  nsPerUpdate: number;
  updatesPerSecond: number;
}

export interface KeyMemory {
  kind: DetectorKind;
  heapBytesPerKey: number;
  snapshotBytesPerKey: number;
}

/** Five-minute values with a daily cycle, noise and occasional spikes, like a NAB series. */
function series(seed: number, n: number): { times: Float64Array; values: Float64Array } {
  const rng = new Random(seed);
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  const start = Date.parse('2026-01-05T00:00:00Z');
  for (let i = 0; i < n; i++) {
    times[i] = start + i * 5 * MINUTE;
    values[i] = 100 + 20 * Math.sin((2 * Math.PI * i) / 288) + 5 * rng.normal() + (rng.chance(0.001) ? 200 : 0);
  }
  return { times, values };
}

/** `global.gc` without starting Node with --expose-gc. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

export function measureKeyMemory(kind: DetectorKind, keys = KEYS): KeyMemory {
  const gc = collector();
  const spec = DetectorSpecSchema.parse({ kind });
  // Typed arrays (the seasonal cells, the likelihood's window) live outside the V8 heap.
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const before = used();
  // Key strings are built inside the measurement: the map keeps each key's string alive.
  const names = Array.from({ length: keys }, (_, i) => `post-${i}`);
  const keyed = new KeyedDetectors({ spec, ttlMs: 1e12, maxKeys: keys });
  for (let round = 0; round < 3; round++) for (let i = 0; i < keys; i++) keyed.update(names[i]!, round * MINUTE, i % 7);
  gc();
  const heap = used() - before;
  if (keyed.size !== keys) throw new Error('keys were lost');
  // The snapshot of a detector that has seen a long series (every seasonal cell filled).
  const { times, values } = series(3, 20_000);
  const one = createDetector(spec);
  for (let i = 0; i < times.length; i++) one.update(times[i]!, values[i]!);
  const json = JSON.stringify({ key: 'post-12345', lastTimeMs: times.at(-1), detector: one.snapshot() }).length;
  return { kind, heapBytesPerKey: heap / keys, snapshotBytesPerKey: json };
}

export async function runAnomalyBench(): Promise<{ rows: AnomalyBenchRow[]; memory: KeyMemory[] }> {
  const { times, values } = series(42, SERIES);
  const detectors = new Map<DetectorKind, Detector>(DETECTOR_KINDS.map((k) => [k, createDetector(DetectorSpecSchema.parse({ kind: k }))]));
  const nab = createNabDetector();
  const keyed = new KeyedDetectors({ spec: DetectorSpecSchema.parse({ kind: 'robust' }), ttlMs: 24 * 60 * MINUTE, maxKeys: KEYS });
  const rng = new Random(7);
  const keyOf = Array.from({ length: SERIES }, () => `post-${rng.int(0, KEYS - 1)}`);
  let cursor = 0;
  let keyedCursor = 0;
  let keyedShift = 0;
  let sink = 0;

  const bench = new Bench({ time: 1000, warmupTime: 200 });
  for (const [kind, d] of detectors) {
    bench.add(`${kind} detector`, () => {
      for (let i = 0; i < BLOCK; i++) {
        sink += d.update(times[cursor]!, values[cursor]!).score;
        cursor = cursor + 1 === SERIES ? 0 : cursor + 1;
      }
    });
  }
  bench.add('NAB detector (composite, gated)', () => {
    for (let i = 0; i < BLOCK; i++) {
      sink += nab(times[cursor]!, values[cursor]!);
      cursor = cursor + 1 === SERIES ? 0 : cursor + 1;
    }
  });
  bench.add(`keyed robust, ${KEYS.toLocaleString('en')} keys`, () => {
    for (let i = 0; i < BLOCK; i++) {
      sink += keyed.update(keyOf[keyedCursor]!, times[keyedCursor]! + keyedShift, values[keyedCursor]!).score;
      if (++keyedCursor === SERIES) {
        keyedCursor = 0;
        keyedShift += SERIES * 5 * MINUTE;
      }
    }
  });
  await bench.run();
  if (sink === -1) console.log(sink);
  const rows = bench.tasks.map((task) => {
    const medianMs = (task.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? Number.NaN;
    return { task: task.name, nsPerUpdate: (medianMs * 1e6) / BLOCK, updatesPerSecond: (BLOCK * 1000) / medianMs };
  });
  const memory = DETECTOR_KINDS.map((k) => measureKeyMemory(k));
  return { rows, memory };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, memory } = await runAnomalyBench();
  console.table(rows.map((r) => ({ task: r.task, 'ns/update (median)': r.nsPerUpdate.toFixed(1), 'updates/s (median)': Math.round(r.updatesPerSecond) })));
  console.table(memory.map((m) => ({ kind: m.kind, 'heap bytes/key': Math.round(m.heapBytesPerKey), 'snapshot bytes/key': m.snapshotBytesPerKey })));
}
