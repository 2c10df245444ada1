/**
 * The rules that make a folded part's spelling-neutral skeleton (`canonicalPart`), as
 * regular expressions applied in turn (`RULES`, the definition), and the same rules as
 * scans over char codes (`applySkeletonRules`, what the index runs). A new name part is read
 * by the rules several times over (plain, two-letter, German, French, Tajik, Persian, article,
 * stem readings): 26 replaces each, most finding nothing, cost more than the rest of keying it.
 * `test/watchlist/skeleton-rules.test.ts` holds the scans equal to the rules in turn.
 */

// Order matters: longer digraphs first, then single letters.
export const RULES: readonly [RegExp, string][] = [
  [/shch/g, 'sh'],
  [/tch/g, 'ch'],
  [/dzh|dj/g, 'j'],
  [/zh/g, 'j'],
  [/kh/g, 'h'],
  [/x/g, 'h'],
  // GOST 7.79 System B writes ц as cz.
  [/cz/g, 'ts'],
  [/ck|q/g, 'k'],
  [/ph/g, 'f'],
  [/w/g, 'v'],
  [/gh/g, 'g'],
  [/th/g, 't'],
  [/dh/g, 'd'],
  [/ou|oo/g, 'u'],
  [/ee/g, 'i'],
  [/y/g, 'i'],
  // The diphthong of Sulaiman, Husain, Zain is written ai, ay, ei or ey (Sulayman, Suleiman,
  // Suleyman, Hussein): one sound (fatha + ya), as Library of Congress ALA-LC writes it ay.
  [/ei/g, 'ai'],
  // The kunya particle written on its own: Abu, Abou, Aboo, Abo and Gulf/Maghreb Bu are
  // one word (أبو; ALA-LC Abū, French usage Abou, Gulf colloquial Bu).
  [/^(abo|abu|bu)$/, 'abu'],
  // Russian-style ye-/ie- for initial Е (Yerlan, Ierlan, Erlan).
  [/^ie/, 'e'],
  // -iy/-ii/-yi endings and the iy of -iyev (Dmitriy, Dmitrii; Abdullayev, Abdullaev).
  [/i+/g, 'i'],
  [/([aeiou])iev$/, '$1ev'],
  [/([aeiou])ie/g, '$1e'],
  // -ullah (Allah in a theophoric name: Esmatullah, Arefullah) as Tajik and Uzbek passports
  // spell it: -ullo, -ulloh, -ullokh (Tajik Cyrillic -улло, -уллоҳ; BGN/PCGN 1994 Tajik) and
  // Uzbek -ulla (Ubaydulla). Other readings (o for a, Persian o for u) run these rules after theirs.
  [/(\w{3}ul+)(oh|o|uh|u|ah|a)$/, '$1ah'],
  // Tajik -zoda and Azerbaijani/Persian -zade, -zadeh are one suffix.
  [/z[oa]d(a|e|eh)$/, 'zade'],
  // Feminine family names: Karimova is Karimov's wife or daughter.
  [/(ov|ev|in)a$/, '$1'],
  [/(.)\1+/g, '$1'],
];

/** The rules left out when zh, kh, dh and gh are read as two letters (z+h in Azhar, d+h in Adham). */
const DIGRAPH_RULES = ['/zh/g', '/kh/g', '/gh/g', '/dh/g'];
export const TWO_LETTER_RULES = RULES.filter(([re]) => !DIGRAPH_RULES.includes(String(re)));

const a = 97, b = 98, c = 99, d = 100, e = 101, f = 102, g = 103, h = 104, i = 105, j = 106, k = 107, l = 108;
const n = 110, o = 111, p = 112, q = 113, s = 115, t = 116, u = 117, v = 118, w = 119, x = 120, y = 121, z = 122;

// The part being read, as char codes, and which letters it may hold (a bit per letter, set
// when a letter appears; a rule whose letters are absent is skipped).
let buf = new Uint8Array(64);
let len = 0;
let letters = 0;
let changed = false;

const at = (r: number): number => (r < len ? buf[r]! : 0);
const holds = (letter: number): boolean => (letters & (1 << (letter - a))) !== 0;
const isVowel = (ch: number): boolean => ch === a || ch === e || ch === i || ch === o || ch === u;

function done(to: number): void {
  if (to !== len) changed = true;
  len = to;
}

