import { restoreTime, saveTime } from '../state/saved-state.ts';

/** A stream clock as saved: the newest event time, the watermark, and each source's newest event time. */
export interface SavedStreamClock {
  newestMs: number | null;
  watermarkMs: number | null;
  sources: [string, number][];
  /** The clock of scheduled times, kept while no post has sent an observed event (`forecast`), and how many it took. */
  forecasts?: SavedStreamClock;
  forecastsTaken?: number;
}

/**
 * Events with scheduled times a stream takes, with no observed crossing among them, before
 * their clock moves its watermark: a stream of airline messages alone (a passenger
 * information unit), not one whose first events were a few flights ahead of its posts.
 */
export const FORECASTS_BEFORE_CLOCK = 1_000;

/**
 * The event-time clock of one stream, kept per source (the post an event comes from: a
 * post's events arrive in its own order, whatever happens to its link).
 *
 * - An event is **late** when it is older than its own source's newest event minus the
 *   allowed lateness, or older than the watermark (windows, buckets and absences up to
 *   the watermark are closed: nothing can join them any more).
 * - The **watermark** is the oldest, over the *active* sources, of their newest event time
 *   minus the allowed lateness, and never moves back. A post cut off from the centre so
 *   holds the other posts' windows open until it has caught up, and its backlog is assessed
 *   as if it had never been away.
 * - A source whose newest event is more than `idleAfterMs` behind the newest of all is
 *   **idle**: it no longer holds the watermark back (a post closed for the night, or cut off
 *   for longer than that), and what it sends later that is behind the watermark is late.
 *
 * - An event whose time is a **schedule** (a crossing read from an airline's API or PNR
 *   message: the flight's arrival or departure, hours or days after the message came) is
 *   not an observation of time passing: it is late only when behind the watermark, and it
 *   does not move the clock (`forecast`). Otherwise one flight stamped hours ahead would
 *   leave every post more than `idleAfterMs` behind it, idle, and all their later crossings
 *   late. Only a stream that has taken FORECASTS_BEFORE_CLOCK of them and no observed
 *   event (a unit that screens airline messages alone) has its clock moved by them.
 *
 * Everything is a function of the events' order and times, never of the wall clock, so a
 * replay or backtest gives the same watermarks, late events and alerts as the live run.
 * Per event it costs a map lookup and update; the watermark is found again by a pass over
 * the sources only when the source holding it moves or goes idle.
 */
export class StreamClock {
  /** Newest event time of each source not yet found idle (idle ones are forgotten: see `recompute`). */
  private readonly sources = new Map<string, number>();
  /** The active source holding the watermark back, and its newest event time. */
  private slowest: string | undefined;
  private slowestMs = Number.POSITIVE_INFINITY;
  /** Newest event time of any source. */
  newestMs = Number.NEGATIVE_INFINITY;
  /** Windows, buckets and absences up to here are closed. Never decreases. */
  watermarkMs = Number.NEGATIVE_INFINITY;
  /** The clock scheduled times move while no post has sent an observed event. */
  private forecasts: StreamClock | undefined;
  /** Events with scheduled times taken while no post had sent an observed event. */
  private forecastsTaken = 0;

  constructor(
    public latenessMs: number,
    public idleAfterMs: number,
  ) {}

  /** Sources the clock keeps (the idle ones it has not yet dropped included): for reports and tests. */
  get sourceCount(): number {
    return this.sources.size;
  }

  /**
   * For `GET /health`: the watermark and the newest event time, and the active sources
   * further behind the newest than the allowed lateness (a post catching up, or holding
   * the watermark back), each with how far behind in minutes; before any observed event,
   * the airline crossings' schedules taken.
   */
  status(): { watermark: string | null; newest: string | null; sources: number; behind: Record<string, number>; schedules?: { newest: string | null; sources: number; taken: number } } {
    const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
    const behind: Record<string, number> = {};
    for (const [source, t] of this.sources) if (this.newestMs - t > this.latenessMs) behind[source] = Math.round((this.newestMs - t) / 60_000);
    // A stream with no observed event yet: the airline crossings' schedules it has taken (and runs on, past FORECASTS_BEFORE_CLOCK).
    const schedules = this.forecasts && !this.observed ? { newest: iso(this.forecasts.newestMs), sources: this.forecasts.sourceCount, taken: this.forecastsTaken } : undefined;
    return { watermark: iso(this.watermarkMs), newest: iso(this.newestMs), sources: this.sources.size, behind, ...(schedules && { schedules }) };
  }

