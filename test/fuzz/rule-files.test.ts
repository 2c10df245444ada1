import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleLoadError } from '../../src/errors.ts';
import { loadRuleSet } from '../../src/rules/rule-set.ts';
import { problemsOf, ROOT, rulesWith, STREAMS_DIR, tempDir } from '../helpers.ts';
import { fuzzParams, fuzzTimeout, polluted, prototypeSnapshot } from './hostile.ts';

// Hostile rule, list, stream and watchlist files: each is refused at load with the file,
// the line where there is one, and what is wrong; never a crash, a hang or a stack overflow.

const rule = (id: string, condition: string): string =>
  `id: ${id}\ntitle: A rule\ndescription: Written to be refused.\nversion: 1\nowner: fuzz\nstreams: [crossings]\nseverity: low\nweight: 1\ncondition: ${JSON.stringify(condition)}\n`;

/** Nine anchors of nine aliases each: expanded, a billion strings. */
const BILLION_LAUGHS = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n${'bcdefghij'
  .split('')
  .map((name, k) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghij'[k]}`).join(',')}]`)
  .join('\n')}\n`;

const before = prototypeSnapshot();

/** The single problem (besides those that follow from it) a file is refused with. */
function problemIn(files: Record<string, string | Buffer>, file: string, streamsDir = STREAMS_DIR): RuleLoadError['problems'][number] {
  const dir = rulesWith(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, typeof text === 'string' ? text : ''])));
  for (const [name, data] of Object.entries(files)) if (typeof data !== 'string') fs.writeFileSync(path.join(dir, name), data);
  let problems: RuleLoadError['problems'];
  try {
    loadRuleSet({ rulesDir: dir, streamsDir });
    throw new Error('expected the rule set to be refused');
  } catch (thrown) {
    if (!(thrown instanceof RuleLoadError)) throw thrown;
    problems = thrown.problems;
  }
  const own = problems.filter((p) => p.file.endsWith(file));
  expect(own, JSON.stringify(problems.slice(0, 3))).toHaveLength(1);
  expect(polluted(before)).toBeUndefined();
  return own[0]!;
}

describe('hostile rule files', () => {
  it('refuses a YAML alias bomb (billion laughs) in a rule, a list and a stream file, naming the first alias', () => {
    for (const [name, file] of [['indicators/bomb.yaml', 'bomb.yaml'], ['lists/bomb.yaml', 'lists/bomb.yaml']] as const) {
      expect(problemIn({ [name]: BILLION_LAUGHS }, file)).toEqual({ file: expect.any(String), line: 2, path: '', message: expect.stringContaining('alias bomb') });
    }
    const streams = tempDir();
    fs.cpSync(STREAMS_DIR, streams, { recursive: true });
    fs.writeFileSync(path.join(streams, 'bomb.yaml'), BILLION_LAUGHS);
    expect(problemIn({}, 'bomb.yaml', streams).message).toMatch(/more than 100 alias expansions/);
  });

  it('refuses YAML nested 50,000 deep without overflowing the stack', () => {
    expect(problemIn({ 'indicators/deep.yaml': `${'['.repeat(50_000)}${']'.repeat(50_000)}` }, 'deep.yaml').message).toMatch(/nested too deeply/);
    expect(problemIn({ 'indicators/deep.yaml': `${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}` }, 'deep.yaml').message).toMatch(/nested too deeply/);
  });

  it('refuses a rule file over 1 MiB before parsing it', () => {
    const huge = `${rule('x.huge', 'true')}# ${'padding '.repeat(140_000)}\n`;
    expect(problemIn({ 'indicators/huge.yaml': huge }, 'huge.yaml').message).toMatch(/^file is 1\.1 MiB, more than the 1\.0 MiB/);
  });

  it('refuses __proto__ keys in rule YAML, YAML lists, CSV list headers and watchlist JSON, on their line', () => {
    expect(problemIn({ 'indicators/p.yaml': `${rule('x.proto', 'true')}__proto__: { polluted: true }\n` }, 'p.yaml')).toMatchObject({ line: 10, message: 'the key __proto__ is not allowed' });
    expect(problemIn({ 'indicators/p.yaml': `rules:\n  - __proto__: { isAdmin: true }\n    id: x.proto\n` }, 'p.yaml')).toMatchObject({ line: 2, message: 'the key __proto__ is not allowed' });
    expect(problemIn({ 'lists/p.yaml': 'entries:\n  - id: a\n    __proto__: { polluted: true }\n' }, 'lists/p.yaml')).toMatchObject({ line: 3 });
    expect(problemIn({ 'lists/p.csv': '# a list\n\nid,__proto__\nk1,v\n' }, 'lists/p.csv')).toMatchObject({ line: 3, message: 'the column name __proto__ is not allowed' });
    const un = JSON.parse(fs.readFileSync(path.join(ROOT, 'rules/watchlists/un-sc.json'), 'utf8')) as { entries: Record<string, unknown>[] };
    const entry = JSON.parse(JSON.stringify(un.entries[0]).replace('{', '{"__proto__":{"polluted":true},')) as Record<string, unknown>;
    const watchlist = JSON.stringify({ ...un, list: 'hostile', entries: [entry] });
    expect(problemIn({ 'watchlists/hostile.json': watchlist }, 'hostile.json')).toEqual({ file: expect.any(String), path: 'entries.0', message: 'Unrecognized key: "__proto__"' });
  });

  it('refuses files that are not UTF-8, naming the line and the byte, in rules, lists and watchlists', () => {
    const bad = (text: string, at: number): Buffer => Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at))]);
    const text = rule('x.latin1', 'true');
    expect(problemIn({ 'indicators/l.yaml': bad(text, text.indexOf('A rule')) }, 'l.yaml')).toEqual({
      file: expect.any(String), line: 2, path: '', message: `not UTF-8 text: byte 0xc3 at offset ${text.indexOf('A rule')}; save the file as UTF-8`,
    });
    expect(problemIn({ 'lists/l.csv': bad('id,name\nk1,Ali\nk2,Ch', 19) }, 'lists/l.csv')).toMatchObject({ line: 3, message: expect.stringMatching(/^not UTF-8/) });
    expect(problemIn({ 'watchlists/l.json': Buffer.from([0x7b, 0xff, 0x7d]) }, 'l.json')).toMatchObject({ line: 1, message: expect.stringMatching(/^not UTF-8 text: byte 0xff at offset 1/) });
  });

  it('refuses CEL conditions that are enormous or nested thousands deep, with a clear reason', () => {
    const ors = Array.from({ length: 600 }, (_, k) => `event.post == "KZ-P${k}"`).join(' || ');
    expect(problemIn({ 'indicators/c.yaml': rule('x.long', ors) }, 'c.yaml')).toMatchObject({ line: 9, path: 'condition', message: expect.stringContaining('at most 10,000 characters') });
    for (const deep of [`${'('.repeat(3_000)}true${')'.repeat(3_000)}`, `${'!'.repeat(5_000)}true`, `${'['.repeat(2_000)}${']'.repeat(2_000)}.size() > 0`]) {
      const problem = problemIn({ 'indicators/c.yaml': rule('x.deep', deep) }, 'c.yaml');
      expect(problem).toMatchObject({ line: 9, path: 'condition' });
      expect(problem.message).toMatch(/maxDepth|too deeply nested/);
    }
  });

  it('loads a long but reasonable condition and runs it', () => {
    const ors = Array.from({ length: 300 }, (_, k) => `event.post == "KZ-P${k}"`).join(' || ');
    const set = loadRuleSet({ rulesDir: rulesWith({ 'indicators/c.yaml': rule('x.ors', ors) }), streamsDir: STREAMS_DIR });
    expect(set.rules.some((r) => r.def.id === 'x.ors')).toBe(true);
  });

  it.each([
    ['^(a+)+$', 'repetition'],
    ['(\\w*\\s?)*x', 'repetition'],
    ['((ab)*c)+', 'repetition'],
    ['(a|ab)*$', 'alternation'],
    ['^(?:[A-Z]+-?){2,}$', 'repetition'],
    ['(a)\\1', 'back-references'],
  ])('refuses matches("%s"), whose backtracking can be exponential (%s)', (pattern, what) => {
    const problem = problemIn({ 'indicators/r.yaml': rule('x.redos', `event.traveller.familyName.matches(${JSON.stringify(pattern)})`) }, 'r.yaml');
    expect(problem).toMatchObject({ line: 9, path: 'condition' });
    expect(problem.message).toContain(what);
    expect(problem.message).toContain('docs/rules.md');
  });

  it('refuses a matches() pattern read from the event, and loads safe patterns', () => {
    expect(problemIn({ 'indicators/r.yaml': rule('x.dyn', 'event.post.matches(event.traveller.familyName)') }, 'r.yaml').message).toBe('matches() takes a pattern written in quotes, not one read from the event');
    const safe = 'event.post.matches("^KZ-[A-Z0-9-]+$") && event.traveller.familyName.matches("^(?:MC|MAC)?[A-Z]{2,}(?: [A-Z]+)?$") && event.document.number.matches("[0-9]{6,9}")';
    const set = loadRuleSet({ rulesDir: rulesWith({ 'indicators/r.yaml': rule('x.safe', safe) }), streamsDir: STREAMS_DIR });
    expect(set.rules.some((r) => r.def.id === 'x.safe')).toBe(true);
  });

  it('refuses rule ids with path characters', () => {
    for (const id of ['../../etc/passwd', 'a/b', 'C:\\rules', 'x.%2e%2e']) {
      expect(problemIn({ 'indicators/i.yaml': rule(JSON.stringify(id), 'true') }, 'i.yaml')).toMatchObject({ line: 1, path: 'id', message: 'must be lower-case words joined by dots or dashes' });
    }
  });

  it('refuses a list of more than a million entries with the limit in the message', () => {
    const rows = `id\n${Array.from({ length: 1_000_001 }, (_, k) => `k${k}`).join('\n')}\n`;
    expect(problemIn({ 'lists/big.csv': rows }, 'lists/big.csv').message).toBe('1,000,001 rows: a list holds at most 1,000,000 entries');
  });

  it('refuses a hostile rule file through `border-risk rules check` with exit code 1 and the file and line', () => {
    const dir = rulesWith({ 'indicators/bomb.yaml': BILLION_LAUGHS, 'indicators/redos.yaml': rule('x.redos', 'event.post.matches("(x+x+)+y")') });
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/border-risk.js'), 'rules', 'check', '--rules', dir, '--streams', STREAMS_DIR], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${path.join(dir, 'indicators/bomb.yaml')}:2  more than 100 alias expansions`);
    expect(run.stdout).toContain(`${path.join(dir, 'indicators/redos.yaml')}:9  condition  matches("(x+x+)+y"): a repeated group holds a repetition`);
    expect(run.stdout).toContain('2 problem(s); the rule set was not loaded.');
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('the rule loader under random text (property-based)', () => {
  it('either loads or throws RuleLoadError with located problems, for any rule file text', () => {
    // A rules directory with only the scoring file, so that a run costs milliseconds rather than the whole pack's load.
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'lists'));
    fs.copyFileSync(path.join(ROOT, 'rules/scoring.yaml'), path.join(dir, 'scoring.yaml'));
    const file = path.join(dir, 'fuzzed.yaml');
    const yamlish = fc.stringMatching(/^[ \n\t:\-[\]{}&*!|>'"%@`#,?a-z0-9_.]{0,300}$/);
    const ruleLike = fc.tuple(fc.constantFrom(...rule('x.fuzz', 'event.post == "KZ-A"').split('\n')), fc.string({ maxLength: 20 }), fc.nat(9)).map(([line, junk, k]) => line.slice(0, k) + junk + line.slice(k));
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), yamlish, fc.array(ruleLike, { maxLength: 12 }).map((lines) => lines.join('\n')), fc.json({ maxDepth: 4 }));
    fc.assert(
      fc.property(text, (t) => {
        fs.writeFileSync(file, t);
        try {
          loadRuleSet({ rulesDir: dir, streamsDir: STREAMS_DIR });
        } catch (thrown) {
          expect(thrown).toBeInstanceOf(RuleLoadError);
          const problems = (thrown as RuleLoadError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.file).toBe(file);
            expect(p.message.trim()).not.toBe('');
          }
        }
        expect(polluted(before)).toBeUndefined();
      }),
      fuzzParams(200),
    );
  }, fuzzTimeout());
});

// Keep the helper honest: the shipped rules load.
it('loads the shipped rules after all of the above', () => {
  expect(() => problemsOf(rulesWith({}))).toThrow('expected the rule set to fail to load');
});
