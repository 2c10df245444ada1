import { XMLParser } from 'fast-xml-parser';
import { ConfigError } from '../errors.ts';
import { stateCode } from './countries.ts';
import type { ListDocument, ListName, NameQuality, WatchlistEntry, WatchlistFile } from './entry.ts';

/** Elements that may repeat, so that the parser always gives arrays for them. */
const REPEATED = new Set([
  'INDIVIDUAL', 'ENTITY', 'INDIVIDUAL_ALIAS', 'ENTITY_ALIAS', 'INDIVIDUAL_DATE_OF_BIRTH', 'INDIVIDUAL_DOCUMENT', 'VALUE',
]);

type Node = Record<string, unknown>;

/**
 * The UN Security Council Consolidated List (the XML published at scsanctions.un.org,
 * schema `sc-sanctions.xsd`) in the project's watchlist format. Individuals and entities;
 * aliases keep the UN's Good/Low grading; the original-script name is kept as a name of
 * its own; dates of birth become `YYYY-MM-DD`, `YYYY` or `YYYY..YYYY`; nationalities and
 * document issuers become ISO 3166-1 alpha-3 where the state is recognised.
 */
export function parseUnList(xml: string, source = 'UN Security Council Consolidated List'): WatchlistFile {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => REPEATED.has(name),
  });
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (thrown) {
    throw new ConfigError(`not a well-formed XML file: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
  }
  const root = doc.CONSOLIDATED_LIST as Node | undefined;
  if (root === undefined) throw new ConfigError('not a UN Consolidated List: no CONSOLIDATED_LIST element');
  const individuals = nodes((root.INDIVIDUALS as Node | undefined)?.INDIVIDUAL);
  const entities = nodes((root.ENTITIES as Node | undefined)?.ENTITY);
  const generated = text(root['@dateGenerated']);
  return {
    format: 'border-risk-watchlist',
    version: 1,
    list: 'un-sc',
    title: 'UN Security Council Consolidated List',
    source,
    ...(generated === undefined ? {} : { generated }),
    entries: [...individuals.map((n) => individual(n)), ...entities.map((n) => entity(n))],
  };
}

function individual(n: Node): WatchlistEntry {
  const parts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((k) => text(n[k])).filter((p): p is string => p !== undefined);
  const names: ListName[] = [{ full: parts.join(' '), quality: 'primary' }];
  addAliases(names, n.INDIVIDUAL_ALIAS);
  addOriginal(names, n);
  const sex = text(n.GENDER);
  return {
    id: `UN-${text(n.DATAID) ?? '?'}`,
    kind: 'individual',
    ...reference(n),
    names,
    datesOfBirth: nodes(n.INDIVIDUAL_DATE_OF_BIRTH).flatMap(dateOfBirth),
    ...(sex === 'Male' ? { sex: 'M' as const } : sex === 'Female' ? { sex: 'F' as const } : {}),
    nationalities: unique(values(n.NATIONALITY).map(stateCode)),
    documents: nodes(n.INDIVIDUAL_DOCUMENT).flatMap(document),
    ...listedOn(n),
  };
}

function entity(n: Node): WatchlistEntry {
  const names: ListName[] = [{ full: text(n.FIRST_NAME) ?? '?', quality: 'primary' }];
  addAliases(names, n.ENTITY_ALIAS);
  addOriginal(names, n);
  return { id: `UN-${text(n.DATAID) ?? '?'}`, kind: 'entity', ...reference(n), names, datesOfBirth: [], nationalities: [], documents: [], ...listedOn(n) };
}

function addAliases(names: ListName[], aliases: unknown): void {
  for (const a of nodes(aliases)) {
    const full = text(a.ALIAS_NAME);
    if (full === undefined || names.some((x) => x.full === full)) continue;
    // Entities' aliases are graded "a.k.a." / "f.k.a.": usable names, as Good.
    const quality: NameQuality = text(a.QUALITY) === 'Low' ? 'low' : 'good';
    names.push({ full, quality });
  }
}

function addOriginal(names: ListName[], n: Node): void {
  const original = text(n.NAME_ORIGINAL_SCRIPT);
  if (original !== undefined) names.push({ full: original, quality: 'good', script: scriptOf(original) });
}

function scriptOf(s: string): string {
  if (/[\u0600-\u06ff]/.test(s)) return 'Arab';
  if (/[\u0400-\u04ff]/.test(s)) return 'Cyrl';
  if (/[\uac00-\ud7af\u1100-\u11ff]/.test(s)) return 'Hang';
  if (/[\u4e00-\u9fff]/.test(s)) return 'Hani';
  return 'Other';
}

function dateOfBirth(d: Node): string[] {
  const date = text(d.DATE);
  if (date !== undefined && /^\d{4}-\d{2}-\d{2}/.test(date)) return [date.slice(0, 10)];
  const year = text(d.YEAR);
  if (year !== undefined && /^\d{4}$/.test(year)) return [year];
  const from = text(d.FROM_YEAR);
  const to = text(d.TO_YEAR);
  if (from !== undefined && to !== undefined && /^\d{4}$/.test(from) && /^\d{4}$/.test(to)) return [`${from}..${to}`];
  return [];
}

function document(d: Node): ListDocument[] {
  const number = text(d.NUMBER);
  if (number === undefined) return [];
  const state = stateCode(text(d.ISSUING_COUNTRY) ?? text(d.COUNTRY_OF_ISSUE) ?? '');
  const note = text(d.NOTE);
  return [{ type: text(d.TYPE_OF_DOCUMENT) ?? 'unknown', number, ...(state === undefined ? {} : { issuingState: state }), ...(note === undefined ? {} : { note }) }];
}

function reference(n: Node): { reference?: string } {
  const r = text(n.REFERENCE_NUMBER);
  return r === undefined ? {} : { reference: r };
}

function listedOn(n: Node): { listedOn?: string } {
  const d = text(n.LISTED_ON);
  return d === undefined ? {} : { listedOn: d };
}

function nodes(v: unknown): Node[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is Node => typeof x === 'object' && x !== null);
}

function values(v: unknown): string[] {
  const node = nodes(v)[0];
  if (node === undefined) return [];
  const list = node.VALUE;
  return (Array.isArray(list) ? list : [list]).map(text).filter((s): s is string => s !== undefined);
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v).replace(/\s+/g, ' ').trim();
    return s === '' ? undefined : s;
  }
  return undefined;
}

function unique(codes: (string | undefined)[]): string[] {
  return [...new Set(codes.filter((c): c is string => c !== undefined))];
}
