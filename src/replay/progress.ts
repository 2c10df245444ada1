import type { ReplayStatus } from './replayer.ts';

const BAR = 24;

/** `[#########...............]  37.5%  1,234/3,290 events  812 ev/s  clock 2026-11-02 14:03:27Z  60×  playing` */
export function progressLine(status: ReplayStatus): string {
  const share = status.total > 0 ? status.position / status.total : 1;
  const filled = Math.round(share * BAR);
  const clock = status.simulatedTime === null ? '-' : `${status.simulatedTime.slice(0, 10)} ${status.simulatedTime.slice(11, 19)}Z`;
  const speed = status.speed === 'max' ? 'max' : `${status.speed}×`;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(100 * share).toFixed(1).padStart(5)}%  ` +
    `${status.position.toLocaleString('en')}/${status.total.toLocaleString('en')} events  ${Math.round(status.eventsPerSecond).toLocaleString('en')} ev/s  ` +
    `clock ${clock}  ${speed}  ${status.state}${status.error ? `: ${status.error}` : ''}`
  );
}
