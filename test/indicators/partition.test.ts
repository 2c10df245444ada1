import { describe, expect, it } from 'vitest';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { type Assessment, assessEvent } from '../../src/indicators/evaluate-indicators.ts';
import { type EventHits, joiningPartition, ownerOf, ownerOfEvent, ownerOfRule, reportingPartition, ruleShare } from '../../src/indicators/partition.ts';
import { StateEngine } from '../../src/indicators/state-engine.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { generated, shippedRules } from '../helpers.ts';

/** What an assessment says, as comparable text: the rules that fired, their evidence, the deferred hits. */
function outcome(a: Assessment): string {
  return JSON.stringify({
    fired: a.fired.map((r) => r.def.id),
    evidence: [...(a.stateEvidence ?? [])].sort(([x], [y]) => x.localeCompare(y)),
    deferred: a.deferred.map((d) => [d.ruleId, d.enriched.event.eventId, d.evidence, d.alertId ?? null]),
  });
}

describe('processor instances sharing a stream (rule shares and the join)', () => {
  const rules = shippedRules();
  const traffic = generated(6_000, { seed: 5, plantRate: 0.05 }).map((g) => g.event);

  it('two instances, windows and sequences dealt out key by key, find on every event what one process finds', () => {
    const metrics = createMetrics();
    const single = new StateEngine();
    const engines = [new StateEngine(), new StateEngine()];
    const shares = [ruleShare(0, 2), ruleShare(1, 2)];
    let reported: EventHits[] = [];
    const second = reportingPartition(shares[1]!, (hits) => reported.push(hits));
    const first = joiningPartition(shares[0]!, (seq) => reported.filter((h) => h.seq === seq));
    const keyedHitsAt = [0, 0];
    let differing = 0;
    let firedAny = 0;
    traffic.forEach((event, i) => {
      const n = i + 1;
      const expected = assessEvent(rules, single, enrichEvent(n, event, rules.reference), metrics);
      // Each instance enriches its own copy, as separate processes do.
      const one = enrichEvent(n, event, rules.reference);
      second.settle(assessEvent(rules, engines[1]!, one, metrics, undefined, shares[1]));
      for (const hits of reported) for (const id of hits.fired) if (rules.rules.find((r) => r.def.id === id)?.stateful?.partitionKey) keyedHitsAt[1]! += 1;
      const zero = enrichEvent(n, event, rules.reference);
      const own = assessEvent(rules, engines[0]!, zero, metrics, undefined, shares[0]);
      keyedHitsAt[0]! += own.fired.filter((r) => r.stateful?.partitionKey).length;
      const joined = first.settle(own);
      reported = [];
      if (outcome(joined) !== outcome(expected)) differing += 1;
      if (expected.fired.some((r) => r.stateful) || expected.deferred.length > 0) firedAny += 1;
    });
    expect(differing).toBe(0);
    expect(firedAny).toBeGreaterThan(20);
    // Both instances found hits of the rules dealt out by key.
    expect(keyedHitsAt[0]).toBeGreaterThan(0);
    expect(keyedHitsAt[1]).toBeGreaterThan(0);
  });

  it('deals a window out by the event key, the same for every rule keyed alike, and the other stateful rules whole', () => {
    const keyed = rules.rules.filter((r) => r.stateful?.partitionKey);
    const whole = rules.rules.filter((r) => r.stateful && !r.stateful.partitionKey);
    expect(keyed.length).toBeGreaterThan(0);
    expect(whole.length).toBeGreaterThan(0);
    const owners = new Set<number>();
    for (const [i, event] of traffic.slice(0, 500).entries()) {
      const enriched = enrichEvent(i + 1, event, rules.reference);
      for (const rule of keyed.filter((r) => r.kinds.has(event.kind))) {
        const owner = ownerOfEvent(rule, enriched, 3);
        owners.add(owner);
        // Exactly one of three instances takes it.
        expect([0, 1, 2].filter((k) => ruleShare(k, 3).owns(rule, enriched))).toEqual([owner]);
      }
      for (const rule of whole) expect(ownerOfEvent(rule, enriched, 3)).toBe(ownerOfRule(rule, 3));
    }
    expect([...owners].sort()).toEqual([0, 1, 2]);
  });

  it('keeps a rule that learns from alerts on instance 0, which raises them, whatever its id hashes to', () => {
    const learning = rules.rules.filter((r) => r.stateful?.learnsFromAlerts);
    expect(learning.map((r) => r.def.id)).toEqual(['crossing.pnr-link-alerted']);
    // By its id alone it would go to instance 2 of 3, which never raises an alert to learn from.
    expect(ownerOf('crossing.pnr-link-alerted', 3)).toBe(2);
    const enriched = enrichEvent(1, traffic.find((e) => e.kind === 'crossing')!, rules.reference);
    for (const count of [2, 3, 4, 5]) for (const rule of learning) expect([...Array(count).keys()].filter((k) => ruleShare(k, count).owns(rule, enriched))).toEqual([0]);
    // The link rules that only look at lists are dealt out by id as before.
    const listed = rules.rules.find((r) => r.def.id === 'crossing.pnr-link-listed')!;
    expect(listed.stateful?.learnsFromAlerts).toBeUndefined();
  });
});
