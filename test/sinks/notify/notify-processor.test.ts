import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Processor, startProcessor } from '../../../src/processor.ts';
import { RoutingSchema } from '../../../src/sinks/notify/routing.ts';
import { signature } from '../../../src/sinks/notify/webhook.ts';
import { caseworkCrossing, LISTED, ORDINARY, POST } from '../../casework/casework-events.ts';
import { addTokens, alertsIn, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../../helpers.ts';

const SECRET = 'a-long-shared-webhook-secret';

type Notification = { kind: string; receiver: string; alerts: { seq: number; alertId: string; severity: string; post: string; subject?: string }[] };

/** A real HTTP receiver keeping each signed POST's body. */
async function receiver(): Promise<{ url: string; got: Notification[]; unsigned: number; close(): Promise<void> }> {
  const state = { got: [] as Notification[], unsigned: 0 };
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (c: Buffer) => (text += c.toString()));
    request.on('end', () => {
      if (request.headers['x-border-risk-signature'] === signature(SECRET, text)) state.got.push(JSON.parse(text) as Notification);
      else state.unsigned += 1;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got: state.got,
    get unsigned() {
      return state.unsigned;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('notifications from a running processor (serve --notify)', () => {
  let processor: Processor;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let producer: TestClient;
  let analyst: TestClient;

  beforeAll(async () => {
    hook = await receiver();
    const dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [p, a] = addTokens(tokensFile, [
      { role: 'producer', name: 'Khorgos gateway', posts: [POST] },
      { role: 'analyst', name: 'Aigerim Bekova' },
    ]);
    const notify = RoutingSchema.parse({
      receivers: { duty: { webhook: { url: hook.url, secret: SECRET } }, chief: { webhook: { url: hook.url, secret: SECRET } } },
      routes: [{ posts: [POST], minSeverity: 'medium', receiver: 'duty' }],
      groupWait: '0s',
      escalation: { after: '1s', minSeverity: 'critical', receiver: 'chief' },
    });
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, snapshots: false, fsync: false, notify, log: () => {} });
    producer = new TestClient(`${processor.url}/ingest`, p!.secret);
    analyst = new TestClient(`${processor.url}/alerts`, a!.secret);
    await Promise.all([producer.opened(), analyst.opened()]);
  });

  afterAll(async () => {
    producer.close();
    analyst.close();
    await processor.close();
    await hook.close();
  });

  it('sends each stored alert to its receiver, signed and without the subject, and escalates the unacknowledged critical one', async () => {
    const listed = caseworkCrossing(1, 'N7770001', LISTED);
    const expired = caseworkCrossing(2, 'N7770002', ORDINARY, true);
    producer.send(JSON.stringify([listed, expired]));
    await analyst.until((m) => [listed, expired].every((e) => alertsIn(m).some((x) => x.alert.eventId === e.eventId)));
    const raised = alertsIn(analyst.messages).filter((m) => m.alert.trigger === 'event');
    const critical = raised.find((m) => m.alert.eventId === listed.eventId)!;
    expect(raised.find((m) => m.alert.eventId === expired.eventId)!.alert.severity).toBe('medium');
    expect(critical.alert.severity).toBe('critical');

    // Every alert the analyst saw reaches the duty receiver, with the same number and id.
    await expect.poll(() => hook.got.filter((n) => n.receiver === 'duty' && n.kind === 'alert').flatMap((n) => n.alerts.map((x) => x.seq)).sort(), { timeout: 20_000 }).toEqual(raised.map((m) => m.seq).sort());
    const sent = hook.got.flatMap((n) => n.alerts).find((x) => x.seq === critical.seq)!;
    expect(sent).toMatchObject({ alertId: critical.alert.alertId, severity: 'critical', post: POST });
    expect(sent.subject).toBeUndefined();
    for (const m of raised) expect(JSON.stringify(hook.got)).not.toContain(m.alert.subject);

    // Left unacknowledged, the critical one is escalated to the chief; the medium one is below the escalation's severity.
    await expect.poll(() => hook.got.filter((n) => n.kind === 'escalation').map((n) => [n.receiver, n.alerts.map((x) => x.seq)]), { timeout: 20_000 }).toEqual([['chief', [critical.seq]]]);
    expect(hook.unsigned).toBe(0);
  });
});
