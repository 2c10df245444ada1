import crypto from 'node:crypto';
import type { Alert } from '../alert/alert.ts';
import { AlertMasker, mapStrings } from '../auth/mask-alert.ts';

/** What the masking leaves of a date of birth (its year); retention takes the year too. */
const MASKED_BIRTH_DATE = /\b\d{4}-XX-XX\b/g;

/**
 * An alert with its event's personal data replaced for good: names, date of birth,
 * document number, MRZ lines and vehicle plate, wherever they appear (the subject, keys,
 * evidence), through the same masking trainers see, but under a key made for this alert
 * and thrown away, so that the pseudonyms can be neither reversed nor linked to another
 * alert's. Within the alert the same value keeps the same pseudonym, so it still reads
 * ("the document seen at two posts"). Birth dates lose their year as well.
 */
export function depersonaliseAlert(alert: Alert): Alert {
  const masker = new AlertMasker(crypto.randomBytes(32));
  const masked = masker.mask(alert, { alert }).alert;
  return mapStrings(masked, (text) => text.replace(MASKED_BIRTH_DATE, 'XXXX-XX-XX')) as Alert;
}
