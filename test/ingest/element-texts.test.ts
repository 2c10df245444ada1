import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElementTexts, compactKeyCount, keysIn } from '../../src/ingest/element-texts.ts';

/** JSON values with the strings that trip a scanner: quotes, backslashes before quotes, escapes, brackets and commas inside strings, unicode. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', ',', '[', ']', '{', '}', ':', '\n', '\u2028', 'é', '😀', '\ud800', 'a'), maxLength: 12 }),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkwardString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** JSON text of `value` with whitespace (spaces, tabs, newlines) between tokens, as a hand-written or pretty-printed frame has it. */
function spaced(value: unknown, pad: string): string {
  if (Array.isArray(value)) return `[${pad}${value.map((v) => spaced(v, pad)).join(`${pad},${pad}`)}${pad}]`;
  if (typeof value === 'object' && value !== null) return `{${pad}${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}${pad}:${pad}${spaced(v, pad)}`).join(`${pad},${pad}`)}${pad}}`;
  return JSON.stringify(value);
}

describe('arrayElementTexts', () => {
  it('gives each compact element of an array its own text, which parses back to that element, with the keys written in it', () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 6 }), fc.constantFrom(' ', '\t', '  '), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (elements, pad, padded) => {
        // Whitespace between the elements always; inside the ones marked padded.
        const parts = elements.map((e, i) => (padded[i] ? spaced(e, pad) : JSON.stringify(e)));
        const text = `[${pad}${parts.join(`${pad},${pad}`)}${pad}]`;
        const parsed = JSON.parse(text) as unknown[];
        const { texts, keys } = arrayElementTexts(text, parsed.length);
        expect(texts).toHaveLength(parsed.length);
        texts.forEach((t, i) => {
          if (parts[i] !== JSON.stringify(elements[i])) expect(t).toBeUndefined();
          else {
            // The text is the element's own, and the keys counted are the ones JSON.stringify wrote.
            expect(t).toBe(parts[i]);
            expect(JSON.parse(t!)).toEqual(parsed[i]);
            expect(keys[i]).toBe(keysIn(parsed[i]));
          }
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers undefined for exactly the elements that span lines, and leaves the newlines between elements out', () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n', ' \n '), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (elements, newline, pretty) => {
        const parts = elements.map((e, i) => (pretty[i] ? spaced(e, newline) : JSON.stringify(e)));
        const text = `[${newline}${parts.join(`,${newline}`)}${newline}]`;
        const parsed = JSON.parse(text) as unknown[];
        const { texts } = arrayElementTexts(text, parsed.length);
        texts.forEach((t, i) => {
          if (parts[i]!.includes('\n')) expect(t).toBeUndefined();
          else {
            expect(t).toBe(parts[i]);
            expect(JSON.parse(t!)).toEqual(parsed[i]);
          }
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('finds the elements of a frame of events whose strings hold escaped quotes and brackets', () => {
    const events = [{ eventId: 'a"],[{', name: 'back\\', note: '\\"' }, { eventId: 'b', list: [[], [[]], {}], name: 'Ölgii 😀', 'k":': 1 }];
    const text = JSON.stringify(events);
    expect(arrayElementTexts(text, 2)).toEqual({ texts: events.map((e) => JSON.stringify(e)), keys: [3, 4] });
  });

  it('counts a key given twice, and gives no text to an element with a number written longer than JSON.stringify writes one', () => {
    expect(arrayElementTexts('[{"a":{"b":1},"a":{"b":2}},{"n":1.5}]', 2)).toEqual({ texts: ['{"a":{"b":1},"a":{"b":2}}', '{"n":1.5}'], keys: [4, 1] });
    expect(arrayElementTexts(`[{"n":1.${'0'.repeat(40)}},{"n":1}]`, 2).texts).toEqual([undefined, '{"n":1}']);
  });

  it('answers undefined for every element when the count it is told does not match the text', () => {
    expect(arrayElementTexts('[1,2,3]', 2).texts).toEqual([undefined, undefined]);
    expect(arrayElementTexts('[1,2]', 3).texts).toEqual([undefined, undefined, undefined]);
  });
});

describe('compactKeyCount and keysIn', () => {
  it('agree on every value JSON.stringify writes, and refuse the same text with whitespace between its tokens', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(' ', '\t', '  '), (value, pad) => {
        const text = JSON.stringify(value);
        expect(compactKeyCount(text)).toBe(keysIn(JSON.parse(text)));
        const padded = spaced(value, pad);
        if (padded !== text) expect(compactKeyCount(padded)).toBe(-1);
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts a repeated key that JSON.parse drops, and refuses numbers longer than JSON.stringify writes them', () => {
    const text = '{"a":{"b":"x","c":1},"a":{"b":"y"}}';
    expect(keysIn(JSON.parse(text))).toBe(2);
    expect(compactKeyCount(text)).toBe(5);
    expect(compactKeyCount(JSON.stringify({ a: 'k\\":1,"x":', b: [1, 2] }))).toBe(2);
    for (const n of [-1.2345678901234567e-308, -0.0000012345678901234567, -1.7976931348623157e308, 1e21]) expect(compactKeyCount(JSON.stringify({ n }))).toBe(1);
    expect(compactKeyCount(`{"n":1.${'0'.repeat(40)}}`)).toBe(-1);
    expect(compactKeyCount('{"t":true,"f":false,"z":null}')).toBe(3);
  });
});
