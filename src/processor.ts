import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Observable } from 'rxjs';
import { WebSocketServer } from 'ws';
import { ConfigError, toError } from './errors.ts';
import { DeadLetters } from './ingest/dead-letters.ts';
import { StateEngine } from './indicators/state/state-engine.ts';
import { Journal, journalRecords } from './ingest/journal.ts';
import type { JournaledEvent } from './ingest/record-events.ts';
import { createMetrics, type Metrics } from './pipeline/metrics.ts';
import { startPipeline } from './pipeline/pipeline.ts';
import type { FaultHandler } from './pipeline/safe-map.ts';
import { AlertHub } from './push/alert-hub.ts';
import { loadRuleSet, type RuleSet } from './rules/rule-set.ts';
import { type ReloadOutcome, RuleWatcher } from './rules/watch-rules.ts';
import { serveConsole } from './console/serve-console.ts';
import { serveAlerts } from './server/alerts-socket.ts';
import { IngestCloseCode, serveIngest } from './server/ingest-socket.ts';
import { AlertStore, type StoredAlert } from './store/alert-store.ts';

export interface ProcessorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** Journal, dead letters and the alert database (alerts.db) live here. @default '.data' */
  dataDir?: string;
  /** @default 'rules' */
  rulesDir?: string;
  /** @default 'streams' */
  streamsDir?: string;
  /** Largest ingest frame accepted; larger ones close the connection with 1009. @default 1_048_576 */
  maxFrameBytes?: number;
  /** @default true */
  fsync?: boolean;
  /** Newest alerts kept in the alert database; older ones and their triage are deleted. @default 1_000_000 */
  retainAlerts?: number;
  /** @default 15_000 */
  heartbeatMs?: number;
  /** @default 4 * 1024 * 1024 */
  maxSubscriberBufferedBytes?: number;
  /** A subscriber that reads nothing of what it was sent for this long is closed with 4008. @default 30_000 */
  maxSubscriberStallMs?: number;
  /** Reload the rule set when files under rulesDir or streamsDir change. @default true */
  watchRules?: boolean;
  /** Operational log lines (faults, refused frames, rule reloads). @default console.error */
  log?: (line: string) => void;
  /**
   * Told of every event newly journaled by ingest, in journal order, once it is durable
   * (before it is processed): feeds recordings. Events replayed from the journal at
   * startup are not repeated here; a recorder catches up from the journal itself.
   */
  onJournaled?: (journaled: JournaledEvent) => void;
}

export interface Processor {
  /** `ws://host:port`; producers use `${url}/ingest`, subscribers `${url}/alerts`. */
  url: string;
  port: number;
  metrics: Metrics;
  ruleSet: () => RuleSet;
  /** Reloads the rule files now (also done on change when watching); a broken set leaves the running one in place. */
  reloadRules(): ReloadOutcome;
  alerts: Observable<StoredAlert>;
  /** Connected alert subscribers. */
  subscribers(): number;
  /** Stops accepting connections, flushes the journal and dead letters, and closes. */
  close(): Promise<void>;
}

const MAX_SUBSCRIBER_MESSAGE_BYTES = 64 * 1024;
const CLOSE_GRACE_MS = 2_000;
/** How often the last fully processed journal record is noted in the alert store. */
const CHECKPOINT_MS = 500;

