import type { Broker } from '../broker/broker.ts';
import type { ExchangeTransport } from '../cooperation/partner-link.ts';
import type { ExerciseOptions } from '../exercise/exercise-run.ts';
import type { EventSource } from '../ingest/event-source.ts';
import type { DeadLetterLimits } from '../journal/dead-letter-budget.ts';
import type { AlertSink } from '../push/alert-sink.ts';
import type { RetainedRecording, RetentionOptions } from '../retention/retention-job.ts';
import type { IngestFlowOptions } from '../server/ingest-flow.ts';
import type { JournaledEvent } from '../journal/record-events.ts';
import type { Routing } from '../sinks/notify/routing.ts';

/** What `startProcessor` (src/processor.ts) takes: every option, with its default. */
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
  /**
   * Event sources beside the WebSocket ingest (a broker consumer, a file): each is
   * started with the pipeline's ingest and answered like a producer (src/ingest/event-source.ts).
   */
  sources?: readonly EventSource[];
  /**
   * Alert sinks beside the subscribers' hub (a broker publisher, say): each gets every
   * alert once it is stored, in sequence order (src/push/alert-sink.ts).
   */
  sinks?: readonly AlertSink[];
  /**
   * Broker mode (`serve --nats`, docs/scale-out.md): ingest records events on the broker's
   * EVENTS stream and answers once JetStream acknowledged them; this process assesses
   * the stream as one processor instance, keeps its alerts on the ALERTS stream, and its
   * subscribers' hub stores and pushes what the ALERTS stream holds. Open it with
   * `openBroker` (src/broker/broker.ts, loaded only then); `close()` closes it.
   */
  broker?: Broker;
  /**
   * Exchange with partner agencies (docs/exchange.md): the agreements in `dir` (`*.yaml`),
   * linked over `transport` (@default WebSocket to each partner's `/exchange`); re-read when
   * the directory changes unless `watch` is false. Needs `tokensFile`: partners present
   * `partner` tokens and every step is audited.
   */
  exchange?: { dir: string; transport?: ExchangeTransport; env?: NodeJS.ProcessEnv; watch?: boolean };
  /**
   * Notifications (`serve --notify FILE`, docs/casework.md#notifications): stored alerts
   * routed by post and severity to webhooks and e-mail, repeated and escalated while
   * unacknowledged. Load the file with `loadRouting` (src/sinks/notify/routing.ts).
   */
  notify?: Routing;
  /** An exercise beside live traffic (`replay --serve --exercise`): assessed apart, its alerts for trainees only (docs/casework.md#exercises). */
  exercise?: ExerciseOptions;
}
