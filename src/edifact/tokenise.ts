import { EDIFACT_CODES, EdifactError, type EdifactCode, type EdifactPosition, type EdifactProblem } from './edifact-error.ts';

/**
 * The service characters of an interchange (ISO 9735-1:2002 §7.1, the UNA service string
 * advice): component data element separator, data element separator, decimal mark,
 * release character, repetition separator (syntax version 4; a space in UNA position 5
 * means "not used", as syntax version 3 reserved it) and segment terminator.
 */
export interface Delimiters {
  component: string;
  element: string;
  decimal: string;
  release: string;
  repetition: string | undefined;
  segment: string;
}

/**
 * The defaults when there is no UNA (ISO 9735-1 §7.1, level A/B character sets).
 * The repetition separator is taken only from a UNA: airlines that send no UNA write `*`
 * inside data (US APIS sender ids such as `APIS*ABE`), which the default `*` would split.
 */
export const DEFAULT_DELIMITERS: Readonly<Delimiters> = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: undefined,
  segment: "'",
};

/** Size bounds of one read, so that hostile input costs bounded time and memory. */
export interface ReadLimits {
  /** Characters in the whole input. @default 16_777_216 (16 Mi) */
  maxChars: number;
  /** Segments in the whole input. @default 200_000 */
  maxSegments: number;
  /** Data elements in one segment (ISO 9735 directories define at most 99 positions). @default 99 */
  maxElements: number;
  /** Components in one composite element. @default 99 */
  maxComponents: number;
  /** Repeats of one data element. @default 99 */
  maxRepeats: number;
  /** Characters of one component value (PNRGOV free text, IFT 4440, is an..512). @default 4096 */
  maxValueLength: number;
  /** Segments of one message, UNH to UNT. @default 50_000 */
  maxMessageSegments: number;
}

export const DEFAULT_LIMITS: Readonly<ReadLimits> = {
  maxChars: 16 * 1024 * 1024,
  maxSegments: 200_000,
  maxElements: 99,
  maxComponents: 99,
  maxRepeats: 99,
  maxValueLength: 4096,
  maxMessageSegments: 50_000,
};

/**
 * One segment: its tag and its data elements, each a list of repeats, each a list of
 * component values (released characters already unescaped). `elements[0]` is the first
 * data element after the tag (the guides' element 1).
 */
export interface Segment {
  tag: string;
  elements: string[][][];
  /** 1-based number of the segment in the whole input. */
  index: number;
  /** Character offset of the segment's first character in the input. */
  offset: number;
}

export interface Tokens {
  delimiters: Delimiters;
  segments: Segment[];
  /** Text after the last segment terminator that is no segment (a missing final terminator, a trailing note). */
  trailing: EdifactProblem | undefined;
}

const TAG = /^[A-Z][A-Z0-9]{2}$/;
const ALNUM = /^[A-Za-z0-9]$/;

function fail(code: EdifactCode, message: string, position: EdifactPosition): never {
  throw new EdifactError({ code, message, position });
}

/** Reads the UNA service string advice at `at`, checking each character can serve. */
function serviceString(text: string, at: number): Delimiters {
  const advice = text.slice(at + 3, at + 9);
  const position = { offset: at, segment: 0, tag: 'UNA' };
  if (advice.length < 6) fail(EDIFACT_CODES.badServiceString, `UNA must be followed by 6 service characters, found ${advice.length}`, position);
  const [component, element, decimal, release, repetition, segment] = [...advice] as [string, string, string, string, string, string];
  const named: [string, string][] = [['component separator', component], ['data element separator', element], ['release character', release], ['segment terminator', segment]];
  for (const [name, ch] of named) {
    if (ALNUM.test(ch) || ch === ' ' || ch === '\r' || ch === '\n') {
      fail(EDIFACT_CODES.badServiceString, `UNA ${name} ${JSON.stringify(ch)} cannot be a letter, digit, space or line break`, position);
    }
  }
  const used = [component, element, release, segment];
  if (repetition !== ' ') used.push(repetition);
  if (new Set(used).size !== used.length) fail(EDIFACT_CODES.badServiceString, `UNA service characters must differ: ${JSON.stringify(advice)}`, position);
  if (decimal !== '.' && decimal !== ',') fail(EDIFACT_CODES.badServiceString, `UNA decimal mark must be "." or ",", found ${JSON.stringify(decimal)}`, position);
  return { component, element, decimal, release, repetition: repetition === ' ' ? undefined : repetition, segment };
}

/**
 * Splits an interchange into segments. Honours a UNA service string advice, the release
 * character (ISO 9735-1 §7.3: the next character is data), and skips carriage returns and
 * line feeds anywhere (transmissions wrap lines at 64 or 80 characters; they are never
 * data unless a UNA makes one a delimiter) and spaces before a segment tag.
 * Throws only `EdifactError`, with the position of the fault.
 */
