import { trafficReference } from '../generate/traffic-reference.ts';
import type { Broker } from '../broker/broker.ts';
import { startProcessor } from '../processor.ts';
import { openLiveRecording } from '../record/live-recording.ts';
import { ConfigError, toError } from '../errors.ts';
import { DEMO_PRODUCER_NAME, firstAdminToken, inProcessProducerToken } from '../auth/first-start.ts';
import { POSTS } from '../generate/region.ts';
import { loadRouting } from '../sinks/notify/routing.ts';
import { tokensFileOf } from './tokens.ts';
import { keepRunningWithoutOutput } from './closed-output.ts';
import { startDemoTraffic } from './demo-traffic.ts';
import { type CommandSpec, fileOption, helpText, numberOption, parseCommand } from './args.ts';
import { alertLine, lateExplanation, throughputLine } from './format.ts';

export const serveSpec = {
  name: 'serve',
  summary: 'Run the processor: producers send to ws://HOST:PORT/ingest, subscribers listen on ws://HOST:PORT/alerts.',
  usage: 'serve [options]',
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    rules: { type: 'string' },
    streams: { type: 'string' },
    'max-frame-bytes': { type: 'string' },
    'no-fsync': { type: 'boolean' },
    'no-watch': { type: 'boolean' },
    demo: { type: 'boolean' },
    'demo-rate': { type: 'string' },
    'demo-plant-rate': { type: 'string' },
    seed: { type: 'string' },
    quiet: { type: 'boolean' },
    'stats-every': { type: 'string' },
    'record-dir': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    tokens: { type: 'string' },
    'snapshot-every': { type: 'string' },
    'snapshot-interval': { type: 'string' },
    'no-snapshots': { type: 'boolean' },
    'retain-days': { type: 'string' },
    nats: { type: 'string' },
    'nats-token': { type: 'string' },
    'nats-creds': { type: 'string' },
    'nats-instance': { type: 'string' },
    'nats-sources': { type: 'string' },
    exchange: { type: 'string' },
    notify: { type: 'string' },
  },
  help: {
    host: 'Interface to listen on (default 127.0.0.1)',
    port: 'Port to listen on; 0 picks a free one (default 8080)',
    'data-dir': 'Where the journal and dead letters are kept (default .data)',
    rules: 'Rule directory with scoring.yaml and lists/ (default rules)',
    streams: 'Stream definitions directory (default streams)',
    'max-frame-bytes': 'Largest ingest frame; larger ones are refused with close code 1009 (default 1048576)',
    'no-fsync': 'Do not fdatasync the journal (benchmarks only: acks are then not durable)',
    'no-watch': 'Do not reload rules when their files change (SIGHUP still reloads)',
    demo: 'Also start a built-in generator that streams seeded traffic to /ingest over a real WebSocket',
    'demo-rate': 'Events per second the demo sends on average over a day (more in the posts\' daytime, fewer at night); their event times follow the wall clock (default 40)',
    'demo-plant-rate': 'Share of demo events that are planted cases (default 0.03)',
    seed: 'Seed of the demo generator (default: the current time)',
    quiet: 'Do not print a line per alert',
    'stats-every': 'Seconds between throughput lines; 0 turns them off (default 5)',
    tokens: 'The tokens file clients authenticate with (default <data-dir>/tokens.json; made with an administrator token at first start; see border-risk tokens)',
    'record-dir': 'Also record every accepted event into Arrow IPC segments here (docs/recordings.md), catching up from the journal first',
    'tls-cert': 'Serve HTTPS and wss:// with this certificate chain (PEM file); needs --tls-key',
    'tls-key': 'The private key (PEM file) of --tls-cert',
    'snapshot-every': 'Write a state snapshot (DATA-DIR/snapshots) after this many processed events; 0: not by count (default 100000)',
    'snapshot-interval': 'Write a state snapshot after this many seconds if events were processed; 0: not by time (default 300)',
    'no-snapshots': 'Write no state snapshots and ignore existing ones: a restart replays the whole journal',
    'retain-days': 'Retention, checked at start and hourly: delete journal records, dead letters, snapshots and --record-dir segments older than this many days, depersonalise older alerts, and clear old casework free text and subjects (docs/security.md#retention). Default: off, everything is kept',
    nats: 'Broker mode (docs/scale-out.md): record events on the NATS JetStream server at this URL (nats://[user:pass@]host:port) and assess them from its EVENTS stream; alerts go through its ALERTS stream',
    'nats-token': 'The token the NATS server expects (with --nats)',
    'nats-creds': 'A NATS credentials file (user JWT and nkey seed) to connect with (with --nats)',
    'nats-instance': 'K/N: this process is processor instance K (from 0) of N sharing the EVENTS stream (default 0/1)',
    'nats-sources': 'DOMAIN,...: JetStream domains of border posts\' leaf nodes whose EVENTS streams this centre\'s EVENTS stream sources (deploy/nats/)',
    exchange: 'Exchange hits with partner agencies under the agreements (*.yaml) in this directory: hashed hit/no-hit, requests for details, the joint centre\'s page at /joint (docs/exchange.md). Default: off',
    notify: 'Notify receivers of alerts by signed webhook and e-mail (SMTP relay) under the routing file (YAML) given; repeat and escalate unacknowledged ones (docs/casework.md#notifications). Default: off',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export async function serve(argv: string[]): Promise<void> {
  const { values } = parseCommand(serveSpec, argv);
  if (values.help) return void console.log(helpText(serveSpec));
  keepRunningWithoutOutput();
  const statsEvery = numberOption('stats-every', values['stats-every'], 5, (n) => n >= 0);
  const tls = tlsFiles(values['tls-cert'], values['tls-key']);
  const retainDays = values['retain-days'] === undefined ? undefined : retentionDays(values['retain-days']);
  // Checked before anything is opened: a broken routing file stops the start with its problems listed.
  const notify = values.notify === undefined ? undefined : loadRouting(values.notify);
  const recording = values['record-dir'] === undefined ? undefined : openLiveRecording(values['record-dir'], values['data-dir'] ?? '.data');
  if (recording) console.log(`recording to ${recording.recorder.dir} (${recording.caughtUp} event(s) caught up from the journal)`);
  // Authentication is always on for operators: a first start makes the tokens file with one
  // administrator token, shown once below; the demo producer gets a token of its own.
  const tokensFile = tokensFileOf(values);
  const firstAdmin = firstAdminToken(tokensFile);
  const demoToken = values.demo ? inProcessProducerToken(tokensFile, DEMO_PRODUCER_NAME, POSTS.map((p) => p.id)) : undefined;
  if (values.nats === undefined && (values['nats-token'] ?? values['nats-creds'] ?? values['nats-instance'] ?? values['nats-sources']) !== undefined) throw new ConfigError('--nats-token, --nats-creds, --nats-instance and --nats-sources go with --nats URL (broker mode, docs/scale-out.md)');
  const broker = values.nats === undefined ? undefined : await openBrokerOf(values);
  const processor = await startProcessor({
    tokensFile,
    ...(broker && { broker }),
    ...(values.host !== undefined && { host: values.host }),
    port: numberOption('port', values.port, 8080, Number.isInteger),
    dataDir: values['data-dir'] ?? '.data',
    rulesDir: values.rules ?? 'rules',
    streamsDir: values.streams ?? 'streams',
    maxFrameBytes: numberOption('max-frame-bytes', values['max-frame-bytes'], 1_048_576, Number.isInteger),
    fsync: !values['no-fsync'],
    watchRules: !values['no-watch'],
    snapshots: !values['no-snapshots'],
    snapshotEveryEvents: numberOption('snapshot-every', values['snapshot-every'], 100_000, (n) => Number.isInteger(n) && n >= 0),
    snapshotEveryMs: numberOption('snapshot-interval', values['snapshot-interval'], 300, (n) => n >= 0) * 1000,
    log: (line) => console.log(line),
    ...(retainDays !== undefined && { retention: { maxAgeMs: retainDays * 86_400_000 } }),
    ...(tls && { tls }),
    ...(notify && { notify }),
    ...(values.exchange !== undefined && { exchange: { dir: values.exchange, watch: !values['no-watch'] } }),
    ...(recording && { onJournaled: (journaled) => recording.recorder.append(journaled), recording: recording.recorder }),
  }).catch(async (error: unknown) => {
    await broker?.close().catch(() => undefined);
    throw error;
  });
  const reloadOnHangup = (): void => {
    processor.reloadRules();
    if (values.exchange !== undefined) processor.reloadExchange();
  };
  process.on('SIGHUP', reloadOnHangup);
  const ruleSet = processor.ruleSet();
  if (broker) console.log(`broker: ${broker.status().url}, JetStream streams EVENTS and ALERTS; processor instance ${broker.status().instance}`);
  console.log(`border-risk listening on ${processor.url}  (ingest: ${processor.url}/ingest, alerts: ${processor.url}/alerts)`);
  const consoleUrl = `${processor.url.replace(/^ws/, 'http')}/`;
  if (firstAdmin) {
    console.log(`first start: made ${tokensFile} with administrator token ${firstAdmin.token.id}; its secret is shown only this once:`);
    console.log(`  ${firstAdmin.secret}`);
    console.log(`analysts' console: ${consoleUrl}#token=${firstAdmin.secret}  (the token stays in the browser tab; make a token per person with: border-risk tokens create --role analyst --name NAME${values['data-dir'] === undefined ? '' : ` --data-dir ${values['data-dir']}`})`);
  } else {
    console.log(`analysts' console: ${consoleUrl}  (sign in with a token; make one with: border-risk tokens create --role analyst --name NAME --tokens ${tokensFile})`);
  }
  console.log(`tokens: ${tokensFile} (clients without a valid token are refused with 4401)`);
  console.log(
    retainDays === undefined
      ? 'retention: off, events, dead letters and alerts are kept until deleted by hand (set --retain-days N to delete and depersonalise data older than N days)'
      : `retention: every hour, journal records, dead letters${recording ? ', snapshots and recording segments' : ' and snapshots'} older than ${retainDays} day(s) are deleted and older alerts depersonalised`,
  );
  console.log(`rule set ${ruleSet.version}: ${ruleSet.rules.length} indicators, alert threshold ${ruleSet.scoring.threshold}; Ctrl-C stops`);

  const colour = process.stdout.isTTY === true;
  const alertSubscription = values.quiet ? undefined : processor.alerts.subscribe((stored) => console.log(alertLine(stored, colour)));
  let before = { ...processor.metrics };
  let lateExplained = false;
  const stats =
    statsEvery > 0
      ? setInterval(() => {
          console.log(throughputLine(processor.metrics, before, statsEvery, processor.subscribers()));
          if (!lateExplained && processor.metrics.late > 0) {
            lateExplained = true;
            console.log(lateExplanation(processor.metrics.late, processor.ruleSet().streams.map((s) => ({ stream: s.name, allowed: formatMs(s.allowedLateness) }))));
          }
          before = { ...processor.metrics };
        }, statsEvery * 1000)
      : undefined;

  const demoAbort = new AbortController();
  let demo: Promise<unknown> = Promise.resolve();
  if (values.demo) {
    const rate = numberOption('demo-rate', values['demo-rate'], 40, (n) => n > 0);
    const plantRate = numberOption('demo-plant-rate', values['demo-plant-rate'], 0.03, (n) => n >= 0 && n <= 1);
    const seed = numberOption('seed', values.seed, Date.now() % 2 ** 31, Number.isInteger);
    const traffic = startDemoTraffic({
      url: `${processor.url}/ingest`,
      ...(demoToken !== undefined && { token: demoToken }),
      // With TLS the demo trusts the server's own certificate, which may be self-signed.
      ...(tls && { ca: tls.cert }),
      rate,
      plantRate,
      seed,
      reference: trafficReference(ruleSet.lists),
      signal: demoAbort.signal,
    });
    console.log(`demo: streaming seeded traffic (seed ${seed}, about ${rate} events/s: ${Math.round(traffic.volume)}× the region's modelled one-off trips, stamped with the wall clock; ${plantRate * 100}% planted cases) to ${processor.url}/ingest`);
    demo = traffic.done.catch((error: unknown) => console.error(`demo producer stopped: ${toError(error).message}`));
  }

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', reloadOnHangup);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('\nstopping: flushing the journal...');
  demoAbort.abort();
  await Promise.race([demo, new Promise((r) => setTimeout(r, 2000))]);
  if (stats) clearInterval(stats);
  alertSubscription?.unsubscribe();
  await processor.close();
  recording?.recorder.close();
  const m = processor.metrics;
  console.log(`stopped cleanly: ${m.accepted} accepted, ${m.rejected} rejected, ${m.duplicates} duplicate, ${m.alerts} alerts`);
}

/**
 * Connects to the broker named by --nats. The NATS client is loaded only here, so that a
 * processor without a broker (npm start) never loads it.
 */
async function openBrokerOf(values: { nats?: string; 'nats-token'?: string; 'nats-creds'?: string; 'nats-instance'?: string; 'nats-sources'?: string }): Promise<Broker> {
  const { openBroker } = await import('../broker/broker.ts');
  const instance = instanceOf(values['nats-instance'] ?? '0/1');
  return openBroker(
    {
      url: values.nats!,
      instance,
      ...(values['nats-token'] !== undefined && { token: values['nats-token'] }),
      ...(values['nats-creds'] !== undefined && { credsFile: values['nats-creds'] }),
      ...(values['nats-sources'] !== undefined && { sources: sourcesOf(values['nats-sources']) }),
    },
    { name: `border-risk ${instance.index}/${instance.count}`, log: (line) => console.log(line) },
  );
}

/** --nats-sources: JetStream domain names, comma-separated. */
function sourcesOf(value: string): string[] {
  const domains = value.split(',').map((d) => d.trim()).filter((d) => d !== '');
  const bad = domains.find((d) => !/^[A-Za-z0-9_-]+$/.test(d));
  if (domains.length === 0 || bad !== undefined) throw new ConfigError(`--nats-sources must be JetStream domain names (letters, digits, - and _) separated by commas, got "${value}"`);
  return domains;
}

/** --nats-instance K/N: 0 ≤ K < N. */
function instanceOf(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new ConfigError(`--nats-instance must be K/N with 0 ≤ K < N (this process's place among N processor instances), got "${value}"`);
  return { index, count };
}

/** --retain-days: a whole number of days, at least 1. */
function retentionDays(value: string): number {
  const days = Number(value);
  if (value.trim() === '' || !Number.isInteger(days) || days < 1) throw new ConfigError(`--retain-days must be a whole number of days ≥ 1, got "${value}" (leave it out to keep everything)`);
  return days;
}

/** The certificate and key files, read; both or neither must be given. */
function tlsFiles(certFile: string | undefined, keyFile: string | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new ConfigError('--tls-cert and --tls-key go together: give both, or neither for plain ws://');
  return { cert: fileOption('tls-cert', certFile), key: fileOption('tls-key', keyFile) };
}

/** A lateness as the stream files write it: `10m`, `1h`. */
function formatMs(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
