/**
 * Tables of the evaluation set's generator, written from the published standards and kept
 * apart from the matcher (`src/watchlist/`), which must not be measured by its own folding.
 *
 * A listed name (UN Latin, English-style) is first written in Cyrillic the way a Russian,
 * Tajik or Uzbek registry clerk writes a foreign or a local name, then romanised by each
 * standard as a passport office, a consulate or a foreign database would.
 */

type Table = Record<string, string>;

/** Greedy longest-match rewriting with a table (keys of one to four letters). */
export function rewrite(text: string, table: Table): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    let hit = false;
    for (let n = 4; n >= 1; n--) {
      const k = text.slice(i, i + n);
      if (k.length === n && table[k] !== undefined) {
        out += table[k];
        i += n;
        hit = true;
        break;
      }
    }
    if (!hit) out += text[i++];
  }
  return out;
}

const VOWELS = /[aeiou]/;

/**
 * English-style Latin (as the UN list spells) to Russian Cyrillic, as a Russian registry
 * writes a name: kh → х, zh → ж in Slavic and Turkic names but з+х in Arabic ones (Azhar,
 * Mazhar: Азхар), y → й after a vowel, initial e → э, ee/oo/ou → и/у, q → к, j → дж.
 */
export function toRussianCyrillic(latin: string, arabicOrigin: boolean): string {
  let s = latin.toLowerCase();
  s = s.replace(/ee/g, 'и').replace(/oo|ou/g, 'у');
  const table: Table = {
    shch: 'щ', sh: 'ш', ch: 'ч', kh: 'х', gh: 'г', dh: 'д', th: 'т', ph: 'ф', ya: 'я', yu: 'ю', yo: 'ё', ye: 'е',
    zh: arabicOrigin ? 'зх' : 'ж', ts: arabicOrigin ? 'тс' : 'ц',
    a: 'а', b: 'б', c: 'к', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'дж', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о',
    p: 'п', q: 'к', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'кс', z: 'з',
  };
  // y: before a vowel it is the vowel's iotation (handled by the table), after a vowel й,
  // after a consonant ы only in Slavic names, else и.
  s = s.replace(/y(?![aueo])/g, (_m, at: number) => (at > 0 && VOWELS.test(s[at - 1]!) ? 'й' : arabicOrigin ? 'и' : 'ы'));
  s = s.replace(/(^|[^a-z])e/g, '$1э').replace(/([aiou])e/g, '$1э');
  return rewrite(s, table);
}

/**
 * English-style Latin to Tajik Cyrillic (Tajik alphabet of 1998, with Ғ Ӣ Қ Ӯ Ҳ Ҷ), as a
 * Tajik registry writes a Persian or Arabic name: h → ҳ, q → қ, gh → ғ, j → ҷ, the long a of
 * Persian before a final n or in -ani/-ullah written о (Раҳмон, Ҳаққонӣ, Абдулло), final -i → ӣ,
 * -zada/-zade → -зода.
 */
export function toTajikCyrillic(latin: string): string {
  let s = latin.toLowerCase();
  s = s.replace(/ullah\b/g, 'ullo').replace(/an(i)?\b/g, 'on$1').replace(/z[a]d[ae]\b/g, 'zoda').replace(/ee/g, 'i').replace(/oo|ou/g, 'u');
  s = s.replace(/i\b/g, 'ӣ');
  const table: Table = {
    sh: 'ш', ch: 'ч', kh: 'х', gh: 'ғ', zh: 'ж', dh: 'д', th: 'т', ya: 'я', yu: 'ю', yo: 'ё',
    a: 'а', b: 'б', c: 'к', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'ҳ', i: 'и', j: 'ҷ', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о',
    p: 'п', q: 'қ', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'кс', y: 'й', z: 'з',
  };
  return rewrite(s, table);
}

