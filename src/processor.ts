import http from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Observable } from 'rxjs';
import { WebSocketServer } from 'ws';
import { ConfigError, toError } from './errors.ts';
import { DEAD_LETTER_FILE, DeadLetters } from './journal/dead-letters.ts';
import type { DeadLetterLimits } from './journal/dead-letter-budget.ts';
import { StateEngine } from './indicators/state-engine.ts';
import { Journal, JOURNAL_FILE, journalRecords } from './journal/journal.ts';
import type { JournaledEvent } from './journal/record-events.ts';
import { createMetrics, type Metrics } from './kernel/metrics.ts';
import { startPipeline } from './pipeline/pipeline.ts';
import type { FaultHandler } from './kernel/safe-map.ts';
import { WriteHealth } from './pipeline/write-health.ts';
import { AlertHub } from './push/alert-hub.ts';
import { loadRuleSet, type RuleSet } from './rules/rule-set.ts';
import { type ReloadOutcome, RuleWatcher } from './rules/watch-rules.ts';
import { serveConsole } from './console/serve-console.ts';
import { serveAlerts } from './server/alerts-socket.ts';
import { IngestFlow, type IngestFlowOptions } from './server/ingest-flow.ts';
import { AuthGate, selectProtocol } from './server/auth-gate.ts';
import type { Identity } from './auth/authenticator.ts';
import { serveIngest } from './server/ingest-socket.ts';
import { CloseCode } from './kernel/close-codes.js';
import { AlertStore, type StoredAlert } from './store/alert-store.ts';
import { describeRecovery, planRecovery, type RecoveryReport } from './recovery/recover.ts';
import { SNAPSHOT_DIR } from './recovery/snapshot-file.ts';
import { SnapshotSchedule } from './recovery/snapshot-schedule.ts';
import { checkRetention, type RetainedRecording, RetentionJob, type RetentionOptions } from './retention/retention-job.ts';
import { describeShortRetention, rulesLookingBackBeyond } from './retention/window-horizon.ts';

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
  /**
   * Serve HTTPS and `wss://` with this certificate chain and private key (PEM). Without it
   * the server speaks plain HTTP and `ws://`, for loopback and for TLS ended by a proxy.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Bounds on ingest work read but not yet answered, per connection and overall; beyond
   * them the server stops reading the producer's socket (see IngestFlowOptions for defaults).
   */
  ingestFlow?: IngestFlowOptions;
  /**
   * Bounds on the dead letters: an excerpt per rejected payload, and bytes written per
   * producer and overall, at once and per second, and the file's size (see
   * DeadLetterLimits for the defaults; docs/protocol.md, *Dead letters*).
   */
  deadLetters?: DeadLetterLimits;
  /**
   * Keep state snapshots in dataDir/snapshots and restart from the newest plus the journal
   * after it; false: neither write nor read them (a restart replays the whole journal). @default true
   */
  snapshots?: boolean;
  /** A snapshot after this many processed events; 0: not by count. @default 100_000 */
  snapshotEveryEvents?: number;
  /** A snapshot after this long (if events were processed); 0: not by time. @default 300_000 */
  snapshotEveryMs?: number;
  /** Reload the rule set when files under rulesDir or streamsDir change. @default true */
  watchRules?: boolean;
  /**
   * The tokens file (docs/security.md): every WebSocket and API client must then present
   * a token, what it receives depends on its role, and unmasked reads go to
   * `<dataDir>/audit.ndjson`. Without it nobody is authenticated and everyone sees
   * everything: only for embedding the processor in tests and tools on a trusted host.
   * `border-risk serve` always sets it.
   */
  tokensFile?: string;
  /**
   * Retention (docs/security.md#retention): at startup and every `everyMs` (@default an
   * hour), journal records and dead letters received more than `maxAgeMs` ago, and state
   * snapshots taken before then, are deleted; alerts stored before then are depersonalised
   * (personal data replaced, triage notes cleared; rules and outcomes kept). Off unless given.
   */
  retention?: RetentionOptions;
  /** The wall clock: when events are received and alerts stored, and what retention measures age against. @default Date.now */
  now?: () => number;
  /** Operational log lines (faults, refused frames, rule reloads). @default console.error */
  log?: (line: string) => void;
  /**
   * Told of every event newly journaled by ingest, in journal order, once it is durable
   * (before it is processed): feeds recordings. Events replayed from the journal at
   * startup are not repeated here; a recorder catches up from the journal itself.
   */
  onJournaled?: (journaled: JournaledEvent) => void;
  /**
   * The live recording `onJournaled` feeds, if any (`serve --record-dir`): with retention
   * on, its segments are rolled at each run and deleted once their events are past the age.
   */
  recording?: RetainedRecording;
}

