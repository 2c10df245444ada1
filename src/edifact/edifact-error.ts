import { ProcessorError } from '../errors.ts';

/**
 * Where in an interchange a problem is. `offset` is the character offset in the text as
 * given (0-based); `segment` the segment's number, counted from 1 as UNT counts (inside a
 * message UNH is 1; outside one, from the start of the input); `element` and `component`
 * are 1-based positions within the segment (the tag is element 0), as the
 * implementation guides number them ("DOC 010 C002").
 */
export interface EdifactPosition {
  offset: number;
  segment: number;
  tag?: string;
  element?: number;
  component?: number;
}

/** Stable codes of the reader's problems: tests and operators match on these. */
export const EDIFACT_CODES = {
  empty: 'EDIFACT_EMPTY',
  tooLarge: 'EDIFACT_TOO_LARGE',
  badServiceString: 'EDIFACT_BAD_UNA',
  danglingRelease: 'EDIFACT_DANGLING_RELEASE',
  unterminated: 'EDIFACT_UNTERMINATED_SEGMENT',
  badTag: 'EDIFACT_BAD_TAG',
  tooManySegments: 'EDIFACT_TOO_MANY_SEGMENTS',
  tooManyElements: 'EDIFACT_TOO_MANY_ELEMENTS',
  tooManyComponents: 'EDIFACT_TOO_MANY_COMPONENTS',
  tooManyRepeats: 'EDIFACT_TOO_MANY_REPEATS',
  valueTooLong: 'EDIFACT_VALUE_TOO_LONG',
  envelope: 'EDIFACT_ENVELOPE',
  missingTrailer: 'EDIFACT_MISSING_TRAILER',
  count: 'EDIFACT_COUNT_MISMATCH',
  reference: 'EDIFACT_REFERENCE_MISMATCH',
  messageTooLarge: 'EDIFACT_MESSAGE_TOO_LARGE',
  unsupported: 'EDIFACT_UNSUPPORTED_MESSAGE',
  missing: 'EDIFACT_MISSING_DATA',
  invalid: 'EDIFACT_INVALID_VALUE',
} as const;
export type EdifactCode = (typeof EDIFACT_CODES)[keyof typeof EDIFACT_CODES];

/** One problem found in an interchange, message or traveller: what, and exactly where. */
export interface EdifactProblem {
  code: EdifactCode;
  message: string;
  position: EdifactPosition;
  /** The message reference (UNH 0062) the problem belongs to, when inside a message. */
  messageRef?: string;
}

/** `segment 14 (DOC) element 2 component 1` — the position as people read it. */
export function describePosition(p: EdifactPosition): string {
  let out = `segment ${p.segment}`;
  if (p.tag !== undefined) out += ` (${p.tag})`;
  if (p.element !== undefined) out += ` element ${p.element}`;
  if (p.component !== undefined) out += ` component ${p.component}`;
  return `${out}, offset ${p.offset}`;
}

/** `message PAX001: segment 14 (DOC) element 2: ...` */
export function describeProblem(p: EdifactProblem): string {
  const where = p.messageRef === undefined ? '' : `message ${p.messageRef}: `;
  return `${where}${describePosition(p.position)}: ${p.message}`;
}

/**
 * An interchange that cannot be read at all (no segment structure can be found, or a
 * size bound is passed). The only error the reader throws.
 */
export class EdifactError extends ProcessorError {
  readonly problem: EdifactProblem;
  constructor(problem: EdifactProblem) {
    super(problem.code, describeProblem(problem));
    this.problem = problem;
  }
}
