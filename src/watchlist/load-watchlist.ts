import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { ConfigError, RuleLoadError, toError } from '../errors.ts';
import { MAX_LIST_FILE_BYTES, readRuleFile } from '../kernel/read-rule-file.ts';
import type { DocumentList, ListedDocument } from './document-index.ts';
import { type WatchlistFile, WatchlistFileSchema } from './entry.ts';
import { parseNationalCsv, parseNationalYaml } from './national-list.ts';
import { parseUnList } from './un-list.ts';

/** Reads a watchlist in the project's JSON format, validated; every problem is reported with its path. */
export function loadWatchlistFile(file: string, text?: string): WatchlistFile {
  let json: unknown;
  try {
    json = JSON.parse(text ?? readRuleFile(file, MAX_LIST_FILE_BYTES)) as unknown;
  } catch (thrown) {
    if (thrown instanceof RuleLoadError) throw thrown;
    throw new RuleLoadError([{ file, path: '', message: `not readable as JSON: ${toError(thrown).message}` }]);
  }
  const parsed = WatchlistFileSchema.safeParse(json);
  if (!parsed.success) throw new RuleLoadError(parsed.error.issues.map((i) => ({ file, path: i.path.join('.'), message: i.message })));
  const seen = new Set<string>();
  const duplicates = parsed.data.entries.filter((e) => {
    if (seen.has(e.id)) return true;
    seen.add(e.id);
    return false;
  });
  if (duplicates.length > 0) throw new RuleLoadError(duplicates.map((e) => ({ file, path: `entries[id=${e.id}]`, message: 'duplicate entry id' })));
  return parsed.data;
}

/** The `*.json` watchlist files of a directory (the shipped ones are in `rules/watchlists/`), by file name. */
export function watchlistFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Every `*.json` watchlist in a directory, by file name. */
export function loadWatchlistDir(dir: string): WatchlistFile[] {
  return watchlistFiles(dir).map((file) => loadWatchlistFile(file));
}

/**
 * Converts a source list to the project's format, by extension: `.xml` is the UN
 * Consolidated List, `.csv` and `.yaml`/`.yml` national lists (see `national-list.ts`).
 */
export function importWatchlist(file: string, options: { list?: string; title?: string } = {}): WatchlistFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (thrown) {
    throw new ConfigError(`cannot read ${file}: ${toError(thrown).message}`);
  }
  const ext = path.extname(file).toLowerCase();
  const list = options.list ?? path.basename(file, ext).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  if (ext === '.xml') {
    const un = parseUnList(text, path.basename(file));
    return { ...un, ...(options.list === undefined ? {} : { list: options.list }), ...(options.title === undefined ? {} : { title: options.title }) };
  }
  if (ext === '.csv') return parseNationalCsv(text, file, list, options.title ?? list);
  if (ext === '.yaml' || ext === '.yml') return parseNationalYaml(text, file);
  throw new ConfigError(`${file}: unknown watchlist format "${ext}"; use .xml (UN Consolidated List), .csv or .yaml`);
}

/**
 * Writes a watchlist as JSON with one entry per line, so that a list update shows in a
 * diff as the entries that changed.
 */
export function formatWatchlist(w: WatchlistFile): string {
  const { entries, ...head } = w;
  const headJson = JSON.stringify(head);
  const lines = entries.map((e) => JSON.stringify(e));
  return `${headJson.slice(0, -1)},"entries":[\n${lines.join(',\n')}\n]}\n`;
}

/**
 * A stolen/lost travel document list as CSV with `number` and `issuingState` columns
 * (optionally `reportedOn`), as `rules/lists/stolen-lost-documents.csv`.
 */
export function loadDocumentList(file: string, list = path.basename(file, path.extname(file))): DocumentList {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, comment: '#', bom: true }) as Record<string, string>[];
  const documents: ListedDocument[] = [];
  rows.forEach((r, i) => {
    const number = r.number ?? '';
    const issuingState = r.issuingState ?? r.issuing_state ?? '';
    if (number === '' || !/^[A-Z]{3}$/.test(issuingState)) throw new RuleLoadError([{ file, path: `row ${i + 1}`, message: 'needs a number and a three-letter issuingState' }]);
    const reportedOn = r.reportedOn ?? r.reported_on;
    documents.push({ number, issuingState, ...(reportedOn === undefined || reportedOn === '' ? {} : { reportedOn }) });
  });
  return { list, documents };
}
