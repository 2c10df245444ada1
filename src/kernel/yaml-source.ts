import { isNode, isScalar, LineCounter, parseDocument, Scalar, visit, type Document } from 'yaml';
import type { RuleProblem } from '../errors.ts';
import { formatPath } from '../model/event.ts';

/** A parsed YAML file that can say which line a path inside it is on. */
export interface YamlSource {
  file: string;
  value: unknown;
  /** Syntax problems; `value` is unusable when there are any. */
  problems: RuleProblem[];
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /**
   * A problem at a path inside this file, located on its line; with `offset` (a
   * position inside the path's string value, such as a CEL expression's fault), on
   * the line and column of that character in the file.
   */
  problemAt(path: readonly PropertyKey[], message: string, offset?: number): RuleProblem;
}

/**
 * Aliases a file may expand. Rule files use none; more than this is a "billion laughs"
 * bomb (nine aliases of nine aliases of ... expand into billions of nodes).
 */
const MAX_ALIASES = 100;
const NESTED_TOO_DEEPLY = 'nested too deeply to read (a rule file needs a few levels, not thousands)';

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  let doc: Document;
  let value: unknown;
  const problems: RuleProblem[] = [];
  let firstAlias: number | undefined;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    problems.push(...[...doc.errors, ...doc.warnings].map((e) => ({ file, line: lineAt(e.pos[0]), path: '', message: /call stack/i.test(e.message) ? NESTED_TOO_DEEPLY : (e.message.split('\n')[0] ?? e.message) })));
    // `__proto__` is never a field here, and the YAML library would quietly make it an own
    // key that later copies turn into a prototype; name it instead.
    visit(doc, {
      Alias(_, alias) {
        firstAlias ??= alias.range?.[0];
      },
      Pair(_, pair) {
        if (isScalar(pair.key) && pair.key.value === '__proto__') {
          problems.push({ file, ...(pair.key.range ? { line: lineAt(pair.key.range[0]) } : {}), path: '', message: 'the key __proto__ is not allowed' });
        }
      },
    });
    if (problems.length === 0) value = doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  } catch (thrown) {
    return failed(file, unreadable(thrown), thrown instanceof RangeError || firstAlias === undefined ? undefined : lineAt(firstAlias));
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Walk up until a node exists: a missing key is reported on its parent's line.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return undefined;
  };
  return {
    file,
    value,
    problems,
    lineOf,
    problemAt(path, message, offset) {
      const at = offset === undefined ? undefined : positionIn(doc, text, path, offset);
      if (at !== undefined) {
        const { line, col } = lineCounter.linePos(at);
        return { file, line, column: col, path: formatPath(path), message };
      }
      const line = lineOf(path);
      return { file, ...(line === undefined ? {} : { line }), path: formatPath(path), message };
    },
  };
}

/**
 * The file offset of character `offset` of the string value at `path`. A block scalar
 * (`condition: |`) drops its indentation and a folded or plain one joins its lines, so
 * the value is walked beside its source text, skipping what YAML removed.
 */
function positionIn(doc: Document, text: string, path: readonly PropertyKey[], offset: number): number | undefined {
  const node = doc.getIn(path as unknown[], true);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const value = node.value;
  let j = node.range[0];
  const end = node.range[1];
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // Past the header line (`|`, `>-`, `|2` ...).
    const newline = text.indexOf('\n', j);
    if (newline < 0 || newline >= end) return undefined;
    j = newline + 1;
  } else if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) j += 1;
  for (let i = 0; i < Math.min(offset, value.length) && j < end; ) {
    if (value[i] === text[j]) {
      i++;
      j++;
    } else if (/\s/.test(text[j]!)) j++;
    else if (/\s/.test(value[i]!)) i++;
    else {
      // An escape sequence in a quoted string: one character of value, several of source.
      i++;
      j++;
    }
  }
  while (j < end && /[ \t]/.test(text[j]!) && value[Math.min(offset, value.length)] !== text[j]) j++;
  return j;
}

/** What went wrong inside the YAML library, said for a rule author. */
function unreadable(thrown: unknown): string {
  if (thrown instanceof RangeError) return NESTED_TOO_DEEPLY;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (/alias count/i.test(message)) return `more than ${MAX_ALIASES} alias expansions (a YAML alias bomb?); write the values out instead of using anchors and aliases`;
  return `cannot be read as YAML: ${message}`;
}

function failed(file: string, message: string, line: number | undefined): YamlSource {
  const problem: RuleProblem = { file, ...(line === undefined ? {} : { line }), path: '', message };
  return { file, value: undefined, problems: [problem], lineOf: () => undefined, problemAt: (path, m) => ({ file, path: formatPath(path), message: m }) };
}
