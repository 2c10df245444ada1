import type { ReplayStatus } from './replayer.ts';

const BAR = 24;

/**
 * `[#########...............]  37.5%  1,234/3,290 events  812 ev/s  clock 2026-11-02 19:03:27 +05:00  60×  playing`
 *
 * The clock is told in `offset`, the UTC offset the recording's posts write their event
 * times in (the console shows event times the same way), labelled; UTC (`Z`) without one.
 */
export function progressLine(status: ReplayStatus, offset = 'Z'): string {
  const share = status.total > 0 ? status.position / status.total : 1;
  const filled = Math.round(share * BAR);
  const clock = status.simulatedTime === null ? '-' : localClock(status.simulatedTime, offset);
  const speed = status.speed === 'max' ? 'max' : `${status.speed}×`;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(100 * share).toFixed(1).padStart(5)}%  ` +
    `${status.position.toLocaleString('en')}/${status.total.toLocaleString('en')} events  ${Math.round(status.eventsPerSecond).toLocaleString('en')} ev/s  ` +
    `clock ${clock}  ${speed}  ${status.state}${status.error ? `: ${status.error}` : ''}`
  );
}

/** An instant (`…Z`) at a UTC offset: `2026-11-02 19:03:27 +05:00`, or `… UTC`. */
export function localClock(iso: string, offset: string): string {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(Date.parse(iso) + minutes * 60_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${m ? `${m[1]}${m[2]}:${m[3]}` : 'UTC'}`;
}

/** The UTC offset an event time is written in (`+05:00`), or `Z`. */
export function offsetOfTime(eventTime: string): string {
  return /([+-]\d{2}:\d{2}|Z)$/.exec(eventTime)?.[1] ?? 'Z';
}
