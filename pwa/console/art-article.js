// An article's page in the console (#/articles/<id>): what it is and where
// it goes, its tracking events as a timeline, its proofs (the images
// fetched through the API, shown from blob: URLs that are revoked when the
// page is left), its custody periods and outcomes, and the supervisor's
// actions its status allows (art-actions.js).
import { h } from '../ui.js';
import { t, money } from '../i18n.js';
import { section, getJSON, fetchBlob, problemBox, table, status } from './kit.js';
import { statusPill, statusWord, flagWord, reasonWord, slotText, when, back } from './art-words.js';
import { actions, takeFlash } from './art-actions.js';

// screen draws the article the address names.
export async function screen(ctx) {
  const id = ctx.parts[1].toUpperCase();
  const [got, slots] = await Promise.all([
    getJSON(`/api/v1/articles/${encodeURIComponent(id)}`).catch((err) => ({ err })),
    getJSON(`/api/v1/dcs/${encodeURIComponent(ctx.dc)}/slots?days=7`).catch(() => []),
  ]);
  if (got.err) {
    return section('screen-article', id, back(), problemBox(got.err));
  }
  const a = got;
  const open = a.dc_id === ctx.dc ? slots
    : await getJSON(`/api/v1/dcs/${encodeURIComponent(a.dc_id)}/slots?days=7`).catch(() => []);
  const said = status('art-flash');
  const flash = takeFlash(a.id);
  if (flash) {
    // Said once the page is up, so the live region announces it; the focus
    // goes there too, as the form that had it is gone.
    said.tabIndex = -1;
    requestAnimationFrame(() => { said.say(flash); said.focus(); });
  }
  return section('screen-article', t('art.title', { id: a.id }), back(), said,
    h('div', { class: 'grid2' },
      h('section', { 'aria-labelledby': 'art-details-h' }, h('h3', { id: 'art-details-h' }, t('art.details')), details(a)),
      h('section', { 'aria-labelledby': 'art-actions-h' }, h('h3', { id: 'art-actions-h' }, t('art.actions')),
        actions(ctx, a, open || []))),
    h('div', { class: 'grid2' },
      h('section', { 'aria-labelledby': 'art-events-h' }, h('h3', { id: 'art-events-h' }, t('art.events')), timeline(a.events)),
      h('section', { 'aria-labelledby': 'art-proofs-h' }, h('h3', { id: 'art-proofs-h' }, t('art.proofs')), proofs(ctx, a.proofs))),
    h('section', { 'aria-labelledby': 'art-assign-h' }, h('h3', { id: 'art-assign-h' }, t('art.assignments')), assignments(a.assignments || [])),
    h('section', { 'aria-labelledby': 'art-del-h' }, h('h3', { id: 'art-del-h' }, t('art.deliveries')), deliveries(a.deliveries || [])));
}

// details is the article's facts as a description list.
function details(a) {
  const r = a.recipient;
  const rows = [
    ['status', t('art.col.status'), statusPill(a.status, 'art-status')],
    ['service', t('art.col.service'), t(`service.${a.service}`)],
    ['name', t('art.addressee'), r.name],
    ['phone', t('art.col.phone'), r.phone],
    ['address', t('art.address'), `${r.address}, ${r.pin}`],
    ['digipin', t('stop.digipin'), a.digipin || '—'],
    ['slot', t('art.col.slot'), slotText(a.schedule)],
    ['pref', t('art.pref'), a.slot_preference ? t(`slot.${a.slot_preference}`) : '—'],
    ['beat', t('art.col.beat'), a.beat_id || t('art.nobeat')],
    ['cod', t('art.col.cod'), a.cod_paise ? money(a.cod_paise) : t('art.nocod')],
  ];
  return h('dl', { class: 'art-dl', testid: 'art-details' },
    rows.flatMap(([k, label, v]) => [h('dt', {}, label), h('dd', { testid: `art-d-${k}` }, v)]));
}

// timeline is the tracking events, oldest first.
function timeline(events) {
  if (!events.length) return h('p', {}, t('art.noevents'));
  return h('ol', { class: 'art-timeline', testid: 'art-events' }, events.map((e) => h('li', { testid: `art-ev-${e.seq}`, 'data-event': e.event },
    h('strong', {}, t(`static.ev.${e.event}`)), ' ',
    e.code ? h('code', { title: t('art.upu') }, e.code) : null,
    h('br'),
    h('time', { dateTime: e.at }, when(e.at)), ` · ${e.place}`,
    e.reason_code ? h('div', {}, t('art.reason', { reason: reasonWord(e.reason_code) })) : null,
    e.note ? h('div', { class: 'art-note' }, e.note) : null)));
}

// proofs are thumbnails of the article's proof images, fetched through the
// API after the page is drawn; their blob: URLs go when the page does.
function proofs(ctx, list) {
  if (!list.length) return h('p', { testid: 'art-noproofs' }, t('art.noproofs'));
  const urls = [];
  let left = false;
  ctx.onLeave(() => { left = true; urls.forEach((u) => URL.revokeObjectURL(u)); });
  return h('ul', { class: 'art-proofs', testid: 'art-proofs' }, list.map((p) => {
    const img = h('img', { alt: t('art.proof.alt', { kind: t(`proof.${p.kind}`), at: when(p.created_at) }),
      width: Math.min(160, p.width), height: Math.round(Math.min(160, p.width) * p.height / p.width), testid: `art-proof-${p.id}` });
    const note = h('small', {}, t('art.proof.loading'));
    fetchBlob(`/api/v1/proofs/${encodeURIComponent(p.id)}/content?stream=1`).then((blob) => {
      if (left) return; // the page has gone: no URL to leak
      const u = URL.createObjectURL(blob);
      urls.push(u);
      img.src = u;
      note.textContent = `${t(`proof.${p.kind}`)} · ${when(p.created_at)}`;
    }).catch((err) => note.replaceChildren(problemBox(err)));
    return h('li', {}, h('figure', {}, img, h('figcaption', {}, note)));
  }));
}

// assignments is the article's custody periods, oldest first.
function assignments(list) {
  return table([
    { label: t('art.a.postman'), value: (x) => x.postman_name },
    { label: t('art.col.beat'), value: (x) => x.beat_id },
    { label: t('art.col.slot'), value: (x) => slotText(x) },
    { label: t('art.a.since'), value: (x) => when(x.since) },
    { label: t('art.a.ended'), value: (x) => (x.ended_at ? `${when(x.ended_at)} · ${t(`art.end.${x.ended_by || 'none'}`)}` : t('art.a.running')) },
  ], list, { testid: 'art-assignments', rowid: (x) => `art-as-${x.id}`, empty: t('art.noassignments') });
}

// deliveries is the article's outcomes with their flags and reviews.
function deliveries(list) {
  return table([
    { label: t('art.d.when'), value: (d) => when(d.captured_at) },
    { label: t('art.d.outcome'), value: (d) => (d.outcome === 'delivered' ? statusWord('delivered')
      : `${t('outcome.failed')}${d.reason_code ? ` (${reasonWord(d.reason_code)})` : ''}`) },
    { label: t('art.col.slot'), value: (d) => slotText(d) },
    { label: t('art.d.flags'), value: (d) => (d.flags.length ? d.flags.map(flagWord).join(', ') : '—') },
    { label: t('art.d.review'), value: (d) => t(`art.review.${d.review}`) },
    { label: t('art.d.proofs'), value: (d) => String(d.proof_ids.length), num: true },
  ], list, { testid: 'art-deliveries', rowid: (d) => `art-del-${d.id}`, empty: t('art.nodeliveries') });
}
