import countries from 'i18n-iso-countries';

// The UN list's names for states that i18n-iso-countries does not know by that spelling.
const UN_NAMES: Record<string, string> = {
  "democratic people's republic of korea": 'PRK',
  'united kingdom of great britain and northern ireland': 'GBR',
  'iran (islamic republic of)': 'IRN',
  'bolivia (plurinational state of)': 'BOL',
  'venezuela (bolivarian republic of)': 'VEN',
};

/**
 * ISO 3166-1 alpha-3 of a state named in English (`Russian Federation` → `RUS`), or of a code
 * already (`RUS`); undefined for anything else (`former Soviet Union`, `na`).
 */
export function stateCode(name: string): string | undefined {
  const n = name.trim();
  if (/^[A-Z]{3}$/.test(n)) return countries.isValid(n) ? n : undefined;
  return UN_NAMES[n.toLowerCase()] ?? countries.getAlpha3Code(n, 'en') ?? undefined;
}
