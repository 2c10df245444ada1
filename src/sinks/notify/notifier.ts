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

/** One alert as a notification carries it; `subject` only to receivers given personal data. */
interface Line {
  seq: number;
  alertId: string;
  severity: Alert['severity'];
  post: string;
  subject?: string;
  eventTime: string;
  rules: string[];
}

interface Group {
  receiver: string;
  firstAt: number;
  lines: Line[];
}

/** An alert notified and not yet acknowledged: reminded to every receiver it went to, escalated once. */
interface Tracked {
  line: Line;
  receivers: Set<string>;
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
 * Timing is checked by `check()`, every second from `start()`. Reminders outlive a restart:
 * they are read back from that record at start. Alerts still waiting out `groupWait` are
 * sent at a clean stop (`close()`); a crash loses only those.
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
    this.resumeReminders(db);
  }

  publish(stored: StoredAlert): void {
    if (stored.muted) return;
    const { alert } = stored;
    const line = lineOf(stored);
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
      started.push(this.sendGroup(key, group, now));
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
        for (const receiver of t.receivers) repeats.set(receiver, [...(repeats.get(receiver) ?? []), t.line]);
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

  /** Stops checking; sends the groups still waiting out `groupWait`, and waits for deliveries under way. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const now = this.now();
    await Promise.all([...this.groups].map(([key, group]) => this.sendGroup(key, group, now)));
    await Promise.all(this.inFlight);
  }

  private sendGroup(key: string, group: Group, now: number): Promise<void> {
    this.groups.delete(key);
    for (const line of group.lines) {
      const t = this.tracked.get(line.seq);
      if (t) t.receivers.add(group.receiver);
      else this.tracked.set(line.seq, { line, receivers: new Set([group.receiver]), firstSentAt: now, lastSentAt: now, escalated: false });
    }
    return this.notify(group.receiver, 'alert', group.lines);
  }

  /**
   * Reads back, from the delivery record, the alerts notified and still `new`, so that a
   * restart neither forgets to remind nor escalates twice. A failed delivery counts as
   * made, as it did before the restart: its reminders are what retry it.
   */
  private resumeReminders(db: Database.Database): void {
    const rows = db
      // Only alerts still held and not yet acted on (the status read below decides): those acknowledged long ago cost no lookup.
      .prepare('SELECT n.receiver, n.kind, n.at, j.value AS seq FROM notifications n, json_each(n.seqs) j JOIN alerts a ON a.seq = j.value WHERE a.first_action_at IS NULL ORDER BY n.id')
      .all() as { receiver: string; kind: Kind; at: string; seq: number }[];
    for (const row of rows) {
      const at = Date.parse(row.at);
      let t = this.tracked.get(row.seq);
      if (!t) {
        const stored = row.kind === 'alert' ? this.store.get(row.seq) : undefined;
        if (stored?.triage.status !== 'new') continue;
        this.tracked.set(row.seq, (t = { line: lineOf(stored), receivers: new Set(), firstSentAt: at, lastSentAt: at, escalated: false }));
      }
      if (row.kind === 'escalation') t.escalated = true;
      else {
        t.lastSentAt = Math.max(t.lastSentAt, at);
        if (Object.hasOwn(this.routing.receivers, row.receiver)) t.receivers.add(row.receiver);
      }
    }
  }

  private notify(receiver: string, kind: Kind, notified: Line[]): Promise<void> {
    const config = this.routing.receivers[receiver]!;
    const lines: Line[] = config.personalData ? notified : notified.map(({ subject: _withheld, ...line }) => line);
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
      const text = lines.map((l) => `#${l.seq} ${l.severity.toUpperCase()} ${l.eventTime} ${l.post}${l.subject === undefined ? '' : ` ${l.subject}`} <- ${l.rules.join(', ')}`).join('\n');
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

function lineOf({ seq, alert }: StoredAlert): Line {
  return { seq, alertId: alert.alertId, severity: alert.severity, post: alert.post, subject: alert.subject, eventTime: alert.eventTime, rules: alert.indicators.map((i) => i.id) };
}
