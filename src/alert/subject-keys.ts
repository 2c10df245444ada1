import type { BorderEvent } from '../model/event.ts';
import { foldText } from '../watchlist/normalise-name.ts';
import { groupSubject } from './group-alerts.ts';

/**
 * The keys by which casework finds an alert's subject again: the document (or, for cargo,
 * the consignee) alerts are grouped by, the person by folded name and date of birth, and
 * the vehicle. Keys are plain strings, stored beside each alert and indexed.
 */
export interface SubjectKeys {
  /** `document UZB:AA1234567` or `consignee KZ:Name`: what silences and inhibition match on. */
  subject: string;
  /** `person <folded names, sorted> <date of birth>`; crossings only. */
  person?: string;
  /** `vehicle <plate, folded>`, when the crossing names one. */
  vehicle?: string;
}

/**
 * A person as a key: names folded across scripts (watchlist folding) and their words
 * sorted, so that `Умаров Доку`, `UMAROV Doku` and `Doku Umarov` are one person, with the
 * date of birth (namesakes differ there).
 */
export function personKey(familyName: string, givenNames: string, dateOfBirth: string): string {
  const words = foldText(`${familyName} ${givenNames}`)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .sort();
  return `person ${words.join(' ')} ${dateOfBirth}`;
}

export function subjectKeys(event: BorderEvent): SubjectKeys {
  const subject = groupSubject(event);
  if (event.kind !== 'crossing') return { subject };
  const { traveller: t } = event;
  const plate = event.vehicle?.plate;
  return {
    subject,
    person: personKey(t.familyName, t.givenNames, t.dateOfBirth),
    ...(plate !== undefined && { vehicle: `vehicle ${foldText(plate).replace(/[^a-z0-9]/g, '')}` }),
  };
}
