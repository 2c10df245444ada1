import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, toError } from '../errors.ts';
import { formatWatchlist, importWatchlist, loadDocumentList, loadWatchlistDir, loadWatchlistFile } from '../watchlist/load-watchlist.ts';
import type { DocumentHit } from '../watchlist/document-index.ts';
import { buildWatchlistIndex, type Match, type ScreenQuery } from '../watchlist/watchlist-index.ts';
import { type CommandSpec, helpText, numberOption, parseCommand } from './args.ts';

export const watchlistSpec = {
  name: 'watchlist',
  summary: 'Watchlists: `import` converts the UN Consolidated List (XML) or a national list (CSV, YAML) to the project\'s JSON format; `screen` screens one traveller and explains each match.',
  usage: 'watchlist import --in FILE.xml|.csv|.yaml --out FILE.json [--list ID] [--title TEXT] | watchlist screen --family NAME [--given NAMES] [--dob YYYY-MM-DD] [--sex F|M] [--nationality CODE] [--mrz FIELD] [--document NUMBER --state CODE] [--watchlists DIR|FILE] [--documents FILE.csv] [--threshold N] [--json]',
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    list: { type: 'string' },
    title: { type: 'string' },
    watchlists: { type: 'string' },
    documents: { type: 'string' },
    family: { type: 'string' },
    given: { type: 'string' },
    dob: { type: 'string' },
    sex: { type: 'string' },
    nationality: { type: 'string' },
    mrz: { type: 'string' },
    document: { type: 'string' },
    state: { type: 'string' },
    threshold: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    in: 'import: the source list (.xml UN Consolidated List, .csv or .yaml national list)',
    out: 'import: where to write the JSON watchlist (e.g. rules/watchlists/un-sc.json)',
    list: 'import: list id (default: un-sc for the UN list, the file name otherwise)',
    title: 'import: list title',
    watchlists: 'screen: a watchlist JSON file or a directory of them (default rules/watchlists)',
    documents: 'screen: a stolen/lost document CSV (number,issuingState) to check --document against',
    family: 'screen: family name, any script',
    given: 'screen: given names',
    dob: 'screen: date of birth YYYY-MM-DD',
    sex: 'screen: F, M or X',
    nationality: 'screen: ISO 3166-1 alpha-3',
    mrz: 'screen: the MRZ name field, FAMILY<<GIVEN<NAMES',
    document: 'screen: a document number to check',
    state: 'screen: the document\'s issuing state',
    threshold: 'screen: the default threshold (default 0.9)',
    json: 'screen: print the matches as JSON instead of text',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** Returns the exit code: 0 on success (for `screen`, whether or not anything matched). */
export function watchlist(argv: string[]): number {
  const { values, positionals } = parseCommand(watchlistSpec, argv);
  const action = positionals[0];
  if (values.help || (action !== 'import' && action !== 'screen')) {
    console.log(helpText(watchlistSpec));
    return values.help ? 0 : 2;
  }
  if (action === 'import') {
    if (values.in === undefined || values.out === undefined) throw new ConfigError(`watchlist import needs --in and --out\n\n${helpText(watchlistSpec)}`);
    const started = performance.now();
    const w = importWatchlist(values.in, { ...(values.list === undefined ? {} : { list: values.list }), ...(values.title === undefined ? {} : { title: values.title }) });
    try {
      fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      fs.writeFileSync(values.out, formatWatchlist(w));
    } catch (thrown) {
      throw new ConfigError(`cannot write --out ${values.out}: ${toError(thrown).message}`);
    }
    const individuals = w.entries.filter((e) => e.kind === 'individual').length;
    const names = w.entries.reduce((n, e) => n + e.names.length, 0);
    const documents = w.entries.reduce((n, e) => n + e.documents.length, 0);
    console.error(`${w.list}: ${individuals} individuals, ${w.entries.length - individuals} entities, ${names} names and aliases, ${documents} documents → ${values.out} (${(performance.now() - started).toFixed(0)} ms)`);
    return 0;
  }
  if (values.family === undefined) throw new ConfigError(`watchlist screen needs --family\n\n${helpText(watchlistSpec)}`);
  const source = values.watchlists ?? 'rules/watchlists';
  const lists = fs.existsSync(source) && fs.statSync(source).isDirectory() ? loadWatchlistDir(source) : [loadWatchlistFile(source)];
  const index = buildWatchlistIndex(lists, {
    threshold: numberOption('threshold', values.threshold, 0.9, (n) => n > 0 && n <= 1),
    documentLists: values.documents === undefined ? [] : [loadDocumentList(values.documents)],
  });
  const sex = values.sex;
  if (sex !== undefined && sex !== 'F' && sex !== 'M' && sex !== 'X') throw new ConfigError(`--sex must be F, M or X, got "${sex}"`);
  const query: ScreenQuery = {
    familyName: values.family,
    givenNames: values.given ?? '',
    ...(values.dob === undefined ? {} : { dateOfBirth: values.dob }),
    ...(sex === undefined ? {} : { sex }),
    ...(values.nationality === undefined ? {} : { nationality: values.nationality }),
    ...(values.mrz === undefined ? {} : { mrzNames: values.mrz }),
  };
  const matches = index.screen(query);
  const documents = values.document === undefined ? [] : index.checkDocument(values.document, values.state);
  if (values.json) console.log(JSON.stringify({ matches, documents }, null, 2));
  else console.log(formatScreening(query, matches, documents, values.document));
  return 0;
}

const score = (n: number): string => n.toFixed(2);
const signed = (n: number): string => `${n < 0 ? '−' : '+'}${Math.abs(n).toFixed(2)}`;

/** A screening as an officer reads it: each match, the name parts aligned, what each qualifier did. */
export function formatScreening(query: ScreenQuery, matches: readonly Match[], documents: readonly DocumentHit[], document: string | undefined): string {
  const who = [`${query.familyName}${query.givenNames ? ` ${query.givenNames}` : ''}`, query.dateOfBirth && `born ${query.dateOfBirth}`, query.sex, query.nationality].filter(Boolean).join(', ');
  const out: string[] = [`screening ${who}: ${matches.length === 0 ? 'no match' : `${matches.length} match${matches.length === 1 ? '' : 'es'}`}`];
  for (const m of matches) {
    const e = m.explanation;
    out.push('', `${m.score >= m.threshold ? 'MATCH' : 'near'}  ${m.name}  (${m.list} ${m.entryId}${m.reference ? `, ${m.reference}` : ''})  score ${score(m.score)}, threshold ${score(m.threshold)}`);
    if (e.listedName !== m.name) out.push(`       matched the ${e.quality} alias ${e.listedName}${e.from === 'mrz' ? ' (from the MRZ name field)' : ''}`);
    if (e.script !== undefined) out.push(`       read as ${e.script}`);
    const parts = e.parts.map((p) => (p.rule === undefined ? `${p.query} = ${p.entry}` : `${p.query} ~ ${p.entry} (${p.rule}${p.similarity < 1 ? `, ${score(p.similarity)}` : ''})`));
    out.push(`       name parts: ${parts.join(', ') || 'none aligned'}${e.unmatchedQuery.length > 0 ? `; only in the query: ${e.unmatchedQuery.join(', ')}` : ''}${e.unmatchedEntry.length > 0 ? `; only listed: ${e.unmatchedEntry.join(', ')}` : ''}  → name score ${score(e.nameScore)}`);
    for (const q of e.qualifiers) out.push(`       ${signed(q.effect)} ${q.qualifier}: ${q.detail}`);
  }
  if (document !== undefined) {
    out.push('', documents.length === 0 ? `document ${document}: not on any list` : `document ${document}:`);
    for (const d of documents) out.push(`  on ${d.list}${d.entryId ? ` (entry ${d.entryId})` : ''}: ${d.number}${d.issuingState ? ` ${d.issuingState}` : ''}${d.reportedOn ? `, reported ${d.reportedOn}` : ''}${d.stateMatched ? '' : ' (number only: the list gives no issuing state)'}`);
  }
  return out.join('\n');
}
