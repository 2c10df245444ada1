/** One closed bucket as evidence, `rules explain` and saved state show it. */
export interface SeriesPoint {
  t: string;
  value: number;
  baseline: number;
  low: number;
  high: number;
}

/** Numbers kept per point: bucket start (ms), value, baseline, low, high. */
const WIDTH = 5;

/**
 * A key's most recent closed buckets, oldest first, at most `capacity` of them. Every
 * bucket the watermark passes is pushed, empty ones included, so a watermark that jumps
 * a month pushes thousands per key; only the last few are ever shown. They are kept as
 * numbers in a ring, and made into points (with the bucket start as an ISO string) only
 * when read: a push is a few stores, with no date string, object or array shift.
 */
export class BucketSeries {
  private readonly ring: Float64Array;
  /** Slot of the oldest point. */
  private first = 0;
  size = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Float64Array(capacity * WIDTH);
  }

  push(startMs: number, value: number, baseline: number, low: number, high: number): void {
    if (this.capacity === 0) return;
    let slot: number;
    if (this.size < this.capacity) slot = (this.first + this.size++) % this.capacity;
    else {
      slot = this.first;
      this.first = (this.first + 1) % this.capacity;
    }
    const i = slot * WIDTH;
    const r = this.ring;
    r[i] = startMs;
    r[i + 1] = value;
    r[i + 2] = baseline;
    r[i + 3] = low;
    r[i + 4] = high;
  }

  /** The points, oldest first, as new objects. */
  points(): SeriesPoint[] {
    const out: SeriesPoint[] = new Array(this.size);
    const r = this.ring;
    for (let k = 0; k < this.size; k++) {
      const i = ((this.first + k) % this.capacity) * WIDTH;
      out[k] = { t: new Date(r[i]!).toISOString(), value: r[i + 1]!, baseline: r[i + 2]!, low: r[i + 3]!, high: r[i + 4]! };
    }
    return out;
  }

  /** A series as saved ({@link points}); beyond the capacity the newest are kept. */
  static from(points: readonly SeriesPoint[], capacity: number): BucketSeries {
    const series = new BucketSeries(capacity);
    for (const p of points) series.push(Date.parse(p.t), saved(p.value), saved(p.baseline), saved(p.low), saved(p.high));
    return series;
  }
}

/** JSON writes a NaN (a band with no spread yet) as null; it is read back as NaN, not 0. */
function saved(n: number | null): number {
  return n === null ? Number.NaN : n;
}