export interface Processor {
  /** `ws://host:port` (`wss://` with TLS); producers use `${url}/ingest`, subscribers `${url}/alerts`. */
  url: string;
  port: number;
  metrics: Metrics;
  ruleSet: () => RuleSet;
  /** Reloads the rule files now (also done on change when watching); a broken set leaves the running one in place. */
  reloadRules(): ReloadOutcome;
  alerts: Observable<StoredAlert>;
  /** Connected alert subscribers. */
  subscribers(): number;
  /** How this start got its state back (snapshot and journal tail, or the whole journal). */
  recovery: RecoveryReport;
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
    snapshots = true,
    now = Date.now,
    log = (line: string) => console.error(line),
  } = options;
  if (options.retention) checkRetention(options.retention);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`port must be 0-65535, got ${port}`);
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1024) throw new ConfigError(`maxFrameBytes must be an integer ≥ 1024, got ${maxFrameBytes}`);

  // Checked before any file is opened, so that a bad certificate leaves nothing to release.
  if (options.tls) checkTls(options.tls);
  // First, so that a broken tokens file stops the start before anything is opened.
  const gate = options.tokensFile === undefined ? undefined : new AuthGate({ tokensFile: options.tokensFile, dataDir, log });
  if (!gate) log('authentication is off (no tokens file): every client may connect and sees personal data; border-risk serve always enforces it');

  // A full disk is an operator's problem to fix, not a crash: writes that fail are answered
  // "failed" (journal) or held (alerts), the stall and the recovery are logged, /health says so.
  const health = new WriteHealth(log);
  const journal = Journal.open(dataDir, { fsync, onOutcome: (error) => health.report('journal', path.join(dataDir, JOURNAL_FILE), error?.message ?? null) });
  const deadLetters = new DeadLetters(dataDir, { fsync, log, ...(options.deadLetters && { limits: options.deadLetters }), onOutcome: (error) => health.report('dead letters', path.join(dataDir, DEAD_LETTER_FILE), error?.message ?? null) });
  const metrics = createMetrics();
  const store = new AlertStore(path.join(dataDir, 'alerts.db'), { retain: retainAlerts, now });
  const hub = new AlertHub(store, { heartbeatMs, maxBufferedBytes: maxSubscriberBufferedBytes, maxStallMs: maxSubscriberStallMs });
  const rules = new RuleWatcher(loadRuleSet({ rulesDir, streamsDir }), { rulesDir, streamsDir }, {
    onReload: (outcome) => {
      if (outcome.status === 'loaded') {
        log(`rules reloaded: rule set ${outcome.previous} → ${outcome.version} (${outcome.rules} indicators)`);
        warnOfShortRetention();
      }
      if (outcome.status === 'rejected') {
        log(`rules not reloaded, rule set ${outcome.version} keeps running: ${outcome.problems.length} problem(s)`);
        for (const p of outcome.problems) log(`  ${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
      }
      // Silence here read as "still broken": a fix that returns to the running files says so.
      if (outcome.status === 'unchanged' && outcome.fixed) log(`rules fixed: the files load again and are those of rule set ${outcome.version}, which kept running; nothing to reload`);
      // Problem messages may quote a broken file's lines (a watchlist's names): roles that see
      // no personal data get where the problems are, not what they say.
      if (outcome.status === 'rejected') hub.broadcast({ type: 'rules', ...outcome }, { type: 'rules', ...outcome, problems: outcome.problems.map((p) => ({ file: p.file, ...(p.line !== undefined && { line: p.line }), path: p.path, message: 'see the server log' })) });
      else if (outcome.status !== 'unchanged' || outcome.fixed) hub.broadcast({ type: 'rules', ...outcome });
    },
  });
  const ruleSet = (): RuleSet => rules.current();
  function warnOfShortRetention(): void {
    if (!options.retention) return;
    const longer = rulesLookingBackBeyond(ruleSet(), options.retention.maxAgeMs);
    if (longer.length > 0) log(describeShortRetention(options.retention.maxAgeMs, longer));
  }
  warnOfShortRetention();
  const onFault: FaultHandler = (stage, error, item) => {
    const eventId = (item as { event?: { eventId?: string } } | undefined)?.event?.eventId;
    log(`fault in ${stage}${eventId ? ` for event ${eventId}` : ''}: ${error.message}`);
    deadLetters.append({
      at: new Date(now()).toISOString(),
      connection: 'pipeline',
      frame: 0,
      index: 0,
      ...(eventId === undefined ? {} : { eventId }),
      issues: [{ path: '', message: `processing fault in ${stage}: ${error.message}` }],
      payload: (item as { event?: unknown } | undefined)?.event ?? null,
    });
  };
  // Recovery, before any producer connects: the newest usable snapshot and the journal
  // after it (or the whole journal) rebuild window, sequence, anomaly and grouping state,
  // and events after the last checkpoint (a crash cut their processing short) raise their
  // alerts now; alerts stored before the crash are not stored twice.
  const recoveryStarted = performance.now();
  const snapshotsDir = path.join(dataDir, SNAPSHOT_DIR);
  const plan = snapshots ? planRecovery({ snapshotsDir, journalFile: journal.path, ruleSet: ruleSet(), log, deletedUpTo: journal.deletedUpTo }) : { refused: [], tail: journalRecords(journal.path) };
  const restored = plan.restored;
  const pipeline = startPipeline({
    journal, deadLetters, ruleSet, engine: restored?.engine ?? new StateEngine(), store, hub, metrics, onFault,
    onStoreOutcome: (failure) => health.report('alert database', store.file, failure),
    ...(restored && { grouping: restored.grouping, processedUpTo: restored.processedUpTo }),
    ...(options.onJournaled && { onJournaled: options.onJournaled }),
  });
  const lastCheckpoint = store.processedRecord;
  const from = plan.snapshot?.record ?? 0;
  // Records up to here had their alerts stored before the stop: they only rebuild state.
  const quietUpTo = Math.max(lastCheckpoint, from);
  const recovered = pipeline.replay(withProgress(plan.tail, journal.lastRecord - from, log), quietUpTo);
  const recovery: RecoveryReport = {
    from: plan.snapshot ? 'snapshot' : 'journal',
    snapshot: plan.snapshot ? { file: plan.snapshot.file, record: plan.snapshot.record } : null,
    refused: plan.refused,
    replayed: recovered.replayed,
    afterCheckpoint: Math.max(0, journal.lastRecord - quietUpTo),
    alerts: recovered.alerts,
    snapshotMs: Math.round(plan.snapshot?.ms ?? 0),
    ms: Math.round(performance.now() - recoveryStarted),
  };
  if (recovered.replayed > 0 || plan.snapshot) log(describeRecovery(recovery));
  const snapshotSchedule = snapshots
    ? new SnapshotSchedule(pipeline, { dir: snapshotsDir, fsync, log, ruleSetVersion: () => ruleSet().version, beforeCommit: () => store.sync(), ...(options.snapshotEveryEvents !== undefined && { everyEvents: options.snapshotEveryEvents }), ...(options.snapshotEveryMs !== undefined && { everyMs: options.snapshotEveryMs }) }, from)
    : undefined;
  const retention = options.retention && new RetentionJob({ journal, deadLetters, store, snapshotsDir: snapshots ? snapshotsDir : undefined, recording: options.recording }, { ...options.retention, now, log });
  let checkpointed = 0;
  let checkpointFailing = false;
  /** Notes the checkpoint; on a full disk the last one stands (replaying a little more after a crash is safe). */
  const checkpoint = (): void => {
    const processed = pipeline.processed();
    if (processed === checkpointed) return;
    try {
      store.processedRecord = processed;
      checkpointed = processed;
      checkpointFailing = false;
    } catch (error) {
      if (!checkpointFailing) log(`checkpoint not noted in ${store.file}: ${toError(error).message}; a restart meanwhile would replay more of the journal (safely)`);
      checkpointFailing = true;
    }
  };
  checkpoint();
  const checkpointTimer = setInterval(checkpoint, CHECKPOINT_MS);
  checkpointTimer.unref();

  const flow = new IngestFlow(options.ingestFlow);
  const ingestServer = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, handleProtocols: selectProtocol });
  const alertServer = new WebSocketServer({ noServer: true, maxPayload: MAX_SUBSCRIBER_MESSAGE_BYTES, handleProtocols: selectProtocol });
  ingestServer.on('connection', (socket, request, identity?: Identity) => {
    socket.on('error', (error) => {
      // ws closes the socket itself (1009 for an oversize frame); keep a trace of why.
      log(`ingest connection from ${request.socket.remoteAddress ?? '?'} closed: ${error.message}`);
      deadLetters.append({
        at: new Date(now()).toISOString(),
        connection: 'ingest',
        frame: 0,
        index: 0,
        // ws's stable codes: an oversize frame, or a text frame that is not UTF-8 (closed with 1007).
        issues: [{ path: '', message: `frame refused: ${error.message}${(error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? ` (limit ${maxFrameBytes} bytes)` : ''}` }],
        payload: null,
      }, identity?.tokenId ?? `address ${request.socket.remoteAddress ?? '?'}`);
    });
    serveIngest(socket, request.socket, pipeline.frames, flow, { ...(identity && { posts: identity.posts, producer: identity.tokenId }) }, now);
  });
  alertServer.on('connection', (socket, request, identity?: Identity) => {
    socket.on('error', (error) => log(`alerts connection closed: ${error.message}`));
    const access = gate && identity ? gate.subscriberAccess(identity, request.socket.remoteAddress ?? '?') : {};
    serveAlerts(socket, request.socket, new URL(request.url ?? '/', 'http://localhost'), hub, access);
  });

  const handle = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    if (serveConsole(request, response)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/health') {
      json(200, {
        status: health.ingestStalled || gate?.audit.failure !== undefined ? 'degraded' : 'ok',
        ...(gate?.audit.failure !== undefined && { auditLog: `cannot be written (${gate.audit.failure}): alerts are withheld` }),
        ingest: health.ingestState(),
        ...(health.failures().length > 0 && { writeFailures: health.failures() }),
        heldAlerts: pipeline.heldAlerts(),
        deadLetters: deadLetters.status(),
        ingestFlow: flow.state(),
        memory: memoryFigures(),
        ruleSetVersion: ruleSet().version, rules: ruleSet().rules.length, subscribers: hub.size, journalRecords: journal.lastRecord, processedRecord: pipeline.processed(), alerts: { firstSeq: store.firstSeq, lastSeq: store.lastSeq }, recovery, snapshots: snapshotSchedule?.status() ?? null, retention: retention?.status() ?? { enabled: false }, metrics });
      return;
    }
    let reader: Identity | undefined;
    if (gate && url.pathname.startsWith('/api/')) {
      const checked = gate.check(request, 'api');
      if (!checked.ok) {
        if (checked.status === 401) response.setHeader('www-authenticate', 'Bearer');
        json(checked.status, { error: checked.reason });
        return;
      }
      reader = checked.identity;
    }
    const alertPath = /^\/api\/alerts\/(\d+)$/.exec(url.pathname);
    if (request.method === 'GET' && alertPath) {
      const stored = store.get(Number(alertPath[1]));
      if (!stored) return void json(404, { error: `no alert with seq ${alertPath[1]} is held` });
      const body = gate && reader ? gate.alertForReader(reader, request.socket.remoteAddress ?? '?', stored) : { seq: stored.seq, alert: stored.alert, triage: stored.triage };
      if (body === undefined) json(503, { error: 'the audit log cannot be written (see the server log), so alerts are not served; try again later' });
      else json(200, body);
      return;
    }
    if (request.method === 'GET' && url.pathname === '/api/rules/outcomes') {
      json(200, store.ruleOutcomes());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('The analysts\' console is at /. WebSocket endpoints: /ingest (producers), /alerts (subscribers); GET /health, /api/alerts/SEQ, /api/rules/outcomes\n');
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handle) : http.createServer(handle);
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const target = url.pathname === '/ingest' ? ingestServer : url.pathname === '/alerts' ? alertServer : null;
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    target.handleUpgrade(request, socket, head, (ws) => {
      if (!gate) return void target.emit('connection', ws, request);
      // Refused after the upgrade, so that every client (browsers included) sees the close code and reason.
      const checked = gate.check(request, url.pathname === '/ingest' ? 'ingest' : 'alerts');
      if (!checked.ok) {
        log(`${url.pathname} connection from ${request.socket.remoteAddress ?? '?'} refused (${checked.code}): ${checked.reason}`);
        // ws goes on reading a closing socket: an oversize or malformed frame from the refused
        // client is then an 'error' event, which must not be left without a listener (a crash).
        ws.on('error', () => {
          // The refusal is logged above; the refused client's frame errors are not news.
        });
        ws.close(checked.code, checked.reason);
        return;
      }
      gate.track(checked.identity, ws);
      target.emit('connection', ws, request, checked.identity);
    });
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
    // Nothing was accepted yet: release the files and watchers so the process can exit; the
    // error that stopped the start is the one reported.
    await releaseAll(log, [
      ['the rules', () => rules.close()],
      ['the tokens watcher and audit log', () => gate?.close()],
      ['the subscribers', () => hub.close()],
      ['the snapshot schedule', () => snapshotSchedule?.close(false)],
      ['the journal', () => journal.close()],
      ['the dead letters', () => deadLetters.close()],
      ['the pipeline', () => {
        pipeline.stop();
        clearInterval(checkpointTimer);
      }],
      ['the alert database', () => store.close()],
    ]);
    throw error;
  }
  const address = server.address() as AddressInfo;
  // Started once the server runs, so that a failed start leaves no run behind; its first
  // run goes on beside ingest.
  retention?.start();
  // Watched only once the server runs: a watcher left behind by a failed start would keep the process alive.
  if (watchRules) rules.watch();
  gate?.authenticator.watch();

  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://${host}:${address.port}`,
    port: address.port,
    metrics,
    ruleSet,
    reloadRules: () => rules.reload(),
    alerts: pipeline.alerts,
    subscribers: () => hub.size,
    recovery,
    close() {
      closing ??= (async () => {
        rules.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const client of ingestServer.clients) client.close(CloseCode.goingAway, 'server shutting down');
        hub.close();
        // Peers get a moment to complete the close handshake; one that does not is cut off.
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
        for (const client of [...ingestServer.clients, ...alertServer.clients]) client.terminate();
        await closed;
        // Each step runs even if one before it failed (a full disk, say), so that no file or
        // watcher is left open to keep the process alive; the first failure is then thrown.
        const failed = await releaseAll(log, [
          ['the retention job', () => retention?.close()],
          ['the journal', () => journal.close()],
          ['the dead letters', () => deadLetters.close()],
          ['the pipeline', () => {
            pipeline.stop();
            clearInterval(checkpointTimer);
          }],
          // Every event is processed now: the next start restores this and replays nothing.
          ['the last snapshot', () => snapshotSchedule?.close(true)],
          ['the checkpoint', () => checkpoint()],
          ['the tokens watcher and audit log', () => gate?.close()],
        ]);
        try {
          store.close();
        } catch (error) {
          // Not a failure of close: the alerts are in its log, and the database is checked when next opened.
          log(`alert database not closed cleanly: ${toError(error).message}; it is checked when next opened`);
        }
        if (failed) throw failed;
      })();
      return closing;
    },
  };
}

/** Runs every step, logging each that fails; resolves with the first failure, if any. */
async function releaseAll(log: (line: string) => void, steps: readonly [what: string, release: () => unknown][]): Promise<Error | undefined> {
  let first: Error | undefined;
  for (const [what, release] of steps) {
    try {
      await release();
    } catch (thrown) {
      const error = toError(thrown);
      first ??= error;
      log(`closing ${what} failed: ${error.message}`);
    }
  }
  return first;
}

/** A configuration error that says what is wrong, if the certificate and key cannot serve TLS. */
function checkTls(tls: { cert: string | Buffer; key: string | Buffer }): void {
  try {
    createSecureContext({ cert: tls.cert, key: tls.key });
  } catch (error) {
    throw new ConfigError(`the TLS certificate and key cannot be used: ${toError(error).message} (both must be PEM, and the key must be the certificate's)`, { cause: error });
  }
}

/** The process's memory in bytes, for operators and for the tests that bound it. */
function memoryFigures(): { rss: number; heapUsed: number; external: number } {
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
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
