import { parse as parseMrz } from 'mrz';

export interface MrzCheck {
  /** Every check digit verifies. */
  valid: boolean;
  /** `field: problem` for each failing check digit, as the `mrz` library words it. */
  problems: string[];
  /** Document number and date of birth in the MRZ equal the ones sent for the document. */
  matches: boolean;
}

const WEIGHTS = [7, 3, 1] as const;

/** ICAO 9303 check digit: weights 7-3-1, digits as themselves, A-Z as 10-35, `<` as 0. */
export function checkDigit(field: string, from = 0, to = field.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const c = field.charCodeAt(i);
    const value = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += value * WEIGHTS[(i - from) % 3]!;
  }
  return sum % 10;
}

/**
 * Verifies an MRZ. Passports (TD3) take a fast path that checks the five check digits
 * in place, about a hundred times cheaper than a full parse; anything else, and any
 * TD3 that fails, goes to the `mrz` library, which stays the reference and words the
 * explanation (the tests hold the two to the same verdicts).
 */
export function checkMrz(lines: readonly string[], documentNumber: string, dateOfBirth: string): MrzCheck {
  const line2 = lines[1];
  if (lines.length === 2 && line2 !== undefined && line2.length === 44 && td3CheckDigitsHold(line2)) {
    return { valid: true, problems: [], matches: td3NumberIs(line2, documentNumber) && td3BirthDateIs(line2, dateOfBirth) };
  }
  return checkWithLibrary(lines, documentNumber, dateOfBirth);
}

function td3CheckDigitsHold(line: string): boolean {
  return (
    digitAt(line, 9) === checkDigit(line, 0, 9) &&
    digitAt(line, 19) === checkDigit(line, 13, 19) &&
    digitAt(line, 27) === checkDigit(line, 21, 27) &&
    optionalDigitAt(line, 42, 28) === checkDigit(line, 28, 42) &&
    digitAt(line, 43) === compositeCheckDigit(line)
  );
}

/** The composite check digit of positions 0–9, 13–19 and 21–42, read in place (no joined copy). */
function compositeCheckDigit(line: string): number {
  return (weightedSum(line, 0, 10, 0) + weightedSum(line, 13, 20, 10) + weightedSum(line, 21, 43, 17)) % 10;
}

/** {@link checkDigit}'s sum over `from`–`to`, weighted as if the range began at position `at` of the field. */
function weightedSum(field: string, from: number, to: number, at: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const c = field.charCodeAt(i);
    const value = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += value * WEIGHTS[(i - from + at) % 3]!;
  }
  return sum;
}

/** The line's document number (positions 0–8, fillers at the end left out) is `number`. */
function td3NumberIs(line: string, number: string): boolean {
  let end = 9;
  while (end > 0 && line.charCodeAt(end - 1) === 60) end -= 1;
  return number.length === end && line.startsWith(number);
}

/** The line's date of birth (YYMMDD at 13) is the `YYYY-MM-DD` date's. */
function td3BirthDateIs(line: string, date: string): boolean {
  return (
    line.charCodeAt(13) === date.charCodeAt(2) &&
    line.charCodeAt(14) === date.charCodeAt(3) &&
    line.charCodeAt(15) === date.charCodeAt(5) &&
    line.charCodeAt(16) === date.charCodeAt(6) &&
    line.charCodeAt(17) === date.charCodeAt(8) &&
    line.charCodeAt(18) === date.charCodeAt(9)
  );
}

function digitAt(line: string, i: number): number {
  const c = line.charCodeAt(i);
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

/** The personal-number check digit may be `<` when the personal number is all fillers. */
function optionalDigitAt(line: string, i: number, fieldStart: number): number {
  if (line[i] === '<' && /^<+$/.test(line.slice(fieldStart, i))) return 0;
  return digitAt(line, i);
}

function checkWithLibrary(lines: readonly string[], documentNumber: string, dateOfBirth: string): MrzCheck {
  try {
    const result = parseMrz([...lines]);
    const problems = result.details
      .filter((d) => !d.valid && d.field !== null && d.field.endsWith('CheckDigit'))
      .map((d) => `${d.field}: ${d.error ?? 'invalid'}`);
    const matches = result.fields.documentNumber === documentNumber && result.fields.birthDate === yymmdd(dateOfBirth);
    return { valid: problems.length === 0, problems, matches };
  } catch (thrown) {
    return { valid: false, problems: [`mrz: ${thrown instanceof Error ? thrown.message : String(thrown)}`], matches: false };
  }
}

function yymmdd(date: string): string {
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
}
