const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** Each element's text as received, where it may stand for the element, and the keys it holds. */
export interface ElementTexts {
  /** The element's text when it is compact (as `compactKeyCount` has it); undefined otherwise. */
  texts: (string | undefined)[];
  /** The number of object keys written in each element's text, nested ones included. */
  keys: number[];
}

/**
 * The source text of each element of a JSON array, for text that `JSON.parse` has already
 * accepted as an array of `count` elements (so it need not be checked again): each
 * element's text parses to exactly the value `JSON.parse` made of it, so the journal can
 * keep that text as the event's line instead of serialising the event again. Only compact
 * elements get a text (whitespace between elements is fine), each with the keys written in
 * it, for the caller to hold against the keys of the value it parsed to.
 *
 * If the scan does not find `count` elements (it cannot, on text JSON.parse accepted; the
 * check is a guard), it answers undefined for all, and the caller serialises as before:
 * a fault here costs speed, never an event.
 */
export function arrayElementTexts(text: string, count: number): ElementTexts {
  const texts = new Array<string | undefined>(count).fill(undefined);
  const keys = new Array<number>(count).fill(0);
  let depth = 0;
  let start = 0;
  let found = 0;
  let elementKeys = 0;
  let compact = true;
  let numberFrom = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isNumberCharacter(c)) {
      if (numberFrom < 0) numberFrom = i;
      else if (i - numberFrom >= MAX_NUMBER_TEXT) compact = false;
      continue;
    }
    numberFrom = -1;
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return none(count);
      if (depth > 1 && text.charCodeAt(i + 1) === COLON) elementKeys += 1;
      continue;
    }
    if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth += 1;
      if (depth === 1) start = i + 1;
      continue;
    }
    let end = false;
    if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth -= 1;
      // `[]` and `[ ]` end with no element; anything else ends its last one here.
      if (depth > 0 || count === 0) continue;
      end = true;
    } else if (c !== COMMA || depth !== 1) {
      // At depth 1 only the space between elements can be (an element there is a number,
      // a string or a literal); deeper, whitespace is inside an element.
      if (depth > 1 && isWhitespace(c)) compact = false;
      continue;
    }
    if (found >= count) return none(count);
    if (compact) texts[found] = elementText(text, start, i);
    keys[found] = elementKeys;
    found += 1;
    elementKeys = 0;
    compact = true;
    start = i + 1;
    if (end) break;
  }
  return found === count ? { texts, keys } : none(count);
}

/** The element between `from` and `to`, without the whitespace around it. */
function elementText(text: string, from: number, to: number): string {
  let s = from;
  let e = to;
  while (s < e && isWhitespace(text.charCodeAt(s))) s += 1;
  while (e > s && isWhitespace(text.charCodeAt(e - 1))) e -= 1;
  return text.slice(s, e);
}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/** Where the string opened at `open` ends: the next quote not escaped by an odd run of backslashes. */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close > 0) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

function none(count: number): ElementTexts {
  return { texts: new Array<undefined>(count).fill(undefined), keys: new Array<number>(count).fill(0) };
}

/** A character of a number's text (digits, sign, point, exponent). Outside strings only numbers have them, but for the `e` of `true` and `false`, which ends any run. */
function isNumberCharacter(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

/** Longer than any number `JSON.stringify` writes (at most 25 characters: "-0.0000012345678901234567"). */
const MAX_NUMBER_TEXT = 32;

/**
 * The number of object keys in `text` (a JSON value `JSON.parse` accepted) when it is
 * written compactly, or -1 when it is not: whitespace between tokens, or a number written
 * longer than any `JSON.stringify` writes. With `keysIn` it decides whether text as
 * received may stand for its parsed value: padding, long-winded numbers and repeated keys
 * (`JSON.parse` keeps the last; the text keeps every one, never validated) parse to the
 * same value but would put more in the journal than was checked.
 */
export function compactKeyCount(text: string): number {
  let keys = 0;
  let numberFrom = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isNumberCharacter(c)) {
      if (numberFrom < 0) numberFrom = i;
      else if (i - numberFrom >= MAX_NUMBER_TEXT) return -1;
      continue;
    }
    numberFrom = -1;
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return -1;
      if (text.charCodeAt(i + 1) === COLON) keys += 1;
    } else if (isWhitespace(c)) {
      return -1;
    }
  }
  return keys;
}

/** The number of keys of every object in `value`, nested ones included. */
export function keysIn(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let keys = 0;
  if (Array.isArray(value)) {
    for (const item of value) keys += keysIn(item);
    return keys;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key)) keys += 1 + keysIn((value as Record<string, unknown>)[key]);
  }
  return keys;
}