  /** Moves the clock with an event of `source` at `t`; says whether the event is late. */
  advance(source: string, t: number): boolean {
    const own = this.sources.get(source);
    const late = t < this.watermarkMs || (own !== undefined && t < own - this.latenessMs);
    if (own !== undefined && t <= own) return late;
    this.sources.set(source, t);
    let recompute = source === this.slowest;
    if (t > this.newestMs) {
      this.newestMs = t;
      // The source holding the watermark back has gone idle: another one holds it now.
      if (this.slowestMs < t - this.idleAfterMs) recompute = true;
    }
    if (recompute) this.recompute();
    else if (t < this.slowestMs && t >= this.newestMs - this.idleAfterMs) {
      // A new source, or one back from idle, that is behind the others: it holds the watermark now.
      this.slowest = source;
      this.slowestMs = t;
      this.raise();
    }
    return late;
  }

  /**
   * Takes an event of `source` whose time `t` is a schedule, not an observation; says
   * whether it is late (behind the watermark). It moves the clock only in a stream that
   * has taken FORECASTS_BEFORE_CLOCK of them and no observed event.
   */
  forecast(source: string, t: number): boolean {
    if (this.observed) return t < this.watermarkMs;
    this.forecasts ??= new StreamClock(this.latenessMs, this.idleAfterMs);
    const late = this.forecasts.advance(source, t);
    this.forecastsTaken += 1;
    // Only a stream of schedules alone, not one whose posts have yet to send their first crossing, runs on them.
    if (this.forecastsTaken < FORECASTS_BEFORE_CLOCK) return t < this.watermarkMs;
    if (this.forecasts.watermarkMs > this.watermarkMs) this.watermarkMs = this.forecasts.watermarkMs;
    return late;
  }

  /** Whether any post has sent an observed event (a clock restored from one clock per stream had one). */
  private get observed(): boolean {
    return this.newestMs !== Number.NEGATIVE_INFINITY;
  }

  /** A reloaded stream definition may change the lateness or the idle threshold. */
  configure(latenessMs: number, idleAfterMs: number): void {
    if (latenessMs === this.latenessMs && idleAfterMs === this.idleAfterMs) return;
    this.latenessMs = latenessMs;
    this.idleAfterMs = idleAfterMs;
    this.forecasts?.configure(latenessMs, idleAfterMs);
    this.recompute();
  }

  save(): SavedStreamClock {
    return { newestMs: saveTime(this.newestMs), watermarkMs: saveTime(this.watermarkMs), sources: [...this.sources], ...(this.forecasts && !this.observed && { forecasts: this.forecasts.save(), forecastsTaken: this.forecastsTaken }) };
  }

  static restore(saved: SavedStreamClock, latenessMs: number, idleAfterMs: number): StreamClock {
    const clock = new StreamClock(latenessMs, idleAfterMs);
    clock.newestMs = restoreTime(saved.newestMs, Number.NEGATIVE_INFINITY);
    clock.watermarkMs = restoreTime(saved.watermarkMs, Number.NEGATIVE_INFINITY);
    for (const [source, t] of saved.sources) clock.sources.set(source, t);
    if (saved.forecasts) clock.forecasts = StreamClock.restore(saved.forecasts, latenessMs, idleAfterMs);
    clock.forecastsTaken = saved.forecastsTaken ?? 0;
    clock.recompute();
    return clock;
  }

  /**
   * A clock saved when there was one per stream, not per source: its watermark was the
   * newest event time minus the lateness. The sources start afresh from there.
   */
  static fromStreamTime(newestMs: number | null, latenessMs: number, idleAfterMs: number): StreamClock {
    const clock = new StreamClock(latenessMs, idleAfterMs);
    clock.newestMs = restoreTime(newestMs, Number.NEGATIVE_INFINITY);
    clock.watermarkMs = clock.newestMs - latenessMs;
    return clock;
  }

  /**
   * Finds the active source furthest behind, dropping the idle ones: an idle source's own
   * clock can no longer make any of its events late that the watermark does not (the
   * watermark is past it by more than the lateness), so forgetting it changes nothing.
   */
  private recompute(): void {
    const idleBefore = this.newestMs - this.idleAfterMs;
    this.slowest = undefined;
    this.slowestMs = Number.POSITIVE_INFINITY;
    for (const [source, t] of this.sources) {
      if (t < idleBefore) this.sources.delete(source);
      else if (t < this.slowestMs) {
        this.slowest = source;
        this.slowestMs = t;
      }
    }
    this.raise();
  }

  private raise(): void {
    const candidate = this.slowestMs - this.latenessMs;
    if (Number.isFinite(candidate) && candidate > this.watermarkMs) this.watermarkMs = candidate;
  }
}
