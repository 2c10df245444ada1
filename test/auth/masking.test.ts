import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../src/auth/audit-log.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { acksIn, addTokens, alertsIn, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

/**
 * Masked roles (trainers, rule authors) against a real server: what they can learn
 * through filters, whether any spelling of a name gets through, whether free text does,
 * and whether their reads are on record.
 */

/** Every spelling of a value a reader could recognise: as sent, upper and lower case (Turkish rules too), composed and decomposed. */
function forms(value: string): string[] {
  const cased = [value, value.toUpperCase(), value.toLowerCase(), value.toLocaleUpperCase('tr'), value.toLocaleLowerCase('tr'), value.toLocaleUpperCase('de')];
  return [...new Set(cased.flatMap((v) => [v, v.normalize('NFC'), v.normalize('NFD'), v.normalize('NFKC')]))];
}

/** Whether `form` stands in `text` as a word of its own (not inside a longer word, nor inside a pseudonym's hex). */
function standsIn(text: string, form: string): boolean {
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
    const before = text.slice(0, at);
    const after = text.slice(at + form.length);
    if (!/[\p{L}\p{N}\p{M}]$/u.test(before) && !/^[\p{L}\p{N}\p{M}]/u.test(after)) return true;
  }
  return false;
}

/** The forms of `values` that stand in `text`, for a failure message that says what leaked. */
function leaked(text: string, values: readonly string[]): string[] {
  return values.flatMap(forms).filter((form) => standsIn(text, form));
}

type Secrets = Record<'producer' | 'analyst' | 'trainer' | 'author', { secret: string; id: string }>;

