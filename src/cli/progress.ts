/**
 * A progress line on standard error for long commands (generate, record, backtest): on a
 * terminal it is redrawn in place at most every 250 ms; otherwise (a log file, a pipe)
 * a plain line is written at most every 10 s, so that a long run in CI shows it is alive
 * without flooding the log.
 */
export class Progress {
  private last: number;
  private readonly started: number;
  private shown = false;

  /**
   * @param total what `done` counts up to; 0 when unknown.
   * @param now the clock in milliseconds. @default performance.now
   */
  constructor(
    private readonly what: string,
    private readonly total: number,
    private readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.last = this.started;
  }

  tick(done: number): void {
    const now = this.now();
    const tty = this.stream.isTTY === true;
    if (now - this.last < (tty ? 250 : 10_000)) return;
    this.last = now;
    const rate = done / ((now - this.started) / 1000);
    const share = this.total > 0 ? ` (${((100 * done) / this.total).toFixed(0)}%)` : '';
    const line = `${this.what}: ${done.toLocaleString('en')}${this.total > 0 ? ` of ${this.total.toLocaleString('en')}` : ''} events${share}, ${Math.round(rate).toLocaleString('en')} events/s`;
    this.stream.write(tty ? `\r${line}   ` : `${line}\n`);
    this.shown = tty;
  }

  /** Ends a line drawn in place, so that what follows starts on its own line. */
  done(): void {
    if (this.shown) this.stream.write('\n');
    this.shown = false;
  }
}
