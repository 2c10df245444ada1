/**
 * Functions that run inside the console page (passed to `page.evaluate`). Each is
 * self-contained, since Playwright sends its source text to the browser. The root
 * project has no DOM types, so the few browser globals used are declared here, for
 * this module only.
 */

interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly textContent: string | null;
  readonly className: string;
  getAttribute(name: string): string | null;
  click(): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare function requestAnimationFrame(callback: () => void): number;
declare const PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: string; buffered?: boolean }): void };
declare const window: { __longTasks?: number[] };

/** Starts recording long tasks (over 50 ms) in `window.__longTasks`. */
export function recordLongTasks(): void {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks?.push(entry.duration);
  }).observe({ type: 'longtask' });
}

export function longTasks(): number[] {
  return window.__longTasks ?? [];
}

/**
 * Scrolls the list from top to bottom in `steps` jumps and back to the top, waiting for
 * each frame to be drawn; returns the time of every step and whether the rows drawn
 * were the ones for that place.
 */
export async function scrollThrough(steps: number): Promise<{ stepsMs: number[]; misplaced: number; maxRows: number }> {
  const list = document.querySelector('#list')!;
  const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const stepsMs: number[] = [];
  let misplaced = 0;
  let maxRows = 0;
  const rowHeight = 54;
  const bottom = list.scrollHeight - list.clientHeight;
  const places = [...Array.from({ length: steps + 1 }, (_, i) => Math.round((bottom * i) / steps)), 0];
  for (const top of places) {
    const started = performance.now();
    list.scrollTop = top;
    await frame();
    await frame();
    stepsMs.push(performance.now() - started);
    const rows = Array.from(document.querySelectorAll('#list .row'));
    maxRows = Math.max(maxRows, rows.length);
    const wanted = Math.floor(list.scrollTop / rowHeight) + 1;
    if (!rows.some((r) => r.getAttribute('aria-posinset') === String(wanted))) misplaced++;
  }
  return { stepsMs, misplaced, maxRows };
}

/**
 * Clicks an element and waits, frame by frame, until `#count` says `count` alerts and
 * every drawn row has class `rowClass`; returns the milliseconds that took.
 */
export async function clickUntil({ selector, count, rowClass, timeoutMs }: { selector: string; count: string; rowClass: string; timeoutMs: number }): Promise<number> {
  const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const started = performance.now();
  document.querySelector(selector)!.click();
  for (;;) {
    await frame();
    const rows = Array.from(document.querySelectorAll('#list .row'));
    const text = document.querySelector('#count')?.textContent ?? '';
    if (text.startsWith(`${count} alert`) && rows.length > 0 && rows.every((r) => r.className.split(' ').includes(rowClass))) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`after ${timeoutMs} ms the page says "${text}"`);
  }
}

/** How many alerts the page says it holds. */
export function heldCount(): number {
  return Number((document.querySelector('#count')?.textContent ?? '').split(' ')[0]?.replace(/,/g, '') ?? Number.NaN);
}

/** Scrolls the list to `top` px and returns the alert id of the row at the top of the view. */
export async function scrollTo(top: number): Promise<string | null> {
  const list = document.querySelector('#list')!;
  list.scrollTop = top;
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  const position = Math.floor(list.scrollTop / 54) + 1;
  return document.querySelector(`#list .row[aria-posinset="${position}"]`)?.getAttribute('data-alert-id') ?? null;
}

/** The alert id of the row at the top of the list's view. */
export function topRow(): string | null {
  const list = document.querySelector('#list')!;
  const position = Math.floor(list.scrollTop / 54) + 1;
  return document.querySelector(`#list .row[aria-posinset="${position}"]`)?.getAttribute('data-alert-id') ?? null;
}