/** Every `first second` written `out`. */
function pair(first: number, second: number, out: number): void {
  if (!holds(first) || !holds(second)) return;
  let to = 0;
  for (let r = 0; r < len; ) {
    if (buf[r] === first && at(r + 1) === second) {
      buf[to++] = out;
      r += 2;
    } else buf[to++] = buf[r++]!;
  }
  letters |= 1 << (out - a);
  done(to);
}

/** Every `from` written `to`. */
function letter(from: number, to: number): void {
  if (!holds(from)) return;
  for (let r = 0; r < len; r++) if (buf[r] === from) buf[r] = to;
  letters |= 1 << (to - a);
  changed = true;
}

/** Every `first second` written `out1 out2` (same length). */
function pairInPlace(first: number, second: number, out1: number, out2: number): void {
  if (!holds(first) || !holds(second)) return;
  for (let r = 0; r + 1 < len; r++) {
    if (buf[r] === first && buf[r + 1] === second) {
      buf[r] = out1;
      buf[++r] = out2;
      changed = true;
    }
  }
  letters |= (1 << (out1 - a)) | (1 << (out2 - a));
}

/** Every `shch` written `sh`, then every `tch` written `ch`. */
function shchTch(): void {
  if (!holds(c) || !holds(h)) return;
  let to = 0;
  for (let r = 0; r < len; ) {
    const ch = buf[r]!;
    if (ch === s && at(r + 1) === h && at(r + 2) === c && at(r + 3) === h) {
      buf[to++] = s;
      buf[to++] = h;
      r += 4;
    } else buf[to++] = buf[r++]!;
  }
  done(to);
  if (!holds(t)) return;
  to = 0;
  for (let r = 0; r < len; ) {
    if (buf[r] === t && at(r + 1) === c && at(r + 2) === h) {
      buf[to++] = c;
      buf[to++] = h;
      r += 3;
    } else buf[to++] = buf[r++]!;
  }
  done(to);
}

/** `dzh|dj` written `j`. */
function dzhDj(): void {
  if (!holds(d) || !(holds(z) || holds(j))) return;
  let to = 0;
  for (let r = 0; r < len; ) {
    const m = buf[r] !== d ? 0 : at(r + 1) === z && at(r + 2) === h ? 3 : at(r + 1) === j ? 2 : 0;
    if (m > 0) {
      buf[to++] = j;
      r += m;
    } else buf[to++] = buf[r++]!;
  }
  letters |= 1 << (j - a);
  done(to);
}

/** `ck|q` written `k`. */
function ckQ(): void {
  if (!holds(q) && !(holds(c) && holds(k))) return;
  let to = 0;
  for (let r = 0; r < len; ) {
    const m = buf[r] === q ? 1 : buf[r] === c && at(r + 1) === k ? 2 : 0;
    if (m > 0) {
      buf[to++] = k;
      r += m;
      changed = true;
    } else buf[to++] = buf[r++]!;
  }
  letters |= 1 << (k - a);
  done(to);
}

/** `ou|oo` written `u`. */
function ouOo(): void {
  if (!holds(o)) return;
  let to = 0;
  for (let r = 0; r < len; ) {
    if (buf[r] === o && (at(r + 1) === u || at(r + 1) === o)) {
      buf[to++] = u;
      r += 2;
    } else buf[to++] = buf[r++]!;
  }
  letters |= 1 << (u - a);
  done(to);
}

function load(part: string): boolean {
  const size = part.length;
  if (buf.length < size + 8) buf = new Uint8Array(2 * (size + 8));
  letters = 0;
  for (let r = 0; r < size; r++) {
    const ch = part.charCodeAt(r);
    if (ch < a || ch > z) return false;
    buf[r] = ch;
    letters |= 1 << (ch - a);
  }
  len = size;
  changed = false;
  return true;
}

const LETTER_TEXT = Array.from({ length: 26 }, (_, x) => String.fromCharCode(a + x));

function text(): string {
  let out = '';
  for (let r = 0; r < len; r++) out += LETTER_TEXT[buf[r]! - a]!;
  return out;
}

function setText(text: string): void {
  for (let r = 0; r < text.length; r++) buf[r] = text.charCodeAt(r);
  len = text.length;
  changed = true;
}

/**
 * `part` read by every rule in turn (`RULES`, or without the zh, kh, dh, gh rules when
 * `twoLetters`). A part of other than the letters a to z is read by the regular expressions.
 */
