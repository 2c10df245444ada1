import type Database from 'better-sqlite3';
import type { Alert } from '../../alert/alert.ts';
import { severityRank } from '../../rules/scoring-config.ts';
import type { AlertSink } from '../../push/alert-sink.ts';
import type { StoredAlert } from '../../store/alert-log.ts';
import type { AlertStore } from '../../store/alert-store.ts';
import type { Routing } from './routing.ts';
import { sendMail } from './smtp-client.ts';
import { postSigned } from './webhook.ts';

/** Why a notification is sent: new alerts, a reminder of unacknowledged ones, or an escalation. */
type Kind = 'alert' | 'repeat' | 'escalation';

/** One alert as a notification carries it. */
interface Line {
  seq: number;
  alertId: string;
  severity: Alert['severity'];
  post: string;
  subject: string;
  eventTime: string;
  rules: string[];
}

interface Group {
  receiver: string;
  firstAt: number;
  lines: Line[];
}

interface Tracked {
  line: Line;
  receiver: string;
  firstSentAt: number;
  lastSentAt: number;
  escalated: boolean;
}

export interface NotifierOptions {
  /** The wall clock groups, repeats and escalations run on (injectable, so tests move it). @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * Notifications as an alert sink (Alertmanager-style): each stored, live alert is routed
 * by post and severity to receivers; alerts for one receiver, post and severity are
 * gathered for `groupWait` and sent as one notification (a signed webhook, e-mail through
 * the SMTP relay, or both); an alert still unacknowledged is sent again every
 * `repeatInterval`, and escalated once after `escalation.after`. Each delivery is retried
 * `retries` times with a doubling wait; every outcome is recorded in the alert database
 * (`notifications`), a delivery that never succeeded as `failed` (the dead letter).
 * Timing is checked by `check()`, every second from `start()`.
 */
export class Notifier implements AlertSink {
  private readonly groups = new Map<string, Group>();
  private readonly tracked = new Map<number, Tracked>();
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly record;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly routing: Routing,
    private readonly store: AlertStore,
    options: NotifierOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    const db: Database.Database = store.database;
    this.record = db.prepare('INSERT INTO notifications (at, receiver, channel, kind, seqs, status, attempts, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  publish(stored: StoredAlert): void {
    if (stored.muted) return;
    const { alert } = stored;
    const line: Line = { seq: stored.seq, alertId: alert.alertId, severity: alert.severity, post: alert.post, subject: alert.subject, eventTime: alert.eventTime, rules: alert.indicators.map((i) => i.id) };
    const receivers = new Set<string>();
    for (const route of this.routing.routes) {
      if (route.posts && !route.posts.includes(alert.post)) continue;
      if (route.minSeverity && severityRank(alert.severity) < severityRank(route.minSeverity)) continue;
      receivers.add(route.receiver);
    }
    for (const receiver of receivers) {
      const key = `${receiver}\u0000${alert.post}\u0000${alert.severity}`;
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = { receiver, firstAt: this.now(), lines: [] }));
      group.lines.push(line);
    }
  }

  /** Sends what is due now; resolves when those deliveries (with their retries) are done. */
  check(): Promise<void> {
    const now = this.now();
    const started: Promise<void>[] = [];
    for (const [key, group] of this.groups) {
      if (now - group.firstAt < this.routing.groupWait) continue;
      this.groups.delete(key);
      started.push(this.notify(group.receiver, 'alert', group.lines));
      for (const line of group.lines) this.tracked.set(line.seq, { line, receiver: group.receiver, firstSentAt: now, lastSentAt: now, escalated: false });
    }
    const repeats = new Map<string, Line[]>();
    const escalations: Line[] = [];
    const { escalation } = this.routing;
    for (const [seq, t] of this.tracked) {
      const status = this.store.get(seq)?.triage.status;
      // Acknowledged (or anything else an analyst did, or gone): nobody needs reminding.
      if (status !== 'new') {
        this.tracked.delete(seq);
        continue;
      }
      if (now - t.lastSentAt >= this.routing.repeatInterval) {
        t.lastSentAt = now;
        repeats.set(t.receiver, [...(repeats.get(t.receiver) ?? []), t.line]);
      }
      if (escalation && !t.escalated && now - t.firstSentAt >= escalation.after && severityRank(t.line.severity) >= severityRank(escalation.minSeverity)) {
        t.escalated = true;
        escalations.push(t.line);
      }
    }
    for (const [receiver, lines] of repeats) started.push(this.notify(receiver, 'repeat', lines));
    if (escalation && escalations.length > 0) started.push(this.notify(escalation.receiver, 'escalation', escalations));
    return Promise.all(started).then(() => undefined);
  }

  start(everyMs = 1_000): void {
    this.timer = setInterval(() => {
      const failed = (error: unknown): void => this.log(`notifications not checked: ${error instanceof Error ? error.message : String(error)}`);
      try {
        this.check().catch(failed);
      } catch (error) {
        failed(error);
      }
    }, everyMs);
    this.timer.unref();
  }

  /** Stops checking; waits for deliveries under way. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  private notify(receiver: string, kind: Kind, lines: Line[]): Promise<void> {
    const config = this.routing.receivers[receiver]!;
    const sentAt = new Date(this.now()).toISOString();
    const work: Promise<void>[] = [];
    if (config.webhook) {
      const { url, secret } = config.webhook;
      const body = JSON.stringify({ type: 'notification', kind, receiver, sentAt, alerts: lines });
      work.push(this.deliver(receiver, 'webhook', kind, lines, () => postSigned(url, secret, body)));
    }
    if (config.email && this.routing.smtp) {
      const { host, port, from } = this.routing.smtp;
      const what = kind === 'escalation' ? 'ESCALATED: unacknowledged' : kind === 'repeat' ? 'Still unacknowledged:' : 'New';
      const subject = `[border-risk] ${what} ${lines.length} ${lines[0]!.severity} alert(s) at ${lines[0]!.post}`;
      const text = lines.map((l) => `#${l.seq} ${l.severity.toUpperCase()} ${l.eventTime} ${l.post} ${l.subject} <- ${l.rules.join(', ')}`).join('\n');
      work.push(this.deliver(receiver, 'email', kind, lines, () => sendMail({ host, port }, { from, to: config.email!, subject, text })));
    }
    const all = Promise.all(work).then(() => undefined);
    this.inFlight.add(all);
    return all.finally(() => this.inFlight.delete(all));
  }

  /** One channel's delivery with its retries; the outcome recorded, never thrown. */
  private async deliver(receiver: string, channel: 'webhook' | 'email', kind: Kind, lines: Line[], send: () => Promise<void>): Promise<void> {
    let attempts = 0;
    let error: Error | undefined;
    for (let wait = this.routing.retryWait; attempts <= this.routing.retries; wait *= 2) {
      attempts += 1;
      try {
        await send();
        error = undefined;
        break;
      } catch (thrown) {
        error = thrown instanceof Error ? thrown : new Error(String(thrown));
        if (attempts <= this.routing.retries) await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
    const seqs = JSON.stringify(lines.map((l) => l.seq));
    try {
      this.record.run(new Date(this.now()).toISOString(), receiver, channel, kind, seqs, error ? 'failed' : 'sent', attempts, error?.message ?? null);
    } catch (thrown) {
      this.log(`notification to ${receiver} (${channel}) not recorded: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
    if (error) this.log(`notification to ${receiver} by ${channel} failed after ${attempts} attempt(s): ${error.message}; kept as a failed delivery in the alert database`);
  }
}
