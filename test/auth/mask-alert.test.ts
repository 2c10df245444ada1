import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Alert, subjectOf } from '../../src/alert/alert.ts';
import { AlertMasker, canonicalForm } from '../../src/auth/mask-alert.ts';
import type { Crossing } from '../../src/model/crossing.ts';
import type { StoredAlert } from '../../src/store/alert-log.ts';
import { generated } from '../helpers.ts';
import { fuzzParams, fuzzTimeout } from '../fuzz/hostile.ts';

/** Letters of scripts travellers' names come in, with the letters whose case mapping is not one to one. */
const SCRIPTS = {
  latin: [...'abcdefghijklmnopqrstuvwxyzáàâäãåæçéèêëíìîïñóòôöõøœúùûüýÿšžčřďťňľĺŕ', 'ß', 'ẞ', 'ﬁ', 'ﬂ', 'ſ'],
  turkish: [...'abcçdefgğhıijklmnoöprsştuüvyzİIÂÎÛ'],
  cyrillic: [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяқғүұһөәіїєўҳҷ'],
  greek: [...'αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς'],
  georgian: [...'აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ'],
  armenian: [...'աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև'],
} as const;

const word = (letters: readonly string[]) =>
  fc.array(fc.constantFrom(...letters), { minLength: 2, maxLength: 10 }).map((chars) => {
    const text = chars.join('');
    return text.charAt(0).toUpperCase() + text.slice(1);
  });

/** A name in one script, perhaps of two words, perhaps decomposed (NFD) as some systems send it. */
const name = fc
  .constantFrom(...(Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]))
  .chain((script) => fc.tuple(fc.array(word(SCRIPTS[script]), { minLength: 1, maxLength: 2 }), fc.boolean()))
  .map(([words, decomposed]) => (decomposed ? words.join(' ').normalize('NFD') : words.join(' ')));

/** Every spelling a reader would recognise: as sent, upper and lower case (Turkish and German rules too), each composed and decomposed. */
function forms(value: string): string[] {
  const cased = [value, value.toUpperCase(), value.toLowerCase(), value.toLocaleUpperCase('tr'), value.toLocaleLowerCase('tr'), value.toLocaleUpperCase('de')];
  return [...new Set(cased.flatMap((v) => [v, v.normalize('NFC'), v.normalize('NFD'), v.normalize('NFKC'), v.normalize('NFKD')]))];
}

/** Whether `form` stands in `text` as a word of its own. */
function standsIn(text: string, form: string): boolean {
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
    if (!/[\p{L}\p{N}\p{M}]$/u.test(text.slice(0, at)) && !/^[\p{L}\p{N}\p{M}]/u.test(text.slice(at + form.length))) return true;
  }
  return false;
}

const base = generated(200, { seed: 5, plantRate: 0 }).map((g) => g.event).find((e): e is Crossing => e.kind === 'crossing' && e.document.mrz !== undefined)!;

/**
 * An alert about a traveller with these names, holding them where real alerts do and in
 * the spellings real alerts use: the subject line (upper-cased family name), the event,
 * evidence values and keys (upper- and lower-cased, decomposed), a group subject.
 */
