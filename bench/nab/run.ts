/**
 * `npm run bench:nab [-- --only project]`: scores the reference detectors on the NAB corpus and
 * checks them against the published reference figures, which proves the scorer; then scores the
 * project's detector (`src/anomaly/nab-detector.ts`, when it exists) with the same scorer, in
 * sample (its defaults, the threshold fitted on the whole corpus) and by leave-one-category-out
 * cross-validation over the declared grid (grid.ts; parameters and threshold chosen on four
 * categories, scored on the fifth); then, apart, on a seeded synthetic corpus of long NAB-like
 * series that nothing is chosen on (synthetic.ts). Each detector's per-row output goes to
 * `.data/nab-results/<detector>/<category>/<file>.csv`. Exits non-zero when a reference row does
 * not reproduce or the project's detector fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toError } from '../../src/errors.ts';
import { machine } from '../stats.ts';
import { defaultNabDir, loadCorpus, loadProfiles, type NabSeries } from './corpus.ts';
import { type Candidate, type CrossValidatedProfile, crossValidate } from './cross-validation.ts';
import { defaultPoint, gridPoints } from './grid.ts';
import { runDetector, writeResults } from './harness.ts';
import { type DetectorFactory, nullDetector, runningRange, windowedGaussian } from './reference-detectors.ts';
import { PROFILE_NAMES, type ProfileName, type ProfileScore, type Profiles, scoreAtThresholds, scoreCorpus } from './scorer.ts';
import { NOISE_KINDS, noiseSeries, syntheticCorpus } from './synthetic.ts';

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

async function loadNabDetectorFactory(): Promise<(spec: never) => DetectorFactory> {
  const mod = (await import(pathToFileURL(projectModule).href)) as { nabDetectorFactory?: unknown };
  if (typeof mod.nabDetectorFactory !== 'function') {
    throw new TypeError(`${path.relative(repoRoot, projectModule)} does not export a nabDetectorFactory function`);
  }
  return mod.nabDetectorFactory as (spec: never) => DetectorFactory;
}

const fmt = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));

/**
 * Runs every grid point over the corpus (progress on stdout), then the cross-validation; returns
 * the cross-validated figures per profile and what the grid's default point scores in sample.
 */
async function crossValidateProject(corpus: NabSeries[], profiles: Profiles): Promise<Record<ProfileName, CrossValidatedProfile>> {
  const factoryOf = await loadNabDetectorFactory();
  const points = gridPoints();
  const candidates: Candidate[] = points.map((point, i) => {
    const run = runDetector(corpus, factoryOf(point.spec as never));
    console.log(`grid ${i + 1}/${points.length} ${point.label}: ${corpus.length} series in ${(run.ms / 1000).toFixed(2)} s`);
    return { label: point.label, scores: run.scores };
  });
  const cv = crossValidate(corpus, candidates, profiles, (heldOut, i, count) => console.log(`fold ${i + 1}/${count}: held out ${heldOut}`));
  const shipped = defaultPoint(points);
  console.log(
    `\nLeave-one-category-out cross-validation over ${points.length} grid points (parameters and threshold chosen on four categories, scored on the fifth):`,
  );
  console.table(
    PROFILE_NAMES.flatMap((p) =>
      cv[p].folds.map((f) => ({
        profile: p,
        'held out': f.heldOut,
        chosen: f.chosen,
        threshold: Number(f.threshold.toFixed(4)),
        'train score': fmt(f.trainScore),
        'held-out score': fmt(f.testScore),
        'held-out raw': f.test.raw.toFixed(4),
        tp: f.test.tp,
        fp: f.test.fp,
        fn: f.test.fn,
      })),
    ),
  );
  console.log('Grid point chosen on all five categories (what the defaults should be):');
  console.table(
    PROFILE_NAMES.map((p) => ({
      profile: p,
      chosen: cv[p].final.chosen,
      'is the default': shipped?.label === cv[p].final.chosen ? 'yes' : 'NO',
      threshold: Number(cv[p].final.threshold.toFixed(4)),
      'in-sample score': fmt(cv[p].final.score),
    })),
  );
  return cv;
}

