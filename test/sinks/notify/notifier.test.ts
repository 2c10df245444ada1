import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { ConfigError } from '../../../src/errors.ts';
import { Notifier } from '../../../src/sinks/notify/notifier.ts';
import { loadRouting, RoutingSchema } from '../../../src/sinks/notify/routing.ts';
import { signature } from '../../../src/sinks/notify/webhook.ts';
import { AlertStore } from '../../../src/store/alert-store.ts';
import { tempDir } from '../../helpers.ts';

const SECRET = 'a-long-shared-webhook-secret';

/** A real HTTP receiver that records each POST with whether its signature checks out, answering `status`. */
async function receiver(status: number): Promise<{ url: string; got: { body: { kind: string; alerts: { seq: number }[] }; signed: boolean }[]; close(): Promise<void> }> {
  const got: { body: { kind: string; alerts: { seq: number }[] }; signed: boolean }[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (c: Buffer) => (text += c.toString()));
    request.on('end', () => {
      got.push({ body: JSON.parse(text) as { kind: string; alerts: { seq: number }[] }, signed: request.headers['x-border-risk-signature'] === signature(SECRET, text) });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A real SMTP listener over node:net: speaks enough of RFC 5321 to take messages, and keeps them. */
async function smtpListener(): Promise<{ port: number; mails: { to: string[]; data: string }[]; close(): Promise<void> }> {
  const mails: { to: string[]; data: string }[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let to: string[] = [];
    let data = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push({ to, data });
            socket.write('250 queued\r\n');
          } else data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
        } else if (line.startsWith('EHLO')) socket.write('250-test\r\n250 8BITMIME\r\n');
        else if (line.startsWith('MAIL FROM')) {
          to = [];
          data = '';
          socket.write('250 ok\r\n');
        } else if (line.startsWith('RCPT TO:<')) {
          to.push(line.slice(9, -1));
          socket.write('250 ok\r\n');
        } else if (line === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (line === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('500 what\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function alert(n: number, post: string, severity: Alert['severity']): Alert {
  const indicator = { id: 'crossing.watchlist-name-match', version: 1, title: 'Listed', weight: 100, severity, tags: ['watchlist'], evidence: [] };
  return { alertId: `alert:n${n}`, eventId: `n${n}`, kind: 'crossing', post, eventTime: `2026-11-02T10:0${n}:00.000+05:00`, journalRecord: n, subject: `TRAVELLER ${n}`, score: 100, threshold: 50, severity, ruleSetVersion: 'v', indicators: [indicator], shadowIndicators: [], trigger: 'event', event: { eventId: `n${n}` } as unknown as Alert['event'] };
}

describe('notifications: routing, webhook and SMTP, group wait, repeat and escalation', () => {
  let clock = Date.parse('2026-11-02T05:00:00Z');
  let duty: Awaited<ReturnType<typeof receiver>>;
  let broken: Awaited<ReturnType<typeof receiver>>;
  let smtp: Awaited<ReturnType<typeof smtpListener>>;
  let store: AlertStore;
  let notifier: Notifier;
  let routing: ReturnType<typeof RoutingSchema.parse>;
  let file: string;

  beforeAll(async () => {
    [duty, broken, smtp] = await Promise.all([receiver(200), receiver(500), smtpListener()]);
    routing = RoutingSchema.parse({
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'alerts@border.example' },
      receivers: { duty: { webhook: { url: duty.url, secret: SECRET }, email: ['duty@khorgos.example'], personalData: true }, broken: { webhook: { url: broken.url, secret: SECRET } }, supervisors: { email: ['chief@border.example'] } },
      routes: [{ posts: ['KZ-KHORGOS'], minSeverity: 'high', receiver: 'duty' }, { posts: ['UZ-TAS'], receiver: 'broken' }],
      groupWait: '30s',
      repeatInterval: '1h',
      escalation: { after: '45m', minSeverity: 'critical', receiver: 'supervisors' },
      retries: 2,
      retryWait: '10ms',
    });
    file = path.join(tempDir(), 'alerts.db');
    store = new AlertStore(file);
    notifier = new Notifier(routing, store, { now: () => clock });
  });

  afterAll(async () => {
    await notifier.close();
    store.close();
    await Promise.all([duty.close(), broken.close(), smtp.close()]);
  });

  it('gathers alerts for group_wait into one signed webhook call and one e-mail; a low alert is not routed', async () => {
    for (const [n, sev] of [[1, 'critical'], [2, 'critical'], [3, 'low']] as const) notifier.publish(store.append(alert(n, 'KZ-KHORGOS', sev))!);
    await notifier.check();
    expect(duty.got).toEqual([]);
    clock += 30_000;
    await notifier.check();
    expect(duty.got).toHaveLength(1);
    expect(duty.got[0]).toMatchObject({ signed: true, body: { kind: 'alert', alerts: [{ seq: 1 }, { seq: 2 }] } });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['duty@khorgos.example']);
    expect(smtp.mails[0]!.data).toContain('Subject: [border-risk] New 2 critical alert(s) at KZ-KHORGOS');
    expect(smtp.mails[0]!.data).toContain('#2 CRITICAL');
    // This receiver is given personal data: the subject line is in both.
    expect(smtp.mails[0]!.data).toContain('KZ-KHORGOS TRAVELLER 2 <- crossing.watchlist-name-match');
    expect(JSON.stringify(duty.got[0]!.body)).toContain('TRAVELLER 1');
  });

  it('re-sends an unacknowledged critical alert every repeat_interval and escalates it once on time; an acknowledged one is left alone', async () => {
    store.triage(1, { action: 'acknowledge', by: 'Aigerim', at: new Date(clock).toISOString() });
    clock += 44 * 60_000;
    await notifier.check();
    expect(duty.got).toHaveLength(1);
    clock += 60_000; // 45 minutes after the first notification
    await notifier.check();
    expect(smtp.mails.map((m) => m.to)).toEqual([['duty@khorgos.example'], ['chief@border.example']]);
    expect(smtp.mails[1]!.data).toContain('ESCALATED: unacknowledged 1 critical alert(s)');
    expect(smtp.mails[1]!.data).toContain('#2 ');
    expect(smtp.mails[1]!.data).not.toContain('#1 ');
    clock += 15 * 60_000; // an hour after the first
    await notifier.check();
    expect(duty.got).toHaveLength(2);
    expect(duty.got[1]!.body).toMatchObject({ kind: 'repeat', alerts: [{ seq: 2 }] });
    await notifier.check();
    expect(duty.got).toHaveLength(2);
    expect(smtp.mails).toHaveLength(3); // the repeat by e-mail too; no second escalation
    store.triage(2, { action: 'acknowledge', by: 'Aigerim', at: new Date(clock).toISOString() });
    clock += 60 * 60_000;
    await notifier.check();
    expect(duty.got).toHaveLength(2);
  });

  it('retries a webhook that fails and keeps a failed delivery as a dead letter', async () => {
    notifier.publish(store.append(alert(4, 'UZ-TAS', 'medium'))!);
    clock += 30_000;
    await notifier.check();
    expect(broken.got).toHaveLength(3);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT receiver, channel, status, attempts, error FROM notifications WHERE status = 'failed'").all();
    const sent = (db.prepare("SELECT COUNT(*) AS n FROM notifications WHERE status = 'sent'").get() as { n: number }).n;
    db.close();
    expect(rows).toEqual([{ receiver: 'broken', channel: 'webhook', status: 'failed', attempts: 3, error: expect.stringContaining('answered 500') }]);
    expect(sent).toBe(5); // group: webhook + e-mail; escalation: e-mail; repeat: webhook + e-mail
    // That receiver is not given personal data: the alert without its subject.
    expect(broken.got[0]!.body.alerts[0]).toMatchObject({ seq: 4, post: 'UZ-TAS', rules: ['crossing.watchlist-name-match'] });
    expect(JSON.stringify(broken.got[0]!.body)).not.toContain('TRAVELLER');
  });

  it('after a restart, reminds of what was notified and still new without escalating it twice; a clean stop sends what waits out group_wait', async () => {
    const seq = store.append(alert(5, 'KZ-KHORGOS', 'critical'))!.seq;
    notifier.publish(store.get(seq)!);
    clock += 30_000;
    await notifier.check();
    clock += 45 * 60_000;
    await notifier.check();
    const escalated = smtp.mails.filter((m) => m.to[0] === 'chief@border.example' && m.data.includes(`#${seq} `)).length;
    expect(escalated).toBe(1);
    await notifier.close();
    const seen = duty.got.length;

    // A new processor on the same database: the notifier reads its reminders back.
    const restarted = new Notifier(routing, store, { now: () => clock });
    clock += 15 * 60_000; // an hour after the first notification
    await restarted.check();
    expect(duty.got.slice(seen).map((g) => g.body)).toMatchObject([{ kind: 'repeat', alerts: [{ seq }] }]);
    expect(smtp.mails.filter((m) => m.to[0] === 'chief@border.example' && m.data.includes(`#${seq} `))).toHaveLength(escalated);
    // An alert stored and published but still in group_wait when the processor stops is sent at the stop.
    const last = store.append(alert(6, 'KZ-KHORGOS', 'high'))!;
    restarted.publish(last);
    await restarted.check();
    expect(duty.got.some((g) => g.body.alerts.some((a) => a.seq === last.seq))).toBe(false);
    await restarted.close();
    expect(duty.got.at(-1)!.body).toMatchObject({ kind: 'alert', alerts: [{ seq: last.seq }] });
    notifier = restarted;
  });

  it('refuses a routing file that names an unknown receiver, listing the problem with its path', () => {
    const bad = path.join(tempDir(), 'routing.yaml');
    fs.writeFileSync(bad, 'receivers:\n  duty: { email: [duty@khorgos.example] }\nroutes:\n  - { receiver: nobody }\n');
    expect(() => loadRouting(bad)).toThrow(ConfigError);
    expect(() => loadRouting(bad)).toThrow(/routes\[0\]\.receiver: no receiver "nobody"[\s\S]*receivers\.duty\.email: e-mail needs an smtp relay/);
  });
});
