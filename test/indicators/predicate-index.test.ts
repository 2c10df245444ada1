import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtest } from '../../src/backtest/backtest.ts';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import type { CrossingDerived, EnrichedEvent } from '../../src/enrich/enriched.ts';
import { firedRules } from '../../src/indicators/evaluate-indicators.ts';
import { predicateIndex } from '../../src/indicators/predicate-index.ts';
import { createMetrics } from '../../src/kernel/metrics.ts';
import { validateEvent } from '../../src/model/event.ts';
import { compileCelCondition } from '../../src/rules/cel/cel-condition.ts';
import type { RuleDef } from '../../src/rules/rule-schema.ts';
import { type CompiledRule, type RuleSet, rulesByKind } from '../../src/rules/rule-set.ts';
import { generated, ROOT, shippedRules } from '../helpers.ts';

/** The rule set with every rule evaluated on every event, as before the index. */
function unindexed(set: RuleSet): RuleSet {
  const rules = set.rules.map(({ indexTests: _, ...rule }) => rule);
  return { ...set, rules, byKind: rulesByKind(rules) };
}

/** Every stateless rule of the event's kind, in order, each condition run: the definition the index must keep. */
function naiveFired(set: RuleSet, e: EnrichedEvent): string[] {
  return set.byKind[e.event.kind].filter((r) => !r.stateful && e.derived.eventTimeMs <= r.expiresAfterMs && r.condition.test(e)).map((r) => r.def.id);
}

const NATIONALITIES = ['KAZ', 'UZB', 'RUS', 'TJK', 'AFG', 'TUR'];
const POSTS = ['UZ-AYRITOM', 'TJ-PANJIPOYON', 'KZ-ALA', 'KZ-KHORGOS', 'TM-IMAMNAZAR'];
const STRING_FIELDS: [string, readonly string[]][] = [
  ['event.traveller.nationality', NATIONALITIES],
  ['event.post', POSTS],
  ['event.direction', ['entry', 'exit']],
  ['event.itinerary.paymentForm', ['cash', 'card']],
];
const NUMBER_FIELDS = ['derived.documentDaysToExpiry', 'derived.ageYears', 'event.itinerary.bagCount'];
const BOOL_FIELDS = ['derived.documentExpired', 'derived.nationalityMatchesIssuer', 'event.itinerary.oneWay'];
const quote = (s: string): string => JSON.stringify(s);

/** CEL conditions over a few fields with literals from small pools, so that tests often hold and often fail at the edges. */
const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...STRING_FIELDS).chain(([field, pool]) =>
    fc.oneof(
      fc.constantFrom(...pool).map((v) => `${field} == ${quote(v)}`),
      fc.constantFrom(...pool).map((v) => `${quote(v)} == ${field}`),
      fc.constantFrom(...pool).map((v) => `${field} != ${quote(v)}`),
      fc.subarray([...pool]).map((vs) => `${field} in [${vs.map(quote).join(', ')}]`),
      fc.tuple(fc.constantFrom(...pool), fc.constantFrom(...pool)).map(([a, b]) => `(${field} == ${quote(a)} || ${field} == ${quote(b)})`),
    ),
  ),
  fc.tuple(fc.constantFrom(...NUMBER_FIELDS), fc.constantFrom('<', '<=', '>', '>=', '=='), fc.integer({ min: -2, max: 8 }), fc.boolean()).map(([field, op, n, flip]) =>
    flip ? `${n < 0 ? `-${-n}` : n} ${op} ${field}` : `${field} ${op} ${n}`,
  ),
  fc.constantFrom(...BOOL_FIELDS).chain((field) => fc.constantFrom(field, `!${field}`, `${field} == false`, `${field} == true`)),
  fc.constantFrom('has(event.itinerary)', 'inList(event.post, "posts-bordering-afghanistan")', 'derived.mrzValid == null', 'true'),
);
const condition: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('c'), tie('c')).map(([a, b]) => `(${a} && ${b})`),
    fc.tuple(tie('c'), tie('c')).map(([a, b]) => `(${a} || ${b})`),
    tie('c').map((a) => `!(${a})`),
  ),
})).c;
/** Mostly conjunctions at the top, as rules are written: what the index files rules under. */
const ruleCondition = fc.array(fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: condition }), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' && '));

