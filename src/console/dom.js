// @ts-check
/**
 * Small DOM builders. Every value from the server goes in as a text node or an
 * attribute, never as HTML, so an alert's content cannot inject markup; and no control
 * or bidirectional formatting character goes in as itself (`visible`), so an alert's
 * content cannot reorder what the page shows either.
 */

/**
 * Control and invisible formatting characters (bidirectional embeddings, overrides and
 * isolates among them), as the event schema refuses them in names; the zero-width
 * joiners that Persian and Indic spellings need are kept.
 */
const CONTROL = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/gu;

/**
 * Text with every control or formatting character shown as its code (`⟨U+202E⟩`)
 * instead of obeyed: an unterminated right-to-left override in a name (from data stored
 * before the schema refused it, or from elsewhere) would otherwise reverse the rest of
 * its line, so that a document number or a date reads backwards.
 * @param {string} text
 */
export function visible(text) {
  return text.replace(CONTROL, (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/**
 * A value someone outside the page supplied (a name, a note, an event field), in a
 * bidirectional isolate of its own, so that a right-to-left name does not reorder the
 * text around it. `dir` is `auto` (the value's own first strong character decides), or
 * `ltr` for a line the server composed left to right out of several values.
 * @param {unknown} value
 * @param {{ dir?: 'auto' | 'ltr', class?: string }} [attributes]
 */
export function bdi(value, attributes = {}) {
  return h('bdi', { dir: attributes.dir ?? 'auto', class: attributes.class }, String(value));
}

/** @typedef {string | number | Node | null | undefined | false} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined | EventListener>} Attributes */

/**
 * An HTML element: `h('td', { class: 'num' }, '42')`. Attributes whose value is
 * `false`, `null` or `undefined` are left out; `on<event>` attributes add listeners.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  apply(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * An SVG element, built the same way as `h`.
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function s(tag, attributes = {}, ...children) {
  const element = /** @type {SVGElementTagNameMap[K]} */ (document.createElementNS(SVG_NS, tag));
  apply(element, attributes);
  append(element, children);
  return element;
}

/**
 * @param {Element} element
 * @param {Attributes} attributes
 */
function apply(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : visible(String(value)));
  }
}

/**
 * @param {Element} element
 * @param {(Child | Child[])[]} children
 */
function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : visible(String(child)));
  }
}

/**
 * Replaces an element's children.
 * @param {Element} element
 * @param {...(Child | Child[])} children
 */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/**
 * The element with this id, which the page's HTML must contain.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return element;
}
