import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { readAuditLog } from '../../src/auth/audit-log.ts';
import { deriveKey, documentIdentifier, matchToken } from '../../src/exchange/match-tokens.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { addTokens, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { crossing, type Json, until } from './linked-pair.ts';

/**
 * One processor (KZ) with an agreement whose partner (KG) is played by the test: a plain
 * WebSocket server stands for KG's /exchange and keeps what KZ sends; a plain client
 * speaks to KZ's /exchange as KG would.
 */
const SECRET = 'another shared secret of more than thirty-two bytes';

describe('the exchange endpoint and offer, against a partner played by the test', () => {
  let processor: Processor;
  let dataDir: string;
  let agreementFile: string;
  let partnerSecret: string;
  let analyst: string;
  let producer: string;
  let fakePartner: WebSocketServer;
  const received: Json[] = [];
  const helloHeaders: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    fakePartner = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    fakePartner.on('connection', (socket, request) => {
      helloHeaders.push(request.headers);
      socket.on('message', (data) => received.push(JSON.parse(data.toString())));
    });
    await new Promise((resolve) => fakePartner.once('listening', resolve));
    dataDir = tempDir('border-risk-kz-');
    const exchangeDir = path.join(dataDir, 'exchange');
    fs.mkdirSync(exchangeDir);
    const tokensFile = path.join(dataDir, 'tokens.json');
    const tokens = addTokens(tokensFile, [
      { role: 'partner', name: 'kg-bs' },
      { role: 'analyst', name: 'kz analyst' },
      { role: 'producer', name: 'Korday', posts: ['KZ-KORDAY'] },
    ]);
    [partnerSecret, analyst, producer] = tokens.map((t) => t.secret) as [string, string, string];
    agreementFile = path.join(exchangeDir, 'kg.yaml');
    fs.writeFileSync(
      agreementFile,
      `agreement: kz-kg-test
us: kz-bs
partner: { id: kg-bs, name: KG border service }
link: { url: "ws://127.0.0.1:${(fakePartner.address() as { port: number }).port}/exchange", token: "env:KG_LINK" }
keys: [{ id: k1, secret: "env:KZ_KG_SECRET" }]
offer: { alerts: { minSeverity: medium } }
share: { clear: [post, severity, rules], tokens: [document], onRequest: [documentNumber] }
limits: { requestsPerDay: 1 }
`,
    );
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, snapshots: false, log: () => {}, exchange: { dir: exchangeDir, env: { KG_LINK: 'kg-given-token', KZ_KG_SECRET: SECRET } } });
  });

  afterAll(async () => {
    await processor?.close();
    await new Promise((resolve) => fakePartner?.close(resolve));
  });

  it('links out with the partner\'s token and greets first, then offers what it has (nothing yet)', async () => {
    await until(() => received.length, (n) => n >= 3, 'the greeting and the offer');
    expect(helloHeaders[0]?.authorization).toBe('Bearer kg-given-token');
    expect(received.slice(0, 3).map((m) => m.type)).toEqual(['hello', 'tokens', 'alerts']);
    expect(received[0]).toEqual({ type: 'hello', protocol: 1, from: 'kz-bs', agreement: 'kz-kg-test' });
    expect(received[1].tokens).toEqual([]);
  });

  it('offers a medium alert as a document token under the shared key and as its clear fields only', async () => {
    const event = crossing('KZ-KORDAY', { family: 'ISMAILOV', given: 'TIMUR', dob: '1988-08-08', state: 'KAZ', number: 'N55501234' }, true);
    // Offered alerts are recent ones (retention.alerts, 7 days by default, in event time).
    event.eventTime = new Date().toISOString();
    const ingest = new TestClient(`${processor.url}/ingest`, producer);
    await ingest.opened();
    ingest.send(JSON.stringify(event));
    const offer = await until(() => received.filter((m) => m.type === 'alerts').at(-1), (m) => m?.alerts.length === 1, 'the alert offered');
    ingest.close();
    const tokens = received.filter((m) => m.type === 'tokens').at(-1).tokens;
    const key = deriveKey(Buffer.from(SECRET), ['kg-bs', 'kz-bs'], 'k1');
    expect(tokens).toEqual([{ token: matchToken(key, documentIdentifier('KAZ', 'N55501234')!), kind: 'document', ref: offer.alerts[0].ref, source: 'alert', keyId: 'k1', expires: expect.any(String) }]);
    expect(Object.keys(offer.alerts[0].fields).sort()).toEqual(['post', 'rules', 'severity']);
    expect(JSON.stringify(received)).not.toMatch(/ISMAILOV|TIMUR|1988-08-08|N55501234/);
  });

  it('refuses a link without a partner token, a hello that does not match, and a message outside the protocol', async () => {
    const asAnalyst = new TestClient(`${processor.url}/exchange`, analyst);
    expect((await asAnalyst.closed).code).toBe(4403);
    const wrongHello = new TestClient(`${processor.url}/exchange`, partnerSecret);
    await wrongHello.opened();
    wrongHello.send(JSON.stringify({ type: 'hello', protocol: 1, from: 'tj-bs', agreement: 'kz-kg-test' }));
    expect(await wrongHello.closed).toEqual({ code: 4403, reason: expect.stringContaining('hello names tj-bs') });
    const garbage = new TestClient(`${processor.url}/exchange`, partnerSecret);
    await garbage.opened();
    garbage.send(JSON.stringify({ type: 'hello', protocol: 1, from: 'kg-bs', agreement: 'kz-kg-test' }));
    garbage.send(JSON.stringify({ type: 'tokens', at: 'yesterday', tokens: [] }));
    expect((await garbage.closed).code).toBe(1008);
  });

  it('answers requests over its own link: an unknown reference and one beyond the day\'s limit are refused, and both audited', async () => {
    const kg = new TestClient(`${processor.url}/exchange`, partnerSecret);
    await kg.opened();
    kg.send(JSON.stringify({ type: 'hello', protocol: 1, from: 'kg-bs', agreement: 'kz-kg-test' }));
    const ref = received.filter((m) => m.type === 'alerts').at(-1).alerts[0].ref;
    kg.send(JSON.stringify({ type: 'request', id: 'req-00000000000000000001', ref: `a-${'0'.repeat(32)}`, purpose: 'Checking a traveller', requestedBy: 'kg analyst', at: new Date().toISOString() }));
    kg.send(JSON.stringify({ type: 'request', id: 'req-00000000000000000002', ref, purpose: 'Checking a traveller', requestedBy: 'kg analyst', at: new Date().toISOString() }));
    const decisions = await until(() => received.filter((m) => m.type === 'decision'), (d) => d.length === 2, 'two decisions');
    expect(decisions).toEqual([
      expect.objectContaining({ id: 'req-00000000000000000001', decision: 'refused', reason: expect.stringContaining('no subject offered') }),
      expect.objectContaining({ id: 'req-00000000000000000002', decision: 'refused', reason: expect.stringContaining('limit of 1 request(s) a day') }),
    ]);
    expect(decisions.every((d) => d.details === undefined)).toBe(true);
    const audit = readAuditLog(path.join(dataDir, 'audit.ndjson')).filter((r) => r.endpoint.startsWith('exchange:')).map((r) => `${r.endpoint} ${r.exchange?.request}`);
    expect(audit).toEqual([
      'exchange:request-received req-00000000000000000001',
      'exchange:request-refused req-00000000000000000001',
      'exchange:request-received req-00000000000000000002',
      'exchange:request-refused req-00000000000000000002',
    ]);
    kg.close();
  });

  it('keeps the agreement in force through a bad edit, and says where the problem is in /health', async () => {
    const good = fs.readFileSync(agreementFile, 'utf8');
    const healthOf = async (): Promise<Json> => (await fetch(`${processor.url.replace('ws', 'http')}/health`)).json() as Promise<Json>;
    fs.writeFileSync(agreementFile, good.replace('limits: { requestsPerDay: 1 }', 'limits: { requestsPerDay: many }'));
    const broken = await until(healthOf, (h) => h.exchange.problems !== undefined, 'the reload to fail');
    expect(broken.exchange.problems).toMatch(/kg\.yaml:\d+ at limits\.requestsPerDay: /);
    expect(Object.keys(broken.exchange.partners)).toEqual(['kg-bs']);
    fs.writeFileSync(agreementFile, good);
    await until(healthOf, (h) => h.exchange.problems === undefined, 'the good file to be read again');
  });

  it('withdraws its offer and closes the partner\'s connections when its agreement file is removed', async () => {
    const kg = new TestClient(`${processor.url}/exchange`, partnerSecret);
    await kg.opened();
    kg.send(JSON.stringify({ type: 'hello', protocol: 1, from: 'kg-bs', agreement: 'kz-kg-test' }));
    // The greeting is taken before the agreement goes: wait until the health shows the link open.
    await until(async () => (await (await fetch(`${processor.url.replace('ws', 'http')}/health`)).json()) as Json, (h) => h.exchange.partners['kg-bs']?.link.state === 'open', 'the link open');
    fs.rmSync(agreementFile);
    await until(() => received.at(-1), (m) => m?.type === 'withdraw', 'the withdrawal (the directory is watched)');
    expect(await kg.closed).toEqual({ code: 4403, reason: 'exchange agreement revoked' });
    const h = (await (await fetch(`${processor.url.replace('ws', 'http')}/health`)).json()) as Json;
    expect(h.exchange.partners).toEqual({});
  });
});
