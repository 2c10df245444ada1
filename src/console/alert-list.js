// @ts-check
import { bdi, h, replaceChildren } from './dom.js';
import { formatEventTime } from './format.js';

/** @typedef {import('./alert-model.js').AlertModel} AlertModel */
/** @typedef {import('./wire.js').HeldAlert} HeldAlert */

/**
 * @typedef {object} AlertListOptions
 * @property {HTMLElement} viewport the scrolling listbox
 * @property {AlertModel} model
 * @property {(held: HeldAlert | null) => void} onSelect
 * @property {(newer: number) => void} [onNewerAbove] how many rows sit above the view
 *   since alerts arrived while the analyst was scrolled down (0 when back at the top)
 * @property {number} [rowHeight] px; must match `.row` in console.css (default: `54`)
 * @property {number} [overscan] rows drawn beyond each edge of the view (default: `6`)
 */

/**
 * The alert list, newest first. Only the rows in view (plus a few either side) exist in
 * the DOM, and they are reused as the list scrolls, so thousands of alerts cost no more
 * to draw than a screenful. When alerts arrive while the analyst is scrolled down, the
 * rows they are reading stay where they are.
 */
export class AlertList {
  #viewport;
  #model;
  #options;
  #rowHeight;
  #overscan;
  #spacer = h('div', { class: 'spacer' });
  /**
   * Drawn rows by index in the list.
   * @type {Map<number, HTMLElement>}
   */
  #rows = new Map();
  /** @type {HTMLElement[]} */
  #spare = [];
  /** @type {number | null} */
  selected = null;
  /**
   * The first row in view when the analyst last scrolled, to hold it in place.
   * @type {{ seq: number, offset: number } | null}
   */
  #anchor = null;
  #drawnVersion = -1;
  #frame = 0;

