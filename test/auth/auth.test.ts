import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { readAuditLog } from '../../src/auth/audit-log.ts';
import { listedPeopleIn } from '../../src/generate/listed-people.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { addTokens, generated, ROOT, RULES_DIR, rulesWith, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

type AlertMessage = { type: 'alert'; seq: number; alert: Alert };
const alertsIn = (messages: unknown[]): AlertMessage[] => messages.filter((m): m is AlertMessage => (m as AlertMessage).type === 'alert');
const acksIn = (messages: unknown[]): IngestReply[] => messages.filter((m): m is IngestReply => (m as IngestReply).type === 'ack');
const BIN = path.join(ROOT, 'bin', 'border-risk.js');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every personal value of a crossing, as the masking must hide them. */
function personalValuesOf(event: Crossing): string[] {
  const { traveller, document } = event;
  const names = [traveller.familyName, traveller.givenNames].flatMap((n) => [n, ...n.split(/[\s-]+/)]);
  return [...names, traveller.dateOfBirth, document.number, ...(document.mrz ?? []), event.vehicle?.plate ?? ''].filter((v) => v.trim().length >= 2);
}

/** Where `value` still shows in `text`: as a word of its own (any case), or anywhere at all when it is long enough to mean something. */
function leaks(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text)) return true;
  return value.length >= 5 && text.toLowerCase().includes(value.toLowerCase());
}

