import { describe, expect, it } from 'vitest';
import { deriveKey, documentIdentifier, matchToken, nameIdentifiers, subjectIdentifiers } from '../../src/exchange/match-tokens.ts';
import { PartnerTokens } from '../../src/exchange/partner-tokens.ts';

const SECRET = Buffer.from('a shared secret of at least thirty-two bytes, exchanged out of band');

describe('match tokens', () => {
  it('derives one key per pair of agencies and key id, whichever side derives it', () => {
    const kz = deriveKey(SECRET, ['kz-bs', 'kg-bs'], 'k1');
    expect(kz.equals(deriveKey(SECRET, ['kg-bs', 'kz-bs'], 'k1'))).toBe(true);
    expect(kz.equals(deriveKey(SECRET, ['kz-bs', 'tj-bs'], 'k1'))).toBe(false);
    expect(kz.equals(deriveKey(SECRET, ['kz-bs', 'kg-bs'], 'k2'))).toBe(false);
  });

  it('makes full 256-bit tokens over canonical identifiers', () => {
    const key = deriveKey(SECRET, ['a', 'b'], 'k1');
    expect(documentIdentifier('kgz', 'ac 123-4567')).toBe('doc|KGZ|AC1234567');
    expect(matchToken(key, 'doc|KGZ|AC1234567')).toMatch(/^[0-9a-f]{64}$/);
    expect(matchToken(key, 'doc|KGZ|AC1234567')).not.toBe(matchToken(deriveKey(SECRET, ['a', 'b'], 'k2'), 'doc|KGZ|AC1234567'));
  });

  it('gives a name in Cyrillic and its passport Latin a common identifier, and none without a full date of birth', () => {
    const pairs: [string, string, string, string][] = [
      ['Умаров', 'Доку', 'UMAROV', 'DOKU'],
      ['Қодирова', 'Гулноза', 'QODIROVA', 'GULNOZA'],
      ['Ҳаққонӣ', 'Раҳмон', 'KHAKKONI', 'RAKHMON'],
      ['Щукин', 'Юрий', 'SHCHUKIN', 'IURII'],
    ];
    for (const [cf, cg, lf, lg] of pairs) {
      const cyrillic = new Set(nameIdentifiers(cf, cg, '1980-02-03'));
      expect(nameIdentifiers(lf, lg, '1980-02-03').some((id) => cyrillic.has(id)), `${cf} ${cg} / ${lf} ${lg}`).toBe(true);
      // Family and given names swapped still meet.
      expect(nameIdentifiers(lg, lf, '1980-02-03').some((id) => cyrillic.has(id))).toBe(true);
    }
    expect(nameIdentifiers('UMAROV', 'DOKU', '1980-02-04').some((id) => new Set(nameIdentifiers('UMAROV', 'DOKU', '1980-02-03')).has(id))).toBe(false);
    expect(nameIdentifiers('UMAROV', 'DOKU', '1980')).toEqual([]);
    expect(nameIdentifiers('KARIMOV', 'ALISHER', '1980-02-03').some((id) => new Set(nameIdentifiers('UMAROV', 'DOKU', '1980-02-03')).has(id))).toBe(false);
  });

  it('tokenises only the kinds an agreement names', () => {
    const subject = { documents: [{ issuingState: 'KGZ', number: 'AC1234567' }], names: [{ familyName: 'UMAROV', givenNames: 'DOKU' }], datesOfBirth: ['1980-02-03'] };
    expect(subjectIdentifiers(subject, ['document'])).toEqual([{ kind: 'document', identifier: 'doc|KGZ|AC1234567' }]);
    expect(subjectIdentifiers(subject, ['name-dob']).every((x) => x.kind === 'name-dob')).toBe(true);
  });
});

