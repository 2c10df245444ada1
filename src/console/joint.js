// @ts-check
/**
 * The joint border cooperation centre's page (`/joint`, docs/exchange.md): what the
 * exchange agreements offer both ways, the hit/no-hit matches, and the requests for
 * details, with the buttons to ask, approve, refuse and read. It polls `GET /api/exchange`
 * with the tab's token; every step it takes is audited by the server.
 */
import { h } from './dom.js';
import { pageSignIn } from './page-sign-in.js';

/** How often the view is fetched again. */
const REFRESH_MS = 2000;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const signIn = pageSignIn({
  unauthenticated: 'Sign in with a joint-centre, analyst or admin token.',
  forbidden: 'This token may not use the exchange (joint-centre, analyst and admin tokens may).',
  onToken: () => void refresh(),
});
/** @type {any} */
let view = null;

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: any }>}
 */
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: signIn.authorization(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

/**
 * @param {string[]} headings
 * @param {Node[][]} rows
 * @param {string} empty
 */
function table(headings, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', {}, h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))));
}

/** @param {unknown} v */
const text = (v) => document.createTextNode(v === undefined || v === null ? '' : Array.isArray(v) ? v.join('; ') : String(v));
/** @param {string} ref */
const refCell = (ref) => h('code', { class: 'ref' }, ref);

/** @param {Record<string, unknown>} fields */
function fieldList(fields) {
  const entries = Object.entries(fields);
  return entries.length === 0 ? text('(nothing in clear)') : h('span', {}, entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join('; ') : String(v)}`).join(' · '));
}

/**
 * @param {string} partner
 * @param {string} ref
 * @param {number} [seq]
 */
function prefillAsk(partner, ref, seq) {
  const form = /** @type {HTMLFormElement} */ (byId('ask'));
  /** @type {HTMLSelectElement} */ (form.elements.namedItem('partner')).value = partner;
  /** @type {HTMLInputElement} */ (form.elements.namedItem('ref')).value = ref;
  /** @type {HTMLInputElement} */ (form.elements.namedItem('alertSeq')).value = seq === undefined ? '' : String(seq);
  /** @type {HTMLTextAreaElement} */ (form.elements.namedItem('purpose')).focus();
}

/**
 * @param {string} id
 * @param {'approve' | 'refuse'} decision
 */
async function decide(id, decision) {
  let reason;
  if (decision === 'refuse') {
    const input = /** @type {HTMLInputElement | null} */ (document.querySelector(`input[data-reason="${id}"]`));
    reason = input?.value.trim() ?? '';
  }
  const result = await api('POST', `/api/exchange/requests/${id}/decision`, { decision, ...(reason === undefined ? {} : { reason }) });
  byId('action').textContent = result.status === 200 ? `request ${id} ${decision === 'approve' ? 'approved' : 'refused'}` : `not done: ${result.body.error ?? result.status}`;
  await refresh();
}

/** @param {string} id */
async function readDetails(id) {
  const result = await api('GET', `/api/exchange/requests/${id}/details`);
  const box = byId('details');
  box.replaceChildren();
  if (result.status !== 200) {
    box.append(h('p', { class: 'joint-error' }, result.body.error ?? `error ${result.status}`));
    return;
  }
  box.append(
    h('div', { class: 'joint-details', 'data-request': id },
      h('h3', {}, `Released by ${result.body.request.partner} (${result.body.request.decidedBy})`),
      h('dl', {}, Object.entries(result.body.details).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, text(v))]))),
  );
}

/** @param {any} r */
function requestActions(r) {
  if (r.direction === 'incoming' && r.status === 'pending') {
    return h('span', {},
      h('button', { type: 'button', class: 'approve', onclick: () => void decide(r.id, 'approve') }, 'Approve'),
      ' ',
      h('input', { type: 'text', 'data-reason': r.id, placeholder: 'reason to refuse', 'aria-label': 'Reason to refuse' }),
      h('button', { type: 'button', class: 'refuse', onclick: () => void decide(r.id, 'refuse') }, 'Refuse'));
  }
  if (r.direction === 'outgoing' && r.status === 'approved') return h('button', { type: 'button', class: 'read', onclick: () => void readDetails(r.id) }, 'Read details');
  return text(r.reason ?? '');
}

function render() {
  const partners = /** @type {any[]} */ (view.partners);
  byId('partners').replaceChildren(table(
    ['partner', 'agreement', 'link', 'tokens offered', 'tokens held'],
    partners.map((p) => [text(`${p.name} (${p.partner})`), text(p.agreement), text(`${p.link.state}${p.link.lastError ? ` — ${p.link.lastError}` : ''}`), text(p.tokensOffered), text(p.tokensHeld)]),
    'No exchange agreement is in force.',
  ));
  byId('matches').replaceChildren(table(
    ['alert', 'partner', 'reference', 'matched on', 'offered as', 'post', 'time', 'severity', ''],
    view.matches.map((/** @type {any} */ m) => [text(`#${m.seq}`), text(m.partnerName), refCell(m.ref), text(m.matchedOn), text(m.source), text(m.post), text(m.eventTime), text(m.severity), h('button', { type: 'button', class: 'ask', onclick: () => prefillAsk(m.partner, m.ref, m.seq) }, 'Ask for details')]),
    'No crossing here has matched a partner token.',
  ));
  byId('requests').replaceChildren(table(
    ['id', 'direction', 'partner', 'reference', 'subject here', 'purpose', 'asked by', 'status', ''],
    view.requests.map((/** @type {any} */ r) => [text(r.id), text(r.direction === 'incoming' ? 'from partner' : 'to partner'), text(r.partner), refCell(r.ref), text(r.subject ?? ''), text(r.purpose), text(r.requestedBy), text(`${r.status}${r.decidedBy ? ` by ${r.decidedBy}` : ''}`), requestActions(r)]),
    'No requests.',
  ));
  byId('offered').replaceChildren(...partners.flatMap((p) => [
    h('h3', {}, `This side offers ${p.partner}`),
    table(['reference', 'in clear'], p.offered.map((/** @type {any} */ o) => [refCell(o.ref), fieldList(o.fields)]), 'Nothing offered.'),
    h('h3', {}, `${p.partner} offers this side`),
    table(['reference', 'in clear'], p.received.map((/** @type {any} */ o) => [refCell(o.ref), fieldList(o.fields)]), 'Nothing received.'),
  ]));
  const select = /** @type {HTMLSelectElement} */ (/** @type {HTMLFormElement} */ (byId('ask')).elements.namedItem('partner'));
  const chosen = select.value;
  select.replaceChildren(...partners.map((p) => h('option', { value: p.partner }, p.name)));
  if (partners.some((p) => p.partner === chosen)) select.value = chosen;
}

async function refresh() {
  let result;
  try {
    result = await api('GET', '/api/exchange');
  } catch {
    byId('status').textContent = 'server unreachable; retrying';
    return;
  }
  if (signIn.refused(result.status)) return;
  view = result.body;
  render();
  byId('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
}

byId('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const data = new FormData(form);
  const seq = Number(data.get('alertSeq'));
  const result = await api('POST', '/api/exchange/requests', { partner: data.get('partner'), ref: data.get('ref'), purpose: data.get('purpose'), ...(seq > 0 ? { alertSeq: seq } : {}) });
  byId('ask-result').textContent = result.status === 201 ? `request ${result.body.id} sent` : `not sent: ${result.body.error ?? result.status}`;
  if (result.status === 201) form.reset();
  await refresh();
});

void refresh();
setInterval(() => void refresh(), REFRESH_MS);