const metrics = createMetrics();

describe('predicate index', () => {
  const base = shippedRules();
  const events = generated(400, { seed: 5 })
    .map((g) => validateEvent(JSON.parse(JSON.stringify(g.event)) as unknown))
    .flatMap((r) => (r.success && r.event.kind === 'crossing' ? [r.event] : []));

  it('fires exactly the rules that evaluating every condition fires, on random rules and events', () => {
    let offered = 0;
    let evaluated = 0;
    const edit = fc.record({
      at: fc.nat(events.length - 1),
      nationality: fc.constantFrom(...NATIONALITIES),
      post: fc.constantFrom(...POSTS),
      days: fc.option(fc.integer({ min: -2, max: 8 })),
      age: fc.integer({ min: 0, max: 8 }),
      noItinerary: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(ruleCondition, { minLength: 40, maxLength: 120 }), fc.array(edit, { minLength: 1, maxLength: 25 }), (conditions, edits) => {
        const rules: CompiledRule[] = conditions.flatMap((text, i) => {
          const compiled = compileCelCondition(text, ['crossing'], base.lists).condition;
          if (!compiled) throw new Error(`did not compile: ${text}`);
          const { tests, ...test } = compiled;
          const def = { id: `r${i}`, condition: text } as RuleDef;
          return [{ def, file: 'random', line: undefined, kinds: new Set(['crossing'] as const), severityRank: 0, expiresAfterMs: Number.POSITIVE_INFINITY, condition: test, ...(tests && { indexTests: tests }) }];
        });
        const set: RuleSet = { ...base, rules, byKind: rulesByKind(rules) };
        for (const [n, e] of edits.entries()) {
          const event = structuredClone(events[e.at]!);
          if (event.kind !== 'crossing') continue;
          event.traveller.nationality = e.nationality;
          event.post = e.post;
          if (e.noItinerary) delete event.itinerary;
          const enriched = enrichEvent(n + 1, event, base.reference);
          const derived = enriched.derived as CrossingDerived;
          derived.ageYears = e.age;
          if (e.days !== null) derived.documentDaysToExpiry = e.days;
          const indexed = firedRules(set, enriched, metrics).map((r) => r.def.id);
          expect(indexed, conditions.join('\n')).toEqual(naiveFired(set, enriched));
          offered += rules.length;
          evaluated += predicateIndex(set.byKind.crossing).select(enriched);
        }
      }),
      { numRuns: 80, seed: 25 },
    );
    // The index left rules out (otherwise this compared the naive loop with itself).
    expect(evaluated).toBeLessThan(offered * 0.8);
  });

  it('files the shipped stateless rules under a field test, and leaves the others to every event', () => {
    const set = shippedRules();
    const indexed = set.rules.filter((r) => r.indexTests);
    expect(indexed.length).toBeGreaterThanOrEqual(12);
    for (const r of indexed) expect(r.stateful ?? r.kind).toBeUndefined();
    expect(set.rules.find((r) => r.def.id === 'crossing.cash-payment')?.indexTests).toContainEqual({ field: ['event', 'itinerary', 'paymentForm'], op: 'in', values: ['cash'] });
  });

  it('gives the same alert stream, hash for hash, on the shipped recording as evaluating every rule', () => {
    const recording = path.join(ROOT, 'replay-data', 'afghan-border-week');
    const withIndex = backtest({ ruleSet: shippedRules(), recordings: [recording] });
    const without = backtest({ ruleSet: unindexed(shippedRules()), recordings: [recording] });
    expect(withIndex.alerts).toBeGreaterThan(50);
    expect(withIndex.hash).toBe(without.hash);
    expect(withIndex.rules).toEqual(without.rules);
  });
});
