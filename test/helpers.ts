import { execFileSync, type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { generateTraffic, type Generated, type TrafficOptions } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { loadLists } from '../src/enrich/lists.ts';
import type { Alert } from '../src/alert/alert.ts';
import { RuleLoadError } from '../src/errors.ts';
import type { IngestReply } from '../src/ingest/protocol.ts';
import type { Crossing } from '../src/model/crossing.ts';
import { loadRuleSet, type RuleSet } from '../src/rules/rule-set.ts';
import { createToken, type NewToken } from '../src/auth/token-file.ts';
import { startProcessor } from '../src/processor.ts';
import { readAlerts } from '../src/store/read-alert-database.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const RULES_DIR = path.join(ROOT, 'rules');
export const STREAMS_DIR = path.join(ROOT, 'streams');

export function tempDir(prefix = 'border-risk-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A copy of the shipped rules directory with these files written (paths relative to it) and those removed. */
export function rulesWith(files: Record<string, string>, remove: readonly string[] = []): string {
  const dir = tempDir();
  fs.cpSync(RULES_DIR, dir, { recursive: true });
  for (const name of remove) fs.rmSync(path.join(dir, name));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The problems a rules directory fails to load with; throws if it loads. */
export function problemsOf(rulesDir: string): RuleLoadError['problems'] {
  try {
    loadRuleSet({ rulesDir, streamsDir: STREAMS_DIR });
  } catch (thrown) {
    if (thrown instanceof RuleLoadError) return thrown.problems;
    throw thrown;
  }
  throw new Error('expected the rule set to fail to load');
}

let shippedRuleSet: RuleSet | undefined;
export function shippedRules(): RuleSet {
  shippedRuleSet ??= loadRuleSet({ rulesDir: RULES_DIR, streamsDir: STREAMS_DIR });
  return shippedRuleSet;
}

/** The first `count` events of a seeded generator that follows the shipped lists. */
export function generated(count: number, options: Partial<TrafficOptions> = {}): Generated[] {
  const traffic = generateTraffic({ ...trafficReference(loadLists(path.join(RULES_DIR, 'lists'))), ...options });
  return Array.from({ length: count }, () => traffic.next().value);
}

/**
 * Adds tokens to a tokens file (made if missing) through the same code as `border-risk
 * tokens create`; returns their secrets in order, and the ids.
 */
export function addTokens(file: string, tokens: readonly NewToken[]): { secret: string; id: string }[] {
  return tokens.map((t) => {
    const { token, secret } = createToken(file, t);
    return { secret, id: token.id };
  });
}

let crossingBase: Crossing | undefined;
let crossingSerial = 0;

/**
 * A road crossing of a KAZ passport (`number`) at a post, `hours` after 2026-11-02T00:00+05:00,
 * with a fresh event id: for tests of windows, sequences and absences on event time.
 */
export function crossingAt(post: string, direction: 'entry' | 'exit', hours: number, number = 'N12345678'): Crossing {
  crossingBase ??= generated(200, { seed: 71, plantRate: 0 })
    .map((g) => g.event)
    .find((e): e is Crossing => e.kind === 'crossing' && e.mode === 'road')!;
  crossingSerial += 1;
  const event = structuredClone(crossingBase);
  event.eventId = `state-${crossingSerial}`;
  event.post = post;
  event.direction = direction;
  event.eventTime = `${new Date(Date.parse('2026-11-02T00:00:00+05:00') + hours * 3_600_000 + 5 * 3_600_000).toISOString().slice(0, 23)}+05:00`;
  event.traveller.nationality = 'KAZ';
  event.document = { type: 'passport', number, issuingState: 'KAZ', expiry: '2030-01-01' };
  delete event.itinerary;
  return event;
}

/** A WebSocket client that queues every message it receives, for tests to await in order. */
export class TestClient {
  readonly socket: WebSocket;
  readonly messages: unknown[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  /** `token` is sent as `Authorization: Bearer`, as a server with authentication asks; `options` go to `ws` (`ca` for a self-signed TLS server, say). */
  constructor(url: string, token?: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, token === undefined ? options : { ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as unknown);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  opened(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Resolves once `predicate` holds over the received messages, or rejects after `timeoutMs`. */
  async until(predicate: (messages: unknown[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${this.messages.length} messages: ${JSON.stringify(this.messages.slice(-3)).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * A small tmpfs mounted on a new temp dir, so that a test can fill a real file system
 * (ENOSPC, SQLITE_FULL). Needs root, as tests run here and in CI; fails loudly otherwise.
 */
export function mountTmpfs(sizeBytes: number): { dir: string; unmount(): void } {
  const dir = tempDir('border-risk-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (thrown) {
    const detail = (thrown as { stderr?: Buffer }).stderr?.toString().trim() || String(thrown);
    throw new Error(`cannot mount a ${sizeBytes}-byte tmpfs at ${dir} (${detail}): the disk-full tests need root to mount a small file system`);
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `dir/filler` until the file system refuses another byte; delete it to give the space back. */
export function fillDisk(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'a');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (thrown) {
        if ((thrown as NodeJS.ErrnoException).code !== 'ENOSPC') throw thrown;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

export type AlertMessage = { type: 'alert'; seq: number; alert: Alert };
export const alertsIn = (messages: unknown[]): AlertMessage[] => messages.filter((m): m is AlertMessage => (m as AlertMessage).type === 'alert');
export const acksIn = (messages: unknown[]): IngestReply[] => messages.filter((m): m is IngestReply => (m as IngestReply).type === 'ack');

/**
 * The alert ids a clean, uninterrupted run of `traffic` raises (sent `frame` events per
 * frame to a fresh in-process processor), sorted: what a run with a crash must match.
 */
export async function cleanRunAlertIds(traffic: readonly unknown[], frame = 10): Promise<string[]> {
  const dataDir = tempDir();
  const clean = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
  try {
    const producer = new TestClient(`${clean.url}/ingest`);
    await producer.opened();
    for (let i = 0; i < traffic.length; i += frame) producer.send(JSON.stringify(traffic.slice(i, i + frame)));
    await producer.until((m) => acksIn(m).length === Math.ceil(traffic.length / frame), 60_000);
    producer.close();
  } finally {
    await clean.close();
  }
  return readAlerts(path.join(dataDir, 'alerts.db')).map((r) => r.alert.alertId).sort();
}

/**
 * The processor as operators run it: `border-risk serve` in its own process, so that it can
 * be killed. `output()` is everything it has printed so far (its log lines included).
 */
export async function serveInChild(dataDir: string, args: readonly string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['bin/border-risk.js', 'serve', '--port', '0', '--data-dir', dataDir, '--quiet', '--stats-every', '0', '--no-watch', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (ws:\/\/[^\s]+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`processor exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}