describe('authentication, roles, masking and the audit log', () => {
  let dataDir: string;
  let tokensFile: string;
  let processor: Processor;
  const secrets: Record<'producer' | 'analyst' | 'trainer' | 'author', { secret: string; id: string }> = {} as never;
  // Two crossings on one passport under two family names, and a listed individual: the
  // alerts carry a window key with the document number, the family names the window held,
  // and watchlist alignments of the traveller's name parts.
  const base = generated(200, { seed: 11 }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing' && e.document.mrz !== undefined)!;
  const first: Crossing = { ...base, eventId: 'auth-1', post: 'UZ-AYRITOM', eventTime: '2026-11-02T10:00:00.000+05:00' };
  const second: Crossing = { ...base, eventId: 'auth-2', post: 'UZ-AYRITOM', eventTime: '2026-11-03T10:00:00.000+05:00', traveller: { ...base.traveller, familyName: 'Tursunbaev' }, document: { ...base.document } };
  const listed = generated(1, { seed: 3, plantRate: 1, cases: ['watchlist-name'], listedPeople: listedPeopleIn(RULES_DIR) })[0]!.event as Crossing;
  const watched: Crossing = { ...listed, eventId: 'auth-3', post: 'UZ-AYRITOM', eventTime: '2026-11-03T11:00:00.000+05:00' };
  const sent = [first, second, watched];

  beforeAll(async () => {
    dataDir = tempDir();
    tokensFile = path.join(dataDir, 'tokens.json');
    const [producer, analyst, trainer, author] = addTokens(tokensFile, [
      { role: 'producer', name: 'Ayritom post gateway', posts: ['UZ-AYRITOM', 'UZ-TAS'] },
      { role: 'analyst', name: 'Aigerim' },
      { role: 'trainer', name: 'Timur (trainer)' },
      { role: 'rule-author', name: 'Rustam (rules)' },
    ]);
    Object.assign(secrets, { producer, analyst, trainer, author });
    processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
    const ingest = new TestClient(`${processor.url}/ingest`, producer!.secret);
    await ingest.opened();
    for (const event of sent) ingest.send(JSON.stringify(event));
    await ingest.until((m) => acksIn(m).length === sent.length);
    expect(acksIn(ingest.messages).map((a) => a.results[0]!.status)).toEqual(['accepted', 'accepted', 'accepted']);
    ingest.close();
  });
  afterAll(async () => {
    await processor.close();
  });

  it('refuses connections without a valid token with 4401, and a role on the wrong endpoint with 4403', async () => {
    const cases: [string, string | undefined, number][] = [
      ['/ingest', undefined, 4401],
      ['/alerts', undefined, 4401],
      ['/alerts', 'brk_not-a-token-anyone-was-given', 4401],
      ['/alerts', secrets.producer.secret, 4403],
      ['/ingest', secrets.analyst.secret, 4403],
    ];
    for (const [endpoint, token, code] of cases) {
      const client = new TestClient(`${processor.url}${endpoint}`, token);
      const closed = await client.closed;
      expect(closed.code, `${endpoint} with ${token ?? 'no token'}`).toBe(code);
      expect(client.messages).toEqual([]);
      if (token !== undefined) expect(closed.reason).not.toContain(token);
    }
    const anonymous = new TestClient(`${processor.url}/alerts`);
    expect((await anonymous.closed).reason).toContain('Authorization: Bearer');
  });

  it('takes the token from the bearer subprotocol, as browsers send it, and selects only border-risk', async () => {
    const { default: WebSocket } = await import('ws');
    const socket = new WebSocket(`${processor.url}/alerts`, ['border-risk', `bearer.${secrets.analyst.secret}`]);
    const welcome = await new Promise<{ type: string }>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString()) as { type: string }));
      socket.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(welcome.type).toBe('welcome');
    expect(socket.protocol).toBe('border-risk');
    socket.close();
  });

  it('answers the HTTP API with 401 without a token and 403 for a producer; /health stays open', async () => {
    const http = processor.url.replace(/^ws:/, 'http:');
    const anonymous = await fetch(`${http}/api/alerts/1`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await anonymous.json()) as { error: string }).error).toContain('authentication required');
    const producer = await fetch(`${http}/api/rules/outcomes`, { headers: { authorization: `Bearer ${secrets.producer.secret}` } });
    expect(producer.status).toBe(403);
    const health = await fetch(`${http}/health`);
    expect(health.status).toBe(200);
    const text = await health.text();
    for (const value of sent.flatMap(personalValuesOf)) expect(leaks(text, value), value).toBe(false);
  });

  it("rejects a producer's event for a post outside its token, dead-letters it and does not journal it", async () => {
    const producer = new TestClient(`${processor.url}/ingest`, secrets.producer.secret);
    await producer.opened();
    const elsewhere = { ...base, eventId: 'auth-elsewhere', post: 'KZ-KHORGOS' };
    producer.send(JSON.stringify(elsewhere));
    await producer.until((m) => acksIn(m).length === 1);
    const [reply] = acksIn(producer.messages);
    expect(reply!.results).toEqual([{ i: 0, eventId: 'auth-elsewhere', status: 'rejected', issues: [{ path: 'post', message: "this producer's token may send for UZ-AYRITOM, UZ-TAS only, not KZ-KHORGOS" }] }]);
    producer.close();
    const journal = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8');
    expect(journal).not.toContain('auth-elsewhere');
    expect(journal).toContain('auth-1');
    expect(fs.readFileSync(path.join(dataDir, 'dead-letters.ndjson'), 'utf8')).toContain('auth-elsewhere');
  });

  it("masks every personal value of the events in a trainer's feed, evidence included, with stable pseudonyms", async () => {
    const trainer = new TestClient(`${processor.url}/alerts?since=0`, secrets.trainer.secret);
    await trainer.until((m) => m.some((x) => (x as { type: string }).type === 'live'));
    const alerts = alertsIn(trainer.messages);
    const ids = alerts.map((a) => a.alert.eventId);
    expect(ids).toContain('auth-2');
    expect(ids).toContain('auth-3');
    const values = sent.flatMap(personalValuesOf);
    for (const raw of trainer.messages) {
      const text = JSON.stringify(raw);
      for (const value of values) expect(leaks(text, value), `"${value}" in ${text.slice(0, 300)}`).toBe(false);
    }
    const twoNames = alerts.find((a) => a.alert.eventId === 'auth-2')!.alert;
    const window = twoNames.indicators.find((i) => i.id === 'crossing.document-several-names' && i.evidence.some((e) => e.op === 'window key' && String(e.field).includes('document.number')))!;
    const key = window.evidence.find((e) => e.op === 'window key')!.actual as string;
    expect(key).toMatch(new RegExp(`^${base.document.issuingState}:doc#[0-9a-f]{8}$`));
    const held = window.evidence.find((e) => e.field === 'window held')!.actual as { value: string }[];
    expect(held.map((h) => h.value)).toEqual([expect.stringMatching(/^name#[0-9a-f]{8}$/), expect.stringMatching(/^name#[0-9a-f]{8}$/)]);
    expect(held[0]!.value).not.toBe(held[1]!.value);
    // One value, one pseudonym wherever it appears, so training still sees the same document twice.
    expect(key.endsWith((twoNames.event as Crossing).document.number)).toBe(true);
    expect(twoNames.subject).toContain((twoNames.event as Crossing).document.number);
    expect((twoNames.event as Crossing).traveller.familyName).toMatch(/^name#[0-9a-f]{8}$/);
    expect((twoNames.event as Crossing).traveller.dateOfBirth).toBe(`${base.traveller.dateOfBirth.slice(0, 4)}-XX-XX`);
    const watchlist = alerts.find((a) => a.alert.eventId === 'auth-3')!.alert.indicators.flatMap((i) => i.evidence).find((e) => e.op === 'watchlist')!;
    const alignments = (watchlist.actual as { alignments: { query: string }[] }).alignments;
    expect(alignments.length).toBeGreaterThan(0);
    for (const a of alignments) expect(a.query).toMatch(/^name#[0-9a-f]{8}$/);
    // Masked reads are on record too, marked as masked.
    const trainerReads = readAuditLog(path.join(dataDir, 'audit.ndjson')).filter((r) => r.tokenId === secrets.trainer.id);
    expect(trainerReads).toContainEqual(expect.objectContaining({ endpoint: 'alerts:backlog', masked: true, seqs: alerts.map((a) => a.seq) }));
    trainer.close();
  });

  it('gives an analyst the alerts unmasked, and a trainer or rule author a clear refusal to triage', async () => {
    const analyst = new TestClient(`${processor.url}/alerts?since=0`, secrets.analyst.secret);
    await analyst.until((m) => m.some((x) => (x as { type: string }).type === 'live'));
    const seen = alertsIn(analyst.messages).find((a) => a.alert.eventId === 'auth-2')!;
    expect((seen.alert.event as Crossing).traveller.familyName).toBe('Tursunbaev');
    analyst.close();
    for (const secret of [secrets.trainer.secret, secrets.author.secret]) {
      const client = new TestClient(`${processor.url}/alerts`, secret);
      await client.until((m) => m.length > 0);
      client.send(JSON.stringify({ type: 'triage', requestId: 'r1', seq: seen.seq, action: 'acknowledge', by: 'someone' }));
      await client.until((m) => m.some((x) => (x as { type: string }).type === 'error'));
      expect(client.messages.find((x) => (x as { type: string }).type === 'error')).toMatchObject({ requestId: 'r1', message: expect.stringMatching(/may not triage alerts/) });
      client.close();
    }
  });

  it("writes an analyst's unmasked views (backlog, live and GET /api/alerts/SEQ) to the audit log with who, what and when", async () => {
    const before = Date.now();
    const analyst = new TestClient(`${processor.url}/alerts?since=0`, secrets.analyst.secret);
    await analyst.until((m) => m.some((x) => (x as { type: string }).type === 'live'));
    const backlog = alertsIn(analyst.messages).map((a) => a.seq);
    // A new alert, seen live.
    const producer = new TestClient(`${processor.url}/ingest`, secrets.producer.secret);
    await producer.opened();
    producer.send(JSON.stringify({ ...second, eventId: 'auth-4', eventTime: '2026-11-03T12:00:00.000+05:00', traveller: { ...second.traveller, familyName: 'Sadykov' } }));
    await analyst.until((m) => alertsIn(m).some((a) => a.alert.eventId === 'auth-4'));
    const live = alertsIn(analyst.messages).find((a) => a.alert.eventId === 'auth-4')!.seq;
    producer.close();
    const http = processor.url.replace(/^ws:/, 'http:');
    const read = await fetch(`${http}/api/alerts/${live}`, { headers: { authorization: `Bearer ${secrets.analyst.secret}` } });
    expect(((await read.json()) as { alert: Alert }).alert.event).toMatchObject({ traveller: { familyName: 'Sadykov' } });
    // A trainer's read of the same alert is masked, and on record as masked.
    const masked = await fetch(`${http}/api/alerts/${live}`, { headers: { authorization: `Bearer ${secrets.trainer.secret}` } });
    expect(await masked.text()).not.toContain('Sadykov');
    analyst.close();

    const records = readAuditLog(path.join(dataDir, 'audit.ndjson')).filter((r) => Date.parse(r.at) >= before - 1);
    const who = { tokenId: secrets.analyst.id, name: 'Aigerim', role: 'analyst', address: expect.stringMatching(/127\.0\.0\.1/) };
    expect(records).toContainEqual({ ...who, at: expect.any(String), endpoint: 'alerts:backlog', seqs: backlog, masked: false, filter: {} });
    expect(records).toContainEqual({ ...who, at: expect.any(String), endpoint: 'alerts:live', seqs: [live], masked: false, filter: {} });
    expect(records).toContainEqual({ ...who, at: expect.any(String), endpoint: `GET /api/alerts/${live}`, seqs: [live], masked: false });
    expect(records.filter((r) => r.tokenId !== secrets.analyst.id)).toEqual([{ tokenId: secrets.trainer.id, name: 'Timur (trainer)', role: 'trainer', address: expect.stringMatching(/127\.0\.0\.1/), at: expect.any(String), endpoint: `GET /api/alerts/${live}`, seqs: [live], masked: true }]);
  });

  it('keeps no secret in the tokens file, only its SHA-256', () => {
    const text = fs.readFileSync(tokensFile, 'utf8');
    for (const { secret } of Object.values(secrets)) expect(text).not.toContain(secret);
    expect(text).toContain('"sha256"');
    expect(fs.statSync(tokensFile).mode & 0o077).toBe(0);
  });

  it('closes the connections of a token revoked with the CLI, and refuses it afterwards', async () => {
    const [victim] = addTokens(tokensFile, [{ role: 'analyst', name: 'leaving analyst' }]);
    // The running server reads the changed file; wait until it knows the new token.
    let subscriber!: TestClient;
    for (let attempt = 0; ; attempt++) {
      subscriber = new TestClient(`${processor.url}/alerts`, victim!.secret);
      const outcome = await Promise.race([subscriber.closed, subscriber.until((m) => m.length > 0).then(() => 'open' as const)]);
      if (outcome === 'open') break;
      expect(attempt).toBeLessThan(50);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const revoked = cli(['tokens', 'revoke', victim!.id, '--tokens', tokensFile]);
    expect(revoked.status).toBe(0);
    expect(await subscriber.closed).toEqual({ code: 4401, reason: 'token revoked' });
    const again = new TestClient(`${processor.url}/alerts`, victim!.secret);
    expect(await again.closed).toEqual({ code: 4401, reason: 'token revoked' });
  });
});

describe('tokens file and CLI', () => {
  // Each CLI call starts Node with the TypeScript loader: seconds apiece on a loaded machine.
  const CHILDREN_MS = 120_000;

  it('creates, lists and revokes tokens as a child process, showing the secret once and never again', { timeout: CHILDREN_MS }, () => {
    const dataDir = tempDir();
    const created = cli(['tokens', 'create', '--role', 'producer', '--name', 'Termez gateway', '--posts', 'UZ-AYRITOM,UZ-TAS', '--data-dir', dataDir]);
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('shown only once');
    const secret = /brk_[\w-]{43}/.exec(created.stdout)![0];
    const id = /tok-[0-9a-f]{8}/.exec(created.stdout)![0];
    const listed = cli(['tokens', 'list', '--data-dir', dataDir]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${id} +producer +Termez gateway .* active +posts UZ-AYRITOM,UZ-TAS`));
    expect(listed.stdout).not.toContain(secret);
    expect(cli(['tokens', 'revoke', id, '--data-dir', dataDir]).status).toBe(0);
    expect(cli(['tokens', 'list', '--data-dir', dataDir]).stdout).toMatch(new RegExp(`${id} .* revoked \\d{4}-`));
    const twice = cli(['tokens', 'revoke', id, '--data-dir', dataDir]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('already revoked');
    expect(fs.readFileSync(path.join(dataDir, 'tokens.json'), 'utf8')).not.toContain(secret);
  });

  it('refuses bad arguments with the reason', { timeout: CHILDREN_MS }, () => {
    const dataDir = tempDir();
    expect(cli(['tokens', 'create', '--role', 'boss', '--name', 'x', '--data-dir', dataDir]).stderr).toContain('--role, one of producer, analyst, trainer, trainee, rule-author, supervisor, admin, partner, joint-centre (got "boss")');
    expect(cli(['tokens', 'create', '--role', 'producer', '--name', 'x', '--data-dir', dataDir]).stderr).toContain('a producer token needs --posts');
    expect(cli(['tokens', 'create', '--role', 'producer', '--name', 'x', '--posts', 'Ayritom', '--data-dir', dataDir]).stderr).toContain('posts[0]: must look like KZ-KHORGOS');
    expect(cli(['tokens', 'create', '--role', 'analyst', '--name', 'x', '--posts', 'UZ-TAS', '--data-dir', dataDir]).stderr).toContain('--posts is for producer tokens only');
    expect(cli(['tokens', 'revoke', 'tok-00000000', '--data-dir', dataDir]).stderr).toContain('no tokens file at');
    expect(fs.existsSync(path.join(dataDir, 'tokens.json'))).toBe(false);
  });

  it('will not start on a malformed tokens file, and says which file and what is wrong', async () => {
    const dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    fs.writeFileSync(tokensFile, JSON.stringify({ version: 1, tokens: [{ id: 'tok-12345678', name: 'x', role: 'analyst', secret: 'plain', created: '2026-11-01T00:00:00Z' }] }));
    const failure = startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
    await expect(failure).rejects.toThrow(/tokens file .*tokens\.json has 2 problem\(s\):\n {2}tokens\[0\]\.sha256: .*\n {2}tokens\[0\]: Unrecognized key: "secret"/);
    fs.writeFileSync(tokensFile, '{"version": 1, "tokens": [');
    await expect(startProcessor({ port: 0, dataDir, tokensFile, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} })).rejects.toThrow(/tokens file .*tokens\.json is not valid JSON/);
  });
});

describe('authentication under hostile clients and failing disks', () => {
  const processors: Processor[] = [];
  afterAll(async () => {
    for (const p of processors) await p.close();
  });

  async function serverWithTokens(options: { rulesDir?: string; before?: (dataDir: string) => void } = {}) {
    const dataDir = tempDir();
    const tokensFile = path.join(dataDir, 'tokens.json');
    const [producer, analyst, trainer] = addTokens(tokensFile, [
      { role: 'producer', name: 'gateway', posts: ['UZ-AYRITOM'] },
      { role: 'analyst', name: 'Aigerim' },
      { role: 'trainer', name: 'Timur' },
    ]).map((t) => t.secret);
    options.before?.(dataDir);
    const lines: string[] = [];
    const processor = await startProcessor({ port: 0, dataDir, tokensFile, rulesDir: options.rulesDir ?? RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: (line) => lines.push(line) });
    processors.push(processor);
    return { processor, lines, producer: producer!, analyst: analyst!, trainer: trainer! };
  }

  it('survives a refused client that sends an oversize frame before its close arrives', async () => {
    const { processor, analyst } = await serverWithTokens();
    const { default: WebSocket } = await import('ws');
    for (const endpoint of ['/ingest', '/alerts']) {
      const socket = new WebSocket(`${processor.url}${endpoint}`);
      await new Promise<void>((resolve) => socket.once('open', () => resolve()));
      socket.on('error', () => {});
      socket.send('x'.repeat(2 * 1024 * 1024));
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    }
    // Still serving: a valid subscriber is welcomed.
    const subscriber = new TestClient(`${processor.url}/alerts`, analyst);
    await subscriber.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));
    subscriber.close();
  });

  it('takes the bearer subprotocol even when a proxy adds Basic credentials to the upgrade', async () => {
    const { processor, analyst } = await serverWithTokens();
    const { default: WebSocket } = await import('ws');
    const socket = new WebSocket(`${processor.url}/alerts`, ['border-risk', `bearer.${analyst}`], { headers: { authorization: `Basic ${Buffer.from('proxy:pass').toString('base64')}` } });
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString()) as { type: string }));
      socket.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(first.type).toBe('welcome');
    socket.close();
  });

  it("tells masked roles where a rejected rule reload's problems are, not what they say", async () => {
    const rulesDir = rulesWith({ 'indicators/broken.yaml': 'rules:\n  - id: crossing.broken\n    title: "unterminated\n' });
    fs.rmSync(path.join(rulesDir, 'indicators', 'broken.yaml'));
    const { processor, analyst, trainer } = await serverWithTokens({ rulesDir });
    const analystFeed = new TestClient(`${processor.url}/alerts`, analyst);
    const trainerFeed = new TestClient(`${processor.url}/alerts`, trainer);
    await Promise.all([analystFeed, trainerFeed].map((c) => c.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'))));
    fs.writeFileSync(path.join(rulesDir, 'indicators', 'broken.yaml'), 'rules:\n  - id: crossing.broken\n    title: "Karimov Aziz\n');
    expect(processor.reloadRules().status).toBe('rejected');
    type RulesMessage = { type: 'rules'; status: string; problems: { file: string; message: string }[] };
    const rulesOf = (c: TestClient) => c.messages.find((x) => (x as RulesMessage).type === 'rules') as RulesMessage | undefined;
    await analystFeed.until((m) => m.some((x) => (x as RulesMessage).type === 'rules'));
    await trainerFeed.until((m) => m.some((x) => (x as RulesMessage).type === 'rules'));
    const full = rulesOf(analystFeed)!;
    const masked = rulesOf(trainerFeed)!;
    expect(full.problems.length).toBeGreaterThan(0);
    expect(full.problems.some((p) => p.message !== 'see the server log')).toBe(true);
    expect(masked.problems.map((p) => p.file)).toEqual(full.problems.map((p) => p.file));
    expect(masked.problems.every((p) => p.message === 'see the server log')).toBe(true);
    expect(JSON.stringify(masked)).not.toContain('Karimov');
    analystFeed.close();
    trainerFeed.close();
  });

  it('withholds alerts, masked or not, while the audit log cannot be written, and says so', async () => {
    const { processor, lines, producer, analyst, trainer } = await serverWithTokens({ before: (dir) => fs.symlinkSync('/dev/full', path.join(dir, 'audit.ndjson')) });
    const ingest = new TestClient(`${processor.url}/ingest`, producer);
    await ingest.opened();
    const event = { ...generated(200, { seed: 11 }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing')!, eventId: 'audit-full-1', post: 'UZ-AYRITOM', itinerary: undefined };
    const planted = generated(400, { seed: 9, plantRate: 1 }).map((g) => g.event).filter((e): e is Crossing => e.kind === 'crossing').slice(0, 20).map((e, i) => ({ ...e, eventId: `audit-full-p${i}`, post: 'UZ-AYRITOM' }));
    ingest.send(JSON.stringify([event, ...planted]));
    await ingest.until((m) => acksIn(m).length === 1);
    const http = processor.url.replace(/^ws:/, 'http:');
    type Health = { status: string; auditLog?: string; alerts: { lastSeq: number } };
    const health = async (): Promise<Health> => (await (await fetch(`${http}/health`)).json()) as Health;
    await expect.poll(async () => (await health()).alerts.lastSeq, { timeout: 10_000 }).toBeGreaterThan(0);
    const seq = (await health()).alerts.lastSeq;

    for (const secret of [analyst, trainer]) {
      const feed = new TestClient(`${processor.url}/alerts?since=0`, secret);
      const closed = await feed.closed;
      expect(closed.code).toBe(1011);
      expect(closed.reason).toMatch(/audit log cannot be written; resume with since=0 later/);
      expect(alertsIn(feed.messages)).toEqual([]);
    }

    const read = await fetch(`${http}/api/alerts/${seq}`, { headers: { authorization: `Bearer ${analyst}` } });
    expect(read.status).toBe(503);
    expect(((await read.json()) as { error: string }).error).toMatch(/audit log cannot be written/);
    const masked = await fetch(`${http}/api/alerts/${seq}`, { headers: { authorization: `Bearer ${trainer}` } });
    expect(masked.status).toBe(503);
    const state = await health();
    expect(state.status).toBe('degraded');
    expect(state.auditLog).toMatch(/cannot be written/);
    expect(lines.some((l) => /audit log .* cannot be written/.test(l))).toBe(true);
    ingest.close();
  });
});
