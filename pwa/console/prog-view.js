// The progress screen's parts drawn from its state (progress.js): the
// slot's totals, the table of beats with their bars, postmen, last sync
// and position, the overdue stops by beat, and the live status's words.
import { h } from '../ui.js';
import { svg } from '../icons.js';
import { t, num, time, current } from '../i18n.js';
import { table } from './kit.js';
import { glyph } from './prog-map.js';
import { metres, placed } from '../geo.js';
import { POLL_MS } from './prog-live.js';

const LOCALE = { en: 'en-IN', hi: 'hi-IN' };

// clock is a time of day with seconds, in the console's language.
export const clock = (d) => new Date(d).toLocaleTimeString(LOCALE[current()] || 'en-IN',
  { hour: '2-digit', minute: '2-digit', second: '2-digit' });

// ago says how long ago an instant was: "just now", "3 min ago", "2 h ago".
export function ago(iso, now = Date.now()) {
  const min = Math.floor((now - new Date(iso).getTime()) / 60_000);
  if (min < 1) return t('prog.justNow');
  if (min < 60) return t('prog.minAgo', { n: min });
  return t('prog.hAgo', { n: Math.floor(min / 60) });
}

// modeText is the status line's words for the feed's mode.
export function modeText(mode, err) {
  if (mode === 'poll') return t(err ? 'prog.mode.pollFailing' : 'prog.mode.poll', { s: POLL_MS / 1000 });
  if (mode === 'ended') return t('prog.mode.ended');
  return t(mode === 'stream' ? 'prog.mode.stream' : 'prog.mode.connecting');
}

// beatName is a beat's name without its list of localities ("Koramangala
// East"), or its id when the centre's beats could not be read.
export const beatName = (st, id) => (st.names.get(id) || id).split(' (')[0];

const sum = (beats, k) => beats.reduce((n, b) => n + (k === 'overdue' ? b.overdue.length : b[k]), 0);

// totals is the slot's sum over its beats, in words.
export function totals(board) {
  const beats = board.beats;
  if (!beats.length) return ''; // the table says so
  const n = sum(beats, 'delivered') + sum(beats, 'failed') + sum(beats, 'pending');
  return h('p', { class: 'prog-total' }, t('prog.total', { d: sum(beats, 'delivered'), f: sum(beats, 'failed'),
    p: sum(beats, 'pending'), n }), sum(beats, 'overdue') ? [' ', h('strong', { class: 'prog-late-word' },
    t('prog.lateCount', { n: sum(beats, 'overdue') }))] : null);
}

// bar is a beat's delivered / not delivered / to deliver as one labelled bar.
export function bar(b) {
  const n = b.delivered + b.failed + b.pending;
  const label = t('prog.bar', { d: b.delivered, f: b.failed, p: b.pending, n });
  let x = 0;
  const part = (k, cls) => {
    const w = n ? (100 * b[k]) / n : 0;
    const r = svg('rect', { x: x.toFixed(2), y: 0, width: w.toFixed(2), height: 14, class: cls });
    x += w;
    return r;
  };
  return svg('svg', { class: 'prog-bar', viewBox: '0 0 100 14', preserveAspectRatio: 'none', role: 'img', 'aria-label': label,
    testid: `prog-bar-${b.beat_id}`, 'data-delivered': b.delivered, 'data-failed': b.failed, 'data-pending': b.pending },
  svg('title', {}, label), svg('rect', { x: 0, y: 0, width: 100, height: 14, class: 'todo' }),
  part('delivered', 'ok'), part('failed', 'bad'));
}

function syncCell(b) {
  if (!b.last_sync) return h('span', { testid: `prog-sync-${b.beat_id}`, class: 'prog-muted' }, t('prog.noSync'));
  return h('span', { testid: `prog-sync-${b.beat_id}`, class: 'prog-when' }, ago(b.last_sync), h('br'), h('small', {}, time(b.last_sync)));
}

// nearest is the stop of a beat's manifest closest to a position, with
// the distance in metres, or null.
function nearest(st, b, p) {
  let best = null;
  for (const s of st.manifests.get(b.manifest_id)?.stops || []) {
    const m = placed(s) ? metres(p, s) : Infinity;
    if (m < (best?.m ?? Infinity)) best = { seq: s.seq, m };
  }
  return best;
}

