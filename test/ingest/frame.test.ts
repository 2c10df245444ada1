import { describe, expect, it } from 'vitest';
import { parseFrame } from '../../src/ingest/frame.ts';

describe('parseFrame', () => {
  it('reads a single JSON event', () => {
    expect(parseFrame('{"a":1}')).toEqual([{ ok: true, value: { a: 1 }, text: '{"a":1}', keys: 1 }]);
  });

  it('reads a JSON array as one candidate per element', () => {
    expect(parseFrame('[{"a":1},{"a":2},3]')).toEqual([
      { ok: true, value: { a: 1 }, text: '{"a":1}', keys: 1 },
      { ok: true, value: { a: 2 }, text: '{"a":2}', keys: 1 },
      { ok: true, value: 3, text: '3', keys: 0 },
    ]);
  });

  it('reads NDJSON and rejects only the line that is not JSON', () => {
    const candidates = parseFrame('{"a":1}\n{"a":\n\n{"a":3}\n');
    expect(candidates).toHaveLength(3);
    expect(candidates[0]).toEqual({ ok: true, value: { a: 1 }, text: '{"a":1}', keys: 1 });
    expect(candidates[1]).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid JSON/), raw: '{"a":' });
    expect(candidates[2]).toEqual({ ok: true, value: { a: 3 }, text: '{"a":3}', keys: 1 });
  });

  it('keeps no text for an event written over several lines or with spaces, only for compact ones, with the keys written in them', () => {
    expect(parseFrame('{\n  "a": 1\n}')).toEqual([{ ok: true, value: { a: 1 }, text: undefined, keys: 0 }]);
    expect(parseFrame('[\n  {"a": 1},\n  {\n"a": 2},\r\n {"a":3,"a":4} ]')).toEqual([
      { ok: true, value: { a: 1 }, text: undefined, keys: 1 },
      { ok: true, value: { a: 2 }, text: undefined, keys: 1 },
      { ok: true, value: { a: 4 }, text: '{"a":3,"a":4}', keys: 2 },
    ]);
    expect(parseFrame('{"a":1,"a":2}')).toEqual([{ ok: true, value: { a: 2 }, text: '{"a":1,"a":2}', keys: 2 }]);
  });

  it('rejects a one-line frame of invalid JSON as a whole', () => {
    expect(parseFrame('{"a":1')).toEqual([{ ok: false, message: expect.stringMatching(/^invalid JSON/), raw: '{"a":1' }]);
  });

  it('rejects empty frames and empty arrays with a reason', () => {
    expect(parseFrame('  ')).toEqual([{ ok: false, message: 'empty frame', raw: '  ' }]);
    expect(parseFrame('[]')).toEqual([{ ok: false, message: expect.stringContaining('empty array'), raw: '[]' }]);
  });
});
