import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Crossing } from '../../src/model/crossing.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { acksIn, addTokens, crossingAt, RULES_DIR, rulesWith, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { CaptureProxy } from './capture-proxy.ts';

/**
 * Two agencies' processors linked by exchange agreements on loopback, each with its own data
 * directory, tokens and agreement, each reached through a capturing proxy: KZ (A) flags two
 * people in a watchlist it offers; KG (B) sees crossings.
 */
export const FLAGGED = {
  format: 'border-risk-watchlist',
  version: 1,
  list: 'kz-flagged',
  title: 'Subjects KZ offers its partners',
  source: 'test',
  entries: [
    { id: 'KZF-1', kind: 'individual', names: [{ full: 'Рустам Ахмедов', family: 'Ахмедов', quality: 'primary' }], datesOfBirth: ['1984-07-21'], nationalities: ['KGZ'], documents: [{ type: 'passport', number: 'AC7741203', issuingState: 'KGZ' }] },
    { id: 'KZF-2', kind: 'individual', names: [{ full: 'Гулноза Кодирова', family: 'Кодирова', quality: 'primary' }], datesOfBirth: ['1991-03-14'], sex: 'F', nationalities: ['TJK'], documents: [{ type: 'passport', number: '401234567', issuingState: 'TJK' }] },
  ],
};
const SECRET = 'kz-kg shared exchange secret, 2026, handed over in person';

/** The flagged subject KZF-1 as KG's post sees him: Latin spelling, his own passport. */
export const AKHMEDOV = { family: 'AKHMEDOV', given: 'RUSTAM', dob: '1984-07-21', state: 'KGZ', number: 'AC7741203' };

function agreement(us: string, partner: string, port: number, offer: string): string {
  return `agreement: kz-kg-2026
us: ${us}
partner: { id: ${partner}, name: Border service ${partner} }
link: { url: "ws://127.0.0.1:${port}/exchange", token: "file:link.token" }
keys: [{ id: k1, secret: "file:shared.secret" }]
${offer}
share:
  clear: [post, eventTime, direction, rules, severity]
  tokens: [document, name-dob]
  onRequest: [familyName, givenNames, dateOfBirth, documentNumber, issuingState]
`;
}

export interface Side {
  processor: Processor;
  dataDir: string;
  exchangeDir: string;
  analyst: string;
  jointCentre: string;
  producer: string;
  feed: TestClient;
  http: string;
}

export interface LinkedPair {
  a: Side;
  b: Side;
  /** In front of A: what B sends. */
  proxyA: CaptureProxy;
  /** In front of B: what A sends. */
  proxyB: CaptureProxy;
  close(): Promise<void>;
}

interface Prepared {
  name: 'kz' | 'kg';
  dataDir: string;
  exchangeDir: string;
  tokensFile: string;
  analyst: string;
  jointCentre: string;
  producer: string;
}

function prepare(name: 'kz' | 'kg', partnerPort: number, offer: string, posts: string[]): Prepared {
  const dataDir = tempDir(`border-risk-${name}-`);
  const exchangeDir = path.join(dataDir, 'exchange');
  fs.mkdirSync(exchangeDir);
  const tokensFile = path.join(dataDir, 'tokens.json');
  const [analyst, jointCentre, producer] = addTokens(tokensFile, [
    { role: 'analyst', name: `${name} analyst` },
    { role: 'joint-centre', name: `${name} joint centre` },
    { role: 'producer', name: `${name} posts`, posts },
  ]);
  fs.writeFileSync(path.join(exchangeDir, 'shared.secret'), SECRET);
  fs.writeFileSync(path.join(exchangeDir, 'agreement.yaml'), agreement(`${name}-bs`, name === 'kz' ? 'kg-bs' : 'kz-bs', partnerPort, offer));
  return { name, dataDir, exchangeDir, tokensFile, analyst: analyst!.secret, jointCentre: jointCentre!.secret, producer: producer!.secret };
}

/** A partner token for `from` in `to`'s tokens file; its secret in `from`'s link.token. */
function link(from: Prepared, to: Prepared): void {
  const [token] = addTokens(to.tokensFile, [{ role: 'partner', name: `${from.name}-bs` }]);
  fs.writeFileSync(path.join(from.exchangeDir, 'link.token'), token!.secret);
}

async function start(p: Prepared, rulesDir: string): Promise<Side> {
  const processor = await startProcessor({ port: 0, dataDir: p.dataDir, tokensFile: p.tokensFile, rulesDir, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, snapshots: false, log: () => {}, exchange: { dir: p.exchangeDir, watch: false } });
  const feed = new TestClient(`${processor.url}/alerts`, p.analyst);
  await feed.opened();
  return { processor, dataDir: p.dataDir, exchangeDir: p.exchangeDir, analyst: p.analyst, jointCentre: p.jointCentre, producer: p.producer, feed, http: processor.url.replace(/^ws/, 'http') };
}

export async function startLinkedPair(): Promise<LinkedPair> {
  const proxyA = await CaptureProxy.start();
  const proxyB = await CaptureProxy.start();
  const pa = prepare('kz', proxyB.port, 'offer:\n  watchlists: [kz-flagged]\n  alerts: { minSeverity: high }', ['KZ-KORDAY']);
  const pb = prepare('kg', proxyA.port, 'offer: { watchlists: [] }', ['KG-AKZHOL']);
  link(pa, pb);
  link(pb, pa);
  const a = await start(pa, rulesWith({ 'watchlists/kz-flagged.json': JSON.stringify(FLAGGED) }));
  const b = await start(pb, RULES_DIR);
  proxyA.target = a.processor.port;
  proxyB.target = b.processor.port;
  return {
    a,
    b,
    proxyA,
    proxyB,
    async close() {
      for (const s of [a, b]) {
        s.feed.close();
        await s.processor.close();
      }
      await proxyA.close();
      await proxyB.close();
    },
  };
}

export function crossing(post: string, who: { family: string; given: string; dob: string; state: string; number: string }, expired = false): Crossing {
  const event = crossingAt(post, 'entry', 1, who.number);
  event.traveller = { ...event.traveller, familyName: who.family, givenNames: who.given, dateOfBirth: who.dob, nationality: who.state };
  event.document = { type: 'passport', number: who.number, issuingState: who.state, expiry: expired ? '2020-01-01' : '2031-01-01' };
  return event;
}

export async function send(side: Side, events: readonly Crossing[]): Promise<void> {
  const ingest = new TestClient(`${side.processor.url}/ingest`, side.producer);
  await ingest.opened();
  ingest.send(JSON.stringify(events));
  await ingest.until((m) => acksIn(m).length > 0);
  expect(acksIn(ingest.messages)[0]?.results.every((r) => r.status === 'accepted')).toBe(true);
  ingest.close();
}

/** What the tests read of the exchange API's answers and of /health: loosely typed JSON. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies read by tests
export type Json = any;

export async function api(side: Side, method: string, route: string, body?: unknown, token = side.analyst): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${side.http}${route}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Json };
}

export const health = async (side: Side): Promise<Json> => (await fetch(`${side.http}/health`)).json() as Promise<Json>;

/** Polls until `ok` holds (a condition, never a fixed wait), or fails after `timeoutMs` with the last value. */
export async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, label: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
