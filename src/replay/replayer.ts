import { EventEmitter } from 'node:events';
import { toError } from '../errors.ts';
import type { RecordedEvent } from '../record/recorded-event.ts';
import { ReplayFormatError } from '../record/errors.ts';
import type { ReplaySink } from './ingest-sink.ts';

/** A multiple of real time, or as fast as the processor acknowledges. */
export type Speed = number | 'max';

export type ReplayState = 'playing' | 'paused' | 'done' | 'stopped' | 'failed';

export interface ReplayStatus {
  state: ReplayState;
  /** Events sent so far (the index of the next one). */
  position: number;
  total: number;
  speed: Speed;
  /** The replay's clock: event time reached, RFC 3339 UTC; null before the first event. */
  simulatedTime: string | null;
  /** Event time of the first and last event of the recording. */
  from: string | null;
  to: string | null;
  /** Events sent per second of wall time, over the last few seconds. */
  eventsPerSecond: number;
  /** Why the replay failed, when it did. */
  error?: string;
}

export interface ReplayerOptions {
  /** @default 1 */
  speed?: Speed;
  /** Start paused (then `step`, `seek` or `resume`). @default false */
  paused?: boolean;
  /** Most events in one ingest frame. @default 500 */
  frameEvents?: number;
  /** Frames sent and not yet acknowledged before sending waits. @default 16 */
  maxInFlight?: number;
  /** Longest sleep between checks of the clock, so that controls act promptly. @default 50 */
  tickMs?: number;
}

