import type { JetStreamClient } from '@nats-io/jetstream';
import type { Alert } from '../alert/alert.ts';
import { toError } from '../errors.ts';
import type { AlertLog, StoredAlert } from '../store/alert-log.ts';
import { NEW_TRIAGE } from '../triage/triage.ts';
import type { BrokerLink } from './connect.ts';
import { alertSubject } from './streams.ts';

/** How long to wait between attempts to publish alerts JetStream did not acknowledge. @default 500 */
const RETRY_MS = 500;

/**
 * The alerts stream as a processor's alert log: each alert is published to
 * `alerts.<severity>` with its alert id as `Nats-Msg-Id`, so an alert raised again (an
 * event redelivered after a crash) is dropped by JetStream within the duplicate window,
 * and by the hub's alert database after it. Sequence numbers here are the processor's
 * own count; the hub's database numbers the alerts analysts see.
 *
 * `append` never throws: an alert the broker does not take is published again by
 * `flush`, which the consumer awaits before it acknowledges the events that raised it.
 */
export class NatsAlertLog implements AlertLog {
  readonly file: string;
  private seq = 0;
  private inFlight: { alert: Alert; ack: Promise<unknown> }[] = [];

  constructor(
    private readonly js: JetStreamClient,
    link: BrokerLink,
    private readonly log: (line: string) => void,
  ) {
    this.file = `the ALERTS stream at ${link.shownUrl}`;
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(alert: Alert): StoredAlert {
    this.seq += 1;
    const json = JSON.stringify(alert);
    this.inFlight.push({ alert, ack: this.publish(alert, json) });
    return { seq: this.seq, alert, triage: NEW_TRIAGE, message: `{"type":"alert","seq":${this.seq},"alert":${json}}` };
  }

  /** Resolves once JetStream acknowledged every alert appended so far, publishing again those it refused. */
  async flush(stopped: () => boolean = () => false): Promise<void> {
    let reported = false;
    while (this.inFlight.length > 0) {
      const batch = this.inFlight;
      this.inFlight = [];
      const results = await Promise.allSettled(batch.map((b) => b.ack));
      const failed = batch.filter((_, i) => results[i]!.status === 'rejected');
      if (failed.length === 0) continue;
      if (stopped()) return;
      if (!reported) {
        const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
        this.log(`broker: ${failed.length} alert(s) not acknowledged by ${this.file} (${toError(reason).message}); publishing them again`);
        reported = true;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      this.inFlight.unshift(...failed.map(({ alert }) => ({ alert, ack: this.publish(alert, JSON.stringify(alert)) })));
    }
  }

  private publish(alert: Alert, json: string): Promise<unknown> {
    const ack = this.js.publish(alertSubject(alert.severity), json, { msgID: alert.alertId });
    // Awaited by flush; this keeps a refusal from being reported unhandled meanwhile.
    ack.catch(() => undefined);
    return ack;
  }
}
