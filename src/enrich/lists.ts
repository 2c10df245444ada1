import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { type RuleProblem, RuleLoadError, toError } from '../errors.ts';
import { MAX_LIST_FILE_BYTES, readRuleFile } from '../kernel/read-rule-file.ts';
import { parseYamlSource } from '../kernel/yaml-source.ts';

/**
 * A reference list rule authors keep in `rules/lists/`: a set of keys (for `inList`
 * conditions) and, where the file has more columns, a record per key.
 */
export interface ReferenceList {
  name: string;
  file: string;
  description: string;
  /** Keys are stored trimmed and lower-cased, and values are looked up the same way. */
  caseInsensitive: boolean;
  keys: ReadonlySet<string>;
  entries: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

export type ReferenceLists = ReadonlyMap<string, ReferenceList>;

/**
 * Entries a list may hold. A million keys is about 100 MB of memory once indexed, and
 * every rule-set reload builds it again; larger lists belong in a database or, for
 * people and documents, in `rules/watchlists/`.
 */
export const MAX_LIST_ENTRIES = 1_000_000;
const tooMany = `a list holds at most ${MAX_LIST_ENTRIES.toLocaleString('en')} entries`;

const ValuesListSchema = z.strictObject({
  description: z.string().default(''),
  /** @default exact */
  match: z.enum(['exact', 'case-insensitive']).default('exact'),
  values: z.array(z.union([z.string(), z.number()])).max(MAX_LIST_ENTRIES, tooMany),
});
const EntriesListSchema = z.strictObject({
  description: z.string().default(''),
  entries: z.array(z.looseObject({ id: z.string().min(1) })).max(MAX_LIST_ENTRIES, tooMany),
});

/** `entries:` or `values:`, chosen by key so that a mistake is reported at its own path. */
function parseYamlList(value: unknown) {
  const entries = typeof value === 'object' && value !== null && Object.hasOwn(value, 'entries');
  return entries ? EntriesListSchema.safeParse(value) : ValuesListSchema.safeParse(value);
}

/**
 * Loads every `*.yaml` and `*.csv` file of a lists directory. A YAML list holds
 * `values` (strings) or `entries` (objects with an `id`); a CSV list is keyed by its
 * first column, and lines starting with `#` are comments. All problems in all files
 * are collected before failing.
 */
export function loadLists(dir: string): ReferenceLists {
  const lists = new Map<string, ReferenceList>();
  const problems: RuleProblem[] = [];
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => /\.(ya?ml|csv)$/.test(f)).sort();
  } catch (thrown) {
    throw new RuleLoadError([{ file: dir, path: '', message: `cannot read lists directory: ${toError(thrown).message}` }]);
  }
  for (const name of files) {
    const file = path.join(dir, name);
    const listName = name.replace(/\.(ya?ml|csv)$/, '');
    try {
      const text = readRuleFile(file, MAX_LIST_FILE_BYTES);
      const list = name.endsWith('.csv') ? csvList(listName, file, text) : yamlList(listName, file, text, problems);
      if (!list) continue;
      if (lists.has(listName)) problems.push({ file, path: '', message: `list "${listName}" is defined twice` });
      else lists.set(listName, list);
    } catch (thrown) {
      if (thrown instanceof RuleLoadError) problems.push(...thrown.problems);
      else problems.push({ file, path: '', message: toError(thrown).message });
    }
  }
  if (problems.length > 0) throw new RuleLoadError(problems);
  return lists;
}

function yamlList(name: string, file: string, text: string, problems: RuleProblem[]): ReferenceList | undefined {
  const source = parseYamlSource(file, text);
  if (source.problems.length > 0) {
    problems.push(...source.problems);
    return undefined;
  }
  const parsed = parseYamlList(source.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(source.problemAt(issue.path, issue.message));
    return undefined;
  }
  const data = parsed.data;
  if ('values' in data) {
    const caseInsensitive = data.match === 'case-insensitive';
    const keys = data.values.map((v) => (caseInsensitive ? String(v).trim().toLowerCase() : String(v)));
    return { name, file, description: data.description, caseInsensitive, keys: new Set(keys), entries: new Map() };
  }
  const entries = new Map(data.entries.map((e) => [e.id, e] as const));
  return { name, file, description: data.description, caseInsensitive: false, keys: new Set(entries.keys()), entries };
}

function csvList(name: string, file: string, text: string): ReferenceList {
  const columns = (header: string[]): string[] => {
    // csv-parse keeps rows in null-prototype objects, but rows are copied on into plain ones.
    if (header.includes('__proto__')) throw new RuleLoadError([{ file, line: headerLine(text), path: '', message: 'the column name __proto__ is not allowed' }]);
    return header;
  };
  const rows = parseCsv(text, { columns, comment: '#', skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (rows.length > MAX_LIST_ENTRIES) throw new RuleLoadError([{ file, path: '', message: `${rows.length.toLocaleString('en')} rows: ${tooMany}` }]);
  const entries = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const key = Object.values(row)[0];
    if (key !== undefined && key !== '') entries.set(key, row);
  }
  return { name, file, description: '', caseInsensitive: false, keys: new Set(entries.keys()), entries };
}

/** Line of a CSV file's header: the first that is neither blank nor a comment. */
function headerLine(text: string): number {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return index + 1;
}
