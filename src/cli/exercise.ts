import fs from 'node:fs';
import path from 'node:path';
import { listedPeopleIn } from '../generate/listed-people.ts';
import { ConfigError } from '../errors.ts';
import { buildExercise } from '../exercise/build-exercise.ts';
import { type ExerciseReport, exerciseReport } from '../exercise/exercise-report.ts';
import { readManifest } from '../exercise/manifest.ts';
import { readSessionAlerts } from '../exercise/session-alerts.ts';
import { DEFAULT_CASE_NAMES, PLANTED_CASE_NAMES, PLANTED_CASES, type PlantedCaseName } from '../generate/planted.ts';
import { segmentFiles } from '../record/read-recording.ts';
import { loadLists } from '../enrich/lists.ts';
import { type CommandSpec, helpText, numberOption, parseCommand } from './args.ts';

/** The three posts on the Afghan border: small enough for a week to stay a few MB, and where the transit cases happen. */
const DEFAULT_POSTS: readonly string[] = ['UZ-AYRITOM', 'TJ-PANJIPOYON', 'TM-IMAMNAZAR'];

export const exerciseSpec = {
  name: 'exercise',
  summary: 'Training exercises: `report` scores a session\'s alerts and triage against an exercise\'s planted cases; `build` makes an exercise (recording and manifest) from seeded traffic.',
  usage: 'exercise report --manifest FILE|DIR [--alerts .data/alerts.db] [--exercise ID] [--json] | exercise build --out DIR [--seed S] [--days N] [--posts A,B] [--title T] [--description D]',
  options: {
    manifest: { type: 'string' },
    alerts: { type: 'string' },
    exercise: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    days: { type: 'string' },
    posts: { type: 'string' },
    cases: { type: 'string' },
    'plant-rate': { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    rules: { type: 'string' },
  },
  help: {
    manifest: 'report: the exercise\'s manifest.json (or the directory holding it)',
    alerts: 'report: the session\'s alert database (default .data/alerts.db)',
    exercise: 'report: the exercise\'s id, for a session run beside live traffic (replay --serve --exercise ID); without it, the database\'s live alerts (a processor run for the session alone)',
    json: 'report: print JSON',
    out: 'build: directory for the recording and manifest.json',
    seed: 'build: seed (default 1)',
    start: 'build: event time of the start, RFC 3339 (default 2026-11-02T00:00:00+05:00)',
    days: 'build: days of traffic (default 7)',
    posts: `build: comma-separated posts whose traffic is kept (default ${DEFAULT_POSTS.join(',')})`,
    cases: 'build: single-event planted cases to plant (default: every default case that is one event)',
    'plant-rate': 'build: share of kept events turned into planted cases (default 0.006)',
    title: 'build: the exercise\'s title',
    description: 'build: what the exercise is about, for trainers',
    rules: 'build: rule directory whose lists the traffic follows (default rules)',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export function exercise(argv: string[]): number {
  const { values, positionals } = parseCommand(exerciseSpec, argv);
  const action = positionals[0];
  if (values.help || (action !== 'report' && action !== 'build')) {
    console.log(helpText(exerciseSpec));
    return values.help ? 0 : 2;
  }
  if (action === 'build') {
    if (values.out === undefined) throw new ConfigError('exercise build needs --out DIR');
    if (fs.existsSync(values.out) && segmentFiles(values.out).length > 0) throw new ConfigError(`${values.out} already holds a recording; choose a new directory`);
    const singleEvent = DEFAULT_CASE_NAMES.filter((c) => !('then' in PLANTED_CASES[c]) && !('surge' in PLANTED_CASES[c]));
    const cases = (values.cases?.split(',').map((c) => c.trim()) ?? singleEvent) as PlantedCaseName[];
    const unknown = cases.filter((c) => !PLANTED_CASE_NAMES.includes(c));
    if (unknown.length > 0) throw new ConfigError(`unknown planted case(s): ${unknown.join(', ')}`);
    const posts = values.posts?.split(',').map((p) => p.trim()) ?? DEFAULT_POSTS;
    // Multi-event cases come from the generator; only those whose every post is kept can complete.
    const generatorCases = DEFAULT_CASE_NAMES.filter((c) => {
      const spec = PLANTED_CASES[c] as { posts?: readonly string[]; then?: readonly { posts: readonly string[] | 'same' }[] };
      return spec.then !== undefined && (spec.posts ?? []).every((p) => posts.includes(p)) && spec.then.every((s) => s.posts === 'same' || s.posts.every((p) => posts.includes(p)));
    });
    const manifest = buildExercise({
      out: values.out,
      lists: loadLists(path.join(values.rules ?? 'rules', 'lists')),
      ...(cases.includes('watchlist-name') && { listedPeople: listedPeopleIn(values.rules ?? 'rules') }),
      title: values.title ?? `A week at ${posts.join(', ')}`,
      description: values.description ?? 'Seeded generated traffic with planted cases.',
      seed: numberOption('seed', values.seed, 1, Number.isInteger),
      ...(values.start !== undefined && { start: values.start }),
      days: numberOption('days', values.days, 7, (n) => n > 0),
      posts,
      cases,
      plantRate: numberOption('plant-rate', values['plant-rate'], 0.006, (n) => n >= 0 && n <= 1),
      generatorCases,
    });
    console.error(`exercise "${manifest.title}": ${manifest.events} events ${manifest.from} .. ${manifest.to}, ${manifest.plantedCases.length} planted cases → ${values.out}`);
    return 0;
  }
  if (values.manifest === undefined) throw new ConfigError('exercise report needs --manifest FILE');
  const { manifest } = readManifest(values.manifest);
  const alerts = readSessionAlerts(values.alerts ?? path.join('.data', 'alerts.db'), values.exercise);
  if (alerts.length === 0 && values.exercise !== undefined) console.error(`warning: no alerts of exercise ${values.exercise} in ${values.alerts ?? path.join('.data', 'alerts.db')}`);
  const report = exerciseReport(manifest, alerts);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatExerciseReport(report));
  return 0;
}

const duration = (ms: number | null): string => {
  if (ms === null) return '-';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

export function formatExerciseReport(r: ExerciseReport): string {
  const out: string[] = [`exercise: ${r.title}`, `${r.alerts} alerts in the session; planted cases: ${r.found} found, ${r.missed} missed of ${r.cases.length}`, ''];
  out.push(`  ${'case'.padEnd(9)} ${'kind'.padEnd(26)} ${'post'.padEnd(14)} ${'found'.padEnd(6)} ${'triage'.padEnd(12)} ${'outcome'.padEnd(15)} ${'to triage'.padStart(9)}  call`);
  for (const c of r.cases) {
    const a = c.alert;
    const call = c.correct === null ? '' : c.correct ? 'right' : 'WRONG';
    out.push(`  ${c.id.padEnd(9)} ${c.case.padEnd(26)} ${c.post.padEnd(14)} ${(c.found ? 'yes' : 'MISSED').padEnd(6)} ${(a?.status ?? '-').padEnd(12)} ${(a?.outcome ?? '-').padEnd(15)} ${duration(a?.timeToTriageMs ?? null).padStart(9)}  ${call}`);
  }
  const f = r.falseAlarms;
  out.push('', `false alarms (alerts about no planted case): ${f.count}; ${f.triaged} triaged, ${f.dismissedAsFalsePositive} dismissed as false positives`);
  for (const e of f.examples) out.push(`    #${e.seq} ${e.alertId} ${e.severity} ${e.status}${e.outcome ? ` (${e.outcome})` : ''}`);
  const t = r.timeToTriage;
  out.push('', `time to triage: planted cases median ${duration(t.casesMedianMs)}, longest ${duration(t.casesMaxMs)}; all alerts median ${duration(t.allMedianMs)} (${t.triaged} triaged, ${t.untriaged} untouched)`);
  if (r.trainees.length > 0) {
    out.push('', `  ${'trainee'.padEnd(24)} ${'triaged'.padStart(7)} ${'escalations right/wrong'.padStart(23)} ${'dismissals right/wrong'.padStart(22)} ${'missed'.padStart(6)} ${'median'.padStart(8)} ${'p90'.padStart(8)}`);
    for (const s of r.trainees) {
      out.push(`  ${s.by.padEnd(24)} ${String(s.triaged).padStart(7)} ${`${s.correctEscalations}/${s.wrongEscalations}`.padStart(23)} ${`${s.correctDismissals}/${s.wrongDismissals}`.padStart(22)} ${String(s.missed).padStart(6)} ${duration(s.timeToTriage.medianMs).padStart(8)} ${duration(s.timeToTriage.p90Ms).padStart(8)}`);
    }
  }
  return out.join('\n');
}
