import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElementTexts } from '../../src/ingest/element-texts.ts';

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
  it('gives each element of an array its own text, which parses back to that element', () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' ', '\t', '  '), (elements, pad) => {
        const text = spaced(elements, pad);
        const parsed = JSON.parse(text) as unknown[];
        const texts = arrayElementTexts(text, parsed.length);
        expect(texts).toHaveLength(parsed.length);
        texts.forEach((t, i) => {
          expect(t).toBeDefined();
          expect(JSON.parse(t!)).toEqual(parsed[i]);
          // The text is the element's own, not a re-serialisation: whitespace inside it is kept.
          expect(t).toBe(spaced(elements[i], pad));
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
        const texts = arrayElementTexts(text, parsed.length);
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
    const events = [{ eventId: 'a"],[{', name: 'back\\', note: '\\"' }, { eventId: 'b', list: [[], [[]], {}], name: 'Ölgii 😀' }];
    const text = JSON.stringify(events);
    expect(arrayElementTexts(text, 2)).toEqual(events.map((e) => JSON.stringify(e)));
  });

  it('answers undefined for every element when the count it is told does not match the text', () => {
    expect(arrayElementTexts('[1,2,3]', 2)).toEqual([undefined, undefined]);
    expect(arrayElementTexts('[1,2]', 3)).toEqual([undefined, undefined, undefined]);
  });
});
