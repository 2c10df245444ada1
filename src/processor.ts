import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Observable } from 'rxjs';
import { Checkpoints } from './app/checkpoints.ts';
import { faultsToDeadLetters } from './app/fault-letters.ts';
import { healthReport } from './app/health.ts';
import { releaseAll } from './app/release-all.ts';
import { logRuleErrorsOnce } from './app/rule-errors.ts';
import { reportReloads } from './app/rule-reloads.ts';
import { ConfigError, toError } from './errors.ts';
import { DEAD_LETTER_FILE, DeadLetters } from './journal/dead-letters.ts';
import { JOURNAL_FILE, Journal } from './journal/journal.ts';
import { createMetrics, type Metrics } from './kernel/metrics.ts';
import { WriteHealth } from './pipeline/write-health.ts';
import { Casework } from './casework/casework.ts';
import { AlertHub } from './push/alert-hub.ts';
import { caseworkRequests } from './push/casework-requests.ts';
import type { AlertSink } from './push/alert-sink.ts';
import type { RecoveryReport } from './recovery/recover.ts';
import { SNAPSHOT_DIR } from './recovery/snapshot-file.ts';
import { SnapshotSchedule } from './recovery/snapshot-schedule.ts';
import { startBrokered } from './recovery/start-brokered.ts';
import { type RecoveredPipeline, startRecovered } from './recovery/start-recovered.ts';
import { checkRetention, RetentionJob } from './retention/retention-job.ts';
import { describeShortRetention, rulesLookingBackBeyond } from './retention/window-horizon.ts';
import { loadRuleSet, type RuleSet } from './rules/rule-set.ts';
import { matcherTakes } from './rules/scoring-config.ts';
import { type ReloadOutcome, RuleWatcher } from './rules/watch-rules.ts';
import { alertsEndpoint } from './server/alerts-endpoint.ts';
import { AuthGate } from './server/auth-gate.ts';
import { httpHandler } from './server/http-routes.ts';
import { dashboardRoute } from './server/dashboard-route.ts';
import { ingestEndpoint } from './server/ingest-endpoint.ts';
import { routeUpgrades } from './server/route-upgrades.ts';
import { AlertStore } from './store/alert-store.ts';
import type { StoredAlert } from './store/alert-log.ts';
import { exchangeEndpoint } from './cooperation/exchange-endpoint.ts';
import { exchangeRoutes } from './cooperation/exchange-routes.ts';
import { agreementsDir, ExchangeService } from './cooperation/exchange-service.ts';
import { Notifier } from './sinks/notify/notifier.ts';
import type { ProcessorOptions } from './app/processor-options.ts';
import { checkExercise, startExercise } from './exercise/exercise-run.ts';
import { wsTransport } from './cooperation/ws-transport.ts';
import { PartnerTokens } from './exchange/partner-tokens.ts';
import { WATCHLISTS_DIR } from './rules/rule-set.ts';

