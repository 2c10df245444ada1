import path from 'node:path';
import { type AlertBrief, backtest, type BacktestReport } from '../backtest/backtest.ts';
import { readTriageOutcomes } from '../backtest/triage-outcomes.ts';
import { readReferralOutcomes } from '../casework/referrals.ts';
import { ConfigError, RuleLoadError } from '../errors.ts';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.ts';
import { type CommandSpec, helpText, numberOption, parseCommand } from './args.ts';
import { Progress } from './progress.ts';

export const backtestSpec = {
  name: 'backtest',
  summary: 'Run a rule set over recordings: hits per rule, alerts per day and severity, alerts added and removed against a baseline, recall and precision against planted cases and triage, and a hash of the alert stream.',
  usage: 'backtest --rules DIR [--baseline DIR] [--alerts FILE] [--budget N] [--min-recall R] [--json] RECORDING...',
  options: {
    rules: { type: 'string' },
    baseline: { type: 'string' },
    streams: { type: 'string' },
    alerts: { type: 'string' },
    examples: { type: 'string' },
    budget: { type: 'string' },
    'min-recall': { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    rules: 'Rule directory to test (default rules)',
    baseline: 'Rule directory to compare with: alerts added, removed and changed, with examples',
    streams: 'Stream definitions directory (default streams)',
    alerts: 'An alert database (e.g. .data/alerts.db): recall and precision against analysts\' triage outcomes',
    examples: 'Examples shown of each difference and of missed planted cases (default 5)',
    budget: 'Exit 1 when ordinary (unplanted) events of any traffic class raise more than N alerts of medium or higher severity per 1,000 events',
    'min-recall': 'Exit 1 when planted cases are found with their indicators at a recall under R (0 to 1), overall or for any case',
    json: 'Print the report as JSON',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

function load(rulesDir: string, streamsDir: string, what: string): RuleSet {
  try {
    return loadRuleSet({ rulesDir, streamsDir });
  } catch (thrown) {
    if (thrown instanceof RuleLoadError) throw new ConfigError(`${what} ${rulesDir} does not load:\n${thrown.message}`, { cause: thrown });
    throw thrown;
  }
}

/** Returns the exit code: 0, or 1 when a `--budget` or `--min-recall` given is not met (the report says which). */
export function backtestCommand(argv: string[]): number {
  const { values, positionals } = parseCommand(backtestSpec, argv);
  if (values.help) {
    console.log(helpText(backtestSpec));
    return 0;
  }
  if (positionals.length === 0) throw new ConfigError(`backtest needs at least one recording\n\n${helpText(backtestSpec)}`);
  const streamsDir = values.streams ?? 'streams';
  const ruleSet = load(values.rules ?? 'rules', streamsDir, '--rules');
  const baseline = values.baseline === undefined ? undefined : load(values.baseline, streamsDir, '--baseline');
  // Options checked before the run, so that a typo does not cost a whole backtest.
  const budget = values.budget === undefined ? undefined : numberOption('budget', values.budget, 1, (n) => n >= 0);
  const minRecall = values['min-recall'] === undefined ? undefined : numberOption('min-recall', values['min-recall'], 0.98, (n) => n >= 0 && n <= 1);
  const progress = { rules: new Progress('backtest', 0), baseline: new Progress('backtest (baseline)', 0) };
  const report = backtest({
    onProgress: (n, run) => {
      if (run === 'baseline') progress.rules.done();
      progress[run].tick(n);
    },
    ruleSet,
    recordings: positionals,
    ...(baseline && { baseline }),
    ...(values.alerts !== undefined && { outcomes: readTriageOutcomes(values.alerts), referrals: readReferralOutcomes(values.alerts) }),
    examples: numberOption('examples', values.examples, 5, (n) => Number.isInteger(n) && n >= 0),
  });
  progress.rules.done();
  progress.baseline.done();
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report, values.rules ?? 'rules', values.baseline));
  const failures = judge(report, budget, minRecall);
  for (const f of failures) console.error(`backtest: ${f}`);
  return failures.length > 0 ? 1 : 0;
}

/** What a report breaks of a false-alert budget (per 1,000 ordinary events, in every class) and a planted recall floor. */
export function judge(report: BacktestReport, budget: number | undefined, minRecall: number | undefined): string[] {
  const failures: string[] = [];
  if (budget !== undefined) {
    if (!report.classes) failures.push('--budget needs traffic classes in the recording (labels with a class, as generate writes them)');
    for (const c of report.classes ?? []) {
      if (c.perThousand > budget) failures.push(`class ${c.class}: ${c.mediumOrHigher} alerts (medium or higher) on ${c.events} ordinary events = ${c.perThousand.toFixed(2)} per 1,000, over the budget of ${budget} (rules: ${c.rules.slice(0, 3).map((x) => `${x.ruleId} ${x.alerts}`).join(', ')})`);
    }
  }
  if (minRecall !== undefined) {
    if (!report.planted) failures.push('--min-recall needs planted cases in the recording');
    else {
      if (report.planted.recall < minRecall) failures.push(`planted recall ${report.planted.recall.toFixed(3)} is under ${minRecall}`);
      for (const c of report.planted.byCase) if (c.recall < minRecall) failures.push(`planted case ${c.case}: ${c.found} of ${c.planted} found (recall ${c.recall.toFixed(3)}), under ${minRecall}`);
    }
  }
  return failures;
}

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const line = (a: AlertBrief): string => `    ${a.eventTime}  ${a.post.padEnd(15)} ${a.severity.padEnd(8)} ${String(a.score).padStart(3)}  ${a.alertId}  ← ${a.indicators.join(', ')}`;

export function formatReport(r: BacktestReport, rulesDir: string, baselineDir?: string): string {
  const out: string[] = [];
  out.push(`backtest of ${path.normalize(rulesDir)} (rule set ${r.ruleSetVersion}) over ${r.recordings.join(', ')}`);
  out.push(`${r.events} events → ${r.alerts} alerts${r.late > 0 ? `; ${r.late} late events` : ''}${r.faults > 0 ? `; ${r.faults} events not processed (faults)` : ''}`);
  for (const s of r.incompleteSegments) out.push(`warning: ${s.file} is incomplete (${s.problem}); its complete batches were used`);
  out.push('', `hits and alerts per rule${r.baseline ? ' (baseline → now)' : ''}; a hit is any event the rule fired on, an alert or not`);
  const pair = (before: number | undefined, now: number): string => (before === undefined ? String(now) : before === now ? String(now) : `${before} → ${now}`);
  out.push(`  ${'rule'.padEnd(46)} ${'hits'.padStart(15)} ${'alerts'.padStart(13)} ${'shadow'.padStart(7)} ${'false ≥medium /1,000'.padStart(21)}`);
  for (const rule of r.rules) {
    out.push(`  ${rule.ruleId.padEnd(46)} ${pair(rule.baselineHits, rule.hits).padStart(15)} ${pair(rule.baselineAlerts, rule.alerts).padStart(13)} ${String(rule.shadow).padStart(7)} ${`${rule.falseAlerts} ${rule.falseAlertsPerThousand.toFixed(2)}`.padStart(21)}`);
  }
  out.push('  (false: alerts about events that are not planted cases; without labels every alert counts)');
  if (r.classes) {
    out.push('', 'ordinary (unplanted) events and their alerts per traffic class; the budget counts medium or higher per 1,000 events');
    out.push(`  ${'class'.padEnd(20)} ${'events'.padStart(8)} ${'planted'.padStart(8)} ${'alerts'.padStart(7)} ${'≥medium'.padStart(8)} ${'per 1,000'.padStart(9)}  rules (≥medium)`);
    for (const c of r.classes) {
      out.push(`  ${c.class.padEnd(20)} ${String(c.events).padStart(8)} ${String(c.planted).padStart(8)} ${String(c.alerts).padStart(7)} ${String(c.mediumOrHigher).padStart(8)} ${c.perThousand.toFixed(2).padStart(9)}  ${c.rules.slice(0, 3).map((x) => `${x.ruleId} ${x.alerts}`).join(', ')}`);
    }
  }
  out.push('', 'alerts per day (post\'s local date) and severity');
  out.push(`  ${'day'.padEnd(10)} ${'low'.padStart(6)} ${'medium'.padStart(6)} ${'high'.padStart(6)} ${'crit.'.padStart(6)} ${'total'.padStart(6)}`);
  for (const d of r.days) out.push(`  ${d.day} ${String(d.low).padStart(6)} ${String(d.medium).padStart(6)} ${String(d.high).padStart(6)} ${String(d.critical).padStart(6)} ${String(d.total).padStart(6)}`);
  if (r.baseline) {
    const b = r.baseline;
    out.push('', `against the baseline ${baselineDir ?? ''} (rule set ${b.ruleSetVersion}, ${b.alerts} alerts, hash ${b.hash.slice(0, 16)}…): ${b.added} added, ${b.removed} removed, ${b.changed} changed`);
    if (b.examples.added.length > 0) out.push('  added, e.g.:', ...b.examples.added.map(line));
    if (b.examples.removed.length > 0) out.push('  removed, e.g.:', ...b.examples.removed.map(line));
    if (b.examples.changed.length > 0) out.push('  changed, e.g. (before, after):', ...b.examples.changed.flatMap((c) => [line(c.before), line(c.after)]));
  }
  if (r.planted) {
    const p = r.planted;
    out.push('', `planted cases: ${p.found} of ${p.cases} found, recall ${pct(p.recall)}; alerts on planted cases ${pct(p.precision)} of all alerts (precision)`);
    out.push(`  ${'case'.padEnd(28)} ${'found'.padStart(5)}    ${'of'.padEnd(5)} ${'recall'.padStart(6)}  alerts on a single indicator`);
    for (const c of p.byCase) out.push(`  ${c.case.padEnd(28)} ${String(c.found).padStart(5)} of ${String(c.planted).padEnd(5)} ${pct(c.recall).padStart(6)}  ${c.alertsAlone.length > 0 ? `yes (${c.alertsAlone.join(', ')})` : `no: needs ${c.indicators.join(' + ')}`}`);
    if (p.missed.length > 0) out.push('  missed, e.g.:', ...p.missed.map((m) => `    ${m.eventTime}  ${m.post.padEnd(15)} ${m.eventId}  ${m.case} (wants ${m.indicators.join(', ')})`));
  }
  if (r.triage) {
    const t = r.triage;
    out.push('', `against analysts' triage (${t.concluded} concluded alerts): ${t.trueHitsRaised} of ${t.trueHits} true hits raised (recall ${pct(t.recall)}), ${t.falsePositivesRaised} of ${t.falsePositives} false positives raised; precision ${pct(t.precision)}`);
  }
  if (r.referrals) {
    const f = r.referrals;
    out.push(`against referral outcomes (${f.referred} referred alerts): ${f.positivesRaised} of ${f.positives} positive referrals raised (recall ${pct(f.recall)}), ${f.negativesRaised} of ${f.negatives} negative referrals raised; precision ${pct(f.precision)}`);
  }
  out.push('', `alert stream hash (SHA-256): ${r.hash}`);
  return out.join('\n');
}
