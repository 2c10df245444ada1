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

/**
 * The source text of each element of a JSON array, for text that `JSON.parse` has already
 * accepted as an array of `count` elements (so it need not be checked again): each
 * element's text parses to exactly the value `JSON.parse` made of it, so the journal can
 * keep that text as the event's line instead of serialising the event again. An element
 * whose text spans lines (a pretty-printed frame) has no single-line text: undefined.
 *
 * If the scan does not find `count` elements (it cannot, on text JSON.parse accepted; the
 * check is a guard), it answers undefined for all, and the caller serialises as before:
 * a fault here costs speed, never an event.
 */
export function arrayElementTexts(text: string, count: number): (string | undefined)[] {
  const texts = new Array<string | undefined>(count).fill(undefined);
  let depth = 0;
  let start = 0;
  let found = 0;
  let newline = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return none(count);
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
      if (c === LF || c === CR) newline = true;
      continue;
    }
    if (found >= count) return none(count);
    texts[found] = elementText(text, start, i, newline);
    found += 1;
    newline = false;
    start = i + 1;
    if (end) break;
  }
  return found === count ? texts : none(count);
}

/** The text of one JSON value given out with no surrounding whitespace, if it is all on one line. */
export function singleLineText(text: string): string | undefined {
  return text.includes('\n') || text.includes('\r') ? undefined : text;
}

/** The element between `from` and `to`, without the whitespace around it; undefined if it spans lines. */
function elementText(text: string, from: number, to: number, sawNewline: boolean): string | undefined {
  let s = from;
  let e = to;
  while (s < e && isWhitespace(text.charCodeAt(s))) s += 1;
  while (e > s && isWhitespace(text.charCodeAt(e - 1))) e -= 1;
  const element = text.slice(s, e);
  // A newline between elements is whitespace the slice leaves out; only one inside matters.
  return sawNewline ? singleLineText(element) : element;
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

function none(count: number): undefined[] {
  return new Array<undefined>(count).fill(undefined);
}
