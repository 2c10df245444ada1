import { parse as parseCsv } from 'csv-parse/sync';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { RuleLoadError, type RuleProblem } from '../errors.ts';
import { ListDateSchema, type WatchlistEntry, type WatchlistFile } from './entry.ts';

/**
 * National watchlists in plain formats an agency can export from anything:
 *
 * CSV, one person a row, header required (`;` separates several values in one cell):
 * `id,family_name,given_names,aliases,date_of_birth,sex,nationality,document_number,document_state`
 *
 * YAML: `list`, `title` and `entries`, each entry with `id`, `familyName`, `givenNames`,
 * optional `aliases`, `datesOfBirth`, `sex`, `nationalities`, `documents` (`number`,
 * `issuingState`, `type`). See docs/watchlists.md.
 */

const Code = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code');

export const NationalEntrySchema = z.strictObject({
  id: z.string().min(1),
  familyName: z.string().min(1),
  givenNames: z.string().default(''),
  aliases: z.array(z.string().min(1)).default([]),
  datesOfBirth: z.array(ListDateSchema).default([]),
  sex: z.enum(['F', 'M']).optional(),
  nationalities: z.array(Code).default([]),
  documents: z.array(z.strictObject({ number: z.string().min(1), issuingState: Code.optional(), type: z.string().default('passport') })).default([]),
});

export const NationalListSchema = z.strictObject({
  list: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  title: z.string().default(''),
  entries: z.array(NationalEntrySchema),
});

const CSV_COLUMNS = ['id', 'family_name', 'given_names', 'aliases', 'date_of_birth', 'sex', 'nationality', 'document_number', 'document_state'] as const;

/** Reads a national list in CSV; every bad row is reported (file, line, column), not just the first. */
export function parseNationalCsv(text: string, file: string, list: string, title = list): WatchlistFile {
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, comment: '#', info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  const problems: RuleProblem[] = [];
  const header = rows[0] === undefined ? [] : Object.keys(rows[0].record);
  for (const c of ['id', 'family_name']) if (rows.length > 0 && !header.includes(c)) problems.push({ file, line: 1, path: c, message: `the header needs a ${c} column (columns: ${CSV_COLUMNS.join(', ')})` });
  if (problems.length > 0) throw new RuleLoadError(problems);
  const entries: WatchlistEntry[] = [];
  for (const { record: r, info } of rows) {
    const split = (v: string | undefined): string[] => (v ?? '').split(';').map((s) => s.trim()).filter((s) => s !== '');
    const number = r.document_number?.trim() ?? '';
    const state = r.document_state?.trim() ?? '';
    const sex = r.sex?.trim() ?? '';
    const input = {
      id: r.id ?? '',
      familyName: r.family_name ?? '',
      givenNames: r.given_names ?? '',
      aliases: split(r.aliases),
      datesOfBirth: split(r.date_of_birth),
      ...(sex === '' ? {} : { sex }),
      nationalities: split(r.nationality),
      documents: number === '' ? [] : [{ number, ...(state === '' ? {} : { issuingState: state }) }],
    };
    const parsed = NationalEntrySchema.safeParse(input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push({ file, line: info.lines, path: i.path.join('.'), message: i.message });
      continue;
    }
    entries.push(toEntry(parsed.data));
  }
  if (problems.length > 0) throw new RuleLoadError(problems);
  return { format: 'border-risk-watchlist', version: 1, list, title, source: file, entries };
}

/** Reads a national list in YAML; problems carry the line of the offending node. */
export function parseNationalYaml(text: string, file: string): WatchlistFile {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const problems: RuleProblem[] = doc.errors.map((e) => ({ file, line: e.linePos?.[0]?.line ?? 0, path: '', message: e.message }));
  if (problems.length > 0) throw new RuleLoadError(problems);
  const parsed = NationalListSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new RuleLoadError(
      parsed.error.issues.map((i) => {
        const node = doc.getIn(i.path as (string | number)[], true) as { range?: [number, number] } | undefined;
        const line = node?.range === undefined ? undefined : lineOf(text, node.range[0]);
        return { file, ...(line === undefined ? {} : { line }), path: i.path.join('.'), message: i.message };
      }),
    );
  }
  return { format: 'border-risk-watchlist', version: 1, list: parsed.data.list, title: parsed.data.title || parsed.data.list, source: file, entries: parsed.data.entries.map(toEntry) };
}

function toEntry(e: z.infer<typeof NationalEntrySchema>): WatchlistEntry {
  const full = `${e.givenNames} ${e.familyName}`.trim();
  return {
    id: e.id,
    kind: 'individual',
    names: [{ full, family: e.familyName, quality: 'primary' }, ...e.aliases.filter((a) => a !== full).map((a) => ({ full: a, quality: 'good' as const }))],
    datesOfBirth: e.datesOfBirth,
    ...(e.sex === undefined ? {} : { sex: e.sex }),
    nationalities: e.nationalities,
    documents: e.documents.map((d) => ({ type: d.type, number: d.number, ...(d.issuingState === undefined ? {} : { issuingState: d.issuingState }) })),
  };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
