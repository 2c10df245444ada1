/**
 * Leave-one-category-out cross-validation for NAB. Every choice a detector's score depends on is
 * made on four categories and judged on the fifth: which of a declared grid of parameter sets to
 * use, and the score threshold, which NAB's own scorer fits to the data it scores and is therefore
 * a fitted parameter too. Pure functions over detector outputs computed beforehand.
 *
 * The held-out results are combined as NAB combines files: at a fixed threshold the raw score is a
 * sum over rows, so the held-out raw scores of the five folds add up to the raw score of the whole
 * corpus, which is then normalised against the null and perfect detectors of the whole corpus.
 */
import type { NabSeries } from './corpus.ts';
import { type FixedThresholdScore, PROFILE_NAMES, type ProfileName, type Profiles, scoreAtThresholds, scoreCorpus } from './scorer.ts';

/** One parameter set of the grid and what the detector built from it scored on every series. */
export interface Candidate {
  /** Short and unique: how the report names the parameter set. */
  label: string;
  /** One anomaly score per row for every series of the corpus, as `scoreCorpus` takes them. */
  scores: ReadonlyMap<string, ArrayLike<number>>;
}

/** One fold: what was chosen without the held-out category, and how it did there. */
export interface Fold {
  heldOut: string;
  /** Label of the candidate with the best normalised score on the other categories. */
  chosen: string;
  /** The threshold that candidate's best score on the other categories was reached at. */
  threshold: number;
  /** That best score on the other categories (normalised over them). */
  trainScore: number;
  /** The chosen candidate at the chosen threshold on the held-out category. */
  test: FixedThresholdScore;
  /**
   * `test.raw` normalised against the held-out category's own null and perfect detectors; NaN for
   * a category without windows (there both are 0 and only the raw score means anything).
   */
  testScore: number;
}

export interface CrossValidatedProfile {
  folds: Fold[];
  /** Sum of the folds' held-out raw scores: the raw score of the whole corpus. */
  raw: number;
  /** 100 · (raw − null) / (perfect − null), null and perfect of the whole corpus. */
  score: number;
  nullRaw: number;
  perfectRaw: number;
  /** The candidate the same choice makes on the whole corpus, and its (in-sample) score there. */
  final: { chosen: string; threshold: number; score: number };
}

/** A series' category: the folder of its NAB name (`realTraffic/speed_6005.csv` → `realTraffic`). */
export function categoryOf(seriesName: string): string {
  const slash = seriesName.indexOf('/');
  return slash < 0 ? seriesName : seriesName.slice(0, slash);
}

/** The categories of a corpus, sorted. */
export function categoriesOf(corpus: readonly NabSeries[]): string[] {
  return [...new Set(corpus.map((s) => categoryOf(s.name)))].sort();
}

interface Choice {
  index: number;
  threshold: number;
  score: number;
}

/**
 * The candidate with the best normalised score on `part`, per profile, each at its own best
 * threshold. Ties go to the earlier candidate, so the grid's order is the order of preference.
 */
function choose(part: readonly NabSeries[], candidates: readonly Candidate[], profiles: Profiles): Record<ProfileName, Choice> {
  const best = {} as Record<ProfileName, Choice>;
  candidates.forEach((candidate, index) => {
    const scored = scoreCorpus(part, candidate.scores, profiles);
    for (const p of PROFILE_NAMES) {
      const s = scored[p];
      if (best[p] === undefined || s.score > best[p].score) best[p] = { index, threshold: s.threshold, score: s.score };
    }
  });
  return best;
}

/**
 * Leave-one-category-out: for each category, the candidate and threshold are chosen on the other
 * categories only and applied unchanged to it. `onFold` is told as each fold finishes (progress).
 */
export function crossValidate(
  corpus: readonly NabSeries[],
  candidates: readonly Candidate[],
  profiles: Profiles,
  onFold: (heldOut: string, index: number, count: number) => void = () => {},
): Record<ProfileName, CrossValidatedProfile> {
  if (candidates.length === 0) throw new RangeError('cross-validation needs at least one candidate');
  const categories = categoriesOf(corpus);
  if (categories.length < 2) throw new RangeError(`cross-validation needs two categories or more, got ${categories.length}`);
  const folds = Object.fromEntries(PROFILE_NAMES.map((p) => [p, [] as Fold[]])) as Record<ProfileName, Fold[]>;
  categories.forEach((heldOut, i) => {
    const train = corpus.filter((s) => categoryOf(s.name) !== heldOut);
    const test = corpus.filter((s) => categoryOf(s.name) === heldOut);
    const chosen = choose(train, candidates, profiles);
    for (const p of PROFILE_NAMES) {
      const { index, threshold, score } = chosen[p];
      const candidate = candidates[index]!;
      const thresholds = Object.fromEntries(PROFILE_NAMES.map((q) => [q, threshold])) as Record<ProfileName, number>;
      const fixed = scoreAtThresholds(test, candidate.scores, profiles, thresholds)[p];
      // The held-out category's own null and perfect raw scores, for the per-fold figure only.
      const own = scoreCorpus(test, candidate.scores, profiles)[p];
      const span = own.perfectRaw - own.nullRaw;
      folds[p].push({
        heldOut,
        chosen: candidate.label,
        threshold,
        trainScore: score,
        test: fixed,
        testScore: span > 0 ? (100 * (fixed.raw - own.nullRaw)) / span : Number.NaN,
      });
    }
    onFold(heldOut, i, categories.length);
  });
  const whole = choose(corpus, candidates, profiles);
  const reference = scoreCorpus(corpus, candidates[0]!.scores, profiles);
  const result = {} as Record<ProfileName, CrossValidatedProfile>;
  for (const p of PROFILE_NAMES) {
    const raw = folds[p].reduce((sum, f) => sum + f.test.raw, 0);
    const { nullRaw, perfectRaw } = reference[p];
    result[p] = {
      folds: folds[p],
      raw,
      score: (100 * (raw - nullRaw)) / (perfectRaw - nullRaw),
      nullRaw,
      perfectRaw,
      final: { chosen: candidates[whole[p].index]!.label, threshold: whole[p].threshold, score: whole[p].score },
    };
  }
  return result;
}
