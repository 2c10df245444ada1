import { HOURLY, WEEKLY } from './region.ts';

/**
 * The rhythm of the region's traffic: hour of day, day of week, public holidays and the
 * rush before them. Holidays move people (family visits) and stop trade and work.
 */

interface Holiday {
  /** `MM-DD` every year, or `YYYY-MM-DD` for a holiday of the lunar calendar. */
  date: string;
  /** Countries that keep it (alpha-3); absent: the whole region. */
  countries?: readonly string[];
}

const HOLIDAYS: readonly Holiday[] = [
  { date: '01-01' }, { date: '01-02' },
  { date: '01-07', countries: ['KAZ', 'KGZ'] },
  { date: '03-08' },
  // Nauryz, the spring new year, is the biggest travel peak of the land borders.
  { date: '03-21' }, { date: '03-22' }, { date: '03-23' },
  { date: '05-01', countries: ['KAZ', 'KGZ'] },
  { date: '05-09' },
  { date: '07-06', countries: ['KAZ'] },
  { date: '08-31', countries: ['KGZ'] },
  { date: '09-01', countries: ['UZB'] },
  { date: '09-09', countries: ['TJK'] },
  { date: '09-27', countries: ['TKM'] },
  { date: '10-25', countries: ['KAZ'] },
  { date: '12-16', countries: ['KAZ'] }, { date: '12-17', countries: ['KAZ'] },
  // Eid al-Fitr and Eid al-Adha (Kurban Ait) move with the lunar calendar.
  { date: '2026-03-20' }, { date: '2026-05-27' }, { date: '2027-03-10' }, { date: '2027-05-16' }, { date: '2028-02-27' }, { date: '2028-05-05' },
];

const DAY_MS = 86_400_000;

function isHoliday(date: string, countries: readonly string[]): boolean {
  return HOLIDAYS.some((h) => (h.date.length === 5 ? date.slice(5) === h.date : date === h.date) && (!h.countries || h.countries.some((c) => countries.includes(c))));
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How a local day runs at a post whose home and neighbour countries are given. */
export interface DayProfile {
  /** Multiplier of people crossing (weekday curve, holidays and the rush before them). */
  crossing: number;
  /** Multiplier of goods declared. */
  cargo: number;
  /** Commuters and traders go to work (not weekends or holidays). */
  workday: boolean;
  holiday: boolean;
}

const cache = new Map<string, DayProfile>();

/** The profile of a local date (`YYYY-MM-DD`) for posts between these countries. */
export function dayProfile(date: string, countries: readonly string[]): DayProfile {
  const key = `${date}|${countries.join(',')}`;
  const known = cache.get(key);
  if (known) return known;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const holiday = isHoliday(date, countries);
  const before = !holiday && [1, 2].some((d) => isHoliday(shiftDate(date, d), countries));
  const after = !holiday && isHoliday(shiftDate(date, -1), countries);
  let crossing: number = WEEKLY.crossing[weekday]!;
  let cargo: number = WEEKLY.cargo[weekday]!;
  if (holiday) [crossing, cargo] = [crossing * 1.15, cargo * 0.35];
  else if (before) crossing *= 1.4;
  else if (after) crossing *= 1.25;
  const profile = { crossing, cargo, workday: !holiday && weekday !== 0 && weekday !== 6, holiday };
  if (cache.size > 10_000) cache.clear();
  cache.set(key, profile);
  return profile;
}

const normalise = (xs: readonly number[]): number[] => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.map((x) => x / mean);
};

/** Relative volume by local hour, averaging 1 over a day. */
export const HOURLY_LAND: readonly number[] = normalise(HOURLY.land);
export const HOURLY_AIR: readonly number[] = normalise(HOURLY.air);
