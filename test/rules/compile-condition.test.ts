import { describe, expect, it } from 'vitest';
import { type CompileProblem, compileCondition, type Evidence } from '../../src/rules/compile-condition.ts';
import { knownFields } from '../../src/rules/fields.ts';
import type { Condition } from '../../src/rules/rule-schema.ts';
import { shippedRules } from '../helpers.ts';

function compile(condition: Condition, kind: 'crossing' | 'cargo' = 'cargo') {
  const problems: CompileProblem[] = [];
  const compiled = compileCondition(condition, {
    lists: shippedRules().lists,
    fields: { event: knownFields(kind, 'event'), item: knownFields(kind, 'item') },
    problems,
  });
  expect(problems).toEqual([]);
  return compiled;
}

const scope = {
  event: {
    post: 'UZ-AYRITOM',
    direction: 'exit',
    items: [
      { hsCode: '080810', description: 'Apples' },
      { hsCode: '291524', description: 'PARTS' },
    ],
    countries: { origin: ['UZB'], destination: 'AFG', transit: [] },
  },
  derived: { items: [{ valueRatio: 1.1 }, { valueRatio: 0.1 }], itemCount: 2 },
};

describe('compileCondition', () => {
  it('finds the item that satisfies an anyItem condition and names it in the evidence', () => {
    const c = compile({ anyItem: { all: [{ field: 'item.description', inList: 'vague-descriptions' }, { field: 'itemDerived.valueRatio', lessThan: 0.2 }] } });
    expect(c.test(scope)).toBe(true);
    const evidence: Evidence[] = [];
    expect(c.explain(scope, evidence)).toBe(true);
    expect(evidence).toEqual([
      { field: 'event.items[1].description', op: 'inList', expected: 'vague-descriptions', actual: 'PARTS' },
      { field: 'derived.items[1].valueRatio', op: 'lessThan', expected: 0.2, actual: 0.1 },
    ]);
  });

  it('keeps only the evidence of the any-branches that held', () => {
    const c = compile({ any: [{ field: 'event.direction', equals: 'entry' }, { field: 'event.countries.destination', inList: 'precursor-risk-countries' }] });
    const evidence: Evidence[] = [];
    expect(c.explain(scope, evidence)).toBe(true);
    expect(evidence).toEqual([{ field: 'event.countries.destination', op: 'inList', expected: 'precursor-risk-countries', actual: 'AFG' }]);
  });

  it('treats a missing field as not matching, except for exists: false', () => {
    expect(compile({ field: 'event.itinerary.oneWay', equals: true }, 'crossing').test({ event: {}, derived: {} })).toBe(false);
    expect(compile({ field: 'event.itinerary.oneWay', notEquals: true }, 'crossing').test({ event: {}, derived: {} })).toBe(false);
    expect(compile({ field: 'event.itinerary', exists: false }, 'crossing').test({ event: {}, derived: {} })).toBe(true);
  });

  it('marks negated evidence and matches lists of values with anyInList', () => {
    const c = compile({ all: [{ not: { field: 'event.direction', equals: 'entry' } }, { field: 'event.countries.origin', anyInList: 'precursor-risk-countries' }] });
    expect(c.test(scope)).toBe(false);
    const evidence: Evidence[] = [];
    expect(c.explain(scope, evidence)).toBe(false);
    expect(evidence[0]).toEqual({ field: 'event.direction', op: 'not equals', expected: 'entry', actual: 'exit' });
  });

  it('joins composite keys with a colon for list lookups', () => {
    const c = compile({ field: ['event.document.issuingState', 'event.document.number'], inList: 'stolen-lost-documents' }, 'crossing');
    const [key] = [...shippedRules().lists.get('stolen-lost-documents')!.keys];
    const [state, number] = key!.split(':');
    expect(c.test({ event: { document: { issuingState: state, number } }, derived: {} })).toBe(true);
    expect(c.test({ event: { document: { issuingState: state, number: `${number}9` } }, derived: {} })).toBe(false);
  });

  it('reports a bad regular expression and an inverted range as compile problems', () => {
    const problems: CompileProblem[] = [];
    const context = { lists: shippedRules().lists, fields: { event: knownFields('crossing', 'event'), item: knownFields('crossing', 'item') }, problems };
    compileCondition({ all: [{ field: 'event.post', matches: '(' }, { field: 'derived.ageYears', between: [60, 18] }] }, context);
    expect(problems.map((p) => p.path.join('.'))).toEqual(['when.all.0.matches', 'when.all.1.between']);
  });
});
