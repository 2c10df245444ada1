import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../src/auth/audit-log.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { acksIn, alertsIn, generated, TestClient } from '../helpers.ts';
import { type CaptureProxy, capturedText } from './capture-proxy.ts';
import { AKHMEDOV, api, crossing, health, type Json, type LinkedPair, type Side, send, startLinkedPair, until } from './linked-pair.ts';

describe('two processors exchange hits without personal data', () => {
  let a: Side;
  let b: Side;
  let proxyA: CaptureProxy;
  let proxyB: CaptureProxy;
  // Ordinary travellers crossing at A: none of their values may ever leave A.
  const ordinary = generated(400, { seed: 23, plantRate: 0 }).map((g) => g.event).filter((e): e is Crossing => e.kind === 'crossing').slice(0, 40);

  let pair: LinkedPair;

  beforeAll(async () => {
    pair = await startLinkedPair();
    ({ a, b, proxyA, proxyB } = pair);
  });

  afterAll(async () => {
    await pair?.close();
  });

  it('raises B\'s "known to partner" alert within a second of a flagged subject crossing, with evidence and none of A\'s data', async () => {
    await until(() => health(b), (h) => h.exchange?.partners?.['kz-bs']?.tokensHeld > 0, 'B to hold A\'s tokens');
    // A's ordinary traffic, some of it alerting on A's own rules: never leaves A but as tokens.
    await send(a, ordinary.map((e) => ({ ...e, post: 'KZ-KORDAY' })));

    // B is a running processor: its border post has been sending (one ordinary crossing here).
    const ingest = new TestClient(`${b.processor.url}/ingest`, b.producer);
    await ingest.opened();
    ingest.send(JSON.stringify(crossing('KG-AKZHOL', { family: 'SADYROV', given: 'BAKYT', dob: '1979-05-02', state: 'KGZ', number: 'AN5550101' })));
    await ingest.until((m) => acksIn(m).length === 1);

    const started = Date.now();
    ingest.send(JSON.stringify(crossing('KG-AKZHOL', AKHMEDOV)));
    await b.feed.until((m) => alertsIn(m).some((x) => x.alert.indicators.some((i) => i.id === 'crossing.known-to-partner')), 5_000);
    const latency = Date.now() - started;
    if (process.env.EXCHANGE_LATENCY) console.log(`crossing sent to B -> B's known-to-partner alert received: ${latency} ms`);
    expect(latency).toBeLessThan(1_000);
    ingest.close();

    const alert = alertsIn(b.feed.messages).find((x) => x.alert.indicators.some((i) => i.id === 'crossing.known-to-partner'))!;
    const evidence = alert.alert.indicators.find((i) => i.id === 'crossing.known-to-partner')!.evidence;
    expect(evidence.map((e) => (e.actual as { matchedOn: string }).matchedOn).sort()).toEqual(['document', 'name-dob']);
    for (const e of evidence) {
      expect(e.op).toBe('partner-hit');
      expect(Object.keys(e.actual as object).sort()).toEqual(['keyId', 'matchedOn', 'partner', 'partnerName', 'ref', 'source']);
      expect(e.actual).toMatchObject({ partner: 'kz-bs', source: 'flagged', ref: expect.stringMatching(/^f-[0-9a-f]{32}$/) });
    }
    const text = JSON.stringify(alert);
    for (const value of ['Ахмедов', 'Рустам', 'KZF-1', 'kz-flagged']) expect(text).not.toContain(value);
  });

  it('matches across scripts: flagged in Cyrillic at A, crossing in Latin at B on another document', async () => {
    await send(b, [crossing('KG-AKZHOL', { family: 'QODIROVA', given: 'GULNOZA', dob: '1991-03-14', state: 'UZB', number: 'FA9911220' })]);
    await b.feed.until((m) => alertsIn(m).some((x) => x.alert.event.kind === 'crossing' && (x.alert.event as Crossing).document.number === 'FA9911220'), 5_000);
    const alert = alertsIn(b.feed.messages).find((x) => (x.alert.event as Crossing).document.number === 'FA9911220')!;
    const hit = alert.alert.indicators.find((i) => i.id === 'crossing.known-to-partner');
    expect(hit?.evidence.map((e) => (e.actual as { matchedOn: string }).matchedOn)).toEqual(['name-dob']);
  });

  it('round-trips a request for details, approved at A, with every step in both audit logs', async () => {
    const alert = alertsIn(b.feed.messages).find((x) => x.alert.indicators.some((i) => i.id === 'crossing.known-to-partner'))!;
    const ref = (alert.alert.indicators.find((i) => i.id === 'crossing.known-to-partner')!.evidence[0]!.actual as { ref: string }).ref;
    const beforeRelease = capturedText(proxyB.captured);

    const refused = await api(b, 'POST', '/api/exchange/requests', { partner: 'kz-bs', ref, purpose: 'short' });
    expect(refused.status).toBe(400);
    const asked = await api(b, 'POST', '/api/exchange/requests', { partner: 'kz-bs', ref, purpose: 'Verify identity of a traveller at KG-AKZHOL flagged by KZ', alertSeq: alert.seq });
    expect(asked.status).toBe(201);
    const id = asked.body.id as string;

    const incoming = await until(() => api(a, 'GET', '/api/exchange'), (r) => r.body.requests.some((q: Json) => q.id === id), 'A to receive the request');
    expect(incoming.body.requests.find((q: Json) => q.id === id)).toMatchObject({ direction: 'incoming', status: 'pending', subject: 'kz-flagged KZF-1', purpose: 'Verify identity of a traveller at KG-AKZHOL flagged by KZ' });
    expect((await api(b, 'GET', `/api/exchange/requests/${id}/details`)).status).toBe(409);

    const approved = await api(a, 'POST', `/api/exchange/requests/${id}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    await until(() => api(b, 'GET', '/api/exchange'), (r) => r.body.requests.some((q: Json) => q.id === id && q.status === 'approved'), 'B to get the decision');
    const details = await api(b, 'GET', `/api/exchange/requests/${id}/details`);
    expect(details.body.details).toEqual({ familyName: 'Ахмедов', givenNames: 'Рустам', dateOfBirth: '1984-07-21', documentNumber: 'AC7741203', issuingState: 'KGZ' });

    const steps = (dir: string) => readAuditLog(path.join(dir, 'audit.ndjson')).filter((r) => r.endpoint.startsWith('exchange:') && r.exchange?.request === id).map((r) => r.endpoint);
    expect(steps(b.dataDir)).toEqual(['exchange:request-sent', 'exchange:details-received', 'exchange:details-read']);
    expect(steps(a.dataDir)).toEqual(['exchange:request-received', 'exchange:details-released']);
    const released = readAuditLog(path.join(a.dataDir, 'audit.ndjson')).find((r) => r.endpoint === 'exchange:details-released')!;
    expect(released).toMatchObject({ name: 'kz analyst', role: 'analyst', exchange: { partner: 'kg-bs', purpose: expect.stringContaining('Verify identity'), fieldsReleased: ['familyName', 'givenNames', 'dateOfBirth', 'documentNumber', 'issuingState'] } });

    // Before the release, nothing A sent named the flagged subject; the release did, through the same capture.
    for (const value of ['Ахмедов', 'Рустам', 'AC7741203', '1984-07-21']) {
      expect(beforeRelease).not.toContain(value);
      expect(capturedText(proxyB.captured)).toContain(value);
    }
  });

  it('sends nothing of unflagged travellers: the capture of both links holds no clear personal value of theirs', () => {
    const sent = capturedText(proxyA.captured) + capturedText(proxyB.captured) + capturedText(proxyA.captured, 'down') + capturedText(proxyB.captured, 'down');
    expect(sent).toContain('"type":"tokens"');
    const values = ordinary.flatMap((e) => [e.traveller.familyName, e.traveller.givenNames, e.traveller.dateOfBirth, e.document.number, ...(e.document.mrz ?? [])]).filter((v) => v.length >= 4);
    expect(values.length).toBeGreaterThan(100);
    for (const v of values) expect(sent, v).not.toContain(v);
    // B's own crossings of flagged people did not go to A either.
    for (const v of ['AKHMEDOV', 'QODIROVA', 'FA9911220']) expect(sent).not.toContain(v);
  });

  it('stops the flow when A revokes its agreement', async () => {
    fs.writeFileSync(path.join(a.exchangeDir, 'agreement.yaml'), `${fs.readFileSync(path.join(a.exchangeDir, 'agreement.yaml'), 'utf8')}revoked: true\n`);
    expect(a.processor.reloadExchange()).toBe(true);
    await until(() => health(b), (h) => h.exchange.partners['kz-bs'].tokensHeld === 0, 'B to drop A\'s tokens');
    const upAfter = proxyB.captured.filter((c) => c.direction === 'up').length;

    // The flagged subject crosses again: no hit; an expired document after it shows the crossing was processed.
    await send(b, [crossing('KG-AKZHOL', AKHMEDOV), crossing('KG-AKZHOL', { family: 'TOKTOGULOV', given: 'ASAN', dob: '1970-01-01', state: 'KGZ', number: 'AN0000001' }, true)]);
    await b.feed.until((m) => alertsIn(m).some((x) => (x.alert.event as Crossing).document.number === 'AN0000001'), 5_000);
    const hits = alertsIn(b.feed.messages).filter((x) => x.alert.indicators.some((i) => i.id === 'crossing.known-to-partner'));
    expect(hits).toHaveLength(2);

    // A refuses B's link now, and sends nothing more on its own.
    await until(() => health(b), (h) => /4403/.test(h.exchange.partners['kz-bs'].link.lastError ?? ''), 'B\'s link to be refused');
    expect((await api(a, 'GET', '/api/exchange')).body.partners).toEqual([]);
    expect(proxyB.captured.filter((c) => c.direction === 'up').length).toBe(upAfter);
    const asked = await api(a, 'POST', '/api/exchange/requests', { partner: 'kg-bs', ref: `f-${'0'.repeat(32)}`, purpose: 'Any purpose at all, after revocation' });
    expect(asked.status).toBe(404);
  });
});
