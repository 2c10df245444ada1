import { describe, expect, it } from 'vitest';
import { enrichEvent } from '../../../src/enrich/enrich.ts';
import type { EnrichedEvent } from '../../../src/enrich/enriched.ts';
import type { EventKind } from '../../../src/model/event.ts';
import { celContext, compileCelCondition, environmentFor } from '../../../src/rules/cel/cel-condition.ts';
import type { Evidence } from '../../../src/state/condition.ts';
import { generated, shippedRules } from '../../helpers.ts';

const rules = shippedRules();
const events: EnrichedEvent[] = generated(6000, { seed: 31, plantRate: 0.05 }).map((g, i) => enrichEvent(i, g.event, rules.reference));

/** What the library's own evaluator says; an evaluation error counts as not firing. */
function reference(source: string, e: EnrichedEvent): boolean {
  try {
    return environmentFor(e.event.kind, rules.lists).evaluate(source, celContext(e.event, e.derived, e.event.kind)) === true;
  } catch {
    return false;
  }
}

function compiled(source: string, kind: EventKind) {
  const result = compileCelCondition(source, [kind], rules.lists);
  expect(result.problems).toEqual([]);
  return result.condition!;
}

describe('CEL conditions compiled to closures', () => {
  it('agree with the library evaluator for every shipped rule on thousands of events', () => {
    let fired = 0;
    for (const rule of rules.rules) {
      const source = rule.def.condition;
      if (source === undefined) continue;
      for (const e of events) {
        if (!rule.kinds.has(e.event.kind)) continue;
        const ours = rule.condition.test(e);
        if (ours) fired += 1;
        if (ours !== reference(source, e)) throw new Error(`${rule.def.id} disagrees on ${e.event.eventId}`);
        // The generated hot path and the closures that explain must agree too.
        if (rule.condition.explain(e, []) !== ours) throw new Error(`${rule.def.id}: test and explain disagree on ${e.event.eventId}`);
      }
    }
    expect(fired).toBeGreaterThan(300);
  });

  it('compiles every shipped rule instead of falling back to the library', () => {
    const withConditions = rules.rules.filter((r) => r.def.condition !== undefined);
    expect(withConditions.length).toBeGreaterThan(15);
    for (const rule of withConditions) {
      const condition = compileCelCondition(rule.def.condition!, [...rule.kinds], rules.lists).condition;
      expect(condition?.compiled, rule.def.id).toBe(true);
      // ...and its hot path is the generated function, not the closures.
      expect(condition?.test.name, rule.def.id).toBe('generated');
    }
  });

  it('follows CEL error semantics: && and || absorb an error when the other side decides', () => {
    const crossings = events.filter((e) => e.event.kind === 'crossing' && !('itinerary' in e.event)).slice(0, 50);
    const cases = [
      'event.itinerary.oneWay || true',
      'event.itinerary.oneWay && false',
      'false || event.itinerary.oneWay',
      '!(event.itinerary.oneWay)',
      '[event.itinerary.oneWay, true].exists(x, x == true)',
      'event.traveller.sex in ["F", "X"] ? derived.ageYears > 40 : derived.ageYears < 30',
      'size(event.traveller.familyName) > 6 && event.traveller.familyName.lowerAscii().startsWith("k")',
      'event.document.number.matches("^[A-Z]{2}[0-9]+$") || event.document.number.endsWith("7")',
      'derived.ageYears == 30 || derived.documentDaysToExpiry * 2 > 2000',
    ];
    for (const source of cases) {
      const condition = compiled(source, 'crossing');
      for (const e of crossings) {
        expect(condition.test(e), `${source} on ${e.event.eventId}`).toBe(reference(source, e));
        expect(condition.explain(e, []), `explain: ${source} on ${e.event.eventId}`).toBe(reference(source, e));
      }
    }
  });

  it('runs the generated hot path and the explaining closures alike on less common constructs', () => {
    const crossings = events.filter((e) => e.event.kind === 'crossing').slice(0, 300);
    const cases = [
      '[1, 2, 3].exists(x, [x, 5].exists(x, x == 2))',
      '[1, 2, 3].exists_one(n, n > 1) || [1, 2, 3].all(n, n > 0)',
      'event.itinerary.routing.exists(r, r == "IST") && event.itinerary.routing[0] != "DXB"',
      'event.traveller.familyName + "t0" == "t0" || event.traveller.familyName.contains("ov")',
      'event.itinerary.bagCount + 1 > 2 || derived.ageYears - 1 < 20',
      'event.document.number in [event.document.number, "X"] && double(derived.ageYears) >= 18.5',
      'has(event.itinerary) && event.itinerary.bagWeightKg * 2.0 > 40.0',
      'has(event.vehicle) ? event.vehicle.country != event.traveller.nationality : event.mode == "air"',
      'inList(event.post, "posts-bordering-afghanistan") || anyInList(event.itinerary.routing, "conflict-adjacent-hubs")',
      'event.itinerary.routing.map(r, r + "!").exists(x, x == "IST!") || [1, 2].map(n, n * 2) == [2, 4]',
    ];
    let held = 0;
    for (const source of cases) {
      const condition = compiled(source, 'crossing');
      expect(condition.test.name, source).toBe('generated');
      for (const e of crossings) {
        const expected = reference(source, e);
        if (expected) held += 1;
        expect(condition.test(e), `${source} on ${e.event.eventId}`).toBe(expected);
        expect(condition.explain(e, []), `explain: ${source} on ${e.event.eventId}`).toBe(expected);
      }
    }
    expect(held).toBeGreaterThan(300);
  });

  it('names the cargo item that decided, by its index, in the evidence', () => {
    const rule = rules.rules.find((r) => r.def.id === 'cargo.low-value-per-kg')!;
    const hit = events.find((e) => rule.condition.test(e))!;
    const evidence: Evidence[] = [];
    expect(rule.condition.explain(hit, evidence)).toBe(true);
    expect(evidence).toEqual([
      { field: expect.stringMatching(/^derived\.items\[\d+\]\.valueRatio$/), op: '!=', expected: null, actual: expect.any(Number) },
      { field: expect.stringMatching(/^derived\.items\[\d+\]\.valueRatio$/), op: '<', expected: 0.2, actual: expect.any(Number) },
    ]);
    const index = Number(/\[(\d+)\]/.exec(evidence[0]!.field)![1]);
    expect((hit.derived as { items: { valueRatio: number }[] }).items[index]!.valueRatio).toBe(evidence[1]!.actual);
  });

  it('runs a construct the compiler lacks on the library evaluator, with the same answers', () => {
    const source = 'derived.documentDaysToExpiry / 365 > 5';
    const condition = compileCelCondition(source, ['crossing'], rules.lists).condition!;
    expect(condition.compiled).toBe(false);
    for (const e of events.filter((x) => x.event.kind === 'crossing').slice(0, 200)) expect(condition.test(e)).toBe(reference(source, e));
  });

  it('reports type errors, unknown fields, unknown lists and non-boolean conditions', () => {
    const problems = (source: string) => compileCelCondition(source, ['crossing'], rules.lists).problems.map((p) => p.message);
    expect(problems('event.traveller.shoeSize > 40')).toEqual([expect.stringContaining('shoeSize')]);
    expect(problems('event.traveller.dateOfBirth > 40')).toEqual([expect.stringContaining('no such overload')]);
    expect(problems('inList(event.post, "afghan-posts")')).toEqual([expect.stringContaining('unknown list "afghan-posts"')]);
    expect(problems('derived.ageYears + 1')).toEqual([expect.stringContaining('must be a bool')]);
    expect(compileCelCondition('event.post ==', ['crossing'], rules.lists).problems).toEqual([{ message: expect.any(String), offset: expect.any(Number) }]);
    expect(problems('event.items.size() > 0')).toEqual([expect.stringContaining('items')]);
  });

  it('checks fields and types inside exists, all, exists_one, map and filter, and says where the fault is', () => {
    const problems = (source: string) => compileCelCondition(source, ['cargo'], rules.lists).problems;
    expect(problems('derived.items.exists(d, d.item.grossKgg > 5000.0)')).toEqual([{ message: expect.stringContaining('grossKgg'), offset: expect.any(Number) }]);
    expect(problems('event.items.all(i, i.grossKg > "5000")')).toEqual([{ message: expect.stringContaining('no such overload'), offset: expect.any(Number) }]);
    expect(problems('derived.items.exists_one(d, d.hsChapter == 29)')).toEqual([{ message: expect.stringContaining('string == int'), offset: expect.any(Number) }]);
    expect(problems('event.items.map(i, i.weight).size() > 0')).toEqual([{ message: expect.stringContaining('weight'), offset: expect.any(Number) }]);
    expect(problems('event.items.filter(i, i.value.amounts > 1.0).size() > 0')).toEqual([{ message: expect.stringContaining('amounts'), offset: expect.any(Number) }]);
    const [fault] = problems('event.items.size() > 0 && derived.items.exists(d, d.item.grossKgg > 5000.0)');
    expect('event.items.size() > 0 && derived.items.exists(d, d.item.grossKgg > 5000.0)'.slice(fault!.offset)).toMatch(/^(d\.item\.)?grossKgg/);
    expect(problems('derived.items.exists(d, d.hsChapter == "29" && d.item.grossKg > 5000.0)')).toEqual([]);
  });
});
