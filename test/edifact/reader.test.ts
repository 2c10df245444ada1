import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDIFACT_CODES, EdifactError } from '../../src/edifact/edifact-error.ts';
import { readInterchange } from '../../src/edifact/envelope.ts';
import { componentOf, tokenise } from '../../src/edifact/tokenise.ts';

// Syntax per ISO 9735-1:2002 (UN/EDIFACT syntax rules, version 4): §7.1 service string
// advice UNA and its default characters, §7.3 the release character, §6 the interchange,
// group and message envelopes with their control counts and references.

/** A small PAXLST written from the WCO/IATA/ICAO PAXLST Implementation Guide v5.0 (2015), §4. */
const PAXLST = [
  "UNA:+.? '",
  "UNB+UNOA:4+KC:ZZ+KZAPI:ZZ+261207:0930+IC0001++APIS'",
  "UNG+PAXLST+KC+KZAPI+261207:0930+GR01+UN+D:05B'",
  "UNH+M001+PAXLST:D:05B:UN:IATA+KC0101/261207/1010+01:F'",
  "BGM+745'",
  "NAD+MS+++AIR ASTANA CONTROL'",
  "TDT+20+KC0101+++KC'",
  "LOC+125+IST'",
  "DTM+189:2612070610:201'",
  "LOC+87+ALA'",
  "DTM+232:2612071210:201'",
  "NAD+FL+++O?'BRIEN:SEAN'",
  "ATT+2++M'",
  "DTM+329:850214'",
  "NAT+2+IRL'",
  "DOC+P:110:111+PA1234567'",
  "DTM+36:300101'",
  "LOC+91+IRL'",
  "CNT+42:1'",
  "UNT+17+M001'",
  "UNE+1+GR01'",
  "UNZ+1+IC0001'",
].join('\n');

