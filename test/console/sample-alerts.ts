import type { Alert, FiredIndicator } from '../../src/alert/alert.ts';
import { Random } from '../../src/generate/random.ts';
import type { SeriesPoint } from '../../src/rules/kinds/anomaly/bucket-series.ts';
import { generated } from '../helpers.ts';

const POSTS = ['KZ-KHORGOS', 'UZ-TAS', 'KG-DOSTUK', 'TJ-PANJIPOYON', 'KZ-ALA'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const RULES: readonly Omit<FiredIndicator, 'evidence' | 'severity' | 'weight' | 'version'>[] = [
  { id: 'crossing.mrz-check-digit', title: 'MRZ check digit fails', tags: ['document', 'mrz'] },
  { id: 'crossing.one-way-ticket', title: 'One-way ticket', tags: ['pnr'] },
  { id: 'crossing.conflict-zone-routing', title: 'Routing through a transit hub next to a conflict zone', tags: ['pnr', 'ftf'] },
  { id: 'cargo.undervalued', title: 'Declared value far below the norm', tags: ['valuation'] },
  { id: 'cargo.precursor-routing', title: 'Drug precursor moving through a higher-risk route', tags: ['precursor', 'drugs'] },
];
const NAMES = ['KARIMOVA Gulnoza', 'SEITKALIYEV Daulet', 'Bukhara Commerce LLC', 'HUANG Tao', 'Dashoguz Trade'];

/**
 * Varied alerts of the real shape, from a seed: every severity, kind, post, rule and
 * tag, some repeats of a group, for tests of the page's own logic.
 */
export function sampleAlerts(count: number, seed = 1): Alert[] {
  const rng = new Random(seed);
  const event = generated(1, { seed })[0]!.event;
  return Array.from({ length: count }, (_, i) => {
    const kind = rng.chance(0.5) ? 'crossing' : 'cargo';
    const fired = RULES.filter((r) => r.id.startsWith(kind) && rng.chance(0.6));
    const indicators: FiredIndicator[] = (fired.length > 0 ? fired : [RULES.find((r) => r.id.startsWith(kind))!]).map((r) => ({
      ...r,
      version: 1,
      weight: 30,
      severity: rng.pick(SEVERITIES),
      evidence: [{ field: 'derived.x', op: '==', expected: true, actual: true }],
    }));
    const eventId = `s${seed}-${String(i + 1).padStart(6, '0')}`;
    const repeat = rng.chance(0.2) ? rng.int(2, 4) : 1;
    const post = rng.pick(POSTS);
    const minute = i * 7;
    return {
      alertId: `alert:${eventId}`,
      eventId,
      kind,
      post,
      eventTime: new Date(Date.UTC(2026, 10, 2, 0, minute)).toISOString().replace('Z', '+00:00'),
      journalRecord: i + 1,
      subject: `${rng.pick(NAMES)} ${kind === 'crossing' ? 'passport' : 'declaration'} ${rng.digits(8)}`,
      score: rng.int(50, 180),
      threshold: 50,
      severity: rng.pick(SEVERITIES),
      ruleSetVersion: 'abcdef123456',
      indicators,
      shadowIndicators: [],
      trigger: 'event',
      ...(repeat > 1 && { group: { id: 'alert:first', count: repeat, subject: 'document KAZ:N1' } }),
      event: { ...event, eventId, post },
    } satisfies Alert;
  });
}


/**
 * An alert with the evidence shapes the console draws specially: a bucketed anomaly
 * with its recent series (the last bucket far above the band) and a watchlist match
 * with its alignments. The processor raises neither yet, so the browser test feeds this
 * to the page in the stream.
 */
export function richAlert(seq: number): { alert: Alert; series: SeriesPoint[] } {
  const event = generated(1, { seed: 909 })[0]!.event;
  const start = Date.UTC(2026, 10, 2, 0, 0);
  const series: SeriesPoint[] = Array.from({ length: 24 }, (_, i) => {
    const baseline = 30 + 10 * Math.sin(i / 4);
    const value = i === 23 ? 96 : i === 9 ? baseline - 20 : Math.round(baseline + ((i * 7) % 9) - 4);
    return { t: new Date(start + i * 900_000).toISOString(), value, baseline, low: baseline - 15, high: baseline + 15 };
  });
  const last = series.at(-1)!;
  const alert: Alert = {
    alertId: `alert:rich-${seq}`,
    eventId: `rich-${seq}`,
    kind: event.kind,
    post: event.post,
    eventTime: event.eventTime,
    journalRecord: seq,
    subject: 'VOLUME at the post, with a listed traveller',
    score: 130,
    threshold: 50,
    severity: 'high',
    ruleSetVersion: 'feedbeef0001',
    indicators: [
      {
        id: 'crossing.volume-anomaly',
        version: 2,
        title: 'Crossings at a post in 15 minutes far from the usual for the hour',
        weight: 50,
        severity: 'medium',
        tags: ['volume', 'anomaly'],
        evidence: [
          { field: 'event.post', op: 'anomaly key', actual: event.post },
          {
            field: 'count',
            op: 'anomaly',
            expected: 'score ≥ 0.99999 (seasonal)',
            actual: { value: last.value, baseline: last.baseline, low: last.low, high: last.high, score: 0.999997, direction: 'high', bucket: { from: last.t, to: new Date(Date.parse(last.t) + 900_000).toISOString() }, series },
          },
        ],
      },
      {
        id: 'crossing.watchlist-name',
        version: 1,
        title: 'Traveller resembles a listed person',
        weight: 80,
        severity: 'high',
        tags: ['watchlist'],
        evidence: [
          {
            field: 'event.traveller',
            op: 'watchlist',
            actual: {
              list: 'un-consolidated',
              entry: 'QDi.999 EXAMPLE Person',
              score: 0.96,
              alignments: [
                { query: 'KARIMOV', listed: 'KARIMOV', similarity: 1 },
                { query: 'Gulnoza', listed: 'Gulnora', similarity: 0.95, rule: 'typo or respelling (0.95)' },
                { query: '1989-01-21', listed: '1988', similarity: 0.9 },
              ],
            },
          },
          { field: 'derived.somethingElse', op: 'custom', actual: { nested: { deeply: [1, 2, 3] }, note: 'a shape the console does not know' } },
        ],
      },
    ],
    shadowIndicators: ['crossing.experimental'],
    trigger: 'event',
    event,
  };
  return { alert, series };
}