  /** @param {AlertListOptions} options */
  constructor(options) {
    this.#viewport = options.viewport;
    this.#model = options.model;
    this.#options = options;
    this.#rowHeight = options.rowHeight ?? 54;
    this.#overscan = options.overscan ?? 6;
    replaceChildren(this.#viewport, this.#spacer);
    this.#viewport.addEventListener('scroll', () => {
      this.#anchor = this.#topRow();
      this.schedule();
    });
    this.#viewport.addEventListener('click', (event) => {
      const row = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('.row'));
      if (row?.dataset.seq) this.select(Number(row.dataset.seq), { focus: true });
    });
    this.#viewport.addEventListener('keydown', (event) => this.#key(event));
    new ResizeObserver(() => this.schedule()).observe(this.#viewport);
  }

  /** Redraws on the next animation frame (many changes in one frame cost one draw). */
  schedule() {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.draw();
    });
  }

  /** Draws now. */
  draw() {
    const model = this.#model;
    const rowHeight = this.#rowHeight;
    const height = model.size * rowHeight;
    if (this.#spacer.style.height !== `${height}px`) this.#spacer.style.height = `${height}px`;
    if (model.version !== this.#drawnVersion) this.#keepAnchor();
    this.#drawnVersion = model.version;

    const top = this.#viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / rowHeight) - this.#overscan);
    const last = Math.min(model.size - 1, Math.ceil((top + this.#viewport.clientHeight) / rowHeight) + this.#overscan);
    for (const [index, row] of this.#rows) {
      if (index < first || index > last) {
        this.#rows.delete(index);
        row.remove();
        this.#spare.push(row);
      }
    }
    for (let index = first; index <= last; index++) {
      const held = model.at(index);
      if (!held) continue;
      let row = this.#rows.get(index);
      if (!row) {
        row = this.#spare.pop() ?? h('div', { class: 'row', role: 'option' });
        this.#rows.set(index, row);
        this.#viewport.append(row);
      }
      fillRow(row, held, index, model.size, rowHeight, held.seq === this.selected);
    }
    const activeId = this.selected === null ? null : `alert-row-${this.selected}`;
    if (activeId && this.#viewport.querySelector(`#${activeId}`)) this.#viewport.setAttribute('aria-activedescendant', activeId);
    else this.#viewport.removeAttribute('aria-activedescendant');
    this.#options.onNewerAbove?.(top > 0 ? Math.floor(top / rowHeight) : 0);
  }

  /**
   * Selects an alert by sequence number and scrolls it into view.
   * @param {number | null} seq
   * @param {{ focus?: boolean }} [options]
   */
  select(seq, options = {}) {
    const held = seq === null ? undefined : this.#model.get(seq);
    this.selected = held ? held.seq : null;
    if (held) this.#reveal(this.#model.indexOf(held.seq));
    if (options.focus) this.#viewport.focus({ preventScroll: true });
    this.draw();
    this.#options.onSelect(held ?? null);
  }

  /**
   * Moves the selection by `delta` rows (positive is older).
   * @param {number} delta
   */
  move(delta) {
    const size = this.#model.size;
    if (size === 0) return;
    const current = this.selected === null ? -1 : this.#model.indexOf(this.selected);
    const index = current === -1 ? (delta > 0 ? 0 : size - 1) : Math.min(size - 1, Math.max(0, current + delta));
    this.select(this.#model.at(index)?.seq ?? null, { focus: true });
  }

  /** Scrolls to the newest alert. */
  toTop() {
    this.#viewport.scrollTop = 0;
    this.#anchor = null;
    this.schedule();
  }

  /** Rows that fit in the view, for Page Up / Page Down. */
  get pageRows() {
    return Math.max(1, Math.floor(this.#viewport.clientHeight / this.#rowHeight) - 1);
  }

  /** @param {KeyboardEvent} event */
  #key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = /** @type {Record<string, () => void>} */ ({
      ArrowDown: () => this.move(1),
      j: () => this.move(1),
      ArrowUp: () => this.move(-1),
      k: () => this.move(-1),
      PageDown: () => this.move(this.pageRows),
      PageUp: () => this.move(-this.pageRows),
      Home: () => this.move(-this.#model.size),
      End: () => this.move(this.#model.size),
    });
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  }

  /**
   * Keeps the row the analyst was reading at the same place on screen when alerts are
   * added above it or removed; at the very top the list follows the newest alert.
   */
  #keepAnchor() {
    const anchor = this.#anchor;
    if (!anchor || this.#viewport.scrollTop === 0) return;
    const index = this.#model.indexOf(anchor.seq);
    if (index === -1) return;
    const wanted = index * this.#rowHeight + anchor.offset;
    if (Math.abs(this.#viewport.scrollTop - wanted) >= 1) this.#viewport.scrollTop = wanted;
  }

  /**
   * The alert at the top of the view, read from the rows as last drawn: a scroll event
   * can come after alerts were added to the model but before they were drawn, and the
   * model's row at that index would then be a newer alert than the one on screen.
   * @returns {{ seq: number, offset: number } | null}
   */
  #topRow() {
    const top = this.#viewport.scrollTop;
    if (top === 0) return null;
    const index = Math.floor(top / this.#rowHeight);
    const drawn = this.#rows.get(index)?.dataset.seq;
    const seq = drawn === undefined ? this.#model.at(index)?.seq : Number(drawn);
    return seq === undefined ? null : { seq, offset: top - index * this.#rowHeight };
  }

  /** @param {number} index */
  #reveal(index) {
    if (index < 0) return;
    const top = index * this.#rowHeight;
    const view = this.#viewport;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (top + this.#rowHeight > view.scrollTop + view.clientHeight) view.scrollTop = top + this.#rowHeight - view.clientHeight;
    this.#anchor = this.#topRow();
  }
}

/**
 * Puts an alert into a row element, rebuilding its content only when the alert or its
 * triage changed since the row last showed it.
 * @param {HTMLElement} row
 * @param {HeldAlert} held
 * @param {number} index
 * @param {number} size
 * @param {number} rowHeight
 * @param {boolean} selected
 */
function fillRow(row, held, index, size, rowHeight, selected) {
  const { alert, triage } = held;
  const key = `${held.seq}:${triage.status}:${triage.history.length}:${alert.severity}`;
  if (row.dataset.key !== key) {
    row.dataset.key = key;
    row.dataset.seq = String(held.seq);
    row.dataset.alertId = alert.alertId;
    row.id = `alert-row-${held.seq}`;
    row.className = `row sev-${alert.severity} status-${triage.status}`;
    const more = alert.indicators.length - 1;
    const first = alert.indicators[0];
    replaceChildren(
      row,
      h('span', { class: 'sev' }, alert.severity),
      h('span', { class: 'score', title: `score ${alert.score} (threshold ${alert.threshold})` }, alert.score),
      h('span', { class: 'subject' }, bdi(alert.subject, { dir: 'ltr' })),
      h('span', { class: `status status-${triage.status}` }, triage.status === 'new' ? '' : triage.status),
      h(
        'span',
        { class: 'meta' },
        h('time', { datetime: alert.eventTime }, formatEventTime(alert.eventTime, { seconds: false })),
        h('span', { class: 'post' }, bdi(alert.post)),
        h('span', { class: 'kind' }, alert.kind),
        h('span', { class: 'indicators' }, first ? bdi(first.title) : 'no indicators', more > 0 ? h('span', { class: 'more' }, ` +${more}`) : null),
        alert.group && alert.group.count > 1 ? h('span', { class: 'repeat', title: `repeat ${alert.group.count} of ${alert.group.subject}` }, `×${alert.group.count}`) : null,
        h('span', { class: 'seq' }, `#${held.seq}`),
      ),
    );
  }
  row.setAttribute('aria-selected', String(selected));
  row.setAttribute('aria-posinset', String(index + 1));
  row.setAttribute('aria-setsize', String(size));
  row.classList.toggle('selected', selected);
  const y = `translateY(${index * rowHeight}px)`;
  if (row.style.transform !== y) row.style.transform = y;
}