describe('partner tokens', () => {
  const key = deriveKey(SECRET, ['kz-bs', 'kg-bs'], 'k1');
  const traveller = { issuingState: 'KGZ', number: 'AC1234567', familyName: 'Умаров', givenNames: 'Доку', dateOfBirth: '1980-02-03' };

  it('matches a crossing against a partner token under a valid key, and forgets on revocation and expiry', () => {
    let now = 1_000;
    const index = new PartnerTokens(() => now);
    expect(index.empty).toBe(true);
    index.setPartner('kz-bs', 'Border Service of Kazakhstan', [{ id: 'k1', key, notAfter: Number.POSITIVE_INFINITY }]);
    index.replace('kz-bs', [{ token: matchToken(key, nameIdentifiers('UMAROV', 'DOKU', '1980-02-03')[0]!), kind: 'name-dob', ref: 'r-1', source: 'flagged', keyId: 'k1', expiresAt: 5_000 }]);
    expect(index.match(traveller)).toEqual([{ partner: 'kz-bs', partnerName: 'Border Service of Kazakhstan', ref: 'r-1', kind: 'name-dob', source: 'flagged', keyId: 'k1' }]);
    expect(index.match({ ...traveller, dateOfBirth: '1980-02-04' })).toEqual([]);
    now = 6_000;
    expect(index.match(traveller)).toEqual([]);
    now = 1_000;
    index.drop('kz-bs');
    expect(index.empty).toBe(true);
    expect(index.match(traveller)).toEqual([]);
  });

  it('ignores tokens under a key the agreement does not list', () => {
    const index = new PartnerTokens();
    index.setPartner('kz-bs', 'KZ', [{ id: 'k2', key, notAfter: Number.POSITIVE_INFINITY }]);
    index.replace('kz-bs', [{ token: matchToken(key, 'doc|KGZ|AC1234567'), kind: 'document', ref: 'r-1', source: 'alert', keyId: 'k1', expiresAt: Number.POSITIVE_INFINITY }]);
    expect(index.empty).toBe(true);
  });
});

describe('key rotation', () => {
  it('matches tokens under every listed key until its notAfter, and the cached result ends with the key', () => {
    let now = 1_000;
    const k1 = deriveKey(SECRET, ['kz-bs', 'kg-bs'], 'k1');
    const k2 = deriveKey(SECRET, ['kz-bs', 'kg-bs'], 'k2');
    const index = new PartnerTokens(() => now);
    index.setPartner('kz-bs', 'KZ', [
      { id: 'k1', key: k1, notAfter: 2_000 },
      { id: 'k2', key: k2, notAfter: Number.POSITIVE_INFINITY },
    ]);
    const doc = 'doc|KGZ|AC1234567';
    index.replace('kz-bs', [
      { token: matchToken(k1, doc), kind: 'document', ref: 'r-old', source: 'flagged', keyId: 'k1', expiresAt: Number.POSITIVE_INFINITY },
      { token: matchToken(k2, 'doc|KGZ|AC7654321'), kind: 'document', ref: 'r-new', source: 'flagged', keyId: 'k2', expiresAt: Number.POSITIVE_INFINITY },
    ]);
    const old = { issuingState: 'KGZ', number: 'AC1234567', familyName: 'X', givenNames: 'Y', dateOfBirth: '1980-01-01' };
    expect(index.match(old).map((h) => h.ref)).toEqual(['r-old']);
    expect(index.match({ ...old, number: 'AC7654321' }).map((h) => h.ref)).toEqual(['r-new']);
    now = 3_000;
    expect(index.match(old)).toEqual([]);
    expect(index.match({ ...old, number: 'AC7654321' }).map((h) => h.ref)).toEqual(['r-new']);
    // Dropping a key from the agreement drops its tokens at once.
    index.setPartner('kz-bs', 'KZ', [{ id: 'k1', key: k1, notAfter: Number.POSITIVE_INFINITY }]);
    expect(index.match({ ...old, number: 'AC7654321' })).toEqual([]);
    expect(index.match(old).map((h) => h.ref)).toEqual(['r-old']);
  });
});
