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
    const number = line2.slice(0, 9).replace(/<+$/, '');
    return { valid: true, problems: [], matches: number === documentNumber && line2.slice(13, 19) === yymmdd(dateOfBirth) };
  }
  return checkWithLibrary(lines, documentNumber, dateOfBirth);
}

function td3CheckDigitsHold(line: string): boolean {
  return (
    digitAt(line, 9) === checkDigit(line, 0, 9) &&
    digitAt(line, 19) === checkDigit(line, 13, 19) &&
    digitAt(line, 27) === checkDigit(line, 21, 27) &&
    optionalDigitAt(line, 42, 28) === checkDigit(line, 28, 42) &&
    digitAt(line, 43) === checkDigit(line.slice(0, 10) + line.slice(13, 20) + line.slice(21, 43))
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
