import type { Crossing } from '../../../model/crossing.ts';
import type { LinkElement } from './link-schema.ts';

/** One element of a booking that two travellers can share: its kind, its key (normalised) and the value as shown. */
export interface BookingElement {
  kind: LinkElement;
  key: string;
  value: string;
  /** The event field it was read from, named in evidence. */
  field: string;
}

/** A phone number compared by its digits, without a leading + or 00 (`+7 701 ...` and `007701...` are one). */
function phoneKey(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^00/, '');
}

/** An address compared by its letters and digits, upper case, single-spaced. */
function addressKey(address: string): string {
  return address.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * The elements of a crossing's booking of the kinds asked for: contacts and card from
 * its PNR, the booking from its record locator (PNR) or reservation (PAXLST RFF AVF).
 * Phones of fewer than 7 digits are left out: too short to tell two people apart.
 */
export function bookingElements(event: Crossing, kinds: ReadonlySet<LinkElement>): BookingElement[] {
  const out: BookingElement[] = [];
  const pnr = event.pnr;
  if (pnr) {
    if (kinds.has('phone')) {
      for (const p of pnr.contacts.phones) {
        const key = phoneKey(p);
        if (key.length >= 7) out.push({ kind: 'phone', key: `phone:${key}`, value: p, field: 'pnr.contacts.phones' });
      }
    }
    if (kinds.has('email')) for (const e of pnr.contacts.emails) out.push({ kind: 'email', key: `email:${e.toLowerCase()}`, value: e, field: 'pnr.contacts.emails' });
    if (kinds.has('address')) {
      for (const a of pnr.contacts.addresses) {
        const key = addressKey(a);
        if (key.length >= 8) out.push({ kind: 'address', key: `address:${key}`, value: a, field: 'pnr.contacts.addresses' });
      }
    }
    if (kinds.has('card') && pnr.payment?.cardFingerprint) {
      out.push({ kind: 'card', key: `card:${pnr.payment.cardFingerprint}`, value: `${pnr.payment.cardType ?? 'card'} ${pnr.payment.cardMasked ?? ''}`.trim(), field: 'pnr.payment.cardMasked' });
    }
  }
  if (kinds.has('booking')) {
    const locator = pnr?.recordLocator ?? event.api?.reservation?.toUpperCase();
    if (locator) out.push({ kind: 'booking', key: `booking:${locator}`, value: locator, field: pnr ? 'pnr.recordLocator' : 'api.reservation' });
  }
  return out;
}
