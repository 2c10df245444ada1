import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { type RuleProblem, RuleLoadError, toError } from '../errors.ts';
import { parseYamlSource } from './yaml-source.ts';

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

const ValuesListSchema = z.strictObject({
  description: z.string().default(''),
  /** @default exact */
  match: z.enum(['exact', 'case-insensitive']).default('exact'),
  values: z.array(z.union([z.string(), z.number()])),
});
const EntriesListSchema = z.strictObject({
  description: z.string().default(''),
  entries: z.array(z.looseObject({ id: z.string().min(1) })),
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
      const text = fs.readFileSync(file, 'utf8');
      const list = name.endsWith('.csv') ? csvList(listName, file, text) : yamlList(listName, file, text, problems);
      if (!list) continue;
      if (lists.has(listName)) problems.push({ file, path: '', message: `list "${listName}" is defined twice` });
      else lists.set(listName, list);
    } catch (thrown) {
      problems.push({ file, path: '', message: toError(thrown).message });
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
  const rows = parseCsv(text, { columns: true, comment: '#', skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const entries = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const key = Object.values(row)[0];
    if (key !== undefined && key !== '') entries.set(key, row);
  }
  return { name, file, description: '', caseInsensitive: false, keys: new Set(entries.keys()), entries };
}
