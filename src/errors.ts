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

/** Saved state that does not fit what it is restored into, or state used out of turn. */
export class StateError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STATE', message, options);
  }
}

/** The alert database could not do what was asked of it. */
export class StoreError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_STORE', message, options);
  }
}

/** A connection to a processor failed, or closed before its work was done (clients, producers, replays). */
export class ConnectionError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONNECTION', message, options);
  }
}

/** The server answered a client's request with an error (a triage action it refused). */
export class RequestRefusedError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_REQUEST_REFUSED', message, options);
  }
}

/**
 * A fault of the program, never of its input (a generator that made an invalid event, a
 * value thrown that is not an Error): the CLI prints its stack.
 */
export class InternalError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INTERNAL', message, options);
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
  return new InternalError(typeof thrown === 'string' ? thrown : `a value that is not an Error was thrown: ${JSON.stringify(thrown)}`);
}
