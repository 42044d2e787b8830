// The stop list in the manifest's (optimised) order and one stop.
import { h } from './ui.js';
import { t, money, date, time, distance } from './i18n.js';
import * as data from './data.js';

async function load(mid) {
  const m = await data.manifest(mid);
  if (!m) throw new Error(t('manifest.missing'));
  return { m, done: await data.doneMap() };
}

const status = (done, id) => done.get(id)?.outcome || 'pending';

export async function manifestScreen(mid) {
  const { m, done } = await load(mid);
  const stops = [...m.stops].sort((a, b) => a.seq - b.seq);
  const rows = stops.map((s) => {
    const left = s.articles.filter((a) => status(done, a.id) === 'pending').length;
    const cod = s.articles.reduce((n, a) => n + (status(done, a.id) === 'pending' ? a.cod_paise : 0), 0);
    return h('li', {}, h('a', { href: `#/m/${m.id}/s/${s.stop_id}`, class: `card stop ${left ? '' : 'done'}`, testid: `stop-item-${s.stop_id}` },
      h('span', { class: 'seq', 'aria-hidden': 'true' }, String(s.seq)),
      h('strong', {}, s.recipient_name),
      h('span', {}, s.address),
      h('span', {}, left ? t('stop.left', { n: left }) : t('stop.done'), cod ? ` · ${t('stop.cod', { amount: money(cod) })}` : '')));
  });
  return h('section', { testid: 'screen-manifest', 'aria-labelledby': 'manifest-h' },
    h('a', { href: '#/', class: 'link', testid: 'back-today' }, t('nav.today')),
    h('h2', { id: 'manifest-h' }, `${date(m.date)} · ${t(`slot.${m.slot}`)} · ${m.beat_id}`),
    h('p', {}, `${time(m.window.start)}–${time(m.window.end)} · ${distance(m.distance_m)}`),
    progressBar(data.progress(m, done)),
    h('ol', { class: 'stack plain', testid: 'stop-list' }, rows));
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
    h('span', {}, t(`service.${a.service}`), a.cod_paise ? ` · ${t('stop.cod', { amount: money(a.cod_paise) })}` : ''),
    h('span', { class: `state ${status(done, a.id)}` }, t(`outcome.${status(done, a.id)}`))));
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
      : h('p', { testid: 'stop-complete' }, t('stop.done')));
}

// progressBar shows delivered / failed / pending counts.
export function progressBar(p) {
  return h('span', { class: 'progress', testid: 'progress' },
    h('span', { class: 'ok', testid: 'progress-delivered' }, t('progress.delivered', { n: p.delivered })),
    h('span', { class: 'bad', testid: 'progress-failed' }, t('progress.failed', { n: p.failed })),
    h('span', { testid: 'progress-pending' }, t('progress.pending', { n: p.pending })));
}