function alertAbout(familyName: string, givenNames: string): StoredAlert {
  const event: Crossing = { ...base, eventId: 'p-1', traveller: { ...base.traveller, familyName, givenNames } };
  const alert: Alert = {
    alertId: 'alert:p-1', eventId: 'p-1', kind: 'crossing', post: event.post, eventTime: event.eventTime, journalRecord: 1,
    subject: subjectOf(event), score: 60, threshold: 50, severity: 'high', ruleSetVersion: 'v1', trigger: 'event', shadowIndicators: [],
    indicators: [{
      id: 'crossing.names', version: 1, title: 'Names seen together', weight: 60, severity: 'high', tags: ['document'],
      evidence: [
        { field: 'event.traveller.familyName', op: 'equals', expected: 'x', actual: familyName },
        { field: 'event.traveller.givenNames', op: 'equals', expected: 'x', actual: givenNames.toUpperCase() },
        { field: 'distinct event.document.number', op: 'window key', actual: `${familyName.toLocaleUpperCase('tr')}|${givenNames.toLowerCase()}|${event.traveller.dateOfBirth}` },
        { field: 'derived.note', op: 'equals', expected: 'x', actual: `seen as ${familyName.normalize('NFD').toLowerCase()}, ${givenNames.toLocaleLowerCase('tr')} and ${familyName.toLocaleUpperCase('de')}` },
      ],
    }],
    group: { id: 'alert:p-0', count: 2, subject: `traveller ${familyName.toUpperCase()} ${givenNames}` },
    event,
  };
  const triage = { status: 'dismissed' as const, outcome: 'other' as const, history: [{ action: 'dismiss' as const, by: 'a', at: '2026-11-02T00:00:00.000Z', reason: 'other' as const, note: `called ${familyName.toUpperCase()}` }] };
  return { seq: 1, alert, triage, message: JSON.stringify({ type: 'alert', seq: 1, alert, triage }) };
}

describe('AlertMasker', () => {
  const masker = new AlertMasker(crypto.randomBytes(32));
  /** Words the masked alert shows whatever the names (rule titles, codes, "name#"): a name spelt like one of them cannot be told apart. */
  const skeleton = new Set(masker.message(alertAbout('Qqqq', 'Qqqq')).split(/[^\p{L}\p{N}\p{M}]+/u).map(canonicalForm));

  it('leaves no case or normalisation form of a name in the masked alert, for names in many scripts', () => {
    fc.assert(
      fc.property(name, name, (familyName, givenNames) => {
        const words = [familyName, givenNames].flatMap((n) => n.split(' '));
        fc.pre(words.every((w) => !skeleton.has(canonicalForm(w))));
        const text = masker.message(alertAbout(familyName, givenNames));
        const found = [familyName, givenNames, ...words].flatMap(forms).filter((f) => standsIn(text, f));
        expect(found, text).toEqual([]);
      }),
      fuzzParams(300),
    );
  }, fuzzTimeout());

  it('gives a value one pseudonym however it is spelt, and different values different ones', () => {
    const pseudonym = (v: string) => masker.pseudonym('name', v);
    expect(pseudonym('Yılmaz')).toBe(pseudonym('YILMAZ'));
    expect(pseudonym('Straße')).toBe(pseudonym('STRASSE'));
    expect(pseudonym('İsmail')).toBe(pseudonym('ISMAIL'));
    expect(pseudonym('Müller'.normalize('NFD'))).toBe(pseudonym('MÜLLER'));
    expect(pseudonym('Yılmaz')).not.toBe(pseudonym('Yilmazov'));
    // ASCII names keep the pseudonyms they had (an HMAC of the upper-cased value), so a running exercise reads the same.
    const key = crypto.randomBytes(32);
    expect(new AlertMasker(key).pseudonym('name', 'Karimov')).toBe(`name#${crypto.createHmac('sha256', key).update('name:KARIMOV').digest('hex').slice(0, 8)}`);
  });

  it('masks a one-letter name at its fields and in the subject, and leaves the same letter elsewhere alone', () => {
    const stored = alertAbout('Wu', 'X');
    const masked = JSON.parse(masker.message(stored)) as { alert: Alert };
    const event = masked.alert.event as Crossing;
    expect(event.traveller.givenNames).toMatch(/^name#[0-9a-f]{8}$/);
    expect(masked.alert.subject).toBe(`${event.traveller.familyName} ${event.traveller.givenNames} (${base.traveller.nationality}, ${base.traveller.dateOfBirth.slice(0, 4)}-XX-XX) ${base.document.type} ${base.document.issuingState} ${event.document.number}`);
    expect(masked.alert.indicators[0]!.title).toBe('Names seen together');
  });
});
