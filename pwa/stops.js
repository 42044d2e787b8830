// The stop list in the manifest's (optimised) order and one stop.
import { h } from './ui.js';
import { t, money, date, time, distance } from './i18n.js';
import * as data from './data.js';
import { icon } from './icons.js';
import { legs, far } from './geo.js';

async function load(mid) {
  const m = await data.manifest(mid);
  if (!m) throw new Error(t('manifest.missing'));
  return { m, done: await data.doneMap() };
}

const status = (done, id) => done.get(id)?.outcome || 'pending';

// stopState counts a stop's articles by local outcome and names the stop's
// state: pending while any article is, else delivered, failed or mixed.
export function stopState(s, done) {
  const c = { delivered: 0, failed: 0, pending: 0 };
  for (const a of s.articles) c[status(done, a.id)] += 1;
  c.state = c.pending ? 'pending' : !c.failed ? 'delivered' : !c.delivered ? 'failed' : 'mixed';
  return c;
}

// ordered is the manifest's stops in route order.
export const ordered = (m) => [...m.stops].sort((a, b) => a.seq - b.seq);


// tabs switches between the list and the map of one manifest.
export function tabs(mid, on) {
  const tab = (k, href) => h('a', { href, class: `btn tab ${k === on ? 'primary' : ''}`, testid: `manifest-tab-${k}`,
    'aria-current': k === on ? 'page' : null }, t(`list.tab.${k}`));
  return h('nav', { class: 'row tabs', 'aria-label': t('list.tabs') }, tab('list', `#/m/${mid}`), tab('map', `#/m/${mid}/map`));
}

function stateChip(c, id) {
  const word = c.state === 'pending' ? t('stop.left', { n: c.pending })
    : c.state === 'mixed' ? t('list.mixed', { d: c.delivered, f: c.failed }) : t(`outcome.${c.state}`);
  return h('span', { class: `state ${c.state}`, testid: `stop-state-${id}` }, icon(c.state), word);
}

// kinds shows a stop's articles by kind, icon and word, with the cash to
// collect on its pending articles.
function kinds(s, done) {
  const n = new Map();
  for (const a of s.articles) n.set(a.service, (n.get(a.service) || 0) + 1);
  const cod = s.articles.reduce((sum, a) => sum + (status(done, a.id) === 'pending' ? a.cod_paise : 0), 0);
  return [...[...n].map(([k, c]) => h('span', { class: `kind ${k}`, testid: `stop-kind-${s.stop_id}-${k}` },
    icon(k), t(`service.${k}`), c > 1 ? ` ×${c}` : '')),
  cod ? h('span', { class: 'kind cod', testid: `stop-kind-${s.stop_id}-cod` }, icon('cod'), t('stop.cod', { amount: money(cod) })) : null];
}

function legText(leg) {
  if (!leg) return null;
  return leg.from ? t('list.from', { d: far(leg.m), n: leg.from }) : t('list.fromCentre', { d: far(leg.m) });
}

// stopRow is one stop in two lines: who and where with its state, then
// what it gets and how far it is from the stop before it.
function stopRow(mid, s, c, leg, done) {
  const legEl = leg ? h('span', { class: 'leg', testid: `stop-leg-${s.stop_id}`, 'data-metres': Math.round(leg.m) }, legText(leg)) : null;
  return h('li', {}, h('a', { href: `#/m/${mid}/s/${s.stop_id}`, class: `card stop ${c.state} ${c.pending ? '' : 'done'}`,
    testid: `stop-item-${s.stop_id}`, 'data-state': c.state },
  h('span', { class: 'seq', 'aria-hidden': 'true' }, String(s.seq)),
  h('span', { class: 'line1' }, h('span', { class: 'who' }, h('strong', {}, s.recipient_name), ' · ', s.address), stateChip(c, s.stop_id)),
  h('span', { class: 'line2' }, legEl, kinds(s, done))));
}

