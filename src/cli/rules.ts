import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, RuleLoadError, toError } from '../errors.ts';
import { parseFrame } from '../ingest/frame.ts';
import { runExamples } from '../pipeline/examples.ts';
import { explainEvents, formatEvidence } from '../pipeline/explain.ts';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.ts';
import { readRuleReferrals } from '../casework/referrals.ts';
import { readRuleOutcomes } from '../store/read-alert-database.ts';
import { type ActionHelp, actionHelpText, type CommandSpec, helpText, parseCommand } from './args.ts';

export const rulesSpec = {
  name: 'rules',
  summary: 'Rule authoring: `check` reports every problem with file and line; `test` runs the rules\' examples; `explain` says why each rule did or did not fire on an event; `stats` shows each rule\'s alerts and how analysts triaged them.',
  usage: 'rules check | rules test | rules explain --event FILE | rules stats [--data-dir DIR]   [--rules DIR] [--streams DIR]',
  options: {
    rules: { type: 'string' },
    streams: { type: 'string' },
    event: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    rules: 'Rule directory (default rules)',
    streams: 'Stream definitions directory (default streams)',
    event: 'rules explain: a file with one event (JSON), a JSON array, or NDJSON; events run in order',
    'data-dir': 'rules stats: the processor\'s data directory, whose alerts.db is read (default .data)',
    json: 'rules test / explain / stats: print JSON instead of text',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** Each action's own help (`rules check --help`). */
const ACTIONS: Record<'check' | 'test' | 'explain' | 'stats', ActionHelp> = {
  check: {
    summary: 'Load, type-check and compile every rule, list and stream file (conditions inside exists, all, map and filter too); print every problem with file, line and column, or ok with the rule set\'s version. Exits 1 when there are problems.',
    usage: 'rules check [--rules DIR] [--streams DIR]',
    options: ['rules', 'streams'],
  },
  test: {
    summary: 'Run every rule\'s examples (events that must fire and events that must stay quiet); print each rule\'s result and the evidence of a failure. Exits 1 when an example fails.',
    usage: 'rules test [--rules DIR] [--streams DIR] [--json]',
    options: ['rules', 'streams', 'json'],
  },
  explain: {
    summary: 'For each event in a file, say for every rule whether it fired and on which values, or what failed, and the score it would get.',
    usage: 'rules explain --event FILE [--rules DIR] [--streams DIR] [--json]',
    options: ['event', 'rules', 'streams', 'json'],
  },
  stats: {
    summary: 'Each rule\'s alerts and how analysts triaged them (true hits, false positives, precision), from an alert database.',
    usage: 'rules stats [--data-dir DIR] [--rules DIR] [--streams DIR] [--json]',
    options: ['data-dir', 'rules', 'streams', 'json'],
  },
};

/** Returns the process exit code: 0 on success, 1 when rules have problems or examples fail. */
export function rules(argv: string[]): number {
  const { values, positionals } = parseCommand(rulesSpec, argv);
  const action = positionals[0];
  if (values.help && action !== undefined && action in ACTIONS) {
    console.log(actionHelpText(rulesSpec, ACTIONS[action as keyof typeof ACTIONS]));
    return 0;
  }
  if (values.help || !['check', 'test', 'explain', 'stats'].includes(action ?? '')) {
    console.log(helpText(rulesSpec));
    return values.help ? 0 : 2;
  }
  const rulesDir = values.rules ?? 'rules';
  let set: RuleSet;
  try {
    set = loadRuleSet({ rulesDir, streamsDir: values.streams ?? 'streams' });
  } catch (thrown) {
    if (!(thrown instanceof RuleLoadError)) throw thrown;
    for (const p of thrown.problems) console.log(`${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}${p.path ? `  ${p.path}` : ''}  ${p.message}`);
    console.log(`\n${thrown.problems.length} problem(s); the rule set was not loaded.`);
    return 1;
  }
  if (action === 'check') {
    console.log(`ok: rule set ${set.version}, ${set.rules.length} indicators (${set.byKind.crossing.length} crossing, ${set.byKind.cargo.length} cargo), ${set.lists.size} lists, ${set.streams.length} streams`);
    return 0;
  }
  if (action === 'test') return testRules(set, rulesDir, values.json === true);
  if (action === 'stats') return stats(set, path.join(values['data-dir'] ?? '.data', 'alerts.db'), values.json === true);
  if (values.event === undefined) throw new ConfigError('rules explain needs --event FILE');
  return explain(set, values.event, values.json === true);
}

function testRules(set: RuleSet, rulesDir: string, json: boolean): number {
  const outcomes = runExamples(set, rulesDir);
  const failed = outcomes.filter((o) => !o.passed);
  const untested = set.rules.filter((r) => r.def.examples.length === 0).map((r) => r.def.id);
  if (json) {
    console.log(JSON.stringify({ passed: outcomes.length - failed.length, failed: failed.length, untested, outcomes }, null, 2));
    return failed.length > 0 ? 1 : 0;
  }
  for (const rule of set.rules) {
    const mine = outcomes.filter((o) => o.ruleId === rule.def.id);
    if (mine.length === 0) continue;
    const bad = mine.filter((o) => !o.passed);
    console.log(`${bad.length === 0 ? 'pass' : 'FAIL'}  ${rule.def.id}  (${mine.length} example${mine.length === 1 ? '' : 's'})`);
    for (const o of bad) {
      console.log(`      "${o.example}": expected to ${o.expected ? 'fire' : 'stay quiet'}, ${o.problems.length > 0 ? 'could not run' : o.actual ? 'fired' : 'did not fire'}`);
      for (const p of o.problems) console.log(`        ${p}`);
      for (const e of o.evidence) console.log(`        ${formatEvidence(e)}`);
    }
  }
  console.log(`\n${outcomes.length - failed.length} of ${outcomes.length} examples passed${untested.length > 0 ? `; rules without examples: ${untested.join(', ')}` : ''}`);
  return failed.length > 0 ? 1 : 0;
}

function explain(set: RuleSet, file: string, json: boolean): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (thrown) {
    throw new ConfigError(`cannot read ${file}: ${toError(thrown).message}`);
  }
  const candidates = parseFrame(text);
  const inputs = candidates.map((c) => (c.ok ? c.value : { invalidJson: c.message }));
  const explanations = explainEvents(set, inputs);
  if (json) {
    console.log(JSON.stringify(explanations, null, 2));
    return 0;
  }
  for (const e of explanations) {
    if (!e.valid) {
      console.log(`event ${e.index + 1}: invalid`);
      for (const issue of e.issues) console.log(`  ${issue.path || 'event'}: ${issue.message}`);
      continue;
    }
    const verdict = e.severity === null ? `no alert (threshold ${e.threshold})` : `${e.severity.toUpperCase()} alert (threshold ${e.threshold})`;
    console.log(`${e.kind} ${e.eventId}: score ${e.score} → ${verdict}${e.late ? ' [late event]' : ''}`);
    for (const r of e.rules) {
      console.log(`  ${r.fired ? 'FIRED' : '  -  '}  ${r.id} v${r.version}${r.fired ? ` +${r.weight}` : ''}${r.shadow ? ' (shadow)' : ''}${r.stateful ? ` [${r.stateful}]` : ''}`);
      for (const ev of r.evidence) console.log(`           ${formatEvidence(ev)}`);
    }
  }
  return 0;
}

/**
 * Each rule's alerts and analysts' conclusions: confirmed and false-positive rates over
 * triaged alerts, and precision, the true hits among the alerts concluded either way
 * (duplicates and other reasons say nothing of whether the rule was right).
 */
function stats(set: RuleSet, file: string, json: boolean): number {
  const outcomes = new Map(readRuleOutcomes(file).map((o) => [o.ruleId, o]));
  const referrals = new Map(readRuleReferrals(file).map((r) => [r.ruleId, r]));
  const withRates = (o: ReturnType<typeof readRuleOutcomes>[number]) => {
    const { ruleId: _id, ...referral } = referrals.get(o.ruleId) ?? { ruleId: o.ruleId, referred: 0, positive: 0, negative: 0, missed: 0 };
    return {
      ...o,
      confirmedRate: o.triaged > 0 ? o.confirmed / o.triaged : null,
      falsePositiveRate: o.triaged > 0 ? o.falsePositives / o.triaged : null,
      precision: o.confirmed + o.falsePositives > 0 ? o.confirmed / (o.confirmed + o.falsePositives) : null,
      referral,
      /** Positive referral outcomes among the referred alerts whose outcome says yes or no. */
      referralPrecision: referral.positive + referral.negative > 0 ? referral.positive / (referral.positive + referral.negative) : null,
    };
  };
  const rows = set.rules.map((rule) => {
    const o = outcomes.get(rule.def.id) ?? { ruleId: rule.def.id, alerts: 0, shadow: 0, triaged: 0, confirmed: 0, falsePositives: 0, duplicates: 0, other: 0 };
    outcomes.delete(rule.def.id);
    return withRates(o);
  });
  // Rules no longer in the set still have a history.
  for (const o of outcomes.values()) rows.push(withRates(o));
  if (json) {
    console.log(JSON.stringify({ database: file, rules: rows }, null, 2));
    return 0;
  }
  const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(0)}%`);
  console.log(`alerts and triage per rule, from ${file}${fs.existsSync(file) ? '' : ' (no alerts yet)'}`);
  console.log(`${'rule'.padEnd(46)} ${'alerts'.padStart(7)} ${'shadow'.padStart(7)} ${'triaged'.padStart(8)} ${'true hit'.padStart(9)} ${'false pos'.padStart(9)} ${'precision'.padStart(9)} ${'referred'.padStart(8)} ${'+/−'.padStart(7)} ${'ref. prec'.padStart(9)}`);
  for (const r of rows) {
    const count = (n: number, rate: number | null): string => (rate === null ? String(n) : `${n} ${pct(rate)}`);
    console.log(
      `${r.ruleId.padEnd(46)} ${String(r.alerts).padStart(7)} ${String(r.shadow).padStart(7)} ${String(r.triaged).padStart(8)} ${count(r.confirmed, r.confirmedRate).padStart(9)} ${count(r.falsePositives, r.falsePositiveRate).padStart(9)} ${pct(r.precision).padStart(9)} ${String(r.referral.referred).padStart(8)} ${`${r.referral.positive}/${r.referral.negative}`.padStart(7)} ${pct(r.referralPrecision).padStart(9)}`,
    );
  }
  console.log('(precision: true hits among the alerts analysts concluded as a true hit or a false positive; - where none is concluded yet)');
  console.log('(referred: alerts in a case with a referral outcome; +: refused entry, secondary positive, seizure; −: secondary negative, released; ref. prec: + among + and −; missed counts neither)');
  return 0;
}
