import { config, Subject, type Subscription } from 'rxjs';
import { DeadLetters } from '../../src/journal/dead-letters.ts';
import { Journal } from '../../src/journal/journal.ts';
import { parseFrames } from '../../src/ingest/parse-frames.ts';
import type { IngestFrame, IngestReply } from '../../src/ingest/protocol.ts';
import { type JournaledEvent, recordEvents } from '../../src/journal/record-events.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { validateFrames } from '../../src/validate/validate-frames.ts';
import { tempDir } from '../helpers.ts';

/**
 * The processor's ingest path below the socket, exactly as the pipeline composes it
 * (parse → validate → record, with a real journal and dead-letter file in a temp
 * dir), so that a property run costs a fraction of a millisecond instead of a round
 * trip. Anything thrown inside the stages, which RxJS would report out of band, is
 * collected in `escaped`.
 */
export class IngestHarness {
  readonly dataDir = tempDir('border-risk-fuzz-');
  readonly journal = Journal.open(this.dataDir, { fsync: false });
  readonly deadLetters = new DeadLetters(this.dataDir, { fsync: false });
  readonly passedOn: JournaledEvent[] = [];
  readonly escaped: unknown[] = [];
  private readonly frames = new Subject<IngestFrame>();
  private readonly subscription: Subscription;
  private sent = 0;
  private readonly previousHandler = config.onUnhandledError;

  constructor() {
    config.onUnhandledError = (error) => this.escaped.push(error);
    this.subscription = this.frames
      .pipe(parseFrames(), validateFrames(), recordEvents(this.journal, this.deadLetters, createMetrics()))
      .subscribe({ next: (e) => this.passedOn.push(e), error: (e: unknown) => this.escaped.push(e) });
  }

  /** Sends one frame and resolves with its reply as it would go over the wire (JSON text, parsed back). */
  send(data: string): Promise<IngestReply> {
    this.sent += 1;
    const frame = this.sent;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`frame ${frame} was not answered within 5 s; escaped: ${this.escaped.map(String).join('; ')}`)), 5_000);
      try {
        this.frames.next({
          connection: 'fuzz',
          frame,
          receivedAt: Date.now(),
          data,
          respond: (reply) => {
            clearTimeout(timer);
            resolve(JSON.parse(JSON.stringify(reply)) as IngestReply);
          },
        });
      } catch (thrown) {
        clearTimeout(timer);
        reject(thrown instanceof Error ? thrown : new Error(String(thrown)));
      }
    });
  }

  async close(): Promise<void> {
    this.subscription.unsubscribe();
    config.onUnhandledError = this.previousHandler;
    await this.journal.close();
    await this.deadLetters.close();
  }
}
