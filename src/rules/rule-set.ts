import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildReference, type Reference } from '../enrich/reference.ts';
import { type RuleProblem, RuleLoadError, toError } from '../errors.ts';
import { EVENT_KINDS, type EventKind } from '../model/event.ts';
import { type ScoringConfig, ScoringConfigSchema, severityRank } from './scoring-config.ts';
import { loadStreams, type StreamDef } from '../streams/streams.ts';
import type { CompiledCondition } from '../state/condition.ts';
import { compileCelCondition, environmentFor } from './cel/cel-condition.ts';
import { protectedOnlyCel } from './protected-attributes.ts';
import type { IndexTest } from './cel/index-tests.ts';
import type { StatefulSpec } from '../state/stateful.ts';
import type { RuleKind, SharedValues } from './kinds/rule-kind.ts';
import { kindOf } from './kinds/registry.ts';
import { loadLists, type ReferenceLists } from '../enrich/lists.ts';
import { RuleFileSchema, type RuleDef } from './rule-schema.ts';
import { watchlistScreening, type WatchlistScreening } from './kinds/watchlist/compile-watchlist.ts';
import { loadWatchlistFile, watchlistFiles } from '../watchlist/load-watchlist.ts';
import type { WatchlistFile } from '../watchlist/entry.ts';
import type { PartnerTokens } from '../exchange/partner-tokens.ts';
import { buildWatchlistIndex } from '../watchlist/watchlist-index.ts';
import { MAX_LIST_FILE_BYTES, MAX_RULE_FILE_BYTES, readRuleFile } from '../kernel/read-rule-file.ts';
import { parseYamlSource, type YamlSource } from '../kernel/yaml-source.ts';

/** A rule compiled for the hot path, with its definition kept beside it for explanations. */
export interface CompiledRule {
  def: RuleDef;
  file: string;
  line: number | undefined;
  kinds: ReadonlySet<EventKind>;
  severityRank: number;
  /** Event time (ms) after which the rule no longer fires; Infinity without `expires`. */
  expiresAfterMs: number;
  /** Which events the rule looks at (windows: which events enter the window); always true for sequence and absence. */
  condition: CompiledCondition;
  /** Its kind (src/rules/kinds), unless it is a plain condition. */
  kind?: RuleKind<unknown>;
  /** Windows, sequences and absences: the state they keep, made by the state engine. */
  stateful?: StatefulSpec;
  /** A plain condition's field tests it cannot be true without: the predicate index files the rule under one. */
  indexTests?: readonly IndexTest[];
}

/** Everything the pipeline evaluates with, loaded and compiled together, named by a content hash. */
export interface RuleSet {
  /** First 12 hex digits of a SHA-256 over every file the set was loaded from. */
  version: string;
  rules: readonly CompiledRule[];
  byKind: Readonly<Record<EventKind, readonly CompiledRule[]>>;
  scoring: ScoringConfig;
  lists: ReferenceLists;
  reference: Reference;
  streams: readonly StreamDef[];
  /** The watchlists' index, when a rule screens against them. */
  watchlists?: WatchlistScreening;
}

export interface RuleSetSources {
  /** Holds rule files (any `*.yaml`), `scoring.yaml`, `lists/` and `watchlists/`. */
  rulesDir: string;
  streamsDir: string;
  /** Partner agencies' match tokens that `partner-hit` rules match against (the exchange's; none when absent). */
  partners?: PartnerTokens;
}

const SCORING_FILE = 'scoring.yaml';
const LISTS_DIR = 'lists';
/** Watchlists in the project's JSON format (`border-risk watchlist import` writes them). */
export const WATCHLISTS_DIR = 'watchlists';
/** Base events for rule examples, not rules. */
export const EXAMPLES_DIR = 'examples';
const DAY_MS = 86_400_000;

/**
 * Loads, validates and compiles a rule set. Every problem in every file is
 * collected (with file, line and path) before a `RuleLoadError` is thrown, so a
 * rule author fixes them in one pass.
 */
