import { parse as parseMrz } from 'mrz';
import { describe, expect, it } from 'vitest';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { assessEvent, firedRules } from '../../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../../src/indicators/state/state-engine.ts';
import { DEFAULT_CASE_NAMES } from '../../src/generate/planted.ts';
import { createMetrics } from '../../src/pipeline/metrics.ts';
import { validateEvent } from '../../src/model/event.ts';
import { scoreFired } from '../../src/score/score-events.ts';
import { generated, shippedRules } from '../helpers.ts';

describe('generateTraffic', () => {
  it('gives the same traffic for the same seed and different traffic for another', () => {
    const a = generated(300, { seed: 42 });
    expect(generated(300, { seed: 42 })).toEqual(a);
    expect(generated(300, { seed: 43 })).not.toEqual(a);
  });

  it('moves event time forward with the volume curve and stamps local offsets', () => {
    const events = generated(2000, { seed: 8, start: '2026-11-02T00:00:00Z' }).map((g) => g.event);
    const times = events.map((e) => Date.parse(e.eventTime));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(new Set(events.map((e) => e.eventTime.slice(-6)))).toEqual(new Set(['+05:00', '+06:00']));
    // 2,000 events at roughly 47,000 crossings and 3,300 declarations a day is about an hour.
    const hours = (times.at(-1)! - times[0]!) / 3_600_000;
    expect(hours).toBeGreaterThan(0.5);
    expect(hours).toBeLessThan(12);
  });

  it('writes passports whose MRZ the mrz library verifies', () => {
    const docs = generated(1500, { seed: 9, plantRate: 0 })
      .map((g) => g.event)
      .flatMap((e) => (e.kind === 'crossing' && e.document.mrz ? [e.document.mrz] : []));
    expect(docs.length).toBeGreaterThan(100);
    const invalid = docs.filter((lines) => !parseMrz(lines).details.every((d) => d.valid || !d.field?.endsWith('CheckDigit')));
    expect(invalid).toEqual([]);
  });

  it('plants every case at about the chosen rate, each labelled with its indicators', () => {
    const traffic = generated(20_000, { seed: 10, plantRate: 0.02 });
    const labels = traffic.flatMap((g) => (g.label ? [g.label] : []));
    expect(labels.length).toBeGreaterThan(300);
    expect(labels.length).toBeLessThan(500);
    expect(new Set(labels.map((l) => l.case))).toEqual(new Set(DEFAULT_CASE_NAMES));
    expect(traffic.every((g) => validateEvent(JSON.parse(JSON.stringify(g.event))).success)).toBe(true);
  });

  it('makes every planted case trip its indicators and cross the alert threshold under the shipped rules', () => {
    const rules = shippedRules();
    const metrics = createMetrics();
    const engine = new StateEngine();
    const misses: string[] = [];
    let planted = 0;
    generated(20_000, { seed: 12, plantRate: 0.03 }).forEach(({ event, label }, i) => {
      // Every event goes through the state engine, so multi-event cases build their windows.
      const { fired } = assessEvent(rules, engine, enrichEvent(i + 1, event, rules.reference), metrics);
      if (!label) return;
      planted += 1;
      const ids = fired.map((r) => r.def.id);
      const { severity } = scoreFired(fired, rules.scoring);
      if (!label.indicators.every((id) => ids.includes(id)) || severity === null) misses.push(`${label.case}: ${ids.join(',')}`);
    });
    expect(planted).toBeGreaterThan(400);
    expect(misses).toEqual([]);
    expect(metrics.ruleErrors).toBe(0);
    expect(metrics.late).toBe(0);
  });

  it('raises few alerts on ordinary traffic', () => {
    const rules = shippedRules();
    const metrics = createMetrics();
    const ordinary = generated(20_000, { seed: 13, plantRate: 0 });
    const alerts = ordinary.filter(({ event }) => scoreFired(firedRules(rules, enrichEvent(1, event, rules.reference), metrics), rules.scoring).severity !== null);
    expect(alerts.length / ordinary.length).toBeLessThan(0.005);
  });
});