function thrown(f: () => unknown): EdifactError {
  try {
    f();
  } catch (error) {
    if (error instanceof EdifactError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('EDIFACT reader', () => {
  it('reads an interchange with a UNA, a released apostrophe and wrapped lines', () => {
    const result = readInterchange(PAXLST);
    expect(result.problems).toEqual([]);
    expect(result.messages).toHaveLength(1);
    const message = result.messages[0]!;
    expect(message.problems).toEqual([]);
    expect([message.ref, message.type, message.version, message.release, message.agency, message.association]).toEqual(['M001', 'PAXLST', 'D', '05B', 'UN', 'IATA']);
    expect(message.interchange).toMatchObject({ sender: 'KC', recipient: 'KZAPI', controlRef: 'IC0001', preparedDate: '261207' });
    expect(message.groupRef).toBe('GR01');
    const nad = message.segments.find((s) => s.tag === 'NAD' && componentOf(s, 1) === 'FL')!;
    expect(componentOf(nad, 4, 1)).toBe("O'BRIEN");
    expect(componentOf(nad, 4, 2)).toBe('SEAN');
    expect(message.segments).toHaveLength(17);
  });

  it('honours other service characters given in UNA, and the repetition separator', () => {
    const text = "UNA|*,#^!UNH*1*PAXLST|D|05B|UN|IATA!FTX*AAA***A#*B^C|D!UNT*3*1!";
    const { messages, delimiters } = readInterchange(text);
    expect(delimiters).toMatchObject({ component: '|', element: '*', decimal: ',', release: '#', repetition: '^', segment: '!' });
    const ftx = messages[0]!.segments[1]!;
    expect(ftx.elements[3]).toEqual([['A*B'], ['C', 'D']]);
    expect(messages[0]!.problems).toEqual([]);
  });

  it('reads without a UNA using the ISO 9735 defaults, leaving "*" as data', () => {
    const { messages } = readInterchange("UNB+UNOA:4+APIS*ABE+USADHS+080708:0545+7++USADHS'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'UNT+3+1'UNZ+1+7'");
    expect(messages[0]!.interchange?.sender).toBe('APIS*ABE');
    expect(messages[0]!.problems).toEqual([]);
  });

  it('rejects a message whose UNT count disagrees, naming segment, tag and element', () => {
    const broken = PAXLST.replace("UNT+17+M001'", "UNT+16+M001'");
    const message = readInterchange(broken).messages[0]!;
    expect(message.problems).toHaveLength(1);
    expect(message.problems[0]).toMatchObject({ code: EDIFACT_CODES.count, messageRef: 'M001', position: { segment: 17, tag: 'UNT', element: 1 } });
    expect(message.problems[0]!.message).toContain('the message has 17');
  });

  it('rejects on a UNT, UNE or UNZ reference that differs from its header', () => {
    for (const [from, to, tag] of [["UNT+17+M001'", "UNT+17+M002'", 'UNT'], ["UNE+1+GR01'", "UNE+1+GR02'", 'UNE'], ["UNZ+1+IC0001'", "UNZ+1+IC0002'", 'UNZ']] as const) {
      const message = readInterchange(PAXLST.replace(from, to)).messages[0]!;
      expect(message.problems.map((p) => [p.code, p.position.tag, p.position.element])).toEqual([[EDIFACT_CODES.reference, tag, 2]]);
    }
  });

  it('rejects every message of an interchange whose UNZ counts wrongly, and keeps other interchanges', () => {
    const second = PAXLST.replace(/IC0001/g, 'IC0002').replace('UNA:+.? \'', '');
    const text = `${PAXLST.replace("UNZ+1+IC0001'", "UNZ+2+IC0001'")}\n${second}`;
    const { messages } = readInterchange(text);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.problems.map((p) => p.code)).toEqual([EDIFACT_CODES.count]);
    expect(messages[1]!.problems).toEqual([]);
  });

  it('rejects a message without UNT even when the envelope is lenient', () => {
    const text = PAXLST.replace("UNT+17+M001'\n", '');
    for (const envelope of ['strict', 'lenient'] as const) {
      const message = readInterchange(text, { envelope }).messages[0]!;
      expect(message.problems.map((p) => p.message)).toContain('message has no UNT before UNE');
    }
  });

  it('keeps count and reference disagreements as warnings when lenient', () => {
    const message = readInterchange(PAXLST.replace("UNT+17+M001'", "UNT+99+M001'"), { envelope: 'lenient' }).messages[0]!;
    expect(message.problems).toEqual([]);
    expect(message.warnings.map((w) => w.code)).toEqual([EDIFACT_CODES.count]);
  });

  it('reports text after the last terminator instead of dropping it silently', () => {
    const result = readInterchange(`${PAXLST}\nUNZ+1`);
    expect(result.problems[0]).toMatchObject({ code: EDIFACT_CODES.unterminated });
  });

  it('refuses a UNA whose characters cannot serve, with the position', () => {
    const error = thrown(() => tokenise("UNA:+.?*AUNB+1'"));
    expect(error.code).toBe(EDIFACT_CODES.badServiceString);
    expect(error.problem.position.tag).toBe('UNA');
    expect(thrown(() => tokenise("UNA::.? 'UNB'")).code).toBe(EDIFACT_CODES.badServiceString);
  });

  it('refuses a release character at the very end', () => {
    expect(thrown(() => tokenise("UNH+1'BGM+?")).code).toBe(EDIFACT_CODES.danglingRelease);
  });

  it('refuses a bad segment tag and names the segment', () => {
    const error = thrown(() => tokenise("UNH+1'bgm+745'"));
    expect(error.code).toBe(EDIFACT_CODES.badTag);
    expect(error.problem.position.segment).toBe(2);
  });

  it('holds the size bounds: characters, segments, elements, components, repeats and value length', () => {
    expect(thrown(() => tokenise('x'.repeat(101), { ...limits(), maxChars: 100 })).code).toBe(EDIFACT_CODES.tooLarge);
    expect(thrown(() => tokenise("BGM'".repeat(11), { ...limits(), maxSegments: 10 })).code).toBe(EDIFACT_CODES.tooManySegments);
    expect(thrown(() => tokenise(`FTX${'+a'.repeat(100)}'`)).code).toBe(EDIFACT_CODES.tooManyElements);
    expect(thrown(() => tokenise(`FTX+${'a:'.repeat(100)}'`)).code).toBe(EDIFACT_CODES.tooManyComponents);
    expect(thrown(() => tokenise(`UNA:+.?*'FTX+${'a*'.repeat(100)}'`)).code).toBe(EDIFACT_CODES.tooManyRepeats);
    expect(thrown(() => tokenise(`FTX+${'a'.repeat(5000)}'`)).code).toBe(EDIFACT_CODES.valueTooLong);
    const big = readInterchange(`UNH+1+PAXLST:D:05B:UN'${"BGM+745'".repeat(20)}UNT+22+1'`, { limits: { maxMessageSegments: 10 } });
    expect(big.messages[0]!.problems.map((p) => p.code)).toContain(EDIFACT_CODES.messageTooLarge);
  });
});

function limits() {
  return { maxChars: 1 << 20, maxSegments: 1000, maxElements: 99, maxComponents: 99, maxRepeats: 99, maxValueLength: 4096, maxMessageSegments: 1000 };
}

/** Runs the reader; the only acceptable throw is an EdifactError with a whole position. */
function readsOrRefuses(text: string, options?: Parameters<typeof readInterchange>[1]): void {
  try {
    const result = readInterchange(text, options);
    for (const m of result.messages) for (const p of [...m.problems, ...m.warnings]) expect(p.position.segment).toBeGreaterThan(0);
  } catch (error) {
    expect(error).toBeInstanceOf(EdifactError);
    const { position, message } = (error as EdifactError).problem;
    expect(Number.isInteger(position.offset) && position.offset >= 0).toBe(true);
    expect(Number.isInteger(position.segment) && position.segment >= 0).toBe(true);
    expect(message.length).toBeGreaterThan(0);
  }
}

describe('EDIFACT reader under fuzzing', () => {
  const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 300) };
  const service = fc.constantFrom(...":+.?*'|!#^~\n\r \\$-".split(''));

  it('never throws anything but a positioned EdifactError on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => readsOrRefuses(text)), runs);
  });

  it('never throws anything but a positioned EdifactError on a truncated or spliced message', () => {
    fc.assert(
      fc.property(fc.nat({ max: PAXLST.length }), fc.nat({ max: PAXLST.length }), fc.string({ maxLength: 20 }), (cut, at, noise) => {
        readsOrRefuses(PAXLST.slice(0, cut));
        readsOrRefuses(PAXLST.slice(0, at) + noise + PAXLST.slice(at));
      }),
      runs,
    );
  });

  it('never throws anything but a positioned EdifactError with wrong or clashing separators', () => {
    fc.assert(
      fc.property(fc.array(service, { minLength: 6, maxLength: 6 }), (chars) => readsOrRefuses(`UNA${chars.join('')}${PAXLST.slice(10)}`)),
      runs,
    );
  });

  it('stays within bounds on huge repeats and deep loops of segment groups', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('+', ':', '*', "'", '?'), (n, ch) => {
        readsOrRefuses(`UNA:+.?*'UNH+1+PAXLST:D:05B:UN'FTX+${ch.repeat(n)}'UNT+3+1'`, { limits: { maxSegments: 2000 } });
        readsOrRefuses(`UNH+1+PAXLST:D:05B:UN'${"NAD+FL+++A:B'ATT+2++M'".repeat(n)}UNT+${2 * n + 2}+1'`, { limits: { maxSegments: 2000 } });
      }),
      { numRuns: Math.min(runs.numRuns, 60) },
    );
  });
});