export function loadRuleSet({ rulesDir, streamsDir, partners }: RuleSetSources): RuleSet {
  const problems: RuleProblem[] = [];
  const hash = createHash('sha256');
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (thrown) {
      if (thrown instanceof RuleLoadError) problems.push(...thrown.problems);
      else problems.push({ file: rulesDir, path: '', message: toError(thrown).message });
      return undefined;
    }
  };
  const streams = collect(() => loadStreams(streamsDir)) ?? [];
  const lists = collect(() => loadLists(path.join(rulesDir, LISTS_DIR))) ?? new Map();

  const readSource = (file: string): YamlSource | undefined => {
    try {
      const text = readRuleFile(file, MAX_RULE_FILE_BYTES);
      hash.update(`${path.relative(rulesDir, file)}\0${text}\0`);
      const source = parseYamlSource(file, text);
      problems.push(...source.problems);
      return source.problems.length === 0 ? source : undefined;
    } catch (thrown) {
      if (thrown instanceof RuleLoadError) problems.push(...thrown.problems);
      else problems.push({ file, path: '', message: `cannot read: ${toError(thrown).message}` });
      return undefined;
    }
  };

  let scoring: ScoringConfig | undefined;
  const scoringSource = readSource(path.join(rulesDir, SCORING_FILE));
  if (scoringSource) {
    const parsed = ScoringConfigSchema.safeParse(scoringSource.value);
    if (parsed.success) scoring = parsed.data;
    else problems.push(...parsed.error.issues.map((i) => scoringSource.problemAt(i.path, i.message)));
  }
  for (const list of [...lists.values()].sort((a, b) => a.file.localeCompare(b.file))) {
    hash.update(`${path.relative(rulesDir, list.file)}\0${fs.readFileSync(list.file, 'utf8')}\0`);
  }

  const rules: CompiledRule[] = [];
  const sharedValues: SharedValues = new Map();
  let files: string[] = [];
  try {
    files = ruleFiles(rulesDir);
  } catch (thrown) {
    problems.push({ file: rulesDir, path: '', message: `cannot read rules directory: ${toError(thrown).message}` });
  }
  const parsedRules: { def: RuleDef; source: YamlSource; base: (string | number)[] }[] = [];
  for (const file of files) {
    const source = readSource(file);
    if (!source) continue;
    const parsed = RuleFileSchema.safeParse(source.value);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => source.problemAt(i.path, i.message)));
      continue;
    }
    const defs = 'rules' in parsed.data ? parsed.data.rules : [parsed.data];
    defs.forEach((def, index) => {
        parsedRules.push({ def, source, base: 'rules' in parsed.data ? ['rules', index] : [] });
      });
  }
  const screening = parsedRules.some((r) => r.def.watchlist !== undefined || r.def.link?.listed !== undefined)
    ? collect(() => loadScreening(path.join(rulesDir, WATCHLISTS_DIR), parsedRules.map((r) => r.def), hash))
    : undefined;
  for (const { def, source, base } of parsedRules) {
    const rule = compileRule(def, source, base, streams, lists, problems, sharedValues, screening, partners);
    if (!rule) continue;
    const twin = rules.find((r) => r.def.id === def.id);
    if (twin) problems.push(source.problemAt([...base, 'id'], `rule id "${def.id}" is also defined in ${twin.file}`));
    else rules.push(rule);
  }

  if (problems.length > 0 || !scoring) throw new RuleLoadError(problems);
  return {
    version: hash.digest('hex').slice(0, 12),
    rules,
    byKind: rulesByKind(rules),
    scoring,
    lists,
    reference: buildReference(lists),
    streams,
    ...(screening && { watchlists: screening }),
  };
}

/** The rules of each event kind, in rule-set order: a rule set's `byKind`. */
export function rulesByKind(rules: readonly CompiledRule[]): Record<EventKind, CompiledRule[]> {
  return Object.fromEntries(EVENT_KINDS.map((k) => [k, rules.filter((r) => r.kinds.has(k))])) as Record<EventKind, CompiledRule[]>;
}

/**
 * Loads every watchlist (hashed into the rule-set version, so that editing a list reloads
 * the set like a rule edit) and indexes them once for all watchlist rules: each list at the
 * lowest threshold a rule holds it to, each rule filtering for its own.
 */
