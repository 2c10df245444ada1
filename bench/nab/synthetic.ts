/**
 * A small seeded corpus of NAB-like series in the manner of the categories the development split
 * lacks (realKnownCause, realTweets): bursty over-dispersed counts with a daily cycle, low counts
 * with many zeros, a temperature that drifts before a failure, a weekly demand cycle that breaks on
 * a holiday, a level shift, latency spikes, an hourly outdoor temperature. Longer than the
 * development files (4,000–20,000 rows), as those categories' files are.
 *
 * It is an extra sanity check, scored apart and never used to choose anything: it only shows that
 * nothing in a detector's design breaks on series of these shapes. Windows are placed as NAB's
 * labellers did: centred on the anomaly's start, 10% of the file's rows shared among its windows.
 */
import { Random } from '../../src/generate/random.ts';
import type { NabSeries } from './corpus.ts';

const MINUTE = 60_000;
/** A Thursday, as NAB's files start on ordinary weekdays. */
const START = Date.UTC(2015, 1, 26);

/** Gamma(shape, 1) by Marsaglia and Tsang. */
function gamma(rng: Random, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(1 - rng.next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson(mean): Knuth's product below 30, a rounded normal above. */
function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k += 1;
    p *= rng.next();
  }
  return k;
}

/** Negative binomial with the given mean and dispersion `size` (variance mean + mean²/size). */
function negativeBinomial(rng: Random, mean: number, size: number): number {
  return poisson(rng, (mean * gamma(rng, size)) / size);
}

/** A series of `n` rows `stepMinutes` apart; `anomalies` are the rows where labelled anomalies start. */
function build(name: string, n: number, stepMinutes: number, anomalies: number[], value: (i: number) => number): NabSeries {
  const timestamps = Array.from({ length: n }, (_, i) => START + i * stepMinutes * MINUTE);
  const values = timestamps.map((_, i) => Math.round(value(i) * 1000) / 1000);
  const width = Math.floor((0.1 * n) / anomalies.length);
  const windows = anomalies.map((row): [number, number] => {
    const first = Math.max(0, row - Math.floor(width / 2));
    const last = Math.min(n - 1, first + width - 1);
    return [timestamps[first]!, timestamps[last]!];
  });
  return { name: `synthetic/${name}.csv`, timestamps, values, windows };
}

/** Fraction of a day (0..1) of row `i` of a series `stepMinutes` apart. */
const dayPhase = (i: number, stepMinutes: number) => ((i * stepMinutes) % 1440) / 1440;

