import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { RuleProblem } from '../errors.ts';
import { formatPath } from '../model/event.ts';

/** A parsed YAML file that can say which line a path inside it is on. */
export interface YamlSource {
  file: string;
  value: unknown;
  /** Syntax problems; `value` is unusable when there are any. */
  problems: RuleProblem[];
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** A problem at a path inside this file, located on its line. */
  problemAt(path: readonly PropertyKey[], message: string): RuleProblem;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const problems: RuleProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    line: lineAt(e.pos[0]),
    path: '',
    message: e.message.split('\n')[0] ?? e.message,
  }));
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
    value: problems.length > 0 ? undefined : (doc.toJS() as unknown),
    problems,
    lineOf,
    problemAt(path, message) {
      const line = lineOf(path);
      return { file, ...(line === undefined ? {} : { line }), path: formatPath(path), message };
    },
  };
}
