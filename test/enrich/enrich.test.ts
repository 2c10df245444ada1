import { describe, expect, it } from 'vitest';
import { deriveCargo, deriveCrossing } from '../../src/enrich/enrich.ts';
import type { Cargo } from '../../src/model/cargo.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import { generated, shippedRules } from '../helpers.ts';

const sample = generated(600, { seed: 5, plantRate: 0 });
const withMrz = sample.map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing' && e.document.mrz !== undefined)!;
const cargo = sample.map((g) => g.event).find((e): e is Cargo => e.kind === 'cargo')!;
const reference = shippedRules().reference;

describe('deriveCrossing', () => {
  it('verifies a genuine MRZ and finds it consistent with the document', () => {
    const d = deriveCrossing(withMrz, reference);
    expect(d).toMatchObject({ mrzPresent: true, mrzValid: true, mrzProblems: [], mrzMatchesDocument: true });
  });

  it('names the MRZ check digit that fails', () => {
    const event = structuredClone(withMrz);
    const line2 = event.document.mrz![1]!;
    event.document.mrz![1] = `${line2.slice(0, 9)}${(Number(line2[9]) + 1) % 10}${line2.slice(10)}`;
    const d = deriveCrossing(event, reference);
    expect(d.mrzValid).toBe(false);
    expect(d.mrzProblems).toEqual(expect.arrayContaining([expect.stringMatching(/^documentNumberCheckDigit: /)]));
  });

  it('counts days to expiry from the local date of the event', () => {
    const event = { ...structuredClone(withMrz), eventTime: '2026-11-22T23:30:00.000+05:00' };
    event.document.expiry = '2026-11-21';
    expect(deriveCrossing(event, reference)).toMatchObject({ documentDaysToExpiry: -1, documentExpired: true });
    event.document.expiry = '2026-11-22';
    expect(deriveCrossing(event, reference)).toMatchObject({ documentDaysToExpiry: 0, documentExpired: false });
  });

  it('computes age in whole years on the day of the crossing', () => {
    const event = { ...structuredClone(withMrz), eventTime: '2026-03-14T10:00:00.000+05:00' };
    event.traveller.dateOfBirth = '2000-03-15';
    expect(deriveCrossing(event, reference).ageYears).toBe(25);
    event.traveller.dateOfBirth = '2000-03-14';
    expect(deriveCrossing(event, reference).ageYears).toBe(26);
  });
});

describe('deriveCargo', () => {
  it('compares value per kg and weight per package with the HS norms, in USD', () => {
    const event = structuredClone(cargo);
    const item = event.items[0]!;
    const norm = reference.hsNorms.get(item.hsCode)!;
    item.grossKg = norm.kgPerPackage * 10;
    item.packages = 10;
    item.value = { amount: norm.usdPerKg * item.grossKg * 0.5, currency: 'USD' };
    const d = deriveCargo(event, reference).items[0]!;
    expect(d.weightRatio).toBeCloseTo(1, 9);
    expect(d.valueRatio).toBeCloseTo(0.5, 9);
    expect(d.hsKnown).toBe(true);
  });

  it('leaves the USD value unknown for a currency without a rate', () => {
    const event = structuredClone(cargo);
    event.items[0]!.value.currency = 'ZAR';
    const d = deriveCargo(event, reference);
    expect(d.items[0]!.valueUsd).toBeNull();
    expect(d.totalValueUsd).toBeNull();
  });
});
