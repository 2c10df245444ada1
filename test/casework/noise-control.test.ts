import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { caseworkCrossing, LISTED, ORDINARY, POST } from './casework-events.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { addTokens, RULES_DIR, rulesWith, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

type AlertMsg = { type: 'alert'; seq: number; alert: Alert; muted?: { by: string; id?: string; alertId?: string } };
const alerts = (c: TestClient): AlertMsg[] => c.messages.filter((m): m is AlertMsg => (m as AlertMsg).type === 'alert');
/** The alert `c` received for an event (raised when the event came, not later by time). */
const byEvent = (c: TestClient, eventId: string): AlertMsg | undefined => alerts(c).find((a) => a.alert.eventId === eventId && a.alert.trigger === 'event');
const HOUR = 3_600_000;
const crossing = caseworkCrossing;

describe('noise control: confirmed non-matches, silences and inhibition', () => {
  let clock = Date.parse('2026-11-02T06:00:00Z');
  let processor: Processor;
  let dataDir: string;
  let analystToken: string;
  let trainerToken: string;
  let producer: TestClient;
  let analyst: TestClient;
  let withMuted: TestClient;
  let trainer: TestClient;
  let requests = 0;

  /** Sends a casework message as `client` and waits for the reply carrying its request id. */
  async function ask(client: TestClient, message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const requestId = `r${++requests}`;
    client.send(JSON.stringify({ ...message, requestId }));
    await client.until((m) => m.some((x) => (x as { requestId?: string }).requestId === requestId));
    return client.messages.find((x) => (x as { requestId?: string }).requestId === requestId) as Record<string, unknown>;
  }

  async function send(...events: Crossing[]): Promise<void> {
    const before = producer.messages.length;
    producer.send(JSON.stringify(events));
    await producer.until((m) => m.length > before);
  }

  beforeAll(async () => {
    dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [p, a, t] = addTokens(tokensFile, [
      { role: 'producer', name: 'Khorgos gateway', posts: [POST] },
      { role: 'analyst', name: 'Aigerim Bekova' },
      { role: 'trainer', name: 'Timur Trainer' },
    ]);
    analystToken = a!.secret;
    trainerToken = t!.secret;
    // The shipped scoring, with inhibition reaching up to high: a second traveller on a listed
    // person's document trips the shared-document indicator as well as the expiry.
    const scoring = fs.readFileSync(path.join(RULES_DIR, 'scoring.yaml'), 'utf8');
    expect(scoring).toContain('target: { maxSeverity: medium }');
    const rulesDir = rulesWith({ 'scoring.yaml': scoring.replace('target: { maxSeverity: medium }', 'target: { maxSeverity: high }') });
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir, streamsDir: STREAMS_DIR, watchRules: false, snapshots: false, fsync: false, now: () => clock, log: () => {} });
    producer = new TestClient(`${processor.url}/ingest`, p!.secret);
    analyst = new TestClient(`${processor.url}/alerts`, analystToken);
    withMuted = new TestClient(`${processor.url}/alerts?muted=true`, analystToken);
    trainer = new TestClient(`${processor.url}/alerts?muted=true`, trainerToken);
    await Promise.all([producer.opened(), analyst.opened(), withMuted.opened(), trainer.opened()]);
    await Promise.all([analyst, withMuted, trainer].map((c) => c.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'))));
  });

  afterAll(async () => {
    for (const c of [producer, analyst, withMuted, trainer]) c.close();
    await processor.close();
  });

  it('a watchlist false positive confirmed for a document does not come back for that document, says so in evidence, and still fires for another', async () => {
    const firstEvent = crossing(1, 'N5550001', LISTED);
    await send(firstEvent);
    await analyst.until(() => byEvent(analyst, firstEvent.eventId) !== undefined);
    const first = byEvent(analyst, firstEvent.eventId)!;
    expect(first.alert.indicators.map((i) => i.id)).toContain('crossing.watchlist-name-match');
    const evidence = first.alert.indicators.find((i) => i.id === 'crossing.watchlist-name-match')!.evidence[0]!.actual as { list: string; entryId: string };
    const entry = `${evidence.list}:${evidence.entryId}`;

    const refused = await ask(trainer, { type: 'non-match', seq: first.seq, entry, scope: 'document', reason: 'not him' });
    expect(refused).toMatchObject({ type: 'error', message: expect.stringMatching(/role trainer may not triage/) });
    const bad = await ask(analyst, { type: 'non-match', seq: first.seq, entry: 'un-sc:NOPE', scope: 'document', reason: 'x' });
    expect(bad).toMatchObject({ type: 'error', message: `alert ${first.seq} has no watchlist hit on un-sc:NOPE` });

    const confirmed = await ask(analyst, { type: 'non-match', seq: first.seq, entry, scope: 'document', reason: 'namesake: born in Almaty, checked with the registry' });
    expect(confirmed).toMatchObject({ type: 'non-match-result', ok: true, nonMatch: { entry, subject: 'document KAZ:N5550001', by: 'Aigerim Bekova', fromSeq: first.seq } });
    const id = (confirmed.nonMatch as { id: string }).id;

    // The same document again: no alert. Ten hours later with an expired document: an alert for
    // the expiry alone, whose evidence names the suppressed hit. Another document of the same
    // person: the hit fires (the non-match was for the document). Events are processed in
    // order, so once the last one's alert is here, the first had its chance.
    const sameDocument = crossing(2, 'N5550001', LISTED);
    const expiredEvent = crossing(12, 'N5550001', LISTED, true);
    const otherEvent = crossing(13, 'N5550002', LISTED);
    await send(sameDocument, expiredEvent, otherEvent);
    await analyst.until(() => byEvent(analyst, otherEvent.eventId) !== undefined);
    expect(byEvent(withMuted, sameDocument.eventId)).toBeUndefined();
    const expiredOnly = byEvent(analyst, expiredEvent.eventId)!;
    expect(expiredOnly.alert.indicators.map((i) => i.id)).toEqual(['crossing.document-expired']);
    expect(expiredOnly.alert.suppressed).toEqual([{ ruleId: 'crossing.watchlist-name-match', title: expect.any(String), entries: [{ entry, nonMatch: expect.objectContaining({ id, by: 'Aigerim Bekova' }) }] }]);
    const other = byEvent(analyst, otherEvent.eventId)!;
    expect(other.alert.indicators.map((i) => i.id)).toContain('crossing.watchlist-name-match');

    // For the person (folded name and birth date), it covers their other documents too, in any spelling.
    const person = await ask(analyst, { type: 'non-match', seq: other.seq, entry, scope: 'person', reason: 'the same namesake, new passport' });
    expect((person.nonMatch as { subject: string }).subject).toBe('person doku umarov 1964-04-13');
    const latin = crossing(14, 'N5550003', { ...LISTED, familyName: 'UMAROV', givenNames: 'Doku' });
    const marker = crossing(15, 'N5550004', ORDINARY, true);
    await send(latin, marker);
    await analyst.until(() => byEvent(analyst, marker.eventId) !== undefined);
    expect(byEvent(withMuted, latin.eventId)).toBeUndefined();

    const list = await ask(analyst, { type: 'non-matches' });
    const applied = (list.nonMatches as { id: string; applied: number }[]).find((n) => n.id === id)!;
    expect(applied.applied).toBe(2);
    // Masked roles see the list with the subject pseudonymised and the reason withheld.
    const masked = await ask(trainer, { type: 'non-matches' });
    const seen = (masked.nonMatches as { id: string; subject: string; reason: string }[]).find((n) => n.id === id)!;
    expect(seen.subject).toMatch(/^document KAZ:doc#[0-9a-f]{8}$/);
    expect(seen.reason).not.toContain('Almaty');
    expect(JSON.stringify(masked)).not.toMatch(/N555000|doku umarov/);

    // Revoked (both), the entry alerts on the document again.
    expect(await ask(analyst, { type: 'non-match-revoke', id })).toMatchObject({ type: 'non-match-result', nonMatch: { id, revokedBy: 'Aigerim Bekova' } });
    expect(await ask(analyst, { type: 'non-match-revoke', id: (person.nonMatch as { id: string }).id })).toMatchObject({ type: 'non-match-result' });
    const back = crossing(20, 'N5550001', LISTED);
    await send(back);
    await analyst.until(() => byEvent(analyst, back.eventId) !== undefined);
    expect(byEvent(analyst, back.eventId)!.alert.indicators.map((i) => i.id)).toContain('crossing.watchlist-name-match');
  });

  it('a silence keeps matching alerts off the live feed until it expires; they are stored, counted and shown on request', async () => {
    const created = await ask(analyst, { type: 'silence', matchers: { rule: 'crossing.document-expired', post: POST }, reason: 'registry outage: expiry dates wrong until fixed', duration: '1h' });
    expect(created).toMatchObject({ type: 'silence-result', ok: true, silence: { author: 'Aigerim Bekova', state: 'active', endsAt: new Date(clock + HOUR).toISOString() } });
    const silenceId = (created.silence as { id: string }).id;
    expect(await ask(analyst, { type: 'silence', matchers: {}, reason: 'x', duration: '1h' })).toMatchObject({ type: 'error', issues: [{ message: expect.stringMatching(/at least one matcher/) }] });
    expect(await ask(trainer, { type: 'silence', matchers: { post: POST }, reason: 'x', duration: '1h' })).toMatchObject({ type: 'error', message: expect.stringMatching(/may not triage/) });

    const expired = crossing(40, 'N7770001', ORDINARY, true);
    const listed = crossing(41, 'N7770002', LISTED);
    await send(expired, listed);
    // The silenced one goes only to the subscriber that asked for muted alerts, marked; the
    // live feed gets the next alert without it.
    await withMuted.until(() => byEvent(withMuted, expired.eventId) !== undefined);
    await analyst.until(() => byEvent(analyst, listed.eventId) !== undefined);
    const silenced = byEvent(withMuted, expired.eventId)!;
    expect(silenced.muted).toEqual({ by: 'silence', id: silenceId, endsAt: new Date(clock + HOUR).toISOString() });
    expect(byEvent(analyst, expired.eventId)).toBeUndefined();

    // A resuming subscriber does not get it in its backlog either, unless it asks for muted alerts.
    const resumed = new TestClient(`${processor.url}/alerts?since=0`, analystToken);
    await resumed.until((m) => m.some((x) => (x as { type: string }).type === 'live'));
    expect(alerts(resumed).map((a) => a.seq)).not.toContain(silenced.seq);
    expect(alerts(resumed).map((a) => a.seq)).toContain(byEvent(analyst, listed.eventId)!.seq);
    resumed.close();

    // Two hours on, the silence has ended by itself: the same kind of alert is live again.
    clock += 2 * HOUR;
    const again = crossing(52, 'N7770003', ORDINARY, true);
    await send(again);
    await analyst.until(() => byEvent(analyst, again.eventId) !== undefined);
    expect(byEvent(analyst, again.eventId)!.muted).toBeUndefined();
    const list = await ask(analyst, { type: 'silences' });
    expect((list.silences as { id: string }[]).find((s) => s.id === silenceId)).toMatchObject({ state: 'expired', muted: 1 });

    // Ended by hand before its time, with who ended it; a second expiry is refused.
    const subject = await ask(analyst, { type: 'silence', matchers: { subject: 'document KAZ:N7770009' }, reason: 'known courier, checked daily', duration: '7d' });
    const subjectId = (subject.silence as { id: string }).id;
    const masked = await ask(trainer, { type: 'silences' });
    const seen = (masked.silences as { id: string; matchers: { subject: string }; reason: string }[]).find((s) => s.id === subjectId)!;
    expect(seen.matchers.subject).toMatch(/^document KAZ:doc#[0-9a-f]{8}$/);
    expect(seen.reason).not.toContain('courier');
    expect(await ask(analyst, { type: 'silence-expire', id: subjectId })).toMatchObject({ type: 'silence-result', silence: { state: 'expired', expiredBy: 'Aigerim Bekova' } });
    expect(await ask(analyst, { type: 'silence-expire', id: subjectId })).toMatchObject({ type: 'error', message: `no silence ${subjectId} is in force` });

    // The HTTP API lists them too, masked by role.
    const http = processor.url.replace(/^ws/, 'http');
    const plain = (await (await fetch(`${http}/api/silences`, { headers: { authorization: `Bearer ${analystToken}` } })).json()) as { id: string; matchers: { subject?: string } }[];
    expect(plain.find((s) => s.id === subjectId)!.matchers.subject).toBe('document KAZ:N7770009');
    const forTrainer = (await (await fetch(`${http}/api/silences`, { headers: { authorization: `Bearer ${trainerToken}` } })).json()) as { id: string; matchers: { subject?: string } }[];
    expect(forTrainer.find((s) => s.id === subjectId)!.matchers.subject).toMatch(/doc#/);
  });

  it('a weaker alert about a document is inhibited by a stronger one about it within the span of scoring.yaml, not outside it', async () => {
    // Critical (watchlist) on N8880001 at hour 80; high (expired, shared) on the same document at 82 and at 90.
    const strongEvent = crossing(80, 'N8880001', LISTED);
    const weakEvent = crossing(82, 'N8880001', ORDINARY, true);
    const laterEvent = crossing(90, 'N8880001', ORDINARY, true);
    await send(strongEvent, weakEvent, laterEvent);
    await withMuted.until(() => byEvent(withMuted, laterEvent.eventId) !== undefined);
    await analyst.until(() => byEvent(analyst, laterEvent.eventId) !== undefined);
    const strong = byEvent(withMuted, strongEvent.eventId)!;
    const weak = byEvent(withMuted, weakEvent.eventId)!;
    expect(strong.alert.severity).toBe('critical');
    expect(weak.alert.severity).toBe('high');
    expect(weak.muted).toEqual({ by: 'inhibition', seq: strong.seq, alertId: strong.alert.alertId, severity: 'critical' });
    expect(byEvent(withMuted, laterEvent.eventId)!.muted).toBeUndefined();
    expect(byEvent(analyst, strongEvent.eventId)).toBeDefined();
    expect(byEvent(analyst, weakEvent.eventId)).toBeUndefined();
  });

  it('records every casework change with who and when in the casework log', async () => {
    const db = new Database(path.join(dataDir, 'alerts.db'), { readonly: true });
    const log = db.prepare('SELECT action, by FROM casework_log ORDER BY id').all() as { action: string; by: string }[];
    db.close();
    expect(log.map((l) => l.action)).toEqual(['non-match.confirm', 'non-match.confirm', 'non-match.revoke', 'non-match.revoke', 'silence.create', 'silence.create', 'silence.expire']);
    expect(new Set(log.map((l) => l.by))).toEqual(new Set(['Aigerim Bekova']));
  });
});