/** False alerts of the shipped detector on anomaly-free noise, after NAB's 750-row probation. */
function noiseCheck(factory: DetectorFactory): void {
  const seeds = [1, 2, 3];
  console.log(`\nFalse alerts on anomaly-free noise (20,000 rows each, after row 750; mean of seeds ${seeds.join(', ')}):`);
  console.table(
    NOISE_KINDS.map((kind) => {
      const series = seeds.map((seed) => noiseSeries(kind, seed));
      const run = runDetector(series, factory);
      let alerts = 0;
      for (const out of run.scores.values()) for (let i = 750; i < out.length; i++) if (out[i]! > 0) alerts += 1;
      return { noise: kind, 'false alerts': (alerts / seeds.length).toFixed(1) };
    }),
  );
}

/** The shipped detector on the synthetic corpus: at the threshold fitted on nab-dev, and at its own best. */
function syntheticCheck(factory: DetectorFactory, profiles: Profiles, devThresholds: Record<ProfileName, number>): void {
  const synthetic = syntheticCorpus();
  const run = runDetector(synthetic, factory);
  writeResults(path.join(resultsDir, 'project-synthetic'), synthetic, run.scores);
  const own = scoreCorpus(synthetic, run.scores, profiles);
  const fixed = scoreAtThresholds(synthetic, run.scores, profiles, devThresholds);
  console.log(`\nSanity check on ${synthetic.length} seeded synthetic NAB-like series (never used to choose anything; bench/nab/synthetic.ts):`);
  console.table(
    PROFILE_NAMES.map((p) => ({
      profile: p,
      'at the nab-dev threshold': fmt((100 * (fixed[p].raw - own[p].nullRaw)) / (own[p].perfectRaw - own[p].nullRaw)),
      'tp/fp/fn': `${fixed[p].tp}/${fixed[p].fp}/${fixed[p].fn}`,
      'at its own best threshold': fmt(own[p].score),
      threshold: Number(own[p].threshold.toFixed(4)),
    })),
  );
  console.table(
    synthetic.map((series) => {
      const one = [series];
      const ownOne = scoreCorpus(one, run.scores, profiles).standard;
      const at = scoreAtThresholds(one, run.scores, profiles, devThresholds).standard;
      return {
        series: series.name,
        rows: series.values.length,
        'standard at the nab-dev threshold': fmt((100 * (at.raw - ownOne.nullRaw)) / (ownOne.perfectRaw - ownOne.nullRaw)),
        'tp/fp/fn': `${at.tp}/${at.fp}/${at.fn}`,
      };
    }),
  );
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
let crossValidated: Record<ProfileName, number> | undefined;
try {
  const project = await loadProjectDetector();
  if (project === undefined) console.log(`no project detector: ${path.relative(repoRoot, projectModule)} does not exist, skipped\n`);
  else {
    const outcome = evaluate('project', project, corpus, profiles);
    outcomes.push(outcome);
    const cv = await crossValidateProject(corpus, profiles);
    crossValidated = Object.fromEntries(PROFILE_NAMES.map((p) => [p, cv[p].score])) as Record<ProfileName, number>;
    syntheticCheck(project, profiles, Object.fromEntries(PROFILE_NAMES.map((p) => [p, outcome.scores[p].threshold])) as Record<ProfileName, number>);
    noiseCheck(project);
    console.log('');
  }
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
if (crossValidated !== undefined) {
  const cv = crossValidated;
  const project = outcomes.find((o) => o.name === 'project')!;
  console.log('Project detector, in sample (defaults, threshold fitted on all of nab-dev) and cross-validated (held-out raw scores of the five folds summed, normalised against the null and perfect detectors of all of nab-dev):');
  console.table(
    PROFILE_NAMES.map((p) => ({
      profile: p,
      'in sample': fmt(project.scores[p].score),
      'cross-validated': fmt(cv[p]),
      gap: fmt(project.scores[p].score - cv[p]),
    })),
  );
}
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