/** Loads the rule set, opens the journal and starts the WebSocket server. */
export async function startProcessor(options: ProcessorOptions = {}): Promise<Processor> {
  const {
    host = '127.0.0.1',
    port = 8080,
    dataDir = '.data',
    rulesDir = 'rules',
    streamsDir = 'streams',
    maxFrameBytes = 1_048_576,
    fsync = true,
    retainAlerts = 1_000_000,
    heartbeatMs = 15_000,
    maxSubscriberBufferedBytes = 4 * 1024 * 1024,
    maxSubscriberStallMs = 30_000,
    watchRules = true,
    log = (line: string) => console.error(line),
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`port must be 0-65535, got ${port}`);
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1024) throw new ConfigError(`maxFrameBytes must be an integer ≥ 1024, got ${maxFrameBytes}`);

  const journal = Journal.open(dataDir, { fsync });
  const deadLetters = new DeadLetters(dataDir, { fsync });
  const metrics = createMetrics();
  const store = new AlertStore(path.join(dataDir, 'alerts.db'), { retain: retainAlerts });
  const hub = new AlertHub(store, { heartbeatMs, maxBufferedBytes: maxSubscriberBufferedBytes, maxStallMs: maxSubscriberStallMs });
  const rules = new RuleWatcher(loadRuleSet({ rulesDir, streamsDir }), { rulesDir, streamsDir }, {
    onReload: (outcome) => {
      if (outcome.status === 'loaded') log(`rules reloaded: rule set ${outcome.previous} → ${outcome.version} (${outcome.rules} indicators)`);
      if (outcome.status === 'rejected') {
        log(`rules not reloaded, rule set ${outcome.version} keeps running: ${outcome.problems.length} problem(s)`);
        for (const p of outcome.problems) log(`  ${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
      }
      if (outcome.status !== 'unchanged') hub.broadcast({ type: 'rules', ...outcome });
    },
  });
  if (watchRules) rules.watch();
  const ruleSet = (): RuleSet => rules.current();
  const onFault: FaultHandler = (stage, error, item) => {
    const eventId = (item as { event?: { eventId?: string } } | undefined)?.event?.eventId;
    log(`fault in ${stage}${eventId ? ` for event ${eventId}` : ''}: ${error.message}`);
    deadLetters.append({
      at: new Date().toISOString(),
      connection: 'pipeline',
      frame: 0,
      index: 0,
      ...(eventId === undefined ? {} : { eventId }),
      issues: [{ path: '', message: `processing fault in ${stage}: ${error.message}` }],
      payload: (item as { event?: unknown } | undefined)?.event ?? null,
    });
  };
  const pipeline = startPipeline({ journal, deadLetters, ruleSet, engine: new StateEngine(), store, hub, metrics, onFault, ...(options.onJournaled && { onJournaled: options.onJournaled }) });

  // Recovery, before any producer connects: the journal rebuilds window, sequence and
  // grouping state, and events after the last checkpoint (a crash cut their processing
  // short) raise their alerts now; alerts stored before the crash are not stored twice.
  const checkpoint = store.processedRecord;
  const recovered = pipeline.replay(withProgress(journalRecords(journal.path), journal.lastRecord, log), checkpoint);
  if (recovered.replayed > 0) {
    log(`recovered from the journal: ${recovered.replayed} events replayed to rebuild state, ${Math.max(0, journal.lastRecord - checkpoint)} of them after the last checkpoint; ${recovered.alerts} alert(s) raised that the last run had not stored`);
  }
  store.processedRecord = pipeline.processed();
  let checkpointed = pipeline.processed();
  const checkpointTimer = setInterval(() => {
    const processed = pipeline.processed();
    if (processed === checkpointed) return;
    store.processedRecord = processed;
    checkpointed = processed;
  }, CHECKPOINT_MS);
  checkpointTimer.unref();

  const ingestServer = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  const alertServer = new WebSocketServer({ noServer: true, maxPayload: MAX_SUBSCRIBER_MESSAGE_BYTES });
  ingestServer.on('connection', (socket, request) => {
    socket.on('error', (error) => {
      // ws closes the socket itself (1009 for an oversize frame); keep a trace of why.
      log(`ingest connection from ${request.socket.remoteAddress ?? '?'} closed: ${error.message}`);
      deadLetters.append({
        at: new Date().toISOString(),
        connection: 'ingest',
        frame: 0,
        index: 0,
        // ws's stable codes: an oversize frame, or a text frame that is not UTF-8 (closed with 1007).
        issues: [{ path: '', message: `frame refused: ${error.message}${(error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? ` (limit ${maxFrameBytes} bytes)` : ''}` }],
        payload: null,
      });
    });
    serveIngest(socket, pipeline.frames);
  });
  alertServer.on('connection', (socket, request) => {
    socket.on('error', (error) => log(`alerts connection closed: ${error.message}`));
    serveAlerts(socket, new URL(request.url ?? '/', 'http://localhost'), hub);
  });

  const server = http.createServer((request, response) => {
    if (serveConsole(request, response)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/health') {
      json(200, { status: 'ok', ruleSetVersion: ruleSet().version, rules: ruleSet().rules.length, subscribers: hub.size, journalRecords: journal.lastRecord, alerts: { firstSeq: store.firstSeq, lastSeq: store.lastSeq }, metrics });
      return;
    }
    const alertPath = /^\/api\/alerts\/(\d+)$/.exec(url.pathname);
    if (request.method === 'GET' && alertPath) {
      const stored = store.get(Number(alertPath[1]));
      if (stored) json(200, { seq: stored.seq, alert: stored.alert, triage: stored.triage });
      else json(404, { error: `no alert with seq ${alertPath[1]} is held` });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/api/rules/outcomes') {
      json(200, store.ruleOutcomes());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('The analysts\' console is at /. WebSocket endpoints: /ingest (producers), /alerts (subscribers); GET /health, /api/alerts/SEQ, /api/rules/outcomes\n');
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const target = url.pathname === '/ingest' ? ingestServer : url.pathname === '/alerts' ? alertServer : null;
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    target.handleUpgrade(request, socket, head, (ws) => target.emit('connection', ws, request));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new ConfigError(`port ${port} on ${host} is already in use; choose another with --port`, { cause: error })
            : toError(error),
        ),
      );
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    // Nothing was accepted yet: release the files and watchers so the process can exit.
    rules.close();
    hub.close();
    await journal.close();
    await deadLetters.close();
    pipeline.stop();
    clearInterval(checkpointTimer);
    store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${host}:${address.port}`,
    port: address.port,
    metrics,
    ruleSet,
    reloadRules: () => rules.reload(),
    alerts: pipeline.alerts,
    subscribers: () => hub.size,
    close() {
      closing ??= (async () => {
        rules.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const client of ingestServer.clients) client.close(IngestCloseCode.goingAway, 'server shutting down');
        hub.close();
        // Peers get a moment to complete the close handshake; one that does not is cut off.
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
        for (const client of [...ingestServer.clients, ...alertServer.clients]) client.terminate();
        await closed;
        await journal.close();
        await deadLetters.close();
        pipeline.stop();
        clearInterval(checkpointTimer);
        store.processedRecord = pipeline.processed();
        store.close();
      })();
      return closing;
    },
  };
}

/** Passes records through, logging how far a long journal replay has got every 100,000 records. */
function* withProgress<T>(records: Iterable<T>, total: number, log: (line: string) => void): Generator<T> {
  let count = 0;
  const started = Date.now();
  for (const record of records) {
    yield record;
    if (++count % 100_000 === 0) log(`recovering: ${count.toLocaleString('en')} of ${total.toLocaleString('en')} journal records replayed (${Math.round(count / ((Date.now() - started) / 1000 || 1)).toLocaleString('en')}/s)`);
  }
}
