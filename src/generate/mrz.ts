import { checkDigit as digitOf } from '../enrich/mrz-check.ts';

const checkDigit = (field: string): string => String(digitOf(field));

/**
 * Builds TD3 (passport) machine-readable zones for synthetic documents. The `mrz`
 * library parses and verifies but does not compose, so the generator composes here;
 * the tests check every generated MRZ with that library's parser.
 */

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
