// The console's live progress of a slot (ctx.date, ctx.slot): per beat
// the stops delivered, not delivered and to deliver as bars with their
// numbers, each postman's last sync and position, the stops overdue for
// their slot (by beat, with addresses) and a map of all of it. Fed by the
// progress stream, or by polling when the stream fails (prog-live.js); a
// status line says which and when the last update came. Leaving the screen
// closes the stream, the timers and the map.
import { h } from '../ui.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { getJSON, getAll, problemBox, section } from './kit.js';
import { follow } from './prog-live.js';
import { progressMap } from './prog-map.js';
import { beatsTable, overdueList, totals, modeText, clock, beatName } from './prog-view.js';

const TICK_MS = 30_000; // "3 min ago" is redrawn this often

// screen draws the progress screen and starts following the slot.
export async function screen(ctx) {
  const live = { left: false, stop: [] };
  ctx.onLeave(() => { live.left = true; live.stop.forEach((fn) => fn()); });
  const dc = encodeURIComponent(ctx.dc);
  const q = `?date=${ctx.date}&slot=${ctx.slot}`;
  const path = `/api/v1/dcs/${dc}/progress${q}`;
  const st = { dc, q, board: null, manifests: new Map(), outcomes: new Map(), done: -1, names: new Map() };
  try {
    const [board, beats] = await Promise.all([getJSON(path), getAll(`/api/v1/dcs/${dc}/beats`).catch(() => null)]);
    st.board = board;
    st.names = new Map((beats?.items || []).map((b) => [b.id, b.name]));
    await details(st);
  } catch (err) {
    if (err instanceof api.AuthError) throw err;
    return section('screen-progress', t('prog.title'), problemBox(err));
  }
  const ui = layout(ctx);
  const draw = () => {
    ui.totals.replaceChildren(totals(st.board));
    ui.beats.replaceChildren(beatsTable(st));
    ui.overdue.replaceChildren(...[overdueList(st)].flat());
    map.update(points(st));
  };
  const map = progressMap(points(st));
  ui.mapSlot.replaceChildren(map.el);
  draw();
  ui.updated.textContent = t('prog.updated', { time: clock(new Date()) });
  if (live.left) { map.close(); return ui.el; }
  const refresh = serial(async (b) => {
    if (JSON.stringify(b) !== JSON.stringify(st.board)) {
      st.board = b;
      await details(st).catch(() => {}); // the bars still move; the map catches up at the next change
      if (!live.left) draw();
    }
    ui.updated.textContent = t('prog.updated', { time: clock(new Date()) });
  });
  const feed = follow(path, {
    onData: refresh,
    onMode: (mode, err) => { ui.mode.dataset.mode = mode; ui.mode.textContent = modeText(mode, err); },
  });
  const tick = setInterval(() => ui.beats.replaceChildren(beatsTable(st)), TICK_MS);
  live.stop.push(() => feed.stop(), () => clearInterval(tick), () => map.close());
  return ui.el;
}

// layout is the screen's frame: the status line, then the beats, the
// overdue stops and the map, each under its heading.
function layout(ctx) {
  const mode = h('span', { role: 'status', testid: 'prog-mode', 'data-mode': 'connecting' }, modeText('connecting'));
  const updated = h('span', { testid: 'prog-updated', class: 'prog-updated' });
  const ui = {
    mode, updated,
    totals: h('div', { testid: 'prog-totals' }),
    beats: h('div', { testid: 'prog-beats' }),
    overdue: h('div', { testid: 'prog-overdue' }),
    mapSlot: h('div', { testid: 'prog-map-slot' }),
  };
  const sub = (id, title, ...kids) => h('section', { class: 'prog-part', 'aria-labelledby': id }, h('h3', { id }, title), ...kids);
  ui.el = section('screen-progress', t('prog.title'),
    h('p', { class: 'prog-scope' }, t('prog.scope', { date: ctx.date, slot: t(`slot.${ctx.slot}`) })),
    h('p', { class: 'prog-live' }, mode, ' ', updated),
    ui.totals,
    sub('prog-h-beats', t('prog.beats'), ui.beats),
    sub('prog-h-overdue', t('prog.overdue'), ui.overdue),
    sub('prog-h-map', t('prog.map'), ui.mapSlot));
  return ui;
}

// details fetches what the board does not carry: each manifest's stops
// (again only when its version changes) and the slot's outcomes (again
// only when the number of outcomes changes).
async function details(st) {
  const beats = st.board?.beats || [];
  const stale = beats.filter((b) => st.manifests.get(b.manifest_id)?.version !== b.version);
  const done = beats.reduce((n, b) => n + b.delivered + b.failed, 0);
  const [got, outs] = await Promise.all([
    Promise.all(stale.map((b) => getJSON(`/api/v1/manifests/${encodeURIComponent(b.manifest_id)}`))),
    done === st.done ? null : getAll(`/api/v1/dcs/${st.dc}/deliveries${st.q}`),
  ]);
  got.forEach((m) => { if (m) st.manifests.set(m.id, m); });
  if (outs) {
    st.outcomes = new Map((outs.items || []).map((d) => [`${d.manifest_id}/${d.article_id}`, d.outcome]));
    st.done = done;
  }
}

// stopState is a stop's state on its manifest: overdue or pending while
// one of its articles has no outcome, else delivered when all were, else
// failed. Overdue articles are matched by id: the board's stop_seq is the
// article's place on the manifest, not its stop's seq.
export function stopState(st, b, stop) {
  const outs = stop.articles.map((a) => st.outcomes.get(`${b.manifest_id}/${a.id}`));
  if (outs.some((o) => !o)) return b.overdue.some((o) => stop.articles.some((a) => a.id === o.article_id)) ? 'overdue' : 'pending';
  return outs.every((o) => o === 'delivered') ? 'delivered' : 'failed';
}

// points are the map's stops (with a position) and postmen (with one).
function points(st) {
  const stops = [];
  const postmen = [];
  for (const b of st.board.beats) {
    const m = st.manifests.get(b.manifest_id);
    for (const s of m?.stops || []) {
      if (s.lat == null || s.lon == null) continue;
      const state = stopState(st, b, s);
      stops.push({ key: `${b.beat_id}-${s.seq}`, lat: s.lat, lon: s.lon, state,
        label: `${beatName(st, b.beat_id)} · ${s.seq}. ${s.address} · ${t(`prog.state.${state}`)}` });
    }
    const p = b.last_position;
    if (p && !postmen.some((x) => x.key === b.postman.id)) {
      postmen.push({ key: b.postman.id, lat: p.lat, lon: p.lon, name: b.postman.name, at: p.at });
    }
  }
  return { stops, postmen };
}

// serial runs fn for one value at a time; values that come meanwhile are
// kept, the last one run next.
function serial(fn) {
  let running = false;
  let next;
  let waiting = false;
  const run = async (v) => {
    if (running) { next = v; waiting = true; return; }
    running = true;
    try { await fn(v); } finally { running = false; }
    if (waiting) { waiting = false; run(next); }
  };
  return run;
}
