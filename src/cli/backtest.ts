import path from 'node:path';
import { type AlertBrief, backtest, type BacktestReport } from '../backtest/backtest.ts';
import { readTriageOutcomes } from '../backtest/triage-outcomes.ts';
import { ConfigError, RuleLoadError } from '../errors.ts';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.ts';
import { type CommandSpec, helpText, numberOption, parseCommand } from './args.ts';

export const backtestSpec = {
  name: 'backtest',
  summary: 'Run a rule set over recordings: hits per rule, alerts per day and severity, alerts added and removed against a baseline, recall and precision against planted cases and triage, and a hash of the alert stream.',
  usage: 'backtest --rules DIR [--baseline DIR] [--alerts FILE] [--json] RECORDING...',
  options: {
    rules: { type: 'string' },
    baseline: { type: 'string' },
    streams: { type: 'string' },
    alerts: { type: 'string' },
    examples: { type: 'string' },
    json: { type: 'boolean' },
  },
  help: {
    rules: 'Rule directory to test (default rules)',
    baseline: 'Rule directory to compare with: alerts added, removed and changed, with examples',
    streams: 'Stream definitions directory (default streams)',
    alerts: 'An alert database (e.g. .data/alerts.db): recall and precision against analysts\' triage outcomes',
    examples: 'Examples shown of each difference and of missed planted cases (default 5)',
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

/** Returns the exit code: 0 (a backtest reports; it does not judge). */
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
  const report = backtest({
    ruleSet,
    recordings: positionals,
    ...(baseline && { baseline }),
    ...(values.alerts !== undefined && { outcomes: readTriageOutcomes(values.alerts) }),
    examples: numberOption('examples', values.examples, 5, (n) => Number.isInteger(n) && n >= 0),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report, values.rules ?? 'rules', values.baseline));
  return 0;
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
  out.push(`  ${'rule'.padEnd(46)} ${'hits'.padStart(15)} ${'alerts'.padStart(13)} ${'shadow'.padStart(7)}`);
  for (const rule of r.rules) {
    out.push(`  ${rule.ruleId.padEnd(46)} ${pair(rule.baselineHits, rule.hits).padStart(15)} ${pair(rule.baselineAlerts, rule.alerts).padStart(13)} ${String(rule.shadow).padStart(7)}`);
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
    for (const c of p.byCase) out.push(`  ${c.case.padEnd(28)} ${String(c.found).padStart(5)} of ${String(c.planted).padEnd(5)} ${pct(c.found / c.planted)}`);
    if (p.missed.length > 0) out.push('  missed, e.g.:', ...p.missed.map((m) => `    ${m.eventTime}  ${m.post.padEnd(15)} ${m.eventId}  ${m.case} (wants ${m.indicators.join(', ')})`));
  }
  if (r.triage) {
    const t = r.triage;
    out.push('', `against analysts' triage (${t.concluded} concluded alerts): ${t.trueHitsRaised} of ${t.trueHits} true hits raised (recall ${pct(t.recall)}), ${t.falsePositivesRaised} of ${t.falsePositives} false positives raised; precision ${pct(t.precision)}`);
  }
  out.push('', `alert stream hash (SHA-256): ${r.hash}`);
  return out.join('\n');
}