export function tokenise(text: string, limits: ReadLimits = DEFAULT_LIMITS): Tokens {
  if (text.length > limits.maxChars) {
    fail(EDIFACT_CODES.tooLarge, `input is ${text.length} characters, over the limit of ${limits.maxChars}`, { offset: limits.maxChars, segment: 0 });
  }
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  let delimiters: Delimiters = DEFAULT_DELIMITERS;
  if (text.startsWith('UNA', i)) {
    delimiters = serviceString(text, i);
    i += 9;
  }
  let { component: cSep, element: eSep, release, repetition: rSep, segment: sEnd } = delimiters;
  let skipBreaks = true;
  const use = (d: Delimiters): void => {
    delimiters = d;
    ({ component: cSep, element: eSep, release, repetition: rSep, segment: sEnd } = d);
    skipBreaks = cSep !== '\n' && eSep !== '\n' && sEnd !== '\n' && sEnd !== '\r' && rSep !== '\n';
  };
  use(delimiters);

  const segments: Segment[] = [];
  const n = text.length;
  while (true) {
    // Between segments: line breaks and spaces are layout, not data.
    while (i < n && (text[i] === ' ' || text[i] === '\t' || ((text[i] === '\r' || text[i] === '\n') && skipBreaks))) i++;
    if (i >= n) break;
    // A file of several interchanges: each may open with its own service string advice.
    if (segments.length > 0 && text.startsWith('UNA', i) && !/^[A-Z0-9]$/.test(text[i + 3] ?? '')) {
      use(serviceString(text, i));
      i += 9;
      continue;
    }
    const start = i;
    const index = segments.length + 1;
    if (index > limits.maxSegments) fail(EDIFACT_CODES.tooManySegments, `more than ${limits.maxSegments} segments`, { offset: start, segment: index });
    const elements: string[][][] = [];
    let repeats: string[][] = [];
    let components: string[] = [];
    let value = '';
    let terminated = false;
    const where = (): EdifactPosition => ({ offset: i, segment: index, element: elements.length, component: components.length + 1 });
    const endComponent = (): void => {
      if (value.length > limits.maxValueLength) fail(EDIFACT_CODES.valueTooLong, `value longer than ${limits.maxValueLength} characters`, where());
      components.push(value);
      value = '';
      if (components.length > limits.maxComponents) fail(EDIFACT_CODES.tooManyComponents, `more than ${limits.maxComponents} components`, where());
    };
    const endRepeat = (): void => {
      endComponent();
      repeats.push(components);
      components = [];
      if (repeats.length > limits.maxRepeats) fail(EDIFACT_CODES.tooManyRepeats, `more than ${limits.maxRepeats} repeats of one element`, where());
    };
    const endElement = (): void => {
      endRepeat();
      elements.push(repeats);
      repeats = [];
      // elements[0] is the tag: the limit counts data elements after it.
      if (elements.length > limits.maxElements + 1) fail(EDIFACT_CODES.tooManyElements, `more than ${limits.maxElements} data elements`, where());
    };
    while (i < n) {
      const ch = text[i]!;
      if (ch === release) {
        i++;
        while (skipBreaks && i < n && (text[i] === '\r' || text[i] === '\n')) i++;
        if (i >= n) fail(EDIFACT_CODES.danglingRelease, `release character ${JSON.stringify(release)} at the end of the input releases nothing`, { offset: n - 1, segment: index });
        value += text[i]!;
        i++;
        if (value.length > limits.maxValueLength) fail(EDIFACT_CODES.valueTooLong, `value longer than ${limits.maxValueLength} characters`, where());
        continue;
      }
      if (ch === sEnd) {
        endElement();
        i++;
        terminated = true;
        break;
      }
      if (ch === eSep) endElement();
      else if (ch === cSep) endComponent();
      else if (ch === rSep) endRepeat();
      else if ((ch === '\r' || ch === '\n') && skipBreaks) {
        // A wrapped line: the break is layout.
      } else {
        value += ch;
        if (value.length > limits.maxValueLength) fail(EDIFACT_CODES.valueTooLong, `value longer than ${limits.maxValueLength} characters`, where());
      }
      i++;
    }
    if (!terminated) {
      const rest = text.slice(start, Math.min(n, start + 20));
      const problem = { code: EDIFACT_CODES.unterminated, message: `text at the end starting ${JSON.stringify(rest)} has no segment terminator ${JSON.stringify(sEnd)}: not read`, position: { offset: start, segment: index } };
      if (segments.length === 0) throw new EdifactError(problem);
      return { delimiters, segments, trailing: problem };
    }
    const tagElement = elements.shift()!;
    // Spaces around a tag are layout some senders add ("UNG *PAXLST"); the tag itself is strict.
    const tag = (tagElement[0]?.[0] ?? '').trim();
    if (!TAG.test(tag)) {
      fail(EDIFACT_CODES.badTag, `segment tag ${JSON.stringify(tag.slice(0, 20))} is not 3 upper-case letters or digits`, { offset: start, segment: index });
    }
    segments.push({ tag, elements, index, offset: start });
  }
  if (segments.length === 0) fail(EDIFACT_CODES.empty, 'no segments in the input', { offset: 0, segment: 0 });
  return { delimiters, segments, trailing: undefined };
}

/** Component `c` (1-based) of repeat 0 of data element `e` (1-based) of a segment; '' when absent. */
export function componentOf(segment: Segment, e: number, c = 1): string {
  return segment.elements[e - 1]?.[0]?.[c - 1] ?? '';
}
