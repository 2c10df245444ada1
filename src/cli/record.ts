import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, InternalError } from '../errors.ts';
import { PLANTED_CASE_NAMES, type PlantedCaseName } from '../generate/planted.ts';
import { generateTraffic } from '../generate/traffic.ts';
import { listedPeopleIn } from '../generate/listed-people.ts';
import { trafficReference } from '../generate/traffic-reference.ts';
import { linesSync } from '../kernel/read-lines.ts';
import { validateEvent } from '../model/event.ts';
import { readLabelsFile } from '../record/labels-file.ts';
import type { RecordedEvent } from '../record/recorded-event.ts';
import { Recorder } from '../record/recorder.ts';
import { segmentFiles, summariseRecording } from '../record/read-recording.ts';
import { loadLists } from '../enrich/lists.ts';
import { type CommandSpec, helpText, numberOption, parseCommand } from './args.ts';
import { Progress } from './progress.ts';

export const recordSpec = {
  name: 'record',
  summary: 'Write a recording (Arrow IPC segments, docs/recordings.md) from an NDJSON file of events or from generated traffic with its planted-case labels.',
  usage: 'record --out DIR (--in FILE.ndjson [--labels FILE] | --generate [--count N] [--seed S] [--start T]) [options]',
  options: {
    out: { type: 'string' },
    in: { type: 'string' },
    labels: { type: 'string' },
    generate: { type: 'boolean' },
    count: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    'plant-rate': { type: 'string' },
    cases: { type: 'string' },
    rules: { type: 'string' },
    'segment-events': { type: 'string' },
    'batch-events': { type: 'string' },
  },
  help: {
    out: 'Recording directory to write segments into; it must not hold segments already',
    in: 'NDJSON events (as sent to /ingest); invalid lines are reported and left out',
    labels: 'Planted-case labels for --in, NDJSON as `generate` writes them (default: FILE.labels.ndjson beside --in, if there)',
    generate: 'Record seeded generated traffic instead of a file; planted cases are labelled in the recording',
    count: '--generate: number of events (default 10000)',
    seed: '--generate: seed (default 1)',
    start: '--generate: event time of the first event, RFC 3339 (default 2026-11-02T00:00:00Z)',
    'plant-rate': '--generate: share of events that are planted cases (default 0.01)',
    cases: '--generate: comma-separated planted cases to draw from (see generate --list-cases)',
    rules: '--generate: rule directory whose lists the traffic follows (default rules)',
    'segment-events': 'Events per segment file (default 100000)',
    'batch-events': 'Events per Arrow record batch (default 1000)',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** Returns the exit code: 0, or 1 when some input lines were invalid (the rest is recorded). */
export function record(argv: string[]): number {
  const { values } = parseCommand(recordSpec, argv);
  if (values.help) {
    console.log(helpText(recordSpec));
    return 0;
  }
  if (values.out === undefined) throw new ConfigError(`record needs --out DIR\n\n${helpText(recordSpec)}`);
  if ((values.in === undefined) === !values.generate) throw new ConfigError('record needs exactly one of --in FILE and --generate');
  if (fs.existsSync(values.out) && fs.statSync(values.out).isDirectory() && segmentFiles(values.out).length > 0) {
    throw new ConfigError(`${values.out} already holds a recording; choose a new directory`);
  }
  const recorder = Recorder.open(values.out, {
    flushMs: 0,
    segmentEvents: numberOption('segment-events', values['segment-events'], 100_000, (n) => Number.isInteger(n) && n >= 1),
    batchEvents: numberOption('batch-events', values['batch-events'], 1_000, (n) => Number.isInteger(n) && n >= 1),
  });
  let invalid = 0;
  let n = 0;
  try {
    if (values.generate) {
      const count = numberOption('count', values.count, 10_000, (x) => Number.isInteger(x) && x >= 1);
      const cases = values.cases?.split(',').map((c) => c.trim());
      const unknown = cases?.filter((c) => !(PLANTED_CASE_NAMES as string[]).includes(c)) ?? [];
      if (unknown.length > 0) throw new ConfigError(`unknown planted case(s): ${unknown.join(', ')}; known: ${PLANTED_CASE_NAMES.join(', ')}`);
      const traffic = generateTraffic({
        seed: numberOption('seed', values.seed, 1, Number.isInteger),
        ...(values.start !== undefined && { start: values.start }),
        plantRate: numberOption('plant-rate', values['plant-rate'], 0.01, (x) => x >= 0 && x <= 1),
        ...(cases && { cases: cases as PlantedCaseName[] }),
        ...trafficReference(loadLists(path.join(values.rules ?? 'rules', 'lists'))),
        ...(cases?.includes('watchlist-name') && { listedPeople: listedPeopleIn(values.rules ?? 'rules') }),
      });
      const progress = new Progress('record', count);
      for (let i = 0; i < count; i++) {
        progress.tick(i);
        const { event, label, trafficClass } = traffic.next().value as ReturnType<typeof traffic.next>['value'] & { trafficClass?: string };
        // Through validation, as /ingest would: the recording holds what the processor accepts, in its key order.
        const checked = validateEvent(JSON.parse(JSON.stringify(event)) as unknown);
        if (!checked.success) throw new InternalError(`the generator made an invalid event ${event.eventId}: ${checked.issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`);
        n += 1;
        recorder.append(recordedEvent(n, checked.event, { ...(label && { label }), ...(trafficClass !== undefined && { trafficClass }) }));
      }
      progress.done();
    } else {
      const input = values.in!;
      if (!fs.existsSync(input)) throw new ConfigError(`cannot read --in ${input}: no such file`);
      const labelsFile = values.labels ?? input.replace(/(\.ndjson|\.jsonl|\.json)?$/, '.labels.ndjson');
      if (values.labels !== undefined && !fs.existsSync(labelsFile)) throw new ConfigError(`cannot read --labels ${labelsFile}: no such file`);
      const labels = fs.existsSync(labelsFile) ? readLabelsFile(labelsFile) : new Map<string, never>();
      let lineNumber = 0;
      const progress = new Progress('record', 0);
      for (const line of linesSync(input)) {
        lineNumber += 1;
        progress.tick(lineNumber);
        if (line.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (thrown) {
          invalid += 1;
          if (invalid <= 10) console.error(`${input}:${lineNumber}: invalid JSON: ${(thrown as Error).message}`);
          continue;
        }
        const checked = validateEvent(parsed);
        if (!checked.success) {
          invalid += 1;
          if (invalid <= 10) console.error(`${input}:${lineNumber}: ${checked.issues.map((x) => `${x.path || 'event'}: ${x.message}`).join('; ')}`);
          continue;
        }
        n += 1;
        recorder.append(recordedEvent(n, checked.event, labels.get(checked.event.eventId)));
      }
      progress.done();
      if (invalid > 10) console.error(`… and ${invalid - 10} more invalid lines`);
    }
  } finally {
    recorder.close();
  }
  const summary = summariseRecording(values.out);
  const span = summary.firstTimeMs === null ? '' : `, event time ${new Date(summary.firstTimeMs).toISOString()} .. ${new Date(summary.lastTimeMs!).toISOString()}`;
  console.error(`recorded ${summary.events} events in ${summary.segments} segment(s) → ${values.out}${span}${invalid > 0 ? `; ${invalid} invalid line(s) left out` : ''}`);
  return invalid > 0 ? 1 : 0;
}

/** A recorded event with whichever labels it has (a planted case's label, its traffic class). */
function recordedEvent(n: number, event: RecordedEvent['event'], labels: { label?: RecordedEvent['label']; trafficClass?: string } | undefined): RecordedEvent {
  const recorded: RecordedEvent = { n, event };
  if (labels?.label) recorded.label = { ...labels.label, eventTime: event.eventTime, post: event.post };
  if (labels?.trafficClass !== undefined) recorded.trafficClass = labels.trafficClass;
  return recorded;
}
