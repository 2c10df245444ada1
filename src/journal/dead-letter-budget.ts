import { ConfigError } from '../errors.ts';

/**
 * How much the dead letters may grow, per producer and over all of them. A malformed
 * frame costs its sender little to make and used to cost the server several times its
 * size on disk (every rejected event kept whole with all its issues); these bounds keep
 * the cost to the server below what the sender spends, and keep one producer's flood
 * from filling the disk that every producer's journal lives on. Documented in
 * docs/protocol.md (*Dead letters*).
 */
export interface DeadLetterLimits {
  /** Longest excerpt of a rejected payload kept, in characters; a longer one keeps its start, its SHA-256 and its size. @default 1024 */
  excerptChars?: number;
  /** Bytes of dead letters one producer (a token, or a connection without one) may write at once. @default 1_048_576 */
  producerBurstBytes?: number;
  /** How fast a producer's allowance comes back, bytes per second. @default 65_536 */
  producerBytesPerSecond?: number;
  /** Bytes of dead letters all producers together may write at once. @default 8_388_608 */
  totalBurstBytes?: number;
  /** How fast the shared allowance comes back, bytes per second. @default 1_048_576 */
  totalBytesPerSecond?: number;
  /** The dead-letter file is not grown beyond this; retention (or an operator) makes room. @default 268_435_456 */
  maxFileBytes?: number;
}

/** The limits in force, every one given. */
export type DeadLetterBounds = Required<DeadLetterLimits>;

export const DEFAULT_DEAD_LETTER_LIMITS: DeadLetterBounds = {
  excerptChars: 1024,
  producerBurstBytes: 1_048_576,
  producerBytesPerSecond: 65_536,
  totalBurstBytes: 8_388_608,
  totalBytesPerSecond: 1_048_576,
  maxFileBytes: 268_435_456,
};

/** Merges limits with the defaults once, rejecting any that is not a positive whole number. */
export function deadLetterBounds(limits: DeadLetterLimits = {}): DeadLetterBounds {
  const bounds = { ...DEFAULT_DEAD_LETTER_LIMITS, ...limits };
  for (const [name, value] of Object.entries(bounds)) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`deadLetters.${name} must be a whole number ≥ 1, got ${value}`);
  }
  return bounds;
}

/** A token bucket: `bytes` may be spent up to `burst`, and come back at `rate` per second. */
interface Bucket {
  bytes: number;
  at: number;
}

/** What `DeadLetterBudget.status()` reports (in `GET /health`, `deadLetters`). */
export interface DeadLetterBudgetStatus {
  /** Dead letters not kept since the start because a bound was reached. */
  notKept: number;
  /** Producers over their bound now. */
  producersOverBudget: number;
  limits: DeadLetterBounds;
}

/** Producers remembered before those with a full allowance (nothing to remember) are dropped. */
const MAX_PRODUCERS = 10_000;

/**
 * Decides, letter by letter, whether a dead letter may be written: its producer's bucket,
 * the shared bucket and the file's size bound must all allow it. A producer over its bound
 * has its dead letters refused (its events are still answered `rejected`, with a note
 * that the letter was not kept) until its allowance comes back; the others keep theirs.
 */
export class DeadLetterBudget {
  readonly limits: DeadLetterBounds;
  private readonly producers = new Map<string, Bucket & { over: boolean; loggedAt: number }>();
  private readonly total: Bucket;
  private notKeptCount = 0;

  constructor(
    limits: DeadLetterLimits = {},
    private readonly log: (line: string) => void = () => {
      // Silent unless the caller gives a log.
    },
    /** A monotonic clock in milliseconds: a wall clock set back must not refill or drain a bucket. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.limits = deadLetterBounds(limits);
    this.total = { bytes: this.limits.totalBurstBytes, at: this.now() };
  }

  /**
   * Takes `size` bytes from `producer`'s allowance and the shared one, if both have them
   * and the file stays within its bound; otherwise says why the letter is not kept.
   * Without a producer (a fault inside the pipeline), only the shared bounds apply.
   */
  take(size: number, fileBytes: number, producer: string | undefined): string | undefined {
    const now = this.now();
    const { limits } = this;
    refill(this.total, limits.totalBurstBytes, limits.totalBytesPerSecond, now);
    const own = producer === undefined ? undefined : this.bucketOf(producer, now);
    let refusal: string | undefined;
    if (fileBytes + size > limits.maxFileBytes) refusal = `the dead-letter file has reached its bound (${limits.maxFileBytes} bytes)`;
    else if (own && own.bytes < size) refusal = `this producer is over its dead-letter bound (${limits.producerBurstBytes} bytes, then ${limits.producerBytesPerSecond} bytes/s)`;
    else if (this.total.bytes < size) refusal = `the processor is over its dead-letter bound (${limits.totalBurstBytes} bytes, then ${limits.totalBytesPerSecond} bytes/s)`;
    if (refusal !== undefined) {
      this.notKeptCount += 1;
      if (own && !own.over) {
        own.over = true;
        // One line when a producer goes over, at most a minute apart: the log must not grow with the flood.
        if (now - own.loggedAt > 60_000) this.log(`dead letters of producer ${producer} not kept: ${refusal}`);
        own.loggedAt = now;
      }
      return refusal;
    }
    this.total.bytes -= size;
    if (own) {
      own.bytes -= size;
      own.over = false;
    }
    return undefined;
  }

  status(): DeadLetterBudgetStatus {
    let over = 0;
    for (const bucket of this.producers.values()) if (bucket.over) over += 1;
    return { notKept: this.notKeptCount, producersOverBudget: over, limits: this.limits };
  }

  private bucketOf(producer: string, now: number): Bucket & { over: boolean; loggedAt: number } {
    const { producerBurstBytes: burst, producerBytesPerSecond: rate } = this.limits;
    let bucket = this.producers.get(producer);
    if (!bucket) {
      if (this.producers.size >= MAX_PRODUCERS) this.forgetFull(now);
      this.producers.set(producer, (bucket = { bytes: burst, at: now, over: false, loggedAt: -Infinity }));
    }
    refill(bucket, burst, rate, now);
    return bucket;
  }

  /** Drops the producers whose allowance is whole again: a new bucket for them would be the same. */
  private forgetFull(now: number): void {
    const { producerBurstBytes: burst, producerBytesPerSecond: rate } = this.limits;
    for (const [producer, bucket] of this.producers) {
      refill(bucket, burst, rate, now);
      if (bucket.bytes >= burst) this.producers.delete(producer);
    }
  }
}

function refill(bucket: Bucket, burst: number, rate: number, now: number): void {
  if (now > bucket.at) bucket.bytes = Math.min(burst, bucket.bytes + ((now - bucket.at) / 1000) * rate);
  bucket.at = now;
}
