import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeEvent, runExamples } from '../../src/pipeline/examples.ts';
import { explainEvents } from '../../src/pipeline/explain.ts';
import { loadRuleSet } from '../../src/rules/rule-set.ts';
import { generated, RULES_DIR, STREAMS_DIR, shippedRules, tempDir } from '../helpers.ts';

describe('rule examples', () => {
  it('every shipped rule has examples that fire and stay quiet, and they all pass', () => {
    const outcomes = runExamples(shippedRules(), RULES_DIR);
    expect(outcomes.filter((o) => !o.passed)).toEqual([]);
    // Anomaly indicators learn from hundreds of events before they may fire; their own tests
    // (test/indicators/anomaly-indicators.test.ts) run them on days of generated traffic.
    // A link rule that learns from alerts fires only after an alert was raised, which rule
    // examples (one rule alone) never are: test/edifact/pnr-link.test.ts runs it whole.
    // Partner hits fire only on tokens a partner published: test/exchange links two processors.
    for (const rule of shippedRules().rules.filter((r) => r.def.anomaly === undefined && r.def.link?.alerted === undefined && r.def['partner-hit'] === undefined)) {
      const mine = outcomes.filter((o) => o.ruleId === rule.def.id);
      expect(mine.some((o) => o.expected), rule.def.id).toBe(true);
      expect(mine.some((o) => !o.expected), rule.def.id).toBe(true);
    }
  });

  it('reports an example that does not do what it says, with the evidence, and one whose event is invalid', () => {
    const dir = tempDir();
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    const file = path.join(dir, 'indicators', 'crossing-document.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      text
        .replace('name: "an expired passport"\n        fires: true', 'name: "an expired passport"\n        fires: false')
        .replace('name: "expires in 18 days"\n        fires: true\n        event: {"document": {"expiry": "2026-11-20"', 'name: "expires in 18 days"\n        fires: true\n        event: {"document": {"expiry": "soon"'),
    );
    const outcomes = runExamples(loadRuleSet({ rulesDir: dir, streamsDir: STREAMS_DIR }), dir);
    const failed = outcomes.filter((o) => !o.passed);
    expect(failed).toEqual([
      expect.objectContaining({ ruleId: 'crossing.document-expired', example: 'an expired passport', expected: false, actual: true, evidence: [expect.objectContaining({ field: 'derived.documentExpired', actual: true })] }),
      expect.objectContaining({ ruleId: 'crossing.document-expiring-soon', problems: [expect.stringContaining('document.expiry')] }),
    ]);
  });

  it('merges example changes into the base event: objects merge, lists replace, null removes', () => {
    expect(mergeEvent({ a: { b: 1, c: 2 }, l: [1, 2], x: 1 }, { a: { c: 3 }, l: [9], x: null })).toEqual({ a: { b: 1, c: 3 }, l: [9] });
  });
});

describe('explainEvents', () => {
  it('says for every rule whether it fired, and which sub-condition failed with its value', () => {
    const event = generated(300, { seed: 4, plantRate: 1, cases: ['one-way-cash-same-day'] })[0]!.event;
    const [explanation] = explainEvents(shippedRules(), [event]);
    if (!explanation?.valid) throw new Error('expected a valid event');
    const byId = new Map(explanation.rules.map((r) => [r.id, r]));
    expect(byId.get('crossing.one-way-cash-same-day')).toMatchObject({ fired: true, evidence: expect.arrayContaining([{ field: 'derived.bookingLeadDays', op: '<=', expected: 0, actual: 0 }]) });
    const expired = byId.get('crossing.document-expired')!;
    expect(expired.fired).toBe(false);
    expect(expired.evidence).toEqual([{ field: 'derived.documentExpired', op: 'is', expected: true, actual: false }]);
    // One-way (10), cash (10) and their combination (30): a low alert on its own.
    expect(explanation.score).toBeGreaterThanOrEqual(50);
    expect(explanation.severity).not.toBeNull();
  });

  it('names the kind of state of every stateful rule, anomaly included, and says what that state holds when it did not fire', () => {
    const events = generated(200, { seed: 9, plantRate: 0 }).map((g) => g.event).filter((e) => e.kind === 'crossing');
    const explanations = explainEvents(shippedRules(), events);
    const last = explanations.at(-1);
    if (!last?.valid) throw new Error('expected a valid event');
    const byId = new Map(last.rules.map((r) => [r.id, r]));
    const volume = byId.get('crossing.volume-anomaly')!;
    expect(volume).toMatchObject({ stateful: 'anomaly', fired: false });
    expect(volume.evidence.length).toBeGreaterThan(0);
    const kinds = new Set(last.rules.flatMap((r) => (r.stateful ? [r.stateful] : [])));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['absence', 'anomaly', 'sequence', 'window']));
    for (const rule of last.rules) expect(rule.stateful === undefined, rule.id).toBe(shippedRules().rules.find((r) => r.def.id === rule.id)!.stateful === undefined);
  });

  it('reports an invalid event with its issues', () => {
    expect(explainEvents(shippedRules(), [{ kind: 'crossing' }])[0]).toMatchObject({ valid: false, issues: expect.arrayContaining([{ path: 'eventId', message: expect.any(String) }]) });
  });
});
