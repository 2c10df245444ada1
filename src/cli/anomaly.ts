import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { parse as parseCsv } from 'csv-parse';
import { createDetector } from '../anomaly/detector.ts';
import { DETECTOR_KINDS, DetectorSpecSchema } from '../anomaly/detector-spec.ts';
import { createNabDetector } from '../anomaly/nab-detector.ts';
import { ConfigError, ProcessorError, toError } from '../errors.ts';
import { type CommandSpec, helpText, parseCommand } from './args.ts';

export const anomalySpec = {
  name: 'anomaly',
  summary: 'Anomaly detection on a recorded series: `score` reads a timestamp,value CSV and writes timestamp,value,anomaly_score.',
  usage: 'anomaly score --in FILE.csv --out FILE.csv [--detector nab|KIND|JSON]',
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    detector: { type: 'string' },
  },
  help: {
    in: 'CSV with a header naming `timestamp` and `value` columns (other columns are ignored)',
    out: 'Where to write timestamp,value,anomaly_score (the input text of both, unchanged)',
    detector: `nab (the project's NAB detector: its score at alerts, 0 elsewhere), a kind (${DETECTOR_KINDS.join(', ')}; its score on every row after warm-up, defaults applied) or a JSON spec (default nab)`,
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** At most this many bad rows are described one by one; the rest are counted. */
const SHOWN_PROBLEMS = 10;

/**
 * Returns the exit code: 0 when every row was scored, 1 when some rows were not (each is
 * still written, with an empty score, and reported on standard error with its line).
 * A file that is not CSV at all stops the run with its line number.
 */
export async function anomaly(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(anomalySpec, argv);
  if (values.help || positionals[0] !== 'score') {
    console.log(helpText(anomalySpec));
    return values.help ? 0 : 2;
  }
  if (values.in === undefined || values.out === undefined) throw new ConfigError(`anomaly score needs --in and --out\n\n${helpText(anomalySpec)}`);
  if (path.resolve(values.in) === path.resolve(values.out)) throw new ConfigError('--out must not be the --in file');
  const score = scorer(values.detector ?? 'nab');
  let size: number;
  try {
    size = fs.statSync(values.in).size;
  } catch (thrown) {
    throw new ConfigError(`cannot read --in ${values.in}: ${toError(thrown).message}`);
  }

  const input = fs.createReadStream(values.in);
  const records = input.pipe(parseCsv({ info: true, skip_empty_lines: true, relax_column_count: true, bom: true }));
  const out = fs.createWriteStream(values.out);
  const progress = new Progress(size, () => input.bytesRead);
  let columns: { timestamp: number; value: number } | undefined;
  let rows = 0;
  let bad = 0;
  try {
    for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (columns === undefined) {
        columns = headerColumns(record, values.in);
        if (!out.write('timestamp,value,anomaly_score\n')) await once(out, 'drain');
        continue;
      }
      rows += 1;
      const timeText = record[columns.timestamp] ?? '';
      const valueText = record[columns.value] ?? '';
      const timeMs = parseTimestamp(timeText);
      const value = valueText.trim() === '' ? Number.NaN : Number(valueText);
      let scoreText = '';
      if (Number.isNaN(timeMs) || !Number.isFinite(value)) {
        bad += 1;
        if (bad <= SHOWN_PROBLEMS) {
          const what = Number.isNaN(timeMs) ? `timestamp ${JSON.stringify(timeText)} is not a date-time` : `value ${JSON.stringify(valueText)} is not a finite number`;
          console.error(`${values.in}:${info.lines}: ${what}; row written without a score`);
        }
      } else scoreText = String(score(timeMs, value));
      if (!out.write(`${csvField(timeText)},${csvField(valueText)},${scoreText}\n`)) await once(out, 'drain');
      progress.tick(rows);
    }
  } catch (thrown) {
    if (thrown instanceof ProcessorError) throw thrown;
    const error = toError(thrown) as Error & { lines?: number };
    throw new ConfigError(`${values.in}${error.lines === undefined ? '' : `:${error.lines}`}: not readable as CSV: ${error.message}`, { cause: thrown });
  } finally {
    progress.done();
    await new Promise<void>((resolve) => out.end(resolve));
  }
  if (columns === undefined) throw new ConfigError(`${values.in} is empty: expected a header with timestamp and value columns`);
  if (bad > SHOWN_PROBLEMS) console.error(`… and ${bad - SHOWN_PROBLEMS} more bad rows`);
  console.error(`scored ${rows - bad} of ${rows} rows${bad > 0 ? ` (${bad} not scored: see above)` : ''} → ${values.out}`);
  return bad > 0 ? 1 : 0;
}

function scorer(name: string): (timeMs: number, value: number) => number {
  if (name === 'nab') return createNabDetector();
  let input: unknown = { kind: name };
  if (name.trimStart().startsWith('{')) {
    try {
      input = JSON.parse(name) as unknown;
    } catch (thrown) {
      throw new ConfigError(`--detector is not valid JSON: ${toError(thrown).message}`);
    }
  } else if (!(DETECTOR_KINDS as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown --detector "${name}"; use nab, one of ${DETECTOR_KINDS.join(', ')}, or a JSON spec`);
  }
  const parsed = DetectorSpecSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(spec)'}: ${i.message}`);
    throw new ConfigError(`--detector spec is not valid:\n  ${problems.join('\n  ')}`);
  }
  const detector = createDetector(parsed.data);
  // Before warm-up a score judges a value against almost nothing (the second value of a
  // series is infinitely far from a spread of zero); 0 says "no opinion yet".
  return (timeMs, value) => {
    const r = detector.update(timeMs, value);
    return r.warm ? r.score : 0;
  };
}

function headerColumns(header: string[], file: string): { timestamp: number; value: number } {
  const names = header.map((h) => h.trim().toLowerCase());
  const timestamp = names.indexOf('timestamp');
  const value = names.indexOf('value');
  if (timestamp < 0 || value < 0) {
    throw new ConfigError(`${file}:1: the header needs timestamp and value columns, found: ${header.map((h) => JSON.stringify(h)).join(', ')}`);
  }
  return { timestamp, value };
}

const NAIVE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Epoch ms of an ISO 8601 / RFC 3339 date-time, or of NAB's `2014-04-01 00:05:00`; one
 * without a zone is read as UTC (as NAB does), so results do not depend on the machine's
 * zone. A plain number is taken as epoch milliseconds. NaN for anything else.
 */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (t === '') return Number.NaN;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return Number.NaN;
  return Date.parse(NAIVE.test(t) ? `${t.replace(' ', 'T')}Z` : t);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows done and share of the file read, on standard error, redrawn at most every 250 ms. */
class Progress {
  private last = 0;
  private readonly started = performance.now();
  constructor(
    private readonly bytes: number,
    private readonly bytesRead: () => number,
  ) {}

  tick(rows: number): void {
    if ((rows & 1023) !== 0 || !process.stderr.isTTY) return;
    const now = performance.now();
    if (now - this.last < 250) return;
    this.last = now;
    const share = this.bytes > 0 ? ` ${((100 * this.bytesRead()) / this.bytes).toFixed(0)}%` : '';
    process.stderr.write(`\r${rows} rows${share}  ${(rows / ((now - this.started) / 1000)).toFixed(0)} rows/s   `);
  }

  done(): void {
    if (process.stderr.isTTY && this.last > 0) process.stderr.write('\n');
  }
}