export function applySkeletonRules(part: string, twoLetters = false): string {
  if (!load(part)) return (twoLetters ? TWO_LETTER_RULES : RULES).reduce((text, [re, to]) => text.replace(re, to), part);
  shchTch();
  dzhDj();
  if (!twoLetters) {
    pair(z, h, j);
    pair(k, h, h);
  }
  letter(x, h);
  pairInPlace(c, z, t, s);
  ckQ();
  pair(p, h, f);
  letter(w, v);
  if (!twoLetters) pair(g, h, g);
  pair(t, h, t);
  if (!twoLetters) pair(d, h, d);
  ouOo();
  pair(e, e, i);
  letter(y, i);
  pairInPlace(e, i, a, i);
  wholeWords();
  endings();
  return changed ? text() : part;
}

/** The rules from `^(abo|abu|bu)$` to `([aeiou])ie`. */
function wholeWords(): void {
  // ^(abo|abu|bu)$
  if ((len === 3 && buf[0] === a && buf[1] === b && (buf[2] === o || buf[2] === u)) || (len === 2 && buf[0] === b && buf[1] === u)) {
    setText('abu');
    letters |= (1 << (a - a)) | (1 << (b - a)) | (1 << (u - a));
  }
  if (!holds(i)) return;
  // ^ie
  if (len >= 2 && buf[0] === i && buf[1] === e) {
    buf.copyWithin(0, 1, len);
    done(len - 1);
  }
  // i+
  let to = 0;
  for (let r = 0; r < len; r++) if (!(buf[r] === i && to > 0 && buf[to - 1] === i)) buf[to++] = buf[r]!;
  done(to);
  // ([aeiou])iev$
  if (len >= 4 && buf[len - 1] === v && buf[len - 2] === e && buf[len - 3] === i && isVowel(buf[len - 4]!)) {
    buf[len - 3] = e;
    buf[len - 2] = v;
    done(len - 1);
  }
  // ([aeiou])ie, left to right
  to = 0;
  for (let r = 0; r < len; ) {
    if (isVowel(buf[r]!) && at(r + 1) === i && at(r + 2) === e) {
      buf[to++] = buf[r]!;
      buf[to++] = e;
      r += 3;
    } else buf[to++] = buf[r++]!;
  }
  done(to);
}

/** The rules from `(\w{3}ul+)(oh|o|uh|u|ah|a)$` to the end. */
function endings(): void {
  // (\w{3}ul+)(oh|o|uh|u|ah|a)$: the ending, then a run of l, then u with three letters before it.
  const lastChar = at(len - 1);
  const ending = lastChar === o || lastChar === u || lastChar === a ? 1 : lastChar === h && (at(len - 2) === o || at(len - 2) === u || at(len - 2) === a) ? 2 : 0;
  if (ending > 0 && holds(l)) {
    let r = len - ending - 1;
    if (r >= 0 && buf[r] === l) {
      while (r >= 0 && buf[r] === l) r--;
      if (r >= 3 && buf[r] === u) {
        len -= ending;
        buf[len] = a;
        buf[len + 1] = h;
        done(len + 2);
        changed = true;
        letters |= (1 << (a - a)) | (1 << (h - a));
      }
    }
  }
  // z[oa]d(a|e|eh)$
  if (holds(z)) {
    const tail = at(len - 1) === h && at(len - 2) === e ? 2 : at(len - 1) === a || at(len - 1) === e ? 1 : 0;
    const start = len - tail - 3;
    if (tail > 0 && start >= 0 && buf[start] === z && (buf[start + 1] === o || buf[start + 1] === a) && buf[start + 2] === d) {
      setTail(start, 'zade');
    }
  }
  // (ov|ev|in)a$
  if (len >= 3 && buf[len - 1] === a) {
    const p2 = buf[len - 3];
    const p1 = buf[len - 2];
    if ((p1 === v && (p2 === o || p2 === e)) || (p2 === i && p1 === n)) done(len - 1);
  }
  // (.)\1+
  let to = 0;
  for (let r = 0; r < len; r++) if (to === 0 || buf[r] !== buf[to - 1]) buf[to++] = buf[r]!;
  done(to);
}

function setTail(from: number, text: string): void {
  for (let r = 0; r < text.length; r++) buf[from + r] = text.charCodeAt(r);
  len = from + text.length;
  changed = true;
  letters |= (1 << (z - a)) | (1 << (a - a)) | (1 << (d - a)) | (1 << (e - a));
}
