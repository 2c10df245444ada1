/** `npm run bench`: the hot-path micro-benchmarks, then the end-to-end load benchmark. */
import { runAnomalyBench } from './anomaly.bench.ts';
import { budgetRows, recallLine, runFalseAlertBudget } from './false-alerts.ts';
import { printFreshTraffic, runFreshTrafficBench } from './fresh-traffic.bench.ts';
import { printLoadReport, runLoadBench } from './load.ts';
import { runPipelineBench } from './pipeline.bench.ts';
import { runReplayBench } from './replay.bench.ts';
import { printRuleCount, runRuleCountBench } from './rule-count.bench.ts';
import { runRulesBench } from './rules.bench.ts';
import { machine } from './stats.ts';
import { printWatchlistFresh, runWatchlistFreshBench } from './watchlist-fresh.bench.ts';

const quick = process.argv.includes('--quick');
console.log(`machine: ${machine()}\ndate: ${new Date().toISOString()}\n`);
console.log('Hot path, per event (blocks of 1,000 seeded events, median of tinybench samples):');
console.table(
  (await runPipelineBench()).map((r) => ({ task: r.task, 'µs/event (median)': (r.medianUsPerBlock / 1000).toFixed(3), 'events/s (median)': Math.round(r.eventsPerSecond) })),
);
console.log('\nRule pack, per event (blocks of 1,000 seeded events):');
const rules = await runRulesBench();
console.table(rules.rows.map((r) => ({ task: r.task, 'µs/event (median)': r.usPerEvent.toFixed(3), 'events/s (median)': Math.round(r.eventsPerSecond) })));
console.log(`compiled CEL is ${rules.ratio.toFixed(0)}× faster than json-rules-engine on the same 12 conditions`);
console.log('keys held per stateful rule after the full-pack run:', rules.keys);
console.log(`\nBacktest of fresh traffic (${quick ? '50,000' : '200,000'} generated events, seed 11, recorded to Arrow; CPU time is the process's, less disturbed by a shared machine than wall time):`);
printFreshTraffic(runFreshTrafficBench({ count: quick ? 50_000 : 200_000 }));
console.log('\nWatchlist screening of never-seen names against the UN list (a fresh index each run, CPU time; target ≥ 200,000 names/s):');
printWatchlistFresh(runWatchlistFreshBench({ names: quick ? 5_000 : 20_000, runs: quick ? 3 : 5 }));
console.log('\nRule count: the stateless pack with extra equality/membership profile rules, through the predicate index and evaluating every condition (blocks of 250, side by side):');
printRuleCount(runRuleCountBench());
console.log('\nAnomaly detectors, per update (blocks of 1,000 seeded five-minute values):');
const anomaly = await runAnomalyBench();
console.table(anomaly.rows.map((r) => ({ task: r.task, 'ns/update (median)': r.nsPerUpdate.toFixed(1), 'updates/s (median)': Math.round(r.updatesPerSecond) })));
console.table(anomaly.memory.map((m) => ({ kind: m.kind, 'heap bytes/key': Math.round(m.heapBytesPerKey), 'snapshot bytes/key': m.snapshotBytesPerKey })));
console.log('\nRecordings: Arrow write and read, and the rule pack on recorded events (blocks of 1,000):');
console.table((await runReplayBench()).map((r) => ({ task: r.task, 'µs/event (median)': r.usPerEvent.toFixed(3), 'events/s (median)': Math.round(r.eventsPerSecond), 'MB/s': r.mbPerSecond?.toFixed(1) ?? '' })));
console.log('\nFalse alerts on realistic traffic (shipped rules; medium or higher per 1,000 ordinary events, budget 1 in every class):');
// Seed 1 is the traffic the weights were calibrated on; seed 7 in the Nauryz holiday week was held out.
for (const held of [{ seed: 1 }, { seed: 7, start: '2027-03-19T00:00:00Z' }]) {
  const run = runFalseAlertBudget({ ...held, events: quick ? 50_000 : 200_000 });
  console.table(budgetRows(run));
  console.log(recallLine(run));
}
console.log('\nEnd to end over loopback WebSockets (producer and subscribers in separate processes, journal fsync on):');
printLoadReport(await runLoadBench(quick ? { singleCount: 5_000, batchCount: 20_000, halfLoadSeconds: 3, memoryDocuments: 200_000 } : {}));