function placeCell(st, b) {
  const p = b.last_position;
  if (!p) return h('span', { testid: `prog-pos-${b.beat_id}`, class: 'prog-muted' }, t('prog.noPosition'));
  const near = nearest(st, b, p);
  return h('span', { testid: `prog-pos-${b.beat_id}` },
    near ? h('span', {}, t('prog.near', { n: near.seq, m: Math.round(near.m) })) : null, near ? h('br') : null,
    h('small', {}, `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`), h('br'),
    h('small', {}, p.accuracy_m == null ? t('prog.at', { time: time(p.at) })
      : t('prog.atWithin', { time: time(p.at), m: Math.round(p.accuracy_m) })));
}

// beatsTable is one row per beat: its postman, bar, numbers, last sync and position.
export function beatsTable(st) {
  const cols = [
    { label: t('prog.col.beat'), value: (b) => h('span', { title: st.names.get(b.beat_id) || b.beat_id }, h('strong', {}, beatName(st, b.beat_id)),
      b.status !== 'dispatched' ? [' ', h('span', { class: 'pill prog-status' }, t(`prog.status.${b.status}`))] : null) },
    { label: t('prog.col.postman'), value: (b) => b.postman.name },
    { label: t('prog.col.progress'), value: bar },
    { label: t('prog.state.delivered'), num: true, value: (b) => h('span', { testid: `prog-delivered-${b.beat_id}` }, num(b.delivered)) },
    { label: t('prog.state.failed'), num: true, value: (b) => h('span', { testid: `prog-failed-${b.beat_id}` }, num(b.failed)) },
    { label: t('prog.state.pending'), num: true, value: (b) => h('span', { testid: `prog-pending-${b.beat_id}` }, num(b.pending)) },
    { label: t('prog.state.overdue'), num: true, value: (b) => h('span', { testid: `prog-late-${b.beat_id}`,
      class: b.overdue.length ? 'prog-late-word' : null }, num(b.overdue.length)) },
    { label: t('prog.col.sync'), value: syncCell },
    { label: t('prog.col.position'), value: (b) => placeCell(st, b) },
  ];
  return table(cols, st.board.beats, { testid: 'prog-table', caption: t('prog.caption'), empty: t('prog.empty'),
    rowid: (b) => `prog-row-${b.beat_id}`, rowclass: (b) => (b.overdue.length ? 'prog-late-row' : null) });
}

// overdueList names the overdue stops by beat, with their addresses.
export function overdueList(st) {
  const late = st.board.beats.filter((b) => b.overdue.length);
  if (!late.length) {
    const end = st.board.beats.map((b) => b.window_end).filter(Boolean).sort()[0];
    return h('p', { testid: 'prog-overdue-none' }, end ? t('prog.noneLateUntil', { time: time(end) }) : t('prog.noneLate'));
  }
  return late.map((b) => {
    const stops = st.manifests.get(b.manifest_id)?.stops || [];
    const groups = new Map(); // stop (or article id when unknown) → overdue article ids
    for (const o of b.overdue) {
      const stop = stops.find((s) => s.articles.some((a) => a.id === o.article_id)) || o.article_id;
      groups.set(stop, [...(groups.get(stop) || []), o.article_id]);
    }
    return h('div', { class: 'prog-late', testid: `prog-overdue-${b.beat_id}` },
      h('h4', {}, glyph('overdue'), ' ', t('prog.lateBeat', { beat: beatName(st, b.beat_id), name: b.postman.name, n: groups.size })),
      h('ul', {}, [...groups].map(([stop, ids]) => (typeof stop === 'string'
        ? h('li', { testid: `prog-overdue-article-${stop}` }, stop)
        : h('li', { testid: `prog-overdue-stop-${b.beat_id}-${stop.seq}` },
          h('strong', {}, t('prog.stop', { n: stop.seq })), ' · ', `${stop.address} · ${stop.recipient_name} `,
          h('small', {}, `(${ids.join(', ')})`))))));
  });
}
