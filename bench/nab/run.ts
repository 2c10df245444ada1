/**
 * `npm run bench:nab [-- --only project]`: scores the reference detectors on the NAB corpus and
 * checks them against the published reference figures, which proves the scorer; then scores the
 * project's detector (`src/anomaly/nab-detector.ts`, when it exists) with the same scorer. Each
 * detector's per-row output goes to `.data/nab-results/<detector>/<category>/<file>.csv`.
 * Exits non-zero when a reference row does not reproduce or the project's detector fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toError } from '../../src/errors.ts';
import { machine } from '../stats.ts';
import { defaultNabDir, loadCorpus, loadProfiles, type NabSeries } from './corpus.ts';
import { runDetector, writeResults } from './harness.ts';
import { type DetectorFactory, nullDetector, runningRange, windowedGaussian } from './reference-detectors.ts';
import { PROFILE_NAMES, type ProfileName, type ProfileScore, type Profiles, scoreCorpus } from './scorer.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const resultsDir = path.join(repoRoot, '.data', 'nab-results');
const projectModule = path.join(repoRoot, 'src', 'anomaly', 'nab-detector.ts');

/** The reference scores on nab-dev, from shared/data/README.md (standard / low FP / low FN). */
const REFERENCE: ReadonlyArray<{ name: string; factory: DetectorFactory; expected: Record<ProfileName, number> }> = [
  { name: 'null', factory: nullDetector, expected: { standard: 0, reward_low_FP_rate: 0, reward_low_FN_rate: 0 } },
  {
    name: 'windowedGaussian',
    factory: windowedGaussian,
    expected: { standard: 41.42, reward_low_FP_rate: 26.48, reward_low_FN_rate: 48.45 },
  },
  {
    name: 'runningRange',
    factory: runningRange,
    expected: { standard: 56.93, reward_low_FP_rate: 56.15, reward_low_FN_rate: 58.78 },
  },
];

interface Outcome {
  name: string;
  scores: Record<ProfileName, ProfileScore>;
  expected?: Record<ProfileName, number>;
  seconds: number;
  updatesPerSecond: number;
}

/** Runs, scores and writes one detector. */
function evaluate(name: string, factory: DetectorFactory, corpus: NabSeries[], profiles: Profiles): Outcome {
  const run = runDetector(corpus, factory);
  writeResults(path.join(resultsDir, name), corpus, run.scores);
  return {
    name,
    scores: scoreCorpus(corpus, run.scores, profiles),
    seconds: run.ms / 1000,
    updatesPerSecond: run.rows / (run.ms / 1000),
  };
}

/** Reference figures are given to 2 decimals; a cell matches when ours rounds to the same. */
function matches(got: number, expected: number): boolean {
  return got.toFixed(2) === expected.toFixed(2);
}

function cell(outcome: Outcome, profile: ProfileName): string {
  const got = outcome.scores[profile].score.toFixed(2);
  const expected = outcome.expected?.[profile];
  if (expected === undefined) return got;
  return `${got} ${matches(outcome.scores[profile].score, expected) ? '✓' : '✗'} (ref ${expected.toFixed(2)})`;
}

async function loadProjectDetector(): Promise<DetectorFactory | undefined> {
  if (!fs.existsSync(projectModule)) return undefined;
  const mod = (await import(pathToFileURL(projectModule).href)) as { createNabDetector?: unknown };
  if (typeof mod.createNabDetector !== 'function') {
    throw new TypeError(`${path.relative(repoRoot, projectModule)} does not export a createNabDetector function`);
  }
  return mod.createNabDetector as DetectorFactory;
}

const onlyProject = process.argv.includes('--only') && process.argv[process.argv.indexOf('--only') + 1] === 'project';
const started = performance.now();
const corpus = loadCorpus();
const profiles = loadProfiles();
const rows = corpus.reduce((sum, s) => sum + s.values.length, 0);
console.log(`machine: ${machine()}\ndate: ${new Date().toISOString()}`);
console.log(`corpus: ${defaultNabDir()} (${corpus.length} series, ${rows} rows, ${corpus.reduce((n, s) => n + s.windows.length, 0)} windows)\n`);

const outcomes: Outcome[] = [];
if (!onlyProject) {
  for (const reference of REFERENCE) {
    outcomes.push({ ...evaluate(reference.name, reference.factory, corpus, profiles), expected: reference.expected });
  }
}
let failed = false;
try {
  const project = await loadProjectDetector();
  if (project === undefined) console.log(`no project detector: ${path.relative(repoRoot, projectModule)} does not exist, skipped\n`);
  else outcomes.push(evaluate('project', project, corpus, profiles));
} catch (thrown) {
  failed = true;
  console.log(`project detector failed: ${toError(thrown).stack ?? toError(thrown).message}\n`);
}

console.log('NAB scores (normalised: 100 = perfect, 0 = null detector; ✓ = reproduces the reference to 2 decimals):');
console.table(
  outcomes.map((o) => ({
    detector: o.name,
    ...Object.fromEntries(PROFILE_NAMES.map((p) => [p, cell(o, p)])),
    'detector s': o.seconds.toFixed(2),
    'updates/s': Math.round(o.updatesPerSecond),
  })),
);
console.log('At the corpus-wide best threshold (tp/fn = windows detected/missed, fp = detections outside windows):');
console.table(
  outcomes.flatMap((o) =>
    PROFILE_NAMES.map((p) => {
      const s = o.scores[p];
      return { detector: o.name, profile: p, raw: s.raw.toFixed(4), threshold: s.threshold, tp: s.tp, fp: s.fp, fn: s.fn };
    }),
  ),
);
console.log(`results written under ${path.relative(repoRoot, resultsDir)}/; total ${((performance.now() - started) / 1000).toFixed(1)} s`);

const mismatches = outcomes.filter((o) => {
  const expected = o.expected;
  return expected !== undefined && PROFILE_NAMES.some((p) => !matches(o.scores[p].score, expected[p]));
});
if (mismatches.length > 0) {
  console.log(`reference rows that do not reproduce: ${mismatches.map((o) => o.name).join(', ')}`);
  failed = true;
}
process.exitCode = failed ? 1 : 0;
