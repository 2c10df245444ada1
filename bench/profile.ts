/**
 * Where a backtest of fresh traffic spends its time: records seeded traffic (as
 * `record --generate` does), then runs `backtest` with the shipped pack under V8's sampling
 * profiler (node:inspector), and prints the functions with the most self time and the
 * source files they are in. The profile is written for Chrome DevTools (Performance → load)
 * or any `.cpuprofile` viewer.
 *
 *   node --enable-source-maps --import tsx bench/profile.ts [--count 100000] [--seed 11] [--top 30] [--out FILE.cpuprofile]
 *   node --enable-source-maps --import tsx bench/profile.ts --recording replay-data/afghan-border-week
 *   node --import tsx bench/profile.ts --summarise FILE.cpuprofile   (one written by node --cpu-prof, say)
 *
 * With `--enable-source-maps` the functions are named by their line in the TypeScript source.
 */
import fs from 'node:fs';
import { findSourceMap } from 'node:module';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { backtest } from '../src/backtest/backtest.ts';
import { intOption, recordFreshTraffic, shippedRuleSet } from './fresh-traffic.bench.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(import.meta.dirname, '..');

function stringOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} takes a value`);
  return value;
}

/** Self time (ms) per function and per file, from the samples. */
function selfTimes(profile: Profile): { functions: Map<string, number>; files: Map<string, number>; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    // The first sample's delta runs from when the profile was made, not from a sample: up to
    // ~0.1 s that no code took, put on the inspector's own call that started the profiler.
    const ms = i === 0 ? 0 : (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const frame = byId.get(id)!.callFrame;
    const file = frame.url === '' ? `(${frame.functionName || 'native'})` : path.relative(ROOT, frame.url.replace(/^file:\/\//, ''));
    const name = `${frame.functionName || '(anonymous)'} ${file}:${sourceLine(frame)}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    files.set(file, (files.get(file) ?? 0) + ms);
  });
  return { functions, files, totalMs };
}

/** The line in the source a frame's position maps to (tsx compiles each module to one line), or the generated line. */
function sourceLine(frame: ProfileNode['callFrame']): number {
  if (frame.url.startsWith('file://')) {
    const entry = findSourceMap(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber) as { originalLine?: number } | undefined;
    if (entry?.originalLine !== undefined) return entry.originalLine + 1;
  }
  return frame.lineNumber + 1;
}

function printTop(profile: Profile, top: number, events: number): void {
  const { functions, files, totalMs } = selfTimes(profile);
  const rows = (m: Map<string, number>, n: number): string[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `| ${name} | ${ms.toFixed(0)} | ${((100 * ms) / totalMs).toFixed(1)}% | ${((ms * 1000) / events).toFixed(2)} |`);
  console.log(`| function (self time) | ms | share | µs/event |\n|---|---|---|---|\n${rows(functions, top).join('\n')}\n`);
  console.log(`| file (self time) | ms | share | µs/event |\n|---|---|---|---|\n${rows(files, top).join('\n')}`);
}

async function main(): Promise<void> {
  const top = intOption('top', 30);
  const summarise = stringOption('summarise');
  if (summarise) {
    printTop(JSON.parse(fs.readFileSync(summarise, 'utf8')) as Profile, top, intOption('events', 1));
    return;
  }
  if (!process.execArgv.includes('--enable-source-maps')) console.error('(run with node --enable-source-maps to see source lines)');
  const count = intOption('count', 100_000);
  const seed = intOption('seed', 11);
  const out = stringOption('out') ?? path.join(os.tmpdir(), `backtest-seed${seed}.cpuprofile`);
  const rules = shippedRuleSet();
  let recording = stringOption('recording');
  let temp: string | undefined;
  if (!recording) {
    temp = recording = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-'));
    console.error(`recording ${count.toLocaleString('en')} events of seed ${seed} ...`);
    recordFreshTraffic(recording, count, seed, rules);
  }
  try {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
    await session.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = backtest({ ruleSet: rules, recordings: [recording], onProgress: (n) => n % 50_000 === 0 && console.error(`backtest: ${n.toLocaleString('en')} events`) });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    session.disconnect();
    fs.writeFileSync(out, JSON.stringify(profile));

    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(`backtest of ${report.events.toLocaleString('en')} events → ${report.alerts} alerts: ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU (${((cpuMs * 1000) / report.events).toFixed(1)} µs CPU/event, profiler on)`);
    console.log(`profile: ${out}\n`);
    printTop(profile, top, report.events);
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await main();