/** English-style Latin to Uzbek Cyrillic: as Tajik but х for kh and ҳ for h, final -i → -ий. */
export function toUzbekCyrillic(latin: string): string {
  let s = latin.toLowerCase();
  s = s.replace(/ullah\b/g, 'ulloh').replace(/an(i)?\b/g, 'on$1').replace(/z[a]d[ae]\b/g, 'zoda').replace(/ee/g, 'i').replace(/oo|ou/g, 'u');
  s = s.replace(/([^aeiou])i\b/g, '$1iy').replace(/(^|\s)e/g, '$1э');
  const table: Table = {
    sh: 'ш', ch: 'ч', kh: 'х', gh: 'ғ', zh: 'ж', dh: 'д', th: 'т', ya: 'я', yu: 'ю', yo: 'ё',
    a: 'а', b: 'б', c: 'к', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'ҳ', i: 'и', j: 'ж', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о',
    p: 'п', q: 'қ', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', w: 'в', x: 'кс', y: 'й', z: 'з',
  };
  return rewrite(s, table);
}

/** ICAO Doc 9303 (7th edition, 2015), Part 3, table for Cyrillic. */
const ICAO: Table = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: 'ie', ы: 'y',
  ь: '', э: 'e', ю: 'iu', я: 'ia',
  // Doc 9303 Part 3 also lists the letters of other Cyrillic alphabets (Tajik, Kazakh, Uzbek).
  ғ: 'g', қ: 'k', ҳ: 'kh', ҷ: 'dzh', ӣ: 'i', ӯ: 'u', ў: 'u',
};

/** GOST 7.79-2000 (ISO 9:1995 adaptation), System B (Latin without diacritics). */
const GOST_B: Table = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'x', ц: 'cz', ч: 'ch', ш: 'sh', щ: 'shh', ъ: '``', ы: "y'",
  ь: '`', э: "e'", ю: 'yu', я: 'ya',
};

/** BGN/PCGN 1947 romanisation of Russian (ye after a vowel and initially, ë dropped to e on passports). */
function bgnPcgn(cyr: string): string {
  const s = cyr.replace(/(^|[\sаеёиоуыэюяъьй])е/g, '$1йе').replace(/(^|[\sаеёиоуыэюяъьй])ё/g, '$1йо');
  return rewrite(s, {
    а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'ë', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n',
    о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y',
    ь: '', э: 'e', ю: 'yu', я: 'ya', йо: 'yo', йе: 'ye',
  });
}

/**
 * German romanisation of Russian (Duden): ж and ш → sch, щ → schtsch, ч → tsch, ц → z,
 * х → ch, в → w, з → s, с between vowels → ss, й → i (j before a vowel), я/ю/е(initial)/ё → ja/ju/je/jo.
 */
function german(cyr: string): string {
  let s = cyr.replace(/(^|[\s])е/g, '$1jе').replace(/([аеиоуыэюя])с([аеиоуыэюя])/g, '$1сс$2').replace(/кс/g, 'x');
  s = s.replace(/й(?=[аоуе])/g, 'j');
  return rewrite(s, {
    а: 'a', б: 'b', в: 'w', г: 'g', д: 'd', е: 'e', ё: 'jo', ж: 'sch', з: 's', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n',
    о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'ch', ц: 'z', ч: 'tsch', ш: 'sch', щ: 'schtsch', ъ: '', ы: 'y',
    ь: '', э: 'e', ю: 'ju', я: 'ja', дж: 'dsch',
  });
}

/**
 * French romanisation of Russian (usage of the French foreign ministry and press): ж → j,
 * ш → ch, щ → chtch, ч → tch, у → ou, х → kh, й → ï, ю → iou, я → ia, с between vowels → ss,
 * г before е/и → gu, дж → dj.
 */
function french(cyr: string): string {
  const s = cyr.replace(/([аеиоуыэюя])с([аеиоуыэюя])/g, '$1сс$2').replace(/г(?=[еи])/g, 'гу');
  return rewrite(s, {
    а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z', и: 'i', й: 'ï', к: 'k', л: 'l', м: 'm', н: 'n',
    о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'ou', ф: 'f', х: 'kh', ц: 'ts', ч: 'tch', ш: 'ch', щ: 'chtch', ъ: '', ы: 'y',
    ь: '', э: 'e', ю: 'iou', я: 'ia', дж: 'dj', гу: 'gu',
  });
}

/**
 * Tajik passports (Latin page, from the Tajik Cyrillic): ҳ and х → kh, қ → k (ққ → kk),
 * ғ → g or gh, ҷ → j or dzh, ӣ → i, ӯ → u, о → o.
 */
