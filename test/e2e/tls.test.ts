import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError } from '../../src/errors.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { generated, ROOT, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

// A self-signed certificate for localhost and 127.0.0.1, for tests only (valid until 2126).
const CERT_FILE = path.join(ROOT, 'test', 'fixtures', 'tls', 'localhost.crt');
const KEY_FILE = path.join(ROOT, 'test', 'fixtures', 'tls', 'localhost.key');
const cert = fs.readFileSync(CERT_FILE);
const key = fs.readFileSync(KEY_FILE);
const BIN = path.join(ROOT, 'bin', 'border-risk.js');

const processors: Processor[] = [];
afterAll(async () => {
  for (const p of processors) await p.close();
});

async function tlsProcessor(): Promise<{ processor: Processor; dataDir: string }> {
  const dataDir = tempDir();
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, log: () => {}, tls: { cert, key } });
  processors.push(processor);
  return { processor, dataDir };
}

function getJson(url: string, options: https.RequestOptions): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, options, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      })
      .on('error', reject);
  });
}

function connectionError(url: string, options: WebSocket.ClientOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('open', () => {
      socket.close();
      reject(new Error('connected, but it should not have'));
    });
    socket.once('error', (error) => resolve(error.message));
  });
}

describe('TLS (wss:// and https://) when a certificate is configured', () => {
  it('serves ingest, alerts and HTTP over TLS to a client that trusts the certificate', async () => {
    const { processor, dataDir } = await tlsProcessor();
    expect(processor.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);

    const subscriber = new TestClient(`${processor.url}/alerts`, undefined, { ca: cert });
    await subscriber.until((m) => m.some((x) => (x as { type: string }).type === 'welcome'));

    const producer = new TestClient(`${processor.url}/ingest`, undefined, { ca: cert });
    await producer.opened();
    const events = generated(3, { seed: 31 }).map((g) => g.event);
    producer.send(JSON.stringify(events));
    await producer.until((m) => m.length === 1);
    expect(producer.messages[0]).toMatchObject({ type: 'ack', accepted: 3, rejected: 0 });
    const journal = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8');
    for (const e of events) expect(journal).toContain(e.eventId);

    const url = processor.url.replace(/^wss/, 'https');
    const health = await getJson(`${url}/health`, { ca: cert });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', journalRecords: 3 });
    producer.close();
    subscriber.close();
  });

  it('refuses clients that do not trust the certificate and clients speaking plain ws://', async () => {
    const { processor } = await tlsProcessor();
    expect(await connectionError(`${processor.url}/ingest`)).toMatch(/self[- ]signed/i);
    const plain = processor.url.replace(/^wss/, 'ws');
    expect(await connectionError(`${plain}/ingest`)).toMatch(/socket hang up|ECONNRESET|Unexpected server response/i);
  });

  it('refuses to start with a key that is not the certificate\'s, before opening any file', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const start = startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, log: () => {}, tls: { cert, key: other } });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/TLS certificate and key cannot be used/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('border-risk serve --tls-cert --tls-key runs the demo over wss:// and prints an https:// console address', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data-dir', dataDir, '--demo-rate', '200', '--demo-plant-rate', '0.2', '--seed', '3', '--tls-cert', CERT_FILE, '--tls-key', KEY_FILE], { cwd: ROOT });
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    try {
      const deadline = Date.now() + 20_000;
      // An alert line means the demo producer's events went through wss:// and were processed.
      while (!/#1 +(LOW|MEDIUM|HIGH|CRITICAL)/.test(output.join('')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const text = output.join('');
      expect(text).toMatch(/listening on wss:\/\/127\.0\.0\.1:\d+/);
      expect(text).toMatch(/analysts' console: https:\/\/127\.0\.0\.1:\d+\//);
      expect(text).toMatch(/#1 +(LOW|MEDIUM|HIGH|CRITICAL)/);
      expect(text).not.toMatch(/demo producer stopped/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('border-risk generate --url wss://… --ca streams to a TLS server that uses a self-signed certificate', async () => {
    const { processor, dataDir } = await tlsProcessor();
    const run = (extra: string[]) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'generate', '--url', `${processor.url}/ingest`, '--count', '20', '--seed', '4', ...extra], { cwd: ROOT });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
    const untrusted = await run([]);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.output).toMatch(/self[- ]signed/i);
    const trusted = await run(['--ca', CERT_FILE]);
    expect(trusted.code, trusted.output).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean)).toHaveLength(20);
  });

  it('border-risk serve with only one of the two TLS files, or an unreadable one, says what is wrong', () => {
    const one = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--tls-cert', CERT_FILE], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(one.status).not.toBe(0);
    expect(one.stderr).toMatch(/--tls-cert and --tls-key go together/);
    const missing = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--tls-cert', CERT_FILE, '--tls-key', '/nonexistent/key.pem'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read --tls-key \/nonexistent\/key\.pem/);
  });
});