describe('masked roles', () => {
  let dataDir: string;
  let processor: Processor;
  let http: string;
  const secrets = {} as Secrets;
  // Planted MRZ check-digit failures, so that every event raises an alert; the names are
  // those the subject line's upper-casing used to let through (ı → I, ß → SS) and others.
  const planted = generated(60, { seed: 23, plantRate: 1, cases: ['mrz-check-digit'], idPrefix: 'mask' }).map((g) => g.event as Crossing);
  const names: [family: string, given: string][] = [
    ['Yılmaz', 'Ayşe'],
    ['Straße', 'Jürgen'],
    ['Kılıçdaroğlu', 'Kemal'],
    ['Иванов', 'Пётр'],
    ['Öztürk', 'İsmail'],
    ['Groß', 'Ünal'],
  ];
  const events: Crossing[] = names.map(([familyName, givenNames], i) => ({
    ...planted[i]!,
    eventId: `mask-${i + 1}`,
    post: 'UZ-AYRITOM',
    traveller: { ...planted[i]!.traveller, familyName, givenNames },
  }));
  const personal = (e: Crossing): string[] => [e.traveller.familyName, e.traveller.givenNames, e.traveller.dateOfBirth, e.document.number];
  const allPersonal = events.flatMap(personal);

  beforeAll(async () => {
    dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [producer, analyst, trainer, author] = addTokens(tokensFile, [
      { role: 'producer', name: 'Ayritom gateway', posts: ['UZ-AYRITOM'] },
      { role: 'analyst', name: 'Aigerim' },
      { role: 'trainer', name: 'Timur (trainer)' },
      { role: 'rule-author', name: 'Rustam (rules)' },
    ]);
    Object.assign(secrets, { producer, analyst, trainer, author });
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {} });
    http = processor.url.replace(/^ws:/, 'http:');
  });
  afterAll(async () => {
    await processor.close();
  });

  /** Subscribes with the query, waits until the backlog has been read, and returns every message. */
  async function read(query: string, secret: string): Promise<unknown[]> {
    const client = new TestClient(`${processor.url}/alerts?${query}`, secret);
    await client.until((m) => m.some((x) => (x as { type: string }).type === 'live'));
    client.close();
    return client.messages;
  }

  it('masks every case and normalisation form of Latin, Turkish, German and Cyrillic names in live, backlog and API responses', async () => {
    const live = new TestClient(`${processor.url}/alerts`, secrets.trainer.secret);
    await live.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
    const ingest = new TestClient(`${processor.url}/ingest`, secrets.producer.secret);
    await ingest.opened();
    ingest.send(JSON.stringify(events));
    await ingest.until((m) => acksIn(m).length === 1);
    expect(acksIn(ingest.messages)[0]!.accepted).toBe(events.length);
    ingest.close();
    await live.until((m) => alertsIn(m).length === events.length);
    live.close();
    const backlog = await read('since=0', secrets.author.secret);
    expect(alertsIn(backlog).map((a) => a.alert.eventId)).toEqual(events.map((e) => e.eventId));
    const api = await Promise.all(alertsIn(backlog).map(async ({ seq }) => (await fetch(`${http}/api/alerts/${seq}`, { headers: { authorization: `Bearer ${secrets.trainer.secret}` } })).text()));
    // The analyst's view holds the upper-cased forms, so the check below can see them if they leak.
    const analystView = JSON.stringify(await read('since=0', secrets.analyst.secret));
    expect(analystView).toContain('YILMAZ');
    expect(analystView).toContain('STRASSE');

    for (const [what, text] of [['live', JSON.stringify(live.messages)], ['backlog', JSON.stringify(backlog)], ['API', api.join('\n')]] as const) {
      expect(leaked(text, allPersonal), `${what}: ${text.slice(0, 400)}`).toEqual([]);
      expect(text).toMatch(/name#[0-9a-f]{8}/);
    }
    // One value, one pseudonym: the subject and the event's own field agree.
    const first = alertsIn(backlog)[0]!.alert;
    expect(first.subject.startsWith(`${(first.event as Crossing).traveller.familyName} `)).toBe(true);
  });

  it('runs a masked role’s text filter on what it sees, so that guesses at a masked value find nothing', async () => {
    const stored = alertsIn(await read('since=0', secrets.analyst.secret));
    const target = stored.find((a) => a.alert.eventId === 'mask-1')!;
    const event = target.alert.event as Crossing;
    const guesses = [event.document.number, event.traveller.dateOfBirth, event.traveller.familyName, 'YILMAZ', 'yilmaz', event.traveller.dateOfBirth.slice(5)];
    for (const secret of [secrets.trainer.secret, secrets.author.secret]) {
      for (const guess of guesses) {
        const messages = await read(`since=${target.seq - 1}&q=${encodeURIComponent(guess)}`, secret);
        expect(alertsIn(messages).map((a) => a.alert.eventId), `q=${guess}`).toEqual([]);
      }
    }
    // The same guesses find the alert for an analyst, who sees the values: the filter works.
    expect(alertsIn(await read(`since=${target.seq - 1}&q=${encodeURIComponent(event.document.number)}`, secrets.analyst.secret)).map((a) => a.seq)).toContain(target.seq);
    // And a trainer finds it by what a trainer sees: its pseudonym.
    const masked = alertsIn(await read(`since=${target.seq - 1}`, secrets.trainer.secret)).find((a) => a.seq === target.seq)!;
    const pseudonym = /doc#[0-9a-f]{8}/.exec(masked.alert.subject)![0];
    expect(alertsIn(await read(`since=${target.seq - 1}&q=${encodeURIComponent(pseudonym)}`, secrets.trainer.secret)).map((a) => a.seq)).toEqual([target.seq]);
  });

  it('audits every read by every role that can filter, with the filter used', async () => {
    const before = Date.now();
    await read('since=0&q=passport&minSeverity=low', secrets.trainer.secret);
    await read('since=0&kind=crossing', secrets.author.secret);
    const seq = alertsIn(await read('since=0', secrets.analyst.secret))[0]!.seq;
    expect((await fetch(`${http}/api/alerts/${seq}`, { headers: { authorization: `Bearer ${secrets.trainer.secret}` } })).status).toBe(200);
    const records = readAuditLog(path.join(dataDir, 'audit.ndjson')).filter((r) => Date.parse(r.at) >= before - 1);
    expect(records).toContainEqual(expect.objectContaining({ tokenId: secrets.trainer.id, role: 'trainer', endpoint: 'alerts:backlog', masked: true, filter: { text: 'passport', minSeverity: 'low' } }));
    expect(records).toContainEqual(expect.objectContaining({ tokenId: secrets.author.id, role: 'rule-author', endpoint: 'alerts:backlog', masked: true, filter: { kinds: ['crossing'] } }));
    expect(records).toContainEqual(expect.objectContaining({ tokenId: secrets.analyst.id, role: 'analyst', endpoint: 'alerts:backlog', masked: false, filter: {} }));
    expect(records).toContainEqual(expect.objectContaining({ tokenId: secrets.trainer.id, endpoint: `GET /api/alerts/${seq}`, masked: true, seqs: [seq] }));
  });

  it('withholds triage notes from masked roles, whoever they name and however they spell it', async () => {
    const stored = alertsIn(await read('since=0', secrets.analyst.secret));
    const target = stored.find((a) => a.alert.eventId === 'mask-3')!;
    const trainerFeed = new TestClient(`${processor.url}/alerts`, secrets.trainer.secret);
    await trainerFeed.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
    const analyst = new TestClient(`${processor.url}/alerts`, secrets.analyst.secret);
    await analyst.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
    // Names the alert holds in other spellings, and a person it does not hold at all.
    const note = 'KILIÇDAROĞLU travels with his brother Murat Şahin; k. kılıçdaroğlu seen before';
    analyst.send(JSON.stringify({ type: 'triage', requestId: 'n1', seq: target.seq, action: 'dismiss', by: 'x', reason: 'other', note }));
    await analyst.until((m) => m.some((x) => (x as { type: string }).type === 'triage-result'));
    analyst.close();
    await trainerFeed.until((m) => m.some((x) => (x as { type: string }).type === 'triage'));
    trainerFeed.close();
    const backlog = await read(`since=${target.seq - 1}`, secrets.trainer.secret);
    const api = await (await fetch(`${http}/api/alerts/${target.seq}`, { headers: { authorization: `Bearer ${secrets.trainer.secret}` } })).text();
    for (const text of [JSON.stringify(trainerFeed.messages), JSON.stringify(backlog), api]) {
      expect(leaked(text, ['Murat', 'Şahin', 'Kılıçdaroğlu', 'Kemal'])).toEqual([]);
      expect(text).toContain('"action":"dismiss"');
      expect(text).toContain('"reason":"other"');
      expect(text).toContain('note withheld');
    }
    // The analyst still reads the note as written.
    const full = alertsIn(await read(`since=${target.seq - 1}`, secrets.analyst.secret))[0] as unknown as { triage: { history: { note?: string }[] } };
    expect(full.triage.history.at(-1)!.note).toBe(note);
  });
});
