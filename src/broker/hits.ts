import type { Consumer, ConsumerMessages, JetStreamClient } from '@nats-io/jetstream';
import { DeliverPolicy } from '@nats-io/jetstream';
import { toError } from '../errors.ts';
import type { EventHits } from '../indicators/partition.ts';
import { HITS_STREAM } from './streams.ts';

/** One instance's hits for a run of events: every event `from`..`to` it assessed, those with hits listed. */
export interface HitsBatch {
  instance: number;
  count: number;
  from: number;
  to: number;
  hits: EventHits[];
}

export async function publishHits(js: JetStreamClient, batch: HitsBatch): Promise<void> {
  await js.publish(`hits.${batch.instance}`, JSON.stringify(batch), { msgID: `${batch.instance}/${batch.count}:${batch.from}-${batch.to}` });
}

/**
 * Instance 0's view of the other instances' hits: read from the HITS stream as they come,
 * kept by event until the join takes them. An instance's batches may repeat after it
 * restarted (the same events assessed again give the same hits): what is already
 * covered is skipped.
 */
export class HitsCollector {
  /** How far each other instance has reported. */
  private readonly covered: number[];
  private readonly bySeq = new Map<number, EventHits[]>();
  private waiters: { seq: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  private messages: ConsumerMessages | undefined;

  constructor(private readonly count: number, private readonly log: (line: string) => void) {
    this.covered = new Array<number>(count).fill(0);
  }

  /** Follows the HITS stream from its start, keeping hits of events after `after`. */
  async follow(js: JetStreamClient, after: number): Promise<{ done: Promise<void> }> {
    const consumer: Consumer = await js.consumers.get(HITS_STREAM, { deliver_policy: DeliverPolicy.All });
    this.messages = await consumer.consume();
    const messages = this.messages;
    const done = (async () => {
      for await (const m of messages) {
        try {
          this.add(m.json<HitsBatch>(), after);
        } catch (error) {
          this.log(`broker: a message of ${HITS_STREAM} at ${m.seq} is not a batch of hits: ${toError(error).message}; skipped`);
        }
      }
    })();
    return { done };
  }

  private add(batch: HitsBatch, after: number): void {
    if (batch.count !== this.count || batch.instance <= 0 || batch.instance >= this.count) return;
    const covered = this.covered[batch.instance]!;
    if (batch.to <= covered) return;
    // An instance's batches follow on from each other; one that does not (hits lost, or expired
    // from the stream while this instance was away) leaves events the join takes without them.
    const next = Math.max(covered, after) + 1;
    if (batch.from > next) {
      const missing = batch.from - 1 === next ? `event ${next} is` : `events ${next}-${batch.from - 1} are`;
      this.log(`broker: instance ${batch.instance}'s hits go on from event ${batch.from}, but it had reported up to ${next - 1}: ${missing} joined without its hits, and alerts on them lack the indicators it evaluates`);
    }
    for (const hits of batch.hits) {
      if (hits.seq <= covered || hits.seq <= after) continue;
      const list = this.bySeq.get(hits.seq);
      if (list) list.push(hits);
      else this.bySeq.set(hits.seq, [hits]);
    }
    this.covered[batch.instance] = batch.to;
    const low = this.lowest();
    const ready = this.waiters.filter((w) => w.seq <= low);
    this.waiters = this.waiters.filter((w) => w.seq > low);
    for (const w of ready) w.resolve();
  }

  /** The event every other instance has reported up to. */
  private lowest(): number {
    let low = Number.POSITIVE_INFINITY;
    for (let i = 1; i < this.count; i++) low = Math.min(low, this.covered[i]!);
    return low;
  }

  /** Resolves once every other instance has reported up to event `seq`; rejects if stopped first. */
  until(seq: number): Promise<void> {
    if (this.lowest() >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** The others' hits for event `seq`, taken (the join asks once per event). */
  take(seq: number): readonly EventHits[] {
    const hits = this.bySeq.get(seq);
    if (!hits) return NONE;
    this.bySeq.delete(seq);
    return hits;
  }

  stop(): void {
    this.messages?.stop();
    // The join must not go on without the others' hits.
    for (const w of this.waiters.splice(0)) w.reject(new Error('stopped while waiting for the other instances\' hits'));
  }
}

const NONE: readonly EventHits[] = [];
