import fs from 'node:fs';
import os from 'node:os';

/** The q-quantile (0..1) of already sorted numbers, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function machine(): string {
  return `${os.cpus()[0]?.model ?? 'unknown CPU'} ×${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/**
 * CPU time (user + system) a process or thread has used so far, in ms, from its `stat` file
 * under /proc (Linux; NaN elsewhere, or when it is gone).
 */
export function procCpuMs(statFile: string): number {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time this process's main thread has used so far, in ms (`procCpuMs`).
 * `process.cpuUsage()` counts every thread, the collector's helper threads too, which on a
 * run that keeps much state do a good part of the work.
 */
export function mainThreadCpuMs(): number {
  return procCpuMs(`/proc/self/task/${process.pid}/stat`);
}