export type { ProcessorOptions } from './app/processor-options.ts';

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
  /** Re-reads the exchange agreements now (also done on change); false when they have problems (those in force stay). */
  reloadExchange(): boolean;
  /** How this start got its state back (snapshot and journal tail, or the whole journal). */
  recovery: RecoveryReport;
  /** Stops accepting connections, flushes the journal and dead letters, and closes. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2_000;

/**
 * The composition root: checks the options, opens the files, recovers the pipeline,
 * attaches the sources, serves HTTP and WebSocket, and closes it all in order.
 */
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
  if (options.exercise) checkExercise(dataDir, options.exercise.id);
  // First, so that a broken tokens file stops the start before anything is opened.
  const gate = options.tokensFile === undefined ? undefined : new AuthGate({ tokensFile: options.tokensFile, dataDir, log, exercise: options.exercise?.id });
  if (options.exchange && !gate) throw new ConfigError('exchange agreements need a tokens file: partners link with partner tokens, and every step of the exchange is audited');
  const exchangeDir = options.exchange && agreementsDir(options.exchange.dir);
  if (!gate) log('authentication is off (no tokens file): every client may connect and sees personal data; border-risk serve always enforces it');

  // A full disk is an operator's problem to fix, not a crash: writes that fail are answered
  // "failed" (journal) or held (alerts), the stall and the recovery are logged, /health says so.
  const writes = new WriteHealth(log);
  const journal = Journal.open(dataDir, { fsync, onOutcome: (error) => writes.report('journal', path.join(dataDir, JOURNAL_FILE), error?.message ?? null) });
  const deadLetters = new DeadLetters(dataDir, { fsync, log, ...(options.deadLetters && { limits: options.deadLetters }), onOutcome: (error) => writes.report('dead letters', path.join(dataDir, DEAD_LETTER_FILE), error?.message ?? null) });
  const metrics = createMetrics();
  const store = new AlertStore(path.join(dataDir, 'alerts.db'), { retain: retainAlerts, now });
  if (store.migrated.length > 0) log(`alert database ${store.file} upgraded in place: schema step(s) ${store.migrated.join(', ')}`);
  // Silences, non-matches and inhibition; the rule set is read when each alert is stored.
  const casework = new Casework(store, { now, inhibitRules: () => ruleSet().scoring.inhibit });
  const hub = new AlertHub(store, { heartbeatMs, maxBufferedBytes: maxSubscriberBufferedBytes, maxStallMs: maxSubscriberStallMs, requests: caseworkRequests(casework, store, gate && ((kind, value) => gate.pseudonym(kind, value))),
    fourEyes: (alert) => ruleSet().scoring.fourEyes?.some((m) => matcherTakes(m, alert.severity, alert.indicators)) ?? false,
  });
  const notifier = options.notify && new Notifier(options.notify, store, { now, log });
  const sinks: AlertSink[] = [hub, ...(notifier ? [notifier] : [])];
  const partners = new PartnerTokens(now);
  const rules = new RuleWatcher(loadRuleSet({ rulesDir, streamsDir, partners }), { rulesDir, streamsDir, partners }, { onReload: reportReloads(log, hub, () => warnOfShortRetention()) });
  const ruleSet = (): RuleSet => rules.current();
  function warnOfShortRetention(): void {
    if (!options.retention) return;
    const longer = rulesLookingBackBeyond(ruleSet(), options.retention.maxAgeMs);
    if (longer.length > 0) log(describeShortRetention(options.retention.maxAgeMs, longer));
  }
  warnOfShortRetention();

  let exchange: ExchangeService | undefined;
  try {
    exchange = exchangeDir && gate ? new ExchangeService({ dir: exchangeDir, watchlistsDir: path.join(rulesDir, WATCHLISTS_DIR), store, audit: gate.audit, partners, transport: options.exchange?.transport ?? wsTransport({ log }), log, now, ...(options.exchange?.env && { env: options.exchange.env }) }) : undefined;
  } catch (error) {
    await releaseAll(log, [
      ['the rules', () => rules.close()],
      ['the tokens watcher and audit log', () => gate?.close()],
      ['the subscribers', () => hub.close()],
      ['the journal', () => journal.close()],
      ['the dead letters', () => deadLetters.close()],
      ['the alert database', () => store.close()],
    ]);
    throw error;
  }

  const snapshotsDir = path.join(dataDir, SNAPSHOT_DIR);
  const { broker } = options;
  const pipelineParts = {
    deadLetters, ruleSet, metrics,
    onFault: faultsToDeadLetters(deadLetters, log, now),
    onRuleError: logRuleErrorsOnce(log),
    onStoreOutcome: (failure: string | null) => writes.report('alert database', store.file, failure),
    nonMatches: casework.nonMatches,
    ...(options.onJournaled && { onJournaled: options.onJournaled }),
  };
  let recovered: RecoveredPipeline;
  try {
    recovered = broker
      ? await startBrokered(pipelineParts, broker, { snapshotsDir: snapshots ? snapshotsDir : undefined, now, log })
      : startRecovered({ ...pipelineParts, journal, store, sinks: [...sinks, ...(exchange ? [exchange] : []), ...(options.sinks ?? [])] }, { snapshotsDir: snapshots ? snapshotsDir : undefined, log });
    // The hub stores and pushes what the alerts stream holds, whichever instance raised it.
    if (broker) await broker.consumeAlerts(String(broker.instance.index), store, [...sinks, ...(exchange ? [exchange] : []), ...(options.sinks ?? [])], (error, alert) => pipelineParts.onFault('store', error, alert));
  } catch (error) {
    await releaseAll(log, [
      ['the rules', () => rules.close()],
      ['the tokens watcher and audit log', () => gate?.close()],
      ['the exchange', () => exchange?.close()],
      ['the subscribers', () => hub.close()],
      ['the broker', () => broker?.close()],
      ['the journal', () => journal.close()],
      ['the dead letters', () => deadLetters.close()],
      ['the alert database', () => store.close()],
    ]);
    throw error;
  }
  const { pipeline, recovery, from } = recovered;
  // In broker mode an event is complete once its batch is acknowledged: a snapshot goes no further.
  const snapshotted = broker ? { processed: () => pipeline.processed(), captureState: () => pipeline.captureState(), heldAlerts: () => pipeline.heldAlerts() + (pipeline.processed() > broker.acknowledgedSeq ? 1 : 0) } : pipeline;
  const snapshotSchedule = snapshots
    ? new SnapshotSchedule(snapshotted, { dir: snapshotsDir, fsync, log, ruleSetVersion: () => ruleSet().version, beforeCommit: () => store.sync(), ...(options.snapshotEveryEvents !== undefined && { everyEvents: options.snapshotEveryEvents }), ...(options.snapshotEveryMs !== undefined && { everyMs: options.snapshotEveryMs }) }, from)
    : undefined;
  const retention = options.retention && new RetentionJob({ journal, deadLetters, store, snapshotsDir: snapshots ? snapshotsDir : undefined, recording: options.recording }, { ...options.retention, now, log });
  // In broker mode the consumer's acknowledgements are the checkpoint.
  const checkpoints = broker ? undefined : new Checkpoints({ processed: () => pipeline.processed(), store, log });

  const ingest = ingestEndpoint({ maxFrameBytes, flow: options.ingestFlow, deadLetters, log, now });
  pipeline.attach(ingest);
  for (const source of options.sources ?? []) pipeline.attach(source);
  const exercise = options.exercise && startExercise(options.exercise, { dataDir, store, hub, ruleSet, fsync, now, log });
  const alerts = alertsEndpoint(hub, gate, log);
  const health = () => healthReport({ broker: broker?.status(), writes, gate, pipeline, journal, deadLetters, store, hub, flow: ingest.flow, ruleSet, recovery, snapshots: snapshotSchedule, retention, metrics, exchange });
  const handle = httpHandler({ gate, store, casework, health, routes: [dashboardRoute(store, gate, now), ...(exchange && gate ? [exchangeRoutes(exchange, gate)] : [])] });
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handle) : http.createServer(handle);
  const exchangeSockets = exchange && exchangeEndpoint(exchange, log);
  routeUpgrades(server, { ingest: ingest.server, alerts, ...(exchangeSockets && { exchange: exchangeSockets }) }, gate, log);

  try {
    await listen(server, port, host);
  } catch (error) {
    // Nothing was accepted yet: release the files and watchers so the process can exit; the
    // error that stopped the start is the one reported.
    await releaseAll(log, [
      ['the rules', () => rules.close()],
      ['the exchange', () => exchange?.close()],
      ['the tokens watcher and audit log', () => gate?.close()],
      ['the subscribers', () => hub.close()],
      ['the snapshot schedule', () => snapshotSchedule?.close(false)],
      ['the broker', () => broker?.close()],
      ['the journal', () => journal.close()],
      ['the dead letters', () => deadLetters.close()],
      ['the pipeline', () => {
        pipeline.stop();
        checkpoints?.stop();
      }],
      ['the exercise', () => exercise?.close()],
      ['the alert database', () => store.close()],
    ]);
    throw error;
  }
  const address = server.address() as AddressInfo;
  // Started once the server runs, so that a failed start leaves no run behind; its first
  // run goes on beside ingest.
  retention?.start();
  notifier?.start();
  // Watched only once the server runs: a watcher left behind by a failed start would keep the process alive.
  if (watchRules) rules.watch();
  gate?.authenticator.watch();
  if (options.exchange?.watch !== false) exchange?.watch();

  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'wss' : 'ws'}://${host}:${address.port}`,
    port: address.port,
    metrics,
    ruleSet,
    reloadRules: () => rules.reload(),
    alerts: pipeline.alerts,
    subscribers: () => hub.size,
    reloadExchange: () => exchange?.reload() ?? false,
    recovery,
    close() {
      closing ??= (async () => {
        rules.close();
        exchange?.close();
        for (const client of exchangeSockets?.clients ?? []) client.close(1001, 'server stopping');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        ingest.closeAll();
        hub.close();
        // Peers get a moment to complete the close handshake; one that does not is cut off.
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
        for (const client of [...ingest.server.clients, ...alerts.clients, ...(exchangeSockets?.clients ?? [])]) client.terminate();
        await closed;
        const failed = await releaseAll(log, [
          ['the retention job', () => retention?.close()],
          ['the broker', () => broker?.close()],
          ['the journal', () => journal.close()],
          ['the dead letters', () => deadLetters.close()],
          ['the pipeline', () => {
            pipeline.stop();
            checkpoints?.stop();
          }],
          ['the exercise', () => exercise?.close()],
          // After the pipeline: the alerts of the last events made durable are notified too.
          ['the notifications', () => notifier?.close()],
          // Every event is processed now: the next start restores this and replays nothing.
          ['the last snapshot', () => snapshotSchedule?.close(true)],
          ['the checkpoint', () => checkpoints?.note()],
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

/** Listens, turning a port in use into a configuration error that says what to do. */
function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new ConfigError(`port ${port} on ${host} is already in use; choose another with --port`, { cause: error }) : toError(error)),
    );
    server.listen(port, host, () => resolve());
  });
}

/** A configuration error that says what is wrong, if the certificate and key cannot serve TLS. */
function checkTls(tls: { cert: string | Buffer; key: string | Buffer }): void {
  try {
    createSecureContext({ cert: tls.cert, key: tls.key });
  } catch (error) {
    throw new ConfigError(`the TLS certificate and key cannot be used: ${toError(error).message} (both must be PEM, and the key must be the certificate's)`, { cause: error });
  }
}