const parseSpeed = (speed: Speed): Speed => {
  if (speed === 'max') return speed;
  if (!(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) throw new ReplayFormatError(`speed must be a positive number or "max", got ${String(speed)}`);
  return speed;
};

/**
 * Streams recorded events into a sink at a multiple of real time, or as fast as it
 * acknowledges, with pause, resume, step and seek. It only decides *when* each event is
 * sent: what the processor makes of them depends on event time alone, so the alerts are
 * the same at any speed. Emits `status` (a ReplayStatus) on every change of state.
 */
export class Replayer extends EventEmitter<{ status: [ReplayStatus] }> {
  private readonly events: readonly RecordedEvent[];
  private readonly times: Float64Array;
  private readonly sink: ReplaySink;
  private readonly frameEvents: number;
  private readonly maxInFlight: number;
  private readonly tickMs: number;
  private index = 0;
  private speed: Speed;
  private state: ReplayState;
  private clock: number | null;
  private anchorWall = 0;
  private anchorSim = 0;
  private stepBudget = 0;
  private error: string | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private wake: (() => void) | undefined;
  private readonly rate: { at: number; position: number }[] = [];
  private readonly fromMs: number | null;
  private readonly toMs: number | null;

  constructor(events: readonly RecordedEvent[], sink: ReplaySink, options: ReplayerOptions = {}) {
    super();
    const { speed = 1, paused = false, frameEvents = 500, maxInFlight = 16, tickMs = 50 } = options;
    if (!(Number.isInteger(frameEvents) && frameEvents >= 1)) throw new ReplayFormatError(`frameEvents must be a positive integer, got ${frameEvents}`);
    this.events = events;
    this.times = Float64Array.from(events, (e) => Date.parse(e.event.eventTime));
    this.sink = sink;
    this.frameEvents = frameEvents;
    this.maxInFlight = maxInFlight;
    this.tickMs = tickMs;
    this.speed = parseSpeed(speed);
    this.state = paused ? 'paused' : 'playing';
    this.clock = events.length > 0 ? this.times[0]! : null;
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const t of this.times) {
      if (t < from) from = t;
      if (t > to) to = t;
    }
    this.fromMs = events.length > 0 ? from : null;
    this.toMs = events.length > 0 ? to : null;
    // A refused token closes the connection before the first acknowledgement; at 60× the
    // next frame may be minutes away, so the replay fails as soon as the sink says so.
    void sink.lost?.then((error) => this.fail(error.message));
  }

  /** Runs the replay; resolves with the final status once every event sent is acknowledged (or on stop). */
  async run(): Promise<ReplayStatus> {
    this.anchor();
    this.changed();
    try {
      await this.loop();
      await Promise.all(this.pending);
      if (this.state === 'playing' && this.events.length > 0) this.clock = Math.max(this.simulatedNow(), this.times[this.times.length - 1]!);
      if (this.state !== 'stopped' && this.state !== 'failed') this.state = 'done';
    } catch (thrown) {
      this.state = 'failed';
      this.error = toError(thrown).message;
    }
    this.changed();
    return this.status();
  }

  status(): ReplayStatus {
    const at = (ms: number | undefined | null): string | null => (ms === undefined || ms === null ? null : new Date(ms).toISOString());
    const status: ReplayStatus = {
      state: this.state,
      position: this.index,
      total: this.events.length,
      speed: this.speed,
      simulatedTime: at(this.state === 'playing' ? this.simulatedNow() : this.clock),
      from: at(this.fromMs),
      to: at(this.toMs),
      eventsPerSecond: this.eventsPerSecond(),
    };
    if (this.error !== undefined) status.error = this.error;
    return status;
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.clock = this.simulatedNow();
    this.state = 'paused';
    this.changed();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'playing';
    this.anchor();
    this.changed();
    this.poke();
  }

  /** Pauses, then sends the next `count` events at once. */
  step(count = 1): void {
    if (this.state === 'playing') this.pause();
    if (this.state !== 'paused') return;
    this.stepBudget += count;
    this.poke();
  }

  /**
   * Moves to the first event at or after `timeMs` in recording order. Forward, the events
   * between are not sent; backward, events are sent again and the processor
   * acknowledges them as duplicates (its state cannot go back).
   */
  seek(timeMs: number): void {
    if (this.state === 'done' || this.state === 'stopped' || this.state === 'failed') return;
    let i = 0;
    while (i < this.times.length && this.times[i]! < timeMs) i += 1;
    this.index = i;
    this.clock = timeMs;
    this.anchor();
    this.changed();
    this.poke();
  }

  setSpeed(speed: Speed): void {
    this.clock = this.simulatedNow();
    this.speed = parseSpeed(speed);
    this.anchor();
    this.changed();
    this.poke();
  }

  stop(): void {
    if (this.state === 'done' || this.state === 'failed') return;
    this.state = 'stopped';
    this.poke();
  }

  /** Ends the replay as failed, with why (the sink's connection is gone, or a frame was refused). */
  private fail(message: string): void {
    if (this.state === 'done' || this.state === 'stopped' || this.state === 'failed') return;
    this.state = 'failed';
    this.error = message;
    this.changed();
    this.poke();
  }

  private async loop(): Promise<void> {
    const total = this.events.length;
    while (this.index < total) {
      if (this.state === 'stopped' || this.state === 'failed') return;
      if (this.state === 'paused') {
        if (this.stepBudget > 0) {
          const end = Math.min(total, this.index + this.stepBudget);
          this.stepBudget = 0;
          await this.send(end);
          this.clock = this.times[end - 1]!;
          this.changed();
        } else await this.sleep(Number.POSITIVE_INFINITY);
        continue;
      }
      if (this.speed === 'max') {
        await this.send(Math.min(total, this.index + this.frameEvents));
        this.clock = Math.max(this.clock ?? -Infinity, this.times[this.index - 1]!);
        continue;
      }
      const now = this.simulatedNow();
      let end = this.index;
      while (end < total && end - this.index < this.frameEvents && this.times[end]! <= now) end += 1;
      if (end > this.index) {
        await this.send(end);
        continue;
      }
      await this.sleep(Math.min(this.tickMs, (this.times[this.index]! - now) / this.speed));
    }
  }

  /** Sends events up to `end` as one frame, waiting while too many frames are unacknowledged. */
  private async send(end: number): Promise<void> {
    while (this.sink.inFlight >= this.maxInFlight && this.state !== 'failed') await Promise.race(this.pending).catch(() => {
        // A failed frame sets `state` to failed, which ends the wait; run() reports it.
      });
    if (this.state === 'failed') return;
    const frame = this.events.slice(this.index, end).map((e) => e.event);
    this.index = end;
    const sent = this.sink.send(frame);
    const tracked = sent.then(
      () => void this.pending.delete(tracked),
      (error: unknown) => {
        this.pending.delete(tracked);
        this.fail(toError(error).message);
        throw error;
      },
    );
    this.pending.add(tracked);
    // A rejected frame surfaces in run(); keep it from being reported as unhandled meanwhile.
    tracked.catch(() => {
      // Reported by run().
    });
    this.noteRate();
  }

  private simulatedNow(): number {
    if (this.clock === null) return 0;
    if (this.state !== 'playing' || this.speed === 'max') return this.clock;
    return this.anchorSim + (performance.now() - this.anchorWall) * this.speed;
  }

  private anchor(): void {
    this.anchorWall = performance.now();
    this.anchorSim = this.clock ?? 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => done(), Math.max(0, ms)) : undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  private poke(): void {
    this.wake?.();
  }

  private changed(): void {
    this.emit('status', this.status());
  }

  private noteRate(): void {
    const at = performance.now();
    this.rate.push({ at, position: this.index });
    while (this.rate.length > 2 && at - this.rate[0]!.at > 3_000) this.rate.shift();
  }

  private eventsPerSecond(): number {
    if (this.rate.length < 2) return 0;
    const first = this.rate[0]!;
    const last = this.rate[this.rate.length - 1]!;
    const seconds = (performance.now() - first.at) / 1000;
    return seconds > 0 ? (last.position - first.position) / seconds : 0;
  }
}