/** The synthetic corpus; the same seed gives the same series on every machine. */
export function syntheticCorpus(seed = 19): NabSeries[] {
  const rng = new Random(seed);
  const series: NabSeries[] = [];

  // Tweets about a company: over-dispersed counts per 5 minutes, a daily cycle, unlabelled small
  // bursts (the heavy tail), and two labelled news bursts ten times the usual volume.
  {
    let burst = 0;
    series.push(
      build('tweets_daily_bursts', 15_840, 5, [6_000, 12_000], (i) => {
        const base = 30 * (1 + 0.6 * Math.sin(2 * Math.PI * dayPhase(i, 5)));
        if (burst === 0 && rng.chance(1 / 1_500)) burst = 6;
        const factor = (i >= 6_000 && i < 6_024) || (i >= 12_000 && i < 12_036) ? 10 : burst > 0 ? 3 : 1;
        if (burst > 0) burst -= 1;
        return negativeBinomial(rng, base * factor, 4);
      }),
    );
  }
  // A quiet account: counts of 0–6 with many zeros, one labelled burst and a labelled outage.
  series.push(
    build('tweets_low_counts', 15_840, 5, [9_000, 13_000], (i) => {
      const base = 2.5 * (1 + 0.8 * Math.sin(2 * Math.PI * dayPhase(i, 5)));
      if (i >= 9_000 && i < 9_012) return poisson(rng, 40);
      if (i >= 13_000 && i < 13_144) return 0;
      return negativeBinomial(rng, base, 2);
    }),
  );
  // A machine's temperature: AR(1) around 85 with a small daily cycle; a slow drift down to 60
  // before a first failure, and a sudden drop to 30 at a second.
  {
    let noise = 0;
    series.push(
      build('machine_temperature_drift', 20_000, 5, [8_000, 16_000], (i) => {
        noise = 0.95 * noise + 0.5 * rng.normal();
        let level = 85 + 2 * Math.sin(2 * Math.PI * dayPhase(i, 5));
        if (i >= 8_000 && i < 8_600) level -= (25 * (i - 8_000)) / 600;
        else if (i >= 8_600 && i < 8_700) level = 60;
        if (i >= 16_000 && i < 16_050) level = 30;
        return level + noise;
      }),
    );
  }
  // Taxi demand per 30 minutes: a daily shape, weekends different, noise of 4%; a public holiday
  // on a weekday that looks like a Sunday, and a storm that halves demand for twelve hours.
  {
    const holiday = 103 * 48;
    const storm = 180 * 48 + 20;
    series.push(
      build('taxi_weekly_break', 10_320, 30, [holiday, storm], (i) => {
        const day = Math.floor(i / 48);
        // START is a Thursday: day 2 and 3 of every week are Saturday and Sunday.
        const weekend = day % 7 === 2 || day % 7 === 3 || (i >= holiday && i < holiday + 48);
        const hour = (i % 48) / 2;
        const shape = weekend
          ? 0.7 + 0.3 * Math.cos((2 * Math.PI * (hour - 14)) / 24)
          : 0.55 + 0.35 * Math.cos((2 * Math.PI * (hour - 9)) / 24) + 0.25 * Math.cos((2 * Math.PI * (hour - 19)) / 12);
        const stormFactor = i >= storm && i < storm + 24 ? 0.45 : 1;
        return Math.round(15_000 * shape * stormFactor * (1 + 0.04 * rng.normal()));
      }),
    );
  }
  // CPU of an autoscaling group: noisy around 40 with unlabelled short spikes, then a sustained
  // shift to 65 after a misconfiguration.
  series.push(
    build('cpu_level_shift', 18_000, 5, [12_000], (i) => {
      const spike = rng.chance(1 / 500) ? 15 : 0;
      return Math.max(0, (i >= 12_000 ? 65 : 40) + 3 * rng.normal() + spike);
    }),
  );
  // Request latency: log-normal around 45 ms, two labelled spikes of three times the usual.
  series.push(
    build('latency_spikes', 4_032, 5, [2_000, 3_300], (i) => {
      const spike = (i >= 2_000 && i < 2_003) || (i >= 3_300 && i < 3_302) ? 3 : 1;
      return 45 * rng.logNormal(0.05) * spike;
    }),
  );
  // Outdoor temperature per hour: a daily cycle, a slow seasonal trend, AR(1) weather; a cold snap
  // of 10 degrees over two days and a one-day heat spike.
  {
    let weather = 0;
    series.push(
      build('ambient_temperature', 7_267, 60, [3_500, 6_000], (i) => {
        weather = 0.97 * weather + 0.4 * rng.normal();
        const season = 8 * Math.sin((2 * Math.PI * i) / (24 * 365));
        const daily = 3 * Math.sin(2 * Math.PI * dayPhase(i, 60));
        const snap = i >= 3_500 && i < 3_548 ? -10 : 0;
        const heat = i >= 6_000 && i < 6_024 ? 8 : 0;
        return 70 + season + daily + weather + snap + heat;
      }),
    );
  }
  return series;
}

/** Kinds of anomaly-free noise in {@link noiseSeries}. */
export const NOISE_KINDS = ['gaussian', 'poisson 0.3', 'poisson 3', 'poisson 5 daily', 'log-normal σ 1', 'zeros with rare ones', 'random walk', 'quantised gaussian'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/**
 * One anomaly-free series of 20,000 five-minute rows of the given kind: every alert on it is
 * false. A stress test of a detector's false-alert rate on shapes it may meet, apart from NAB.
 */
export function noiseSeries(kind: NoiseKind, seed: number): NabSeries {
  const rng = new Random(seed);
  let walk = 0;
  const value = (i: number): number => {
    switch (kind) {
      case 'gaussian':
        return 50 + 5 * rng.normal();
      case 'poisson 0.3':
        return poisson(rng, 0.3);
      case 'poisson 3':
        return poisson(rng, 3);
      case 'poisson 5 daily':
        return poisson(rng, 5 * (1 + 0.9 * Math.sin(2 * Math.PI * dayPhase(i, 5))));
      case 'log-normal σ 1':
        return 10 * rng.logNormal(1);
      case 'zeros with rare ones':
        return rng.chance(0.002) ? 1 : 0;
      case 'random walk':
        return (walk += rng.normal());
      case 'quantised gaussian':
        return Math.round(50 + 0.4 * rng.normal());
    }
  };
  const timestamps = Array.from({ length: 20_000 }, (_, i) => START + i * 5 * MINUTE);
  return { name: `noise/${kind}-${seed}.csv`, timestamps, values: timestamps.map((_, i) => value(i)), windows: [] };
}