function tajikPassport(cyr: string, pick: (a: string, b: string) => string): string {
  return rewrite(cyr, {
    а: 'a', б: 'b', в: 'v', г: 'g', ғ: pick('g', 'gh'), д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', ӣ: 'i', й: 'y', к: 'k',
    қ: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ӯ: 'u', ф: 'f', х: 'kh', ҳ: pick('kh', 'h'),
    ч: 'ch', ҷ: pick('j', 'dzh'), ш: 'sh', ъ: '', э: 'e', ю: 'yu', я: 'ya',
  });
}

/** BGN/PCGN 1994 romanisation of Tajik Cyrillic (ғ gh, ӣ ī, қ q, ӯ ū, ҳ ḩ, ҷ j). */
function tajikBgn(cyr: string): string {
  return rewrite(cyr, {
    а: 'a', б: 'b', в: 'v', г: 'g', ғ: 'gh', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', ӣ: 'ī', й: 'y', к: 'k',
    қ: 'q', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ӯ: 'ū', ф: 'f', х: 'kh', ҳ: 'ḩ',
    ч: 'ch', ҷ: 'j', ш: 'sh', ъ: '”', э: 'e', ю: 'yu', я: 'ya',
  });
}

/**
 * Uzbek Latin alphabet of 1995 (as amended 1996): х → x, ҳ → h, қ → q, ғ → gʻ, ў → oʻ, ж → j,
 * ц → s, ъ → ʼ; the apostrophe of gʻ and oʻ written with whatever the keyboard offers.
 */
function uzbekLatin(cyr: string, apostrophe: string): string {
  const s = cyr.replace(/(^|[\sаоуэ])е/g, '$1йе');
  return rewrite(s, {
    а: 'a', б: 'b', в: 'v', г: 'g', ғ: `g${apostrophe}`, д: 'd', е: 'e', ё: 'yo', ж: 'j', з: 'z', и: 'i', й: 'y', к: 'k',
    қ: 'q', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: `o${apostrophe}`, ф: 'f', х: 'x',
    ҳ: 'h', ц: 's', ч: 'ch', ш: 'sh', ъ: apostrophe === '' ? '' : 'ʼ', э: 'e', ю: 'yu', я: 'ya', йе: 'ye',
  });
}

/**
 * Kazakh Latin alphabet of 2021 (draft of the Ministry of Education, 31 letters): Ä Ğ Q Ñ Ö Ū Ü Ş,
 * I for І, İ for И and Й; Cyrillic ч and ц kept as ch and ts in borrowed names.
 */
function kazakhLatin(cyr: string): string {
  return rewrite(cyr, {
    а: 'a', ә: 'ä', б: 'b', в: 'v', г: 'g', ғ: 'ğ', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z', и: 'i', й: 'i', к: 'k', қ: 'q',
    л: 'l', м: 'm', н: 'n', ң: 'ñ', о: 'o', ө: 'ö', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'ū', ү: 'ü', ф: 'f', х: 'h',
    һ: 'h', ц: 'ts', ч: 'ch', ш: 'ş', щ: 'şş', ъ: '', ы: 'y', і: 'ı', ь: '', э: 'e', ю: 'iu', я: 'ia',
  });
}

/** Kazakh Cyrillic of a name from Russian-style Cyrillic: қ for the Arabic q, ғ for gh. */
export function toKazakhCyrillic(latin: string, arabicOrigin: boolean): string {
  // \u0001 and \u0002 are placeholders no name contains, held across the Russian pass.
  const marked = latin.toLowerCase().replace(/q/g, '\u0001').replace(/gh/g, '\u0002');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the placeholders set above
  return toRussianCyrillic(marked, arabicOrigin).replace(/\u0001/g, 'қ').replace(/\u0002/g, 'ғ');
}

export const ROMANISE = { icao: (c: string) => rewrite(c, ICAO), gost: (c: string) => rewrite(c, GOST_B), bgnPcgn, german, french, tajikPassport, tajikBgn, uzbekLatin, kazakhLatin };

/** Capitalised as a passport or a form prints it: `Ğani`, `İslam`. */
export function capitalise(word: string, kazakh = false): string {
  if (word.length === 0) return word;
  const first = kazakh && word[0] === 'i' ? 'İ' : word[0]!.toUpperCase();
  return first + word.slice(1);
}
