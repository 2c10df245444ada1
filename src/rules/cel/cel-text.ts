import { z } from 'zod';

/**
 * Longest CEL expression taken. The shipped conditions are under 300 characters; long
 * alternatives of values belong in a list (`inList`), and the CEL library's parser and
 * checker recurse, so that a very long chain would exhaust the stack.
 */
export const MAX_CEL_LENGTH = 10_000;
const tooLong = `at most ${MAX_CEL_LENGTH.toLocaleString('en')} characters; put long value lists in rules/lists/ and use inList()`;

/** A CEL expression as text; checked and compiled when the rule set loads. */
export const Cel = z.string().min(1).max(MAX_CEL_LENGTH, tooLong);
