import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { ConfigError } from '../errors.ts';
import { PLANTED_CASE_NAMES, PLANTED_CASES, type PlantedCaseName } from '../generate/planted.ts';
import { produce } from '../generate/producer.ts';
import { type Generated, generateTraffic } from '../generate/traffic.ts';
import { TRAFFIC_CLASS_DESCRIPTIONS, TRAFFIC_CLASSES } from '../generate/traffic-class.ts';
import { listedPeopleIn } from '../generate/listed-people.ts';
import { trafficReference } from '../generate/traffic-reference.ts';
import { loadLists } from '../enrich/lists.ts';
import { type CommandSpec, fileOption, helpText, numberOption, parseCommand } from './args.ts';
import { IngestSummary } from './ingest-summary.ts';
import { Progress } from './progress.ts';
import { flightKey, writePaxlst, writePnrgov } from '../edifact/write-messages.ts';
import type { Crossing } from '../model/crossing.ts';

export const generateSpec = {
  name: 'generate',
  summary: 'Generate seeded synthetic crossing and cargo traffic with labelled planted cases, to a file or a live /ingest.',
  usage: 'generate [--out FILE.ndjson | --url ws://HOST:PORT/ingest] [options]',
  options: {
    count: { type: 'string' },
    out: { type: 'string' },
    url: { type: 'string' },
    ca: { type: 'string' },
    token: { type: 'string' },
    labels: { type: 'string' },
    rate: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    'plant-rate': { type: 'string' },
    cases: { type: 'string' },
    rules: { type: 'string' },
    volume: { type: 'string' },
    'list-cases': { type: 'boolean' },
    'list-classes': { type: 'boolean' },
    format: { type: 'string' },
  },
  help: {
    count: 'Number of events; 0 streams until Ctrl-C (with --url only) (default 1000)',
    out: 'Write NDJSON here, with the labels beside it in FILE.labels.ndjson (default: standard output)',
    url: 'Stream to this ingest endpoint over WebSocket instead of writing a file',
    ca: 'With a wss:// --url: a certificate (PEM file) to trust besides the system\'s, e.g. a self-signed server certificate',
    token: 'With --url: a producer token for the generated posts (default: the BORDER_RISK_TOKEN environment variable, which keeps it out of the process list)',
    labels: 'Where to write the labels, one line per event: its traffic class, and for planted cases the case and the indicators it must trip (default: beside --out; none when streaming or writing to stdout)',
    rate: 'Events per second when streaming; 0 is as fast as acks allow (default 0)',
    batch: 'Events per frame when streaming (default 1)',
    seed: 'Seed; the same seed and options give the same traffic (default 1)',
    start: 'Event time of the first event, RFC 3339 (default 2026-11-02T00:00:00Z)',
    'plant-rate': 'Share of events that are planted cases (default 0.01)',
    cases: `Comma-separated planted cases to use (default all but the opt-in ones; see --list-cases)`,
    volume: 'Multiplier of every volume (one-off trips and regulars); below 1 makes a long stretch of time quick to generate (default 1)',
    rules: 'Rule directory whose lists (HS norms, rates, stolen documents) the traffic follows (default rules)',
    'list-cases': 'List the planted cases and the indicators each must trip',
    'list-classes': 'List the traffic classes every event is labelled with',
    format: 'ndjson, or paxlst / pnrgov: the air crossings as UN/EDIFACT messages, one interchange per flight (to --out or standard output; read back by border-risk import) (default ndjson)',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export async function generate(argv: string[]): Promise<void> {
  const { values } = parseCommand(generateSpec, argv);
  if (values.help) return void console.log(helpText(generateSpec));
  if (values['list-cases']) {
    for (const name of PLANTED_CASE_NAMES) {
      const optIn = 'optIn' in PLANTED_CASES[name] ? '  (opt-in: only with --cases)' : '';
      console.log(`${name.padEnd(26)} ${PLANTED_CASES[name].kind.padEnd(9)} ${PLANTED_CASES[name].indicators.join(', ')}${optIn}`);
    }
    return;
  }
  if (values['list-classes']) {
    for (const name of TRAFFIC_CLASSES) console.log(`${name.padEnd(16)} ${TRAFFIC_CLASS_DESCRIPTIONS[name]}`);
    return;
  }
  if (values.out !== undefined && values.url !== undefined) throw new ConfigError('use either --out or --url, not both');
  const format = values.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'paxlst' && format !== 'pnrgov') throw new ConfigError(`--format must be ndjson, paxlst or pnrgov, got "${format}"`);
  if (format !== 'ndjson' && values.url !== undefined) throw new ConfigError(`--format ${format} writes files; send them with border-risk import FILE --url ...`);
  const count = numberOption('count', values.count, 1000, (n) => Number.isInteger(n) && n >= 0);
  if (count === 0 && values.url === undefined) throw new ConfigError('--count 0 (endless) needs --url');
  const cases = values.cases?.split(',').map((c) => c.trim());
  const unknown = cases?.filter((c) => !(PLANTED_CASE_NAMES as string[]).includes(c)) ?? [];
  if (unknown.length > 0) throw new ConfigError(`unknown planted case(s): ${unknown.join(', ')}; known: ${PLANTED_CASE_NAMES.join(', ')}`);

  const lists = loadLists(path.join(values.rules ?? 'rules', 'lists'));
  const traffic = generateTraffic({
    seed: numberOption('seed', values.seed, 1, Number.isInteger),
    ...(values.start !== undefined && { start: values.start }),
    plantRate: numberOption('plant-rate', values['plant-rate'], 0.01, (n) => n >= 0 && n <= 1),
    volume: numberOption('volume', values.volume, 1, (n) => n > 0),
    ...(cases && { cases: cases as PlantedCaseName[] }),
    ...trafficReference(lists),
    ...(cases?.includes('watchlist-name') && { listedPeople: listedPeopleIn(values.rules ?? 'rules') }),
  });
  const labelsPath = values.labels ?? (values.out ? values.out.replace(/(\.ndjson|\.jsonl|\.json)?$/, '.labels.ndjson') : undefined);
  const labels = labelsPath ? fs.createWriteStream(labelsPath) : undefined;
  let planted = 0;
  // One line per event, so that alert rates can be measured per traffic class.
  const writeLabel = ({ event, trafficClass, label }: Generated): void => {
    if (label) planted += 1;
    labels?.write(`${JSON.stringify(label ? { eventId: event.eventId, class: trafficClass, eventTime: label.eventTime, post: label.post, case: label.case, indicators: label.indicators } : { eventId: event.eventId, class: trafficClass })}\n`);
  };
  const progress = new Progress('generate', count);

  if (format !== 'ndjson') {
    await writeAirMessages(format, count, () => traffic.next().value, values.out, progress);
    return;
  }
  if (values.url !== undefined) {
    let produced = 0;
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    const events: Iterator<unknown> = {
      next: () => {
        if (count > 0 && produced >= count) return { done: true, value: undefined };
        const generated = traffic.next().value;
        produced += 1;
        writeLabel(generated);
        return { done: false, value: generated.event };
      },
    };
    const ingest = new IngestSummary();
    ingest.announcePosts();
    const summary = await produce(events, {
      url: values.url,
      ...(values.ca !== undefined && { ca: fileOption('ca', values.ca) }),
      ...((values.token ?? process.env.BORDER_RISK_TOKEN) !== undefined && { token: (values.token ?? process.env.BORDER_RISK_TOKEN)! }),
      rate: numberOption('rate', values.rate, 0, (n) => n >= 0),
      batch: numberOption('batch', values.batch, 1, (n) => Number.isInteger(n) && n >= 1),
      onReply: (reply) => {
        ingest.note(reply);
        progress.tick(produced);
      },
      signal: abort.signal,
    });
    progress.done();
    console.error(
      `sent ${summary.events} events in ${summary.frames} frames over ${summary.seconds.toFixed(1)} s: ${summary.accepted} accepted, ` +
        `${summary.duplicates} duplicate, ${summary.rejected} rejected, ${summary.failed} failed; ${planted} planted cases${labelsPath ? ` → ${labelsPath}` : ''}`,
    );
    ingest.report();
  } else {
    const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
    for (let i = 1; i <= count; i++) {
      const generated = traffic.next().value;
      writeLabel(generated);
      if (!out.write(`${JSON.stringify(generated.event)}\n`)) await once(out, 'drain');
      progress.tick(i);
    }
    progress.done();
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as fs.WriteStream).end(resolve));
    console.error(`wrote ${count} events${values.out ? ` to ${values.out}` : ''}; ${planted} planted cases${labelsPath ? ` → ${labelsPath}` : ''}`);
  }
  if (labels) await new Promise<void>((resolve) => labels.end(resolve));
}

