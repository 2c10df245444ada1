import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/rules/rule-set.ts';
import { problemsOf, rulesWith, shippedRules, STREAMS_DIR, tempDir } from '../helpers.ts';

const RULE = (id: string, condition: string): string => `id: ${id}
title: Test rule
description: A rule for a test.
version: 1
owner: tests
streams: [crossings]
severity: low
weight: 10
condition: ${condition}
`;

describe('loadRuleSet', () => {
  it('loads the shipped pack: crossing and cargo indicators, lists and streams', () => {
    const set = shippedRules();
    expect(set.rules.length).toBeGreaterThanOrEqual(19);
    expect(set.byKind.crossing.map((r) => r.def.id)).toContain('crossing.document-stolen-lost');
    expect(set.byKind.cargo.map((r) => r.def.id)).toContain('cargo.unknown-hs-code');
    expect(set.reference.hsCodes.has('080810')).toBe(true);
    expect(set.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('names the rule set by its content, so an edit changes the version', () => {
    const same = loadRuleSet({ rulesDir: rulesWith({}), streamsDir: STREAMS_DIR });
    const edited = loadRuleSet({ rulesDir: rulesWith({ 'extra.yaml': RULE('test.extra', 'event.mode == "air"') }), streamsDir: STREAMS_DIR });
    expect(same.version).toBe(shippedRules().version);
    expect(edited.version).not.toBe(same.version);
  });

  it('reports every problem in every file at once, with file, line and path', () => {
    const problems = problemsOf(
      rulesWith({
        'a.yaml': RULE('test.a', 'event.traveller.shoeSize == 44'),
        'b.yaml': RULE('test.b', 'inList(event.post, "no-such-list")'),
        'c.yaml': RULE('test.c', 'event.mode == "air"').replace('weight: 10', 'weight: heavy'),
        'd.yaml': 'id: [unclosed\n',
        'e.yaml': RULE('test.e', 'event.mode == "air"').replace('streams: [crossings]', 'streams: [parcels]'),
      }),
    );
    const byFile = (name: string) => problems.filter((p) => path.basename(p.file) === name);
    expect(byFile('a.yaml')).toEqual([expect.objectContaining({ line: 9, path: 'condition', message: expect.stringContaining('shoeSize') })]);
    expect(byFile('b.yaml')).toEqual([expect.objectContaining({ line: 9, path: 'condition', message: expect.stringContaining('unknown list "no-such-list"') })]);
    expect(byFile('c.yaml')).toEqual([expect.objectContaining({ line: 8, path: 'weight', message: expect.stringContaining('expected number') })]);
    expect(byFile('d.yaml')).toEqual([expect.objectContaining({ line: expect.any(Number) })]);
    expect(byFile('e.yaml')).toEqual([expect.objectContaining({ line: 6, path: 'streams[0]', message: expect.stringContaining('unknown stream "parcels"') })]);
  });

  it('points at the condition line of a CEL rule that does not type-check', () => {
    const problems = problemsOf(
      rulesWith({
        'a.yaml': RULE('test.a', 'event.traveller.shoeSize > 40'),
        'b.yaml': RULE('test.b', 'inList(event.post, "afghan-posts")'),
        'c.yaml': RULE('test.c', 'derived.ageYears + 1'),
        'd.yaml': RULE('test.d', 'event.mode == "air"').replace(/^condition: .*$/m, ''),
      }),
    );
    const byFile = (name: string) => problems.filter((p) => path.basename(p.file) === name);
    expect(byFile('a.yaml')).toEqual([expect.objectContaining({ line: 9, path: 'condition', message: expect.stringContaining('shoeSize') })]);
    expect(byFile('b.yaml')).toEqual([expect.objectContaining({ line: 9, path: 'condition', message: expect.stringContaining('unknown list "afghan-posts"') })]);
    expect(byFile('c.yaml')).toEqual([expect.objectContaining({ line: 9, path: 'condition', message: expect.stringContaining('must be a bool') })]);
    expect(byFile('d.yaml')).toEqual([expect.objectContaining({ path: 'condition', message: expect.stringContaining('a rule needs a condition') })]);
  });

  it('refuses a field of the other event kind and a duplicated rule id', () => {
    const problems = problemsOf(
      rulesWith({
        'a.yaml': RULE('test.a', 'event.traveller.nationality == "KAZ"').replace('[crossings]', '[cargo]'),
        'b.yaml': RULE('crossing.document-expired', 'event.mode == "air"'),
      }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('traveller'),
      expect.stringContaining('rule id "crossing.document-expired" is also defined in'),
    ]);
  });

  it('reports a missing rules directory as a load problem, not a crash', () => {
    const missing = path.join(tempDir(), 'nowhere');
    const problems = problemsOf(missing);
    expect(problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringContaining('cannot read rules directory')]));
  });

  it('rejects scoring bands out of order', () => {
    const problems = problemsOf(rulesWith({ 'scoring.yaml': 'threshold: 50\nbands:\n  - { severity: high, minScore: 50 }\n  - { severity: low, minScore: 70 }\n' }));
    expect(problems).toEqual([expect.objectContaining({ path: 'bands', message: 'bands must be listed in increasing severity' })]);
  });
});

describe('protected attributes', () => {
  const cel = RULE;

  it('refuses a rule that can fire on nationality, sex or age alone, in any branch', () => {
    const problems = problemsOf(
      rulesWith({
        'a.yaml': cel('test.a', 'event.traveller.nationality == "AFG"'),
        'b.yaml': cel('test.b', 'event.traveller.sex == "M" && derived.ageYears < 30'),
        'c.yaml': cel('test.c', 'event.mode == "air" || event.traveller.nationality in ["AFG", "IRQ"]'),
        'd.yaml': cel('test.d', 'event.traveller.sex == "F" ? true : derived.documentExpired'),
      }),
    );
    expect(problems.map((p) => path.basename(p.file)).sort()).toEqual(['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml']);
    expect(problems.find((p) => p.file.endsWith('b.yaml'))?.message).toContain('event.traveller.sex, derived.ageYears');
  });

  it('accepts protected attributes combined with another factor in every branch', () => {
    const set = loadRuleSet({
      rulesDir: rulesWith({
        'a.yaml': cel('test.a', 'event.traveller.nationality == "AFG" && derived.documentExpired'),
        'b.yaml': cel('test.b', 'derived.ageYears < 25 && (event.mode == "air" || derived.mrzValid == false)'),
      }),
      streamsDir: STREAMS_DIR,
    });
    expect(set.rules.map((r) => r.def.id)).toEqual(expect.arrayContaining(['test.a', 'test.b']));
  });
});
