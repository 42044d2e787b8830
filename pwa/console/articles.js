// The console's articles screen: the centre's articles, searched (S10 id,
// phone or name) and filtered (status, date, slot, beat, flag), a page at
// a time with the API's cursor. The filters live in the address's query
// (#/articles?q=…&status=…), so back, forward and reload keep them; an
// exact S10 id typed in the search opens that article. Two sub-screens
// load on demand: #/articles/<id>, an article's page (art-article.js), and
// #/articles/import, the CSV import of a bulk booking (art-import.js).
import { h, button } from '../ui.js';
import { t, money } from '../i18n.js';
import { section, getJSON, getAll, field, problemBox, table } from './kit.js';
import { STATUSES, FLAGS, SLOTS, statusPill, statusWord, flagWord, slotText, remember } from './art-words.js';

const PAGE = 50;
const FILTERS = ['q', 'status', 'date', 'slot', 'beat', 'flag'];
const S10 = /^[A-Z]{2}\d{9}[A-Z]{2}$/;
let focusResults = false;

// screen draws the list, or the sub-screen the address names.
export async function screen(ctx) {
  if (ctx.parts[1] === 'import') return (await import('./art-import.js')).screen(ctx);
  if (ctx.parts[1]) return (await import('./art-article.js')).screen(ctx);
  return list(ctx);
}

// filters reads the filters from the address.
function filters(ctx) {
  const f = {};
  for (const k of FILTERS) {
    const v = (ctx.query.get(k) || '').trim();
    if (v) f[k] = v;
  }
  return f;
}

// pagePath is the API's address of one page of the filtered list.
function pagePath(dc, f, next) {
  const p = new URLSearchParams({ ...f, limit: String(PAGE) });
  if (next) p.set('next', next);
  return `/api/v1/dcs/${encodeURIComponent(dc)}/articles?${p}`;
}

async function list(ctx) {
  const f = filters(ctx);
  remember(location.hash || '#/articles');
  const [beats, first] = await Promise.all([
    getAll(`/api/v1/dcs/${encodeURIComponent(ctx.dc)}/beats`).then((b) => b?.items || []).catch(() => []),
    getJSON(pagePath(ctx.dc, f)).catch((err) => ({ err })),
  ]);
  const results = first.err ? problemBox(first.err) : resultsView(ctx, f, first);
  return section('screen-articles', t('con.nav.articles'),
    h('p', {}, h('a', { href: '#/articles/import', testid: 'art-import-link', class: 'btn quiet' }, t('art.import.open'))),
    filterForm(ctx, f, beats), results);
}

// choice is a select with an "any" first option.
function choice(name, label, values, words, current) {
  return field(label, h('select', { name, testid: `art-f-${name}` },
    h('option', { value: '' }, t('art.any')),
    values.map((v) => h('option', { value: v, selected: v === current }, words(v)))));
}

// filterForm is the search box and the filters; applying them changes the
// address (an exact S10 id opens the article instead).
function filterForm(ctx, f, beats) {
  const q = h('input', { type: 'search', name: 'q', value: f.q || '', maxLength: 100, testid: 'art-q', autocomplete: 'off' });
  const form = h('form', { class: 'art-filters', role: 'search', testid: 'art-filters', onsubmit: (e) => {
    e.preventDefault();
    const got = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
    const id = (got.q || '').toUpperCase();
    focusResults = true;
    if (S10.test(id)) { ctx.go(`#/articles/${id}`); return; }
    const qs = new URLSearchParams(got).toString();
    ctx.go(qs ? `#/articles?${qs}` : '#/articles');
  } },
  field(t('art.search'), q, t('art.search.hint')),
  h('div', { class: 'art-filterrow' },
    choice('status', t('art.f.status'), STATUSES, statusWord, f.status),
    field(t('art.f.date'), h('input', { type: 'date', name: 'date', value: f.date || '', testid: 'art-f-date' })),
    choice('slot', t('art.f.slot'), SLOTS, (s) => t(`slot.${s}`), f.slot),
    choice('beat', t('art.f.beat'), beats.map((b) => b.id), (id) => beats.find((b) => b.id === id)?.name || id, f.beat),
    choice('flag', t('art.f.flag'), FLAGS, flagWord, f.flag)),
  h('div', { class: 'row' },
    h('button', { type: 'submit', class: 'primary', testid: 'art-apply' }, t('art.apply')),
    Object.keys(f).length ? h('a', { href: '#/articles', class: 'btn quiet', testid: 'art-clear' }, t('art.clear')) : null));
  return form;
}

// shortBeat is a beat's id without its centre's (blr-koramangala-east → east).
const shortBeat = (a) => (a.beat_id.startsWith(`${a.dc_id}-`) ? a.beat_id.slice(a.dc_id.length + 1) : a.beat_id);

// columns are the list's columns; each id links to its page.
const columns = () => [
  { label: t('art.col.id'), value: (a) => h('a', { href: `#/articles/${a.id}`, testid: `art-link-${a.id}` }, a.id) },
  { label: t('art.col.name'), value: (a) => a.recipient.name },
  { label: t('art.col.phone'), value: (a) => a.recipient.phone },
  { label: t('art.col.status'), value: (a) => statusPill(a.status) },
  { label: t('art.col.service'), value: (a) => t(`service.${a.service}`) },
  { label: t('art.col.slot'), value: (a) => slotText(a.schedule) },
  { label: t('art.col.beat'), value: (a) => (a.beat_id ? h('span', { title: a.beat_id }, shortBeat(a)) : '—') },
  { label: t('art.col.cod'), value: (a) => (a.cod_paise ? money(a.cod_paise) : '—'), num: true },
];

// resultsView is the count, the table and the "more" button, which adds the
// next page to the same table.
function resultsView(ctx, f, page) {
  const cols = columns();
  const opts = { testid: 'art-table', rowid: (a) => `art-row-${a.id}`, empty: t('art.none') };
  let shown = page.items.length;
  let next = page.next;
  const count = h('p', { class: 'art-count', role: 'status', tabindex: -1, testid: 'art-count' });
  const say = () => { count.textContent = t(next ? 'art.count.more' : 'art.count', { n: shown }); };
  const tbl = table(cols, page.items, opts);
  const trouble = h('div', {});
  const more = button('art-more', t('art.more'), async () => {
    more.disabled = true;
    trouble.replaceChildren();
    try {
      const got = await getJSON(pagePath(ctx.dc, f, next));
      tbl.querySelector('tbody')?.append(...table(cols, got.items, opts).querySelectorAll('tbody tr'));
      shown += got.items.length;
      next = got.next;
    } catch (err) {
      trouble.replaceChildren(problemBox(err));
    }
    more.disabled = false;
    more.hidden = !next;
    say();
  });
  more.hidden = !next;
  say();
  if (focusResults) {
    focusResults = false;
    requestAnimationFrame(() => count.isConnected && count.focus());
  }
  return h('div', { class: 'art-results' }, count, tbl, trouble, more);
}
