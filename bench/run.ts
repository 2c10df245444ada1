/** `npm run bench`: the hot-path micro-benchmarks, then the end-to-end load benchmark. */
import { runLoadBench } from './load.ts';
import { runPipelineBench } from './pipeline.bench.ts';
import { machine } from './stats.ts';

const quick = process.argv.includes('--quick');
console.log(`machine: ${machine()}\ndate: ${new Date().toISOString()}\n`);
console.log('Hot path, per event (blocks of 1,000 seeded events, median of tinybench samples):');
console.table(
  (await runPipelineBench()).map((r) => ({ task: r.task, 'µs/event (median)': (r.medianUsPerBlock / 1000).toFixed(3), 'events/s (median)': Math.round(r.eventsPerSecond) })),
);
console.log('\nEnd to end over loopback WebSockets (producer in a separate process, journal fsync on):');
console.table(await runLoadBench(quick ? { singleCount: 5_000, batchCount: 20_000, halfLoadSeconds: 3 } : {}));
