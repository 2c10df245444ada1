import { describe, expect, it } from 'vitest';
import { logRuleErrorsOnce } from '../../src/app/rule-errors.ts';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { assessEvent } from '../../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../../src/indicators/state-engine.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import type { CompiledRule, RuleSet } from '../../src/rules/rule-set.ts';
import { generated, shippedRules } from '../helpers.ts';

describe('a rule that throws', () => {
  it('is counted on every event, logged once with its id, and leaves the other rules firing', () => {
    const shipped = shippedRules();
    const crossings = generated(300, { seed: 5, plantRate: 0 })
      .map((g) => g.event)
      .filter((e) => e.kind === 'crossing');
    const broken: CompiledRule = {
      ...shipped.byKind.crossing.find((r) => !r.stateful)!,
      condition: {
        test: () => {
          throw new Error('no such overload: int < string');
        },
        explain: () => false,
      },
    };
    const always: CompiledRule = { ...broken, def: { ...broken.def, id: 'test.always' }, condition: { test: () => true, explain: () => true } };
    const set: RuleSet = { ...shipped, rules: [broken, always], byKind: { crossing: [broken, always], cargo: [] } };
    const lines: string[] = [];
    const onRuleError = logRuleErrorsOnce((line) => lines.push(line));
    const metrics = createMetrics();
    const engine = new StateEngine();
    const fired = crossings.slice(0, 3).map((event, i) => assessEvent(set, engine, enrichEvent(i + 1, event, set.reference), metrics, onRuleError).fired.map((r) => r.def.id));
    expect(metrics.ruleErrors).toBe(3);
    expect(fired).toEqual([['test.always'], ['test.always'], ['test.always']]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`rule ${broken.def.id} (version ${broken.def.version}`);
    expect(lines[0]).toContain(`threw on event ${crossings[0]!.eventId}: no such overload: int < string`);
    const nextVersion: CompiledRule = { ...broken, def: { ...broken.def, version: broken.def.version + 1 } };
    assessEvent({ ...set, rules: [nextVersion], byKind: { crossing: [nextVersion], cargo: [] } }, engine, enrichEvent(4, crossings[3]!, set.reference), metrics, onRuleError);
    expect(lines).toHaveLength(2);
  });
});
