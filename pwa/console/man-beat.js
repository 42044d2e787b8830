// One beat's manifest on the slots screen: its status and version, its
// postman, its load against capacity (a bar and the numbers), its
// distance, its stops in delivery order as a table and on a map (the
// postman's map.js, loaded once when first needed), and what may be done
// to it: a draft's articles moved to another beat, a draft dispatched, a
// dispatched one amended, either printed.
import { h } from '../ui.js';
import { t, num, money, distance } from '../i18n.js';
import { svg } from '../icons.js';
import { table } from './kit.js';

let mapModule = null;

// beatCard draws one manifest. opts: beats (the centre's), names (user id
// → name), ops (build, move, dispatch, amend), listId and spare (articles
// an amendment may add).
export function beatCard(m, opts) {
  const beat = opts.beats.find((b) => b.id === m.beat_id);
  const draft = m.status === 'draft';
  const stops = [...m.stops].sort((a, b) => a.seq - b.seq);
  const off = new Set();
  const hid = `man-beat-${m.beat_id}-h`;
  return h('section', { class: 'man-beat', testid: `man-beat-${m.beat_id}`, 'aria-labelledby': hid,
    'data-status': m.status, 'data-version': m.version, 'data-manifest': m.id },
  h('h3', { id: hid }, t('man.beat', { beat: beat?.name || m.beat_id, id: m.beat_id })),
  facts(m, opts.names.get(m.postman_id) || m.postman_id),
  h('div', { class: 'row man-tools' },
    draft ? h('button', { type: 'button', class: 'primary', testid: `man-dispatch-${m.beat_id}`,
      onclick: () => opts.ops.dispatch([m]) }, t('man.dispatch')) : null,
    h('a', { class: 'btn', href: `#/slots/print/${m.id}?print=1`, testid: `man-print-${m.beat_id}` }, t('man.print'))),
  h('div', { class: 'man-split' },
    stopsTable(m, stops, draft ? (a) => mover(a, m, opts) : (a) => offBox(a, off)),
    mapBox(m, stops, opts.ops.ctx)),
  draft ? null : amendForm(m, off, opts));
}

// facts is the manifest's status, version, postman, load and distance.
function facts(m, postman) {
  const row = (k, v, id) => [h('dt', {}, k), h('dd', { testid: id }, v)];
  return h('dl', { class: 'man-facts' },
    row(t('man.status'), h('span', { class: `pill man-${m.status}` }, t(`man.status.${m.status}`), ' · ',
      t('man.version', { v: m.version })), `man-status-${m.beat_id}`),
    row(t('man.postman'), postman, `man-postman-${m.beat_id}`),
    row(t('man.load'), loadBar(m.load), `man-load-${m.beat_id}`),
    row(t('man.distance'), distance(m.distance_m), `man-distance-${m.beat_id}`),
    row(t('man.count'), t('man.counts', { s: m.stops.length, a: m.stops.reduce((n, s) => n + s.articles.length, 0) })));
}

// loadBar draws the bag's load against its capacity, with the numbers.
function loadBar(load) {
  const share = load.capacity > 0 ? Math.min(1, load.letters / load.capacity) : 1;
  const words = t('man.loadOf', { n: num(load.letters), c: num(load.capacity) });
  return h('span', { class: `man-load${load.over ? ' over' : ''}` },
    svg('svg', { class: 'man-bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
      svg('rect', { x: 0, y: 0, width: 100, height: 10, class: 'man-bar-bg' }),
      svg('rect', { x: 0, y: 0, width: (share * 100).toFixed(1), height: 10, class: 'man-bar-fill' })),
    ' ', words, load.over ? h('strong', {}, ' ', t('man.over')) : null);
}

// stopsTable lists the stops in delivery order; each article carries what
// may be done with it (extra).
function stopsTable(m, stops, extra) {
  return table([
    { label: t('man.col.seq'), num: true, value: (s) => String(s.seq) },
    { label: t('man.col.address'), value: (s) => [h('strong', {}, s.recipient_name), h('br'), s.address] },
    { label: t('man.col.articles'), value: (s) => h('ul', { class: 'plain man-arts' }, s.articles.map((a) =>
      h('li', { testid: `man-art-${a.id}` }, h('a', { href: `#/articles/${a.id}` }, a.id), ' ',
        h('span', { class: 'muted' }, t(`service.${a.service}`), a.cod_paise ? ` · ${t('man.cod', { amount: money(a.cod_paise) })}` : ''),
        extra(a)))) },
    { label: t('man.col.digipin'), value: (s) => s.digipin || '—' },
  ], stops, { testid: `man-stops-${m.beat_id}`, rowid: (s) => `man-stop-${m.beat_id}-${s.seq}`,
    caption: t('man.stops', { n: stops.length }), empty: t('man.noStops') });
}

// mover moves an article (of a draft, or one a build left out) to
// another beat of the centre than m's.
export function mover(a, m, opts) {
  const others = opts.beats.filter((b) => b.id !== m.beat_id);
  if (!others.length) return null;
  const pick = h('select', { testid: `man-move-${a.id}`, 'aria-label': t('man.moveTo', { id: a.id }) },
    others.map((b) => h('option', { value: b.id, title: b.name }, b.id)));
  return h('span', { class: 'row man-move' }, pick,
    h('button', { type: 'button', class: 'quiet', testid: `man-move-go-${a.id}`,
      onclick: () => opts.ops.move(a.id, pick.value) }, t('man.move')));
}

// offBox marks a dispatched manifest's article to be taken off.
function offBox(a, off) {
  const box = h('input', { type: 'checkbox', testid: `man-off-${a.id}`,
    onchange: (e) => (e.target.checked ? off.add(a.id) : off.delete(a.id)) });
  return h('label', { class: 'man-off' }, box, ' ', t('man.takeOff'));
}

// amendForm adds scheduled articles to a dispatched manifest and takes the
// marked ones off, back to the counter.
function amendForm(m, off, opts) {
  const id = `man-add-${m.beat_id}`;
  const add = h('input', { id, type: 'text', testid: id, list: opts.spare.length ? opts.listId : null,
    autocomplete: 'off', spellcheck: false, placeholder: opts.spare[0] || 'EE123456789IN' });
  const submit = (e) => {
    e.preventDefault();
    const ids = add.value.toUpperCase().split(/[\s,]+/).filter(Boolean);
    opts.ops.amend(m, ids, [...off]);
  };
  return h('form', { class: 'man-amend', testid: `man-amend-${m.beat_id}`, onsubmit: submit },
    h('h4', {}, t('man.amend')),
    h('p', {}, t('man.amendHow')),
    h('div', { class: 'field' }, h('label', { for: id }, t('man.add')), add,
      h('small', {}, t('man.spare', { n: opts.spare.length }))),
    h('button', { type: 'submit', testid: `man-amend-go-${m.beat_id}` }, t('man.amendGo')));
}

// mapBox shows the stops on the postman's map (a drawing at once; streets
// if Leaflet and the tiles load), loaded when first needed.
function mapBox(m, stops, ctx) {
  const box = h('div', { class: 'man-map', testid: `man-map-${m.beat_id}` }, h('h4', {}, t('man.map')));
  if (!stops.length) return box;
  mapModule ||= import('../map.js');
  const st = new Map(stops.map((s) => [s.stop_id, { state: 'pending', pending: false }]));
  mapModule.then((mod) => box.append(mod.beatMap(m, stops, st, { link: () => null, legend: false, leave: ctx.onLeave })),
    () => box.append(h('p', {}, t('list.map.noLeaflet'))));
  return box;
}