/**
 * `generate --format paxlst|pnrgov`: the air crossings among `count` generated events, one
 * interchange per flight (post, direction, flight, day), to `out` or standard output.
 * Land crossings and cargo have no airline message and are counted, not written.
 */
async function writeAirMessages(format: 'paxlst' | 'pnrgov', count: number, next: () => Generated, out: string | undefined, progress: Progress): Promise<void> {
  const flights = new Map<string, Crossing[]>();
  let other = 0;
  for (let i = 1; i <= count; i++) {
    const { event } = next();
    const key = event.kind === 'crossing' && event.mode === 'air' ? flightKey(event) : undefined;
    if (key === undefined) other += 1;
    else flights.get(key)?.push(event as Crossing) ?? flights.set(key, [event as Crossing]);
    progress.tick(i);
  }
  progress.done();
  const stream = out ? fs.createWriteStream(out) : process.stdout;
  let n = 0;
  for (const crossings of flights.values()) {
    n += 1;
    const ref = `G${String(n).padStart(9, '0')}`;
    if (!stream.write(format === 'paxlst' ? writePaxlst(crossings, ref) : writePnrgov(crossings, ref))) await once(stream, 'drain');
  }
  if (stream !== process.stdout) await new Promise<void>((resolve) => (stream as fs.WriteStream).end(resolve));
  const travellers = count - other;
  console.error(`wrote ${flights.size} ${format.toUpperCase()} interchange(s) for ${travellers} air crossing(s)${out ? ` to ${out}` : ''}; ${other} other event(s) (land, cargo) have no airline message and were left out`);
}
