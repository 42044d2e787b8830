// A manifest's paper copy (#/slots/print/<id>), the one a postman still
// carries: the centre, beat, postman, date and slot, the stops in delivery
// order with their addresses, articles and cash to collect, a line to sign
// for each and for the whole; and the sorting table for the pigeonholes
// (each article's case, so the bag comes out in delivery order). The print
// stylesheet (console.css) leaves the console's header and navigation off
// the paper. With ?print=1 it opens the browser's print dialogue.
import { h } from '../ui.js';
import { t, date, time, money } from '../i18n.js';
import { section, getJSON, getAll, table } from './kit.js';

// printView draws manifest id for paper.
export async function printView(ctx, id) {
  const m = await getJSON(`/api/v1/manifests/${encodeURIComponent(id)}`);
  const dc = encodeURIComponent(m.dc_id);
  const [centre, beats, users] = await Promise.all([
    getJSON(`/api/v1/dcs/${dc}`).catch(() => null),
    getAll(`/api/v1/dcs/${dc}/beats`).then((b) => b.items).catch(() => []),
    getAll(`/api/v1/users?dc_id=${dc}`).then((u) => u.items).catch(() => []),
  ]);
  const stops = [...m.stops].sort((a, b) => a.seq - b.seq);
  const beat = beats.find((b) => b.id === m.beat_id);
  const postman = users.find((u) => u.id === m.postman_id)?.name || m.postman_id;
  const el = section('man-paper', t('man.paper.title'),
    h('div', { class: 'row man-tools noprint' },
      h('button', { type: 'button', class: 'primary', testid: 'man-paper-print', onclick: () => print() }, t('man.print')),
      h('a', { class: 'btn', href: '#/slots', testid: 'man-paper-back' }, t('man.paper.back'))),
    head(m, centre, beat ? `${beat.id} · ${beat.name}` : m.beat_id, postman),
    stopsTable(stops), totals(stops), signatures(),
    sortTable(stops));
  el.classList.add('man-paper');
  if (ctx.query.get('print') === '1') {
    // Once: a reload of the paper copy does not print again.
    history.replaceState(null, '', `#/slots/print/${encodeURIComponent(id)}`);
    setTimeout(() => { if (el.isConnected) print(); }, 300);
  }
  return el;
}

// head is the paper's heading facts.
function head(m, centre, beat, postman) {
  const row = (k, v, id) => [h('dt', {}, k), h('dd', { testid: id }, v)];
  const zone = centre?.time_zone || undefined;
  return h('dl', { class: 'man-facts man-paper-head' },
    row(t('man.paper.centre'), centre?.name || m.dc_id, 'man-paper-centre'),
    row(t('man.paper.beat'), beat, 'man-paper-beat'),
    row(t('man.postman'), postman, 'man-paper-postman'),
    row(t('man.paper.when'), `${date(m.date)} · ${t(`slot.${m.slot}`)} ${time(m.window.start, zone)}–${time(m.window.end, zone)}`, 'man-paper-when'),
    row(t('man.paper.manifest'), `${m.id} · ${t('man.version', { v: m.version })} · ${t(`man.status.${m.status}`)}`, 'man-paper-id'));
}

// cod sums a stop's cash on delivery.
const cod = (s) => s.articles.reduce((n, a) => n + (a.cod_paise || 0), 0);

// stopsTable is the stops in delivery order, with a column to sign in.
function stopsTable(stops) {
  return table([
    { label: t('man.col.seq'), num: true, value: (s) => String(s.seq) },
    { label: t('man.col.address'), value: (s) => h('span', {}, h('strong', {}, s.recipient_name), h('br'), s.address,
      s.digipin ? [h('br'), h('small', {}, `DIGIPIN ${s.digipin}`)] : null) },
    { label: t('man.col.articles'), value: (s) => h('ul', { class: 'plain' }, s.articles.map((a) =>
      h('li', {}, h('code', {}, a.id), ' ', t(`service.${a.service}`), a.otp_required ? ` · ${t('man.paper.otp')}` : ''))) },
    { label: t('man.paper.cod'), num: true, value: (s) => (cod(s) ? money(cod(s)) : '—') },
    { label: t('man.paper.case'), num: true, value: (s) => String(s.seq) },
    { label: t('man.paper.sign'), value: () => h('span', { class: 'man-signbox' }) },
  ], stops, { testid: 'man-paper-stops', rowid: (s) => `man-paper-stop-${s.seq}`, caption: t('man.paper.stops'),
    empty: t('man.noStops') });
}

// totals counts stops, articles and cash to collect.
function totals(stops) {
  const arts = stops.reduce((n, s) => n + s.articles.length, 0);
  const cash = stops.reduce((n, s) => n + cod(s), 0);
  return h('p', { class: 'man-summary', testid: 'man-paper-totals' },
    t('man.paper.totals', { s: stops.length, a: arts, cod: money(cash) }));
}

// signatures are the lines the postman and the supervisor sign.
function signatures() {
  return h('div', { class: 'man-signatures', testid: 'man-paper-signatures' },
    ['signPostman', 'signSupervisor', 'returned'].map((k) => h('p', { class: 'man-signline' }, t(`man.paper.${k}`))));
}

// sortTable gives each article its pigeonhole (the case of its stop),
// listed by article id for the sorter; cases emptied from the last into
// the bag bring case 1 out first.
function sortTable(stops) {
  const rows = stops.flatMap((s) => s.articles.map((a) => ({ id: a.id, kase: s.seq, name: s.recipient_name })))
    .sort((a, b) => a.id.localeCompare(b.id));
  return h('section', { class: 'man-sort', testid: 'man-paper-sort', 'aria-labelledby': 'man-sort-h' },
    h('h3', { id: 'man-sort-h' }, t('man.paper.sortTitle')),
    h('p', {}, t('man.paper.sortHow', { n: stops.length })),
    table([
      { label: t('man.paper.article'), value: (r) => h('code', {}, r.id) },
      { label: t('man.paper.case'), num: true, value: (r) => String(r.kase) },
      { label: t('man.paper.for'), value: (r) => r.name },
    ], rows, { testid: 'man-paper-cases', rowid: (r) => `man-case-${r.id}` }));
}
