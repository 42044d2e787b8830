// What every console screen shares: the context a screen is drawn in, the
// scope bar (centre, date, slot), calls to the API, problem boxes, tables,
// labelled fields, downloads and the status line.
//
// ctx, given to screen(ctx):
//   user      the signed-in user ({id, username, name, role, dc_id})
//   admin     true for an administrator
//   dc        the centre worked on (a supervisor's own; an admin's choice)
//   dcs       the centres an admin may choose from ([] for a supervisor)
//   date      the date worked on, YYYY-MM-DD (today unless chosen)
//   slot      the slot worked on: morning | evening | sunday
//   parts     the address after #/, split on / (parts[0] is the screen)
//   query     the address's ?… as URLSearchParams
//   render()  draws the current address again
//   go(hash)  opens another address
//   onLeave(fn) runs fn when the screen is left (close streams, listeners)
//   scope(patch) changes dc, date or slot and draws again
import { h } from '../ui.js';
import { t } from '../i18n.js';
import * as api from '../api.js';

const KEY = 'dk.console';
const SLOTS = ['morning', 'evening', 'sunday'];
let leaving = [];
let dcCache = null;

// today is the browser's date as YYYY-MM-DD.
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function saved() {
  try { return JSON.parse(sessionStorage.getItem(KEY) || '{}'); } catch { return {}; }
}

// context reads the address and the saved scope into a screen's ctx.
export async function context(render) {
  const user = api.user();
  const admin = user.role === 'admin';
  const [path, q] = location.hash.replace(/^#\/?/, '').split('?');
  const s = saved();
  let dcs = [];
  if (admin) {
    dcCache ||= await getAll('/api/v1/dcs').then((b) => b?.items || null).catch(() => null);
    dcs = dcCache || [];
  }
  const dc = admin ? (dcs.some((d) => d.id === s.dc) ? s.dc : dcs[0]?.id || '') : user.dc_id;
  const ctx = {
    user, admin, dc, dcs,
    date: /^\d{4}-\d{2}-\d{2}$/.test(s.date || '') ? s.date : today(),
    slot: SLOTS.includes(s.slot) ? s.slot : 'morning',
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(q || ''),
    render,
    go: (hash) => { location.hash = hash; },
    onLeave: (fn) => { leaving.push(fn); },
    scope: (patch) => { sessionStorage.setItem(KEY, JSON.stringify({ ...saved(), dc, ...patch })); render(); },
  };
  return ctx;
}

// forgetCentres drops the cached list of centres (after an admin adds one).
export const forgetCentres = () => { dcCache = null; };

// leaveAll runs the leaving screen's clean-ups.
export function leaveAll() {
  const fns = leaving;
  leaving = [];
  for (const fn of fns) { try { fn(); } catch { /* a clean-up never stops the next screen */ } }
}

// scopeBar is the header's centre, date and slot pickers.
export function scopeBar(ctx) {
  const centre = ctx.admin
    ? field(t('con.scope.dc'), h('select', { testid: 'scope-dc', onchange: (e) => ctx.scope({ dc: e.target.value }) },
      ctx.dcs.map((d) => h('option', { value: d.id, selected: d.id === ctx.dc }, `${d.id} · ${d.name}`))))
    : h('span', { testid: 'scope-dc-fixed', class: 'pill' }, t('con.scope.centre', { dc: ctx.dc }));
  return h('div', { class: 'row scope-row' }, centre,
    field(t('con.scope.date'), h('input', { type: 'date', testid: 'scope-date', value: ctx.date,
      onchange: (e) => e.target.value && ctx.scope({ date: e.target.value }) })),
    field(t('con.scope.slot'), h('select', { testid: 'scope-slot', onchange: (e) => ctx.scope({ slot: e.target.value }) },
      SLOTS.map((s) => h('option', { value: s, selected: s === ctx.slot }, t(`slot.${s}`))))));
}

let ids = 0;
// field is a label and its control, joined by id.
export function field(label, control, hint) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', {}, hint) : null);
}

// getJSON fetches a JSON document from the API, throwing api.HTTPError
// (with the problem document) on a refusal.
export async function getJSON(path) {
  const got = await api.getJSON(path);
  return got?.body ?? null;
}

// getAll fetches every page of a list ({items, next}) by following its
// next cursor, a thousand at a time, and answers the first page's document
// with all the items (null when there is none), for screens that show a
// whole list.
export async function getAll(path) {
  const sep = path.includes('?') ? '&' : '?';
  const first = await getJSON(`${path}${sep}limit=1000`);
  if (!first) return first;
  const items = [...(first.items || [])];
  for (let next = first.next; next;) {
    const page = await getJSON(`${path}${sep}limit=1000&next=${encodeURIComponent(next)}`);
    items.push(...(page?.items || []));
    next = page?.next;
  }
  return { ...first, items, next: undefined };
}

// send sends a JSON body (or a string with its own type) and returns the
// decoded answer (null when there is none). key sets Idempotency-Key.
export async function send(method, path, body, { key, type, ms = 15_000 } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = type || 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  const res = await api.call(path, { method, headers, body: body === undefined || type ? body : JSON.stringify(body) }, ms);
  const text = await res.text();
  let doc = null;
  try { doc = text ? JSON.parse(text) : null; } catch { doc = null; }
  if (!res.ok) throw new api.HTTPError(res.status, doc);
  return doc;
}

// fetchBlob fetches a file through the API (a proof image, a CSV).
export async function fetchBlob(path, accept, ms = 20_000) {
  const res = await api.call(path, { headers: accept ? { Accept: accept } : {} }, ms);
  if (!res.ok) throw new api.HTTPError(res.status, await api.problem(res));
  return res.blob();
}

// download hands a blob to the browser as a file.
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// problemBox explains a failure: the problem's detail and each field's error.
export function problemBox(err) {
  const p = err?.problem;
  const detail = err instanceof api.HTTPError ? (p?.detail || p?.title || t('con.err.status', { n: err.status }))
    : t('con.err.network');
  return h('div', { class: 'problem', role: 'alert', testid: 'problem' },
    h('p', {}, detail),
    p?.errors?.length ? h('ul', {}, p.errors.map((e) => h('li', {}, h('code', {}, e.field), ' ', e.message))) : null);
}

// status is a polite live region for what just happened.
export function status(testid = 'status') {
  const el = h('p', { role: 'status', class: 'status', testid });
  el.say = (msg, bad) => { el.textContent = msg; el.classList.toggle('error', Boolean(bad)); };
  return el;
}

// table draws rows under labelled columns. cols: [{label, value(row) →
// text or Element, num (right-aligned)}]; opts.testid, opts.rowid(row),
// opts.caption, opts.empty (the text when there are no rows).
export function table(cols, rows, opts = {}) {
  if (!rows.length && opts.empty) return h('p', { testid: opts.testid ? `${opts.testid}-empty` : null }, opts.empty);
  return h('div', { class: 'tablewrap' }, h('table', { testid: opts.testid },
    opts.caption ? h('caption', {}, opts.caption) : null,
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', { testid: opts.rowid ? opts.rowid(r) : null, class: opts.rowclass ? opts.rowclass(r) : null },
      cols.map((c) => h('td', { class: c.num ? 'num' : null }, c.value(r))))))));
}

// section is a screen's frame: its heading and its content.
export const section = (testid, title, ...kids) =>
  h('section', { testid, 'aria-labelledby': `${testid}-h` }, h('h2', { id: `${testid}-h` }, title), ...kids);
