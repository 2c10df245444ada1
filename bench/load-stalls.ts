/**
 * Pauses of this process's event loop while a phase runs, told apart by what the process
 * did meanwhile: a loop that was busy (a long synchronous turn, a garbage collection) used
 * about as much CPU time as the pause lasted; a process the operating system did not run
 * (other work on a shared machine) used next to none. The tails of the load benchmark's
 * latencies are read against these: the processor cannot answer while it is not run.
 */
export interface Stalls {
  /** Pauses of at least `minMs`. */
  count: number;
  /** Pauses in which the process used less than a quarter of the time on the CPU (every thread): not run. */
  starved: number;
  starvedMs: number;
  /** The rest: the loop was busy. */
  busy: number;
  busyMs: number;
  longestMs: number;
  /** CPU time the process used during the longest pause. */
  longestCpuMs: number;
}

/** Watches the event loop with a timer every `everyMs` until `stop`. */
export function watchStalls(minMs = 20, everyMs = 2): { stop(): Stalls } {
  const stalls: Stalls = { count: 0, starved: 0, starvedMs: 0, busy: 0, busyMs: 0, longestMs: 0, longestCpuMs: 0 };
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const gap = now - last;
    if (gap >= minMs) {
      const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
      stalls.count += 1;
      if (cpuMs < gap / 4) {
        stalls.starved += 1;
        stalls.starvedMs += gap;
      } else {
        stalls.busy += 1;
        stalls.busyMs += gap;
      }
      if (gap > stalls.longestMs) {
        stalls.longestMs = gap;
        stalls.longestCpuMs = cpuMs;
      }
    }
    last = now;
    lastCpu = cpu;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { ...stalls, starvedMs: Math.round(stalls.starvedMs), busyMs: Math.round(stalls.busyMs), longestMs: Math.round(stalls.longestMs), longestCpuMs: Math.round(stalls.longestCpuMs) };
    },
  };
}
