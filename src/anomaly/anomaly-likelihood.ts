/**
 * Anomaly likelihood (Ahmad et al. 2017, as in Numenta's NAB detector): a raw score is
 * noisy, so compare the mean of the last few raw scores with the long-run distribution of
 * such means, and report how improbable it is under a Gaussian tail. A lone high raw
 * score in a noisy series barely moves the short mean; a run of them in a quiet series
 * does. The result is put on a log scale so that 0.5 means a tail of 1e-5 and 1 a tail
 * of 1e-10 or less.
 */
import { upperTail } from './gaussian-tail.ts';
import { EwmaMoments, type MomentsState } from './running-moments.ts';

export interface LikelihoodState {
  /** The ring of the last `window` raw scores, its write position, fill and running sum. */
  ring: number[];
  next: number;
  filled: number;
  sum: number;
  history: MomentsState;
}

/** Lower bounds on the long-run distribution, as Numenta's: no division by a zero spread. */
const MIN_MEAN = 0.03;
const MIN_VARIANCE = 0.0003;
/** ln(1e-10): the tail at which the log-scaled score reaches 1. */
const LOG_FLOOR = Math.log(1e-10);

export class AnomalyLikelihood {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;
  private sum = 0;
  private readonly history: EwmaMoments;

  /**
   * @param window raw scores averaged for the short-term mean (Numenta: 10).
   * @param alpha EWMA weight of the long-run distribution of short-term means.
   */
  constructor(
    window: number,
    alpha: number,
    state?: LikelihoodState,
  ) {
    this.ring = new Float64Array(window);
    this.history = new EwmaMoments(alpha, state?.history);
    if (state) {
      // The running sum is restored, not recomputed: a recomputed sum rounds differently
      // and the restored detector would drift from the one that was saved.
      this.ring.set(state.ring);
      this.next = state.next;
      this.filled = state.filled;
      this.sum = state.sum;
    }
  }

  private add(raw: number): void {
    if (this.filled === this.ring.length) this.sum -= this.ring[this.next]!;
    else this.filled += 1;
    this.ring[this.next] = raw;
    this.sum += raw;
    this.next = (this.next + 1) % this.ring.length;
  }

  /**
   * Adds a raw score and returns the log-scaled likelihood (0..1) that the recent scores
   * are unusual, judged against the history before them; then learns from them. Means
   * unusually low are as unusual as means unusually high: a series that suddenly stops
   * varying is also news.
   */
  push(raw: number): number {
    this.add(raw);
    const short = this.sum / this.filled;
    const h = this.history;
    let score = 0;
    if (h.n > 0) {
      const mean = h.mean > MIN_MEAN ? h.mean : MIN_MEAN;
      const sd = Math.sqrt(h.variance > MIN_VARIANCE ? h.variance : MIN_VARIANCE);
      const z = (short - mean) / sd;
      const tail = upperTail(z < 0 ? -z : z);
      score = tail <= 1e-10 ? 1 : Math.log(tail) / LOG_FLOOR;
    }
    h.push(short);
    return score;
  }

  save(): LikelihoodState {
    return { ring: Array.from(this.ring), next: this.next, filled: this.filled, sum: this.sum, history: this.history.save() };
  }
}