function loadScreening(dir: string, defs: readonly RuleDef[], hash: ReturnType<typeof createHash>): WatchlistScreening {
  if (!fs.existsSync(dir)) throw new RuleLoadError([{ file: dir, path: '', message: 'watchlist rules need this directory of watchlists (`border-risk watchlist import` writes them)' }]);
  // Each file is read once, and exactly what was parsed is hashed into the version.
  const problems: RuleProblem[] = [];
  const files: WatchlistFile[] = [];
  const fileOf = new Map<string, string>();
  for (const file of watchlistFiles(dir)) {
    try {
      const text = readRuleFile(file, MAX_LIST_FILE_BYTES);
      hash.update(`${WATCHLISTS_DIR}/${path.basename(file)}\0${text}\0`);
      const w = loadWatchlistFile(file, text);
      const twin = fileOf.get(w.list);
      if (twin !== undefined) problems.push({ file, path: 'list', message: `watchlist id "${w.list}" is also the id of ${twin}` });
      else fileOf.set(w.list, file);
      files.push(w);
    } catch (thrown) {
      if (thrown instanceof RuleLoadError) problems.push(...thrown.problems);
      else throw thrown;
    }
  }
  if (problems.length === 0 && files.length === 0) problems.push({ file: dir, path: '', message: 'watchlist rules need at least one watchlist here (`border-risk watchlist import` writes them)' });
  if (problems.length > 0) throw new RuleLoadError(problems);
  const ids = new Set(files.map((f) => f.list));
  // Link rules that link to listed people screen by name on every list, at their own threshold.
  const nameRules: { threshold: number; lists?: readonly string[] | undefined }[] = defs.flatMap((d) =>
    d.watchlist?.match === 'names' ? [d.watchlist] : d.link?.listed ? [{ threshold: d.link.listed.threshold }] : [],
  );
  const threshold = Math.min(1, ...nameRules.map((w) => w.threshold));
  const perList: Record<string, { threshold: number }> = {};
  for (const w of nameRules) {
    for (const id of w.lists ?? ids) perList[id] = { threshold: Math.min(perList[id]?.threshold ?? 1, w.threshold) };
  }
  // Only lists a names rule reads are screened by name; each rule filters the matches for its
  // own lists, so the index returns more than one rule would show.
  const screened = files.filter((f) => perList[f.list] !== undefined);
  return watchlistScreening(buildWatchlistIndex(screened, { threshold, lists: perList, maxMatches: 50, documentLists: [] }), ids, files);
}

function compileRule(
  def: RuleDef,
  source: YamlSource,
  base: (string | number)[],
  streams: readonly StreamDef[],
  lists: ReferenceLists,
  problems: RuleProblem[],
  sharedValues: SharedValues,
  screening: WatchlistScreening | undefined,
  partners: PartnerTokens | undefined,
): CompiledRule | undefined {
  const kinds = new Set<EventKind>();
  def.streams.forEach((name, i) => {
    const stream = streams.find((s) => s.name === name);
    if (stream) kinds.add(stream.kind);
    else problems.push(source.problemAt([...base, 'streams', i], `unknown stream "${name}"; streams are ${streams.map((s) => s.name).join(', ')}`));
  });
  if (kinds.size === 0) return undefined;
  const report = (path: (string | number)[], message: string, offset?: number): void => void problems.push(source.problemAt([...base, ...path], message, offset));
  const found = kindOf(def);
  let condition: CompiledCondition | undefined;
  let tests: readonly IndexTest[] | undefined;
  if (def.condition !== undefined && found?.kind.condition !== 'none') {
    const result = compileCelCondition(def.condition, [...kinds], lists);
    for (const p of result.problems) problems.push(source.problemAt([...base, 'condition'], p.message, p.offset));
    condition = result.condition;
    tests = result.condition?.tests;
  }
  let stateful: StatefulSpec | undefined;
  if (found) {
    const parts = found.kind.compile(found.part, { conditionSource: def.condition ?? '', condition, kinds: [...kinds], lists, report, shared: sharedValues, screening, partners });
    if (!parts) return undefined;
    condition = parts.condition;
    stateful = parts.stateful;
  }
  if (!condition) return undefined;
  const protectedOnly = def.condition !== undefined ? protectedOnlyCel(environmentFor([...kinds][0]!, lists).parse(def.condition).ast) : [];
  if (protectedOnly.length > 0) {
    problems.push(
      source.problemAt(
        [...base, 'condition'],
        `the condition can fire on protected attributes alone (${protectedOnly.join(', ')}); combine them with another factor in every branch`,
      ),
    );
    return undefined;
  }
  return {
    def,
    file: source.file,
    line: source.lineOf([...base, 'id']),
    kinds,
    severityRank: severityRank(def.severity),
    expiresAfterMs: def.expires ? Date.parse(`${def.expires}T00:00:00Z`) + DAY_MS : Number.POSITIVE_INFINITY,
    condition,
    ...(found && { kind: found.kind }),
    ...(stateful && { stateful }),
    // A kind's condition may not be the one the tests came from.
    ...(!found && tests && tests.length > 0 && { indexTests: tests }),
  };
}

/** Every `*.yaml` under the rules directory except `scoring.yaml`, `lists/`, `examples/` and `watchlists/`, in a stable order. */
function ruleFiles(rulesDir: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!(dir === rulesDir && (entry.name === LISTS_DIR || entry.name === EXAMPLES_DIR || entry.name === WATCHLISTS_DIR))) visit(full);
      } else if (/\.ya?ml$/.test(entry.name) && !(dir === rulesDir && entry.name === SCORING_FILE)) {
        out.push(full);
      }
    }
  };
  visit(rulesDir);
  return out;
}