export async function manifestScreen(mid) {
  const { m, done } = await load(mid);
  const stops = ordered(m);
  const leg = legs(stops, m.centre);
  const st = new Map(stops.map((s) => [s.stop_id, stopState(s, done)]));
  const open = stops.filter((s) => st.get(s.stop_id).pending);
  const closed = stops.filter((s) => !st.get(s.stop_id).pending);
  const row = (s) => stopRow(m.id, s, st.get(s.stop_id), leg.get(s.stop_id), done);
  return h('section', { testid: 'screen-manifest', 'aria-labelledby': 'manifest-h', class: 'stops' },
    h('a', { href: '#/', class: 'link', testid: 'back-today' }, t('nav.today')),
    h('h2', { id: 'manifest-h' }, `${date(m.date)} · ${t(`slot.${m.slot}`)} · ${m.beat_id}`),
    h('p', {}, `${time(m.window.start)}–${time(m.window.end)} · ${distance(m.distance_m)}`),
    progressBar(data.progress(m, done)),
    tabs(m.id, 'list'),
    open.length ? h('section', { class: 'next', testid: 'next-stop', 'aria-labelledby': 'next-h' },
      h('h3', { id: 'next-h' }, t('list.next')), h('ol', { class: 'plain' }, row(open[0])))
      : h('p', { class: 'state delivered', testid: 'all-done' }, t('list.allDone')),
    open.length > 1 ? h('ol', { class: 'plain', testid: 'stop-list', 'aria-label': t('list.then') }, open.slice(1).map(row)) : null,
    closed.length ? h('details', { testid: 'done-stops' }, h('summary', {}, t('list.done', { n: closed.length })),
      h('ol', { class: 'plain' }, closed.map(row))) : null);
}

// mapScreen shows the beat's stops on a map; the map's code (and Leaflet)
// load only when it is opened.
export async function mapScreen(mid) {
  const { m, done } = await load(mid);
  const { beatMap } = await import('./map.js');
  const st = new Map(m.stops.map((s) => [s.stop_id, stopState(s, done)]));
  return h('section', { testid: 'screen-map', 'aria-labelledby': 'map-h', class: 'stops' },
    h('a', { href: '#/', class: 'link', testid: 'back-today' }, t('nav.today')),
    h('h2', { id: 'map-h' }, `${date(m.date)} · ${t(`slot.${m.slot}`)} · ${m.beat_id}`),
    tabs(m.id, 'map'),
    beatMap(m, ordered(m), st));
}

export async function stopScreen(mid, sid) {
  const { m, done } = await load(mid);
  const s = m.stops.find((x) => x.stop_id === sid);
  if (!s) throw new Error(t('manifest.missing'));
  const pending = s.articles.filter((a) => status(done, a.id) === 'pending');
  const geo = s.lat != null ? `geo:${s.lat},${s.lon}?q=${s.lat},${s.lon}(${encodeURIComponent(s.recipient_name)})`
    : `geo:0,0?q=${encodeURIComponent(s.address)}`;
  const articles = s.articles.map((a) => h('li', { class: 'card', testid: `stop-article-${a.id}` },
    h('strong', { class: 'mono' }, a.id),
    h('span', { class: 'line2' }, h('span', { class: `kind ${a.service}` }, icon(a.service), t(`service.${a.service}`)),
      a.cod_paise ? h('span', { class: 'kind cod' }, icon('cod'), t('stop.cod', { amount: money(a.cod_paise) })) : null),
    h('span', { class: `state ${status(done, a.id)}` }, icon(status(done, a.id)), ' ', t(`outcome.${status(done, a.id)}`))));
  return h('section', { testid: 'screen-stop', 'aria-labelledby': 'stop-h' },
    h('a', { href: `#/m/${mid}`, class: 'link', testid: 'back-manifest' }, t('nav.stops')),
    h('h2', { id: 'stop-h', testid: 'stop-name' }, `${s.seq}. ${s.recipient_name}`),
    h('p', { testid: 'stop-address' }, s.address),
    s.digipin ? h('p', {}, t('stop.digipin'), ' ', h('strong', { class: 'mono', testid: 'stop-digipin' }, s.digipin)) : null,
    h('div', { class: 'row' },
      h('a', { href: `tel:${s.phone}`, class: 'btn', testid: 'stop-call' }, t('stop.call')),
      h('a', { href: geo, class: 'btn', testid: 'stop-navigate' }, t('stop.navigate'))),
    h('ul', { class: 'stack plain', testid: 'stop-articles' }, articles),
    pending.length ? h('div', { class: 'row' },
      h('a', { href: `#/m/${mid}/s/${sid}/deliver`, class: 'btn primary', testid: 'stop-deliver' }, t('stop.deliver')),
      h('a', { href: `#/m/${mid}/s/${sid}/fail`, class: 'btn danger', testid: 'stop-fail' }, t('stop.fail')))
      : h('p', { testid: 'stop-complete' }, stateChip(stopState(s, done), sid)));
}

// progressBar shows delivered / failed / pending counts.
export function progressBar(p) {
  return h('span', { class: 'progress', testid: 'progress' },
    h('span', { class: 'ok', testid: 'progress-delivered' }, t('progress.delivered', { n: p.delivered })),
    h('span', { class: 'bad', testid: 'progress-failed' }, t('progress.failed', { n: p.failed })),
    h('span', { testid: 'progress-pending' }, t('progress.pending', { n: p.pending })));
}

