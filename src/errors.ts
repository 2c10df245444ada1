/**
 * Exceptions are for configuration and programmer faults only; bad events are data
 * (see `model/validate.ts`). Every error carries a stable `code` that tests and
 * operators can match on.
 */
export class ProcessorError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A problem in a configuration file, a command-line option or a server option. */
export class ConfigError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONFIG', message, options);
  }
}

/** One problem found while loading a rule or reference-list file. */
export interface RuleProblem {
  file: string;
  line?: number;
  /** 1-based column on `line`, where the problem is inside a value (a CEL expression's fault). */
  column?: number;
  path: string;
  message: string;
}

/** Rule files that failed to load; carries every problem found, not just the first. */
export class RuleLoadError extends ProcessorError {
  readonly problems: readonly RuleProblem[];
  constructor(problems: readonly RuleProblem[]) {
    super('ERR_RULE_LOAD', formatProblems(problems));
    this.problems = problems;
  }
}

/** The journal or dead-letter file could not be written or read back. */
export class JournalError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_JOURNAL', message, options);
  }
}

function formatProblems(problems: readonly RuleProblem[]): string {
  const lines = problems.map(
    (p) => `${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.line !== undefined && p.column !== undefined ? `:${p.column}` : ''}${p.path ? ` at ${p.path}` : ''}: ${p.message}`,
  );
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in rule files:\n  ${lines.join('\n  ')}`;
}

/** Turns whatever was thrown into an Error, at every catch boundary. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
