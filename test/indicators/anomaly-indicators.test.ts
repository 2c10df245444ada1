import fs from 'node:fs';
import path from 'node:path';
import { from, toArray, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import type { AnomalyEvidence } from '../../src/rules/kinds/anomaly/anomaly-state.ts';
import { StateEngine } from '../../src/indicators/state-engine.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { assessEvents } from '../../src/pipeline/pipeline.ts';
import { loadRuleSet } from '../../src/rules/rule-set.ts';
import { RuleLoadError } from '../../src/errors.ts';
import { generated, shippedRules, STREAMS_DIR, tempDir, RULES_DIR } from '../helpers.ts';

const DAY_MS = 86_400_000;

/** Runs generated traffic through the indicators, scoring and alerting, as the processor does. */
async function alertsFor(events: ReturnType<typeof generated>): Promise<Alert[]> {
  const rules = shippedRules();
  const journaled = events.map((g, i) => ({ n: i + 1, event: g.event }));
  return lastValueFrom(from(journaled).pipe(assessEvents(() => rules, new StateEngine(), createMetrics(), (stage, error) => { throw new Error(`${stage}: ${error.message}`); }), toArray()));
}

describe('anomaly indicators declared in rule files', () => {
  it('raises a volume alert for a surge of crossings planted in generated traffic, with the baseline and band in its evidence', async () => {
    // Four days of traffic, surges planted rarely; the detectors learn each post's day on the first ones.
    const all = generated(210_000, { seed: 5, cases: ['crossing-surge'], plantRate: 0.00001 });
    const startMs = Date.parse(all[0]!.event.eventTime);
    const surges = all.flatMap((g) => (g.label && Date.parse(g.label.eventTime) - startMs > 1.5 * DAY_MS ? [g.label] : []));
    expect(surges.length).toBeGreaterThan(0);
    const alerts = (await alertsFor(all)).filter((a) => a.indicators.some((i) => i.id === 'crossing.volume-anomaly'));
    for (const surge of surges) {
      const t = Date.parse(surge.eventTime);
      const found = alerts.find((a) => {
        const evidence = a.indicators[0]!.evidence.find((e) => e.op === 'anomaly')!.actual as AnomalyEvidence;
        return a.post === surge.post && Date.parse(evidence.bucket!.from) <= t && t - Date.parse(evidence.bucket!.from) < 30 * 60_000;
      });
      expect(found, `no volume alert for the surge at ${surge.post} ${surge.eventTime}`).toBeDefined();
      const evidence = found!.indicators[0]!.evidence.find((e) => e.op === 'anomaly')!.actual as AnomalyEvidence;
      expect(found!.trigger).toBe('bucket');
      expect(evidence.value).toBeGreaterThan(evidence.high);
      expect(evidence.baseline).toBeLessThan(evidence.value);
      expect(evidence.low).toBeLessThan(evidence.baseline);
      expect(evidence.direction).toBe('high');
      expect(evidence.series!.at(-1)!.value).toBe(evidence.value);
      expect(evidence.series!.length).toBeGreaterThan(10);
      // A count's band: whole numbers, never below zero, at every point of the series too.
      for (const band of [evidence, ...evidence.series!]) {
        expect(band.low).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(band.low) && Number.isInteger(band.high)).toBe(true);
      }
      // The subject reads as a sentence, in the post's time: `KZ-ALA: 40 arrivals per 15m on 03 Nov 06:00–06:15 +05:00 (usually about 9)`.
      expect(found!.subject).toMatch(new RegExp(`^${surge.post}: ${evidence.value} arrivals per 15m on \\d{2} [A-Z][a-z]{2} \\d{2}:\\d{2}–\\d{2}:\\d{2} [+-]\\d{2}:\\d{2} \\(usually about [\\d.,]+\\)$`));
      expect(found!.subject).not.toMatch(/\d{2}Z\b|event\.post =/);
    }
    // Few false alarms: at most one volume alert a day besides the surges, over 15 posts.
    expect(alerts.length).toBeLessThanOrEqual(surges.length + 4);
  }, 120_000);

  it('counts a coach as one arrival: fifty passengers of one vehicle at a quiet post raise no volume alert, fifty people on foot do', async () => {
    // A quarter of the region's volume: six days of traffic, so that the hour-of-day baselines are learnt.
    const all = generated(110_000, { seed: 6, plantRate: 0, volume: 0.25 });
    const startMs = Date.parse(all[0]!.event.eventTime);
    const template = all.find((g) => g.event.kind === 'crossing' && g.event.mode === 'road')!.event as Crossing;
    /** Fifty crossings at `post` from `atMs`, 10 s apart, in a vehicle or on foot. */
    const group = (post: string, atMs: number, prefix: string, vehicle: Crossing['vehicle'] | undefined): Crossing[] =>
      Array.from({ length: 50 }, (_, i) => {
        const e = structuredClone(template);
        e.eventId = `${prefix}-${i}`;
        e.post = post;
        e.direction = 'entry';
        e.eventTime = `${new Date(atMs + i * 10_000 + 5 * 3_600_000).toISOString().slice(0, 23)}+05:00`;
        e.document = { ...e.document, number: `${prefix.toUpperCase()}${String(i).padStart(6, '0')}` };
        delete e.document.mrz;
        if (vehicle) e.vehicle = vehicle;
        else delete e.vehicle;
        e.mode = vehicle ? 'road' : 'pedestrian';
        return e;
      });
    // Two nights after the detectors have learnt three days: 02:05 local at two quiet posts.
    const coachAt = startMs + 3 * DAY_MS + 21 * 3_600_000 + 5 * 60_000;
    const walkersAt = coachAt + DAY_MS;
    const extra = [...group('TM-IMAMNAZAR', coachAt, 'coach', { plate: 'HM1234MR', country: 'TKM' }), ...group('TM-IMAMNAZAR', walkersAt, 'walk', undefined)];
    const stream = [...all.map((g) => g.event), ...extra].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
    const alerts = (await alertsFor(stream.map((event) => ({ event, trafficClass: 'pedestrian' as const })))).filter((a) => a.indicators.some((i) => i.id === 'crossing.volume-anomaly') && a.post === 'TM-IMAMNAZAR');
    const bucketOf = (a: Alert): number => Date.parse((a.indicators[0]!.evidence.find((e) => e.op === 'anomaly')!.actual as AnomalyEvidence).bucket!.from);
    const near = (t: number) => (a: Alert) => Math.abs(bucketOf(a) - t) < 20 * 60_000;
    expect(alerts.filter(near(coachAt))).toEqual([]);
    expect(alerts.filter(near(walkersAt)).length).toBe(1);
  }, 120_000);

  it('fires per event on a cargo item whose weight per package is far from what its HS code usually weighs', async () => {
    const cargo = generated(40_000, { seed: 8, plantRate: 0 }).filter((g) => g.event.kind === 'cargo');
    const common = new Map<string, number>();
    for (const g of cargo) if (g.event.kind === 'cargo') for (const item of g.event.items) common.set(item.hsCode, (common.get(item.hsCode) ?? 0) + 1);
    const [hsCode] = [...common].sort((a, b) => b[1] - a[1])[0]!;
    const last = structuredClone(cargo.at(-1)!);
    if (last.event.kind !== 'cargo') throw new Error('not cargo');
    last.event.eventId = 'heavy-packages';
    last.event.items = [{ hsCode, description: 'declared goods', packages: 10, grossKg: 90_000, netKg: 85_000, value: { amount: 50_000, currency: 'USD' } }];
    const alerts = await alertsFor([...cargo, last]);
    const alert = alerts.find((a) => a.eventId === 'heavy-packages');
    const indicator = alert?.indicators.find((i) => i.id === 'cargo.weight-per-package-anomaly');
    expect(indicator, 'the planted declaration did not fire the indicator').toBeDefined();
    expect(indicator!.evidence).toContainEqual({ field: 'event.items.map(i, i.hsCode)', op: 'anomaly key', actual: hsCode });
    const evidence = indicator!.evidence.find((e) => e.op === 'anomaly')!.actual as AnomalyEvidence;
    expect(evidence.value).toBe(9000);
    expect(evidence.value).toBeGreaterThan(evidence.high);
  }, 60_000);

  it('reports a bad anomaly declaration with file, line and path', () => {
    const problemsOf = (lines: string[]): string => {
      fs.writeFileSync(path.join(rulesDir, 'bad.yaml'), [...HEAD, ...lines, ''].join('\n'));
      try {
        loadRuleSet({ rulesDir, streamsDir: STREAMS_DIR });
      } catch (thrown) {
        expect(thrown).toBeInstanceOf(RuleLoadError);
        return (thrown as RuleLoadError).problems.map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n');
      }
      return 'loaded';
    };
    const HEAD = ['id: crossing.bad-anomaly', 'title: Bad', 'description: Bad.', 'version: 1', 'owner: me', 'streams: [crossings]', 'severity: low', 'weight: 10', 'condition: "true"', 'anomaly:'];
    const rulesDir = tempDir();
    fs.cpSync(path.join(RULES_DIR, 'lists'), path.join(rulesDir, 'lists'), { recursive: true });
    fs.copyFileSync(path.join(RULES_DIR, 'scoring.yaml'), path.join(rulesDir, 'scoring.yaml'));
    expect(problemsOf(['  key: event.post', '  metric: "1.0"', '  detector: { kind: seasonal, threshold: 2 }'])).toMatch(/^13 anomaly\.detector\.threshold: .*1/);
    const typeErrors = problemsOf(['  key: derived.ageYears', '  metric: event.post', '  detector: { kind: robust }']);
    expect(typeErrors).toMatch(/^11 anomaly\.key: this must be a string or a list of strings, it is a int/m);
    expect(typeErrors).toMatch(/^12 anomaly\.metric: this must be a number or a list of numbers, it is a string/m);
    expect(problemsOf(['  key: event.post', '  every: 15m', '  aggregate: mean', '  detector: { kind: robust }'])).toMatch(/anomaly\.metric: aggregate sum, mean or distinct needs a metric/);
    // A distinct count is one key an event: a list key (one observation per element) is refused.
    expect(problemsOf(['  key: event.itinerary.routing', '  every: 1d', '  aggregate: distinct', '  metric: event.post', '  detector: { kind: robust }'])).toMatch(/anomaly\.key.*must be a string, it is a list/);
  });
});
