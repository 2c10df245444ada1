/**
 * Builds TD3 (passport) machine-readable zones for synthetic documents. The `mrz`
 * library parses and verifies but does not compose, so the generator composes here;
 * the tests check every generated MRZ with that library's parser.
 */

const WEIGHTS = [7, 3, 1] as const;

/** ICAO 9303 check digit: weights 7-3-1, digits as themselves, A-Z as 10-35, `<` as 0. */
export function checkDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    const value = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += value * WEIGHTS[i % 3]!;
  }
  return String(sum % 10);
}

export interface Td3Input {
  issuingState: string;
  familyName: string;
  givenNames: string;
  number: string;
  nationality: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  sex: 'F' | 'M' | 'X';
  /** YYYY-MM-DD */
  expiry: string;
}

export function td3(input: Td3Input): [string, string] {
  const name = `${mrzText(input.familyName)}<<${mrzText(input.givenNames)}`;
  const line1 = pad(`P<${input.issuingState}${name}`, 44);
  const number = pad(input.number, 9);
  const dob = yymmdd(input.dateOfBirth);
  const expiry = yymmdd(input.expiry);
  const personal = pad('', 14);
  const numberCd = checkDigit(number);
  const dobCd = checkDigit(dob);
  const expiryCd = checkDigit(expiry);
  const personalCd = checkDigit(personal);
  const composite = checkDigit(`${number}${numberCd}${dob}${dobCd}${expiry}${expiryCd}${personal}${personalCd}`);
  const sex = input.sex === 'X' ? '<' : input.sex;
  const line2 = `${number}${numberCd}${input.nationality}${dob}${dobCd}${sex}${expiry}${expiryCd}${personal}${personalCd}${composite}`;
  return [line1, line2];
}

function mrzText(text: string): string {
  return text.toUpperCase().replace(/[^A-Z ]/g, '').trim().replace(/ +/g, '<');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + '<'.repeat(width - text.length);
}

function yymmdd(date: string): string {
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
}
