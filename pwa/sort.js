// The sorting screen: a sorter (or a supervisor) downloads a slot's sort
// plan once, then every scan (camera or typed S10 id) is looked up on the
// phone: the beat's colour fills the screen with the case number in very
// large type, the beat and postman named and the case spoken. Scans queue
// in IndexedDB (sortq, each with its own UUID, so sending twice keeps one)
// and go to the server in batches when it answers; the server's counts are
// shared by every sorter, and a plan built again since the download is
// reported, with the way to download it again.
import { h, button, uuid } from './ui.js';
import { t, current, date as showDate } from './i18n.js';
import * as api from './api.js';
import * as db from './db.js';
import { canScan, scan } from './scan.js';

const PLAN = 'sort:plan'; // kv: the downloaded plan, with its lookup tables
const BATCH = 500;
let seq = Date.now();
let last = null; // the last scan's result, shown until the next
let stopCamera = null;
let sending = null;
let redraw = () => {};

const dcOf = () => api.user()?.dc_id || localStorage.getItem('dk.sort.dc') || '';

async function plan() {
  return db.get('kv', PLAN);
}

// download fetches the plan of the chosen (or next) slot and keeps it.
async function download(dc, day, slot) {
  const q = day && slot ? `?date=${encodeURIComponent(day)}&slot=${encodeURIComponent(slot)}` : '';
  const got = await api.getJSON(`/api/v1/dcs/${encodeURIComponent(dc)}/sort-plan${q}`);
  const p = got.body;
  p.scanned = []; // the articles scanned on this phone, for its own counts
  p.downloaded = Date.now();
  p.stale = false;
  await db.put('kv', p, PLAN);
  return p;
}

// lookup finds an id in the plan: its place, or why it cannot be placed.
function lookup(p, raw) {
  const id = raw.replace(/\s+/g, '').toUpperCase();
  const place = p.places.find((x) => x.article_id === id);
  if (place) {
    const beat = p.beats.find((b) => b.id === place.beat_id);
    return { id, beat, case: place.case };
  }
  const known = p.problems.find((x) => x.article_id === id);
  return { id, problem: known || { article_id: id, reason: 'unknown', detail: '' } };
}

// record shows, speaks and queues one scan.
async function record(raw) {
  const p = await plan();
  if (!p || !raw.trim()) return;
  last = lookup(p, raw);
  if (last.beat && !p.scanned.includes(last.id)) p.scanned.push(last.id);
  await db.put('kv', p, PLAN);
  await db.put('sortq', { id: uuid(), seq: seq++, dc: p.dc_id, date: p.date, slot: p.slot, article_id: last.id,
    plan_version: p.version, at: new Date().toISOString() });
  say(last);
  await redraw();
  send();
}

// say speaks the case where the browser can; never required.
function say(r) {
  if (!('speechSynthesis' in window)) return;
  try {
    const u = new SpeechSynthesisUtterance(r.beat ? t('sort.speak', { beat: r.beat.name, n: r.case }) : t('sort.speakProblem'));
    u.lang = current() === 'hi' ? 'hi-IN' : 'en-IN';
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
  } catch { /* no voice: the screen says it */ }
}

// send posts what waits, a batch per slot at a time; a network failure
// leaves it for later.
export function send() {
  sending ||= (async () => {
    for (;;) {
      const all = (await db.all('sortq')).sort((a, b) => a.seq - b.seq);
      if (!all.length) return;
      const first = all[0];
      const batch = all.filter((x) => x.dc === first.dc && x.date === first.date && x.slot === first.slot).slice(0, BATCH);
      const res = await api.call(`/api/v1/dcs/${encodeURIComponent(first.dc)}/sort-scans`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ date: first.date, slot: first.slot,
          scans: batch.map((x) => ({ id: x.id, article_id: x.article_id, plan_version: x.plan_version, at: x.at })) }),
      }, 15_000);
      if (res.status >= 500 || res.status === 429) return;
      const body = res.ok ? await res.json() : null;
      for (const x of batch) await db.del('sortq', x.id);
      const p = await plan();
      if (p && body && p.dc_id === first.dc && p.date === first.date && p.slot === first.slot) {
        for (const c of body.counts) {
          const b = p.beats.find((x) => x.id === c.beat_id);
          if (b) b.sorted = c.sorted;
        }
        p.stale = p.stale || body.plan_version !== p.version;
        await db.put('kv', p, PLAN);
      } else if (!res.ok && p) {
        p.refused = (await api.problem(res))?.detail || `HTTP ${res.status}`;
        await db.put('kv', p, PLAN);
      }
    }
  })().catch(() => {}).finally(() => { sending = null; redraw(); });
  return sending;
}

// sorted counts each beat's articles: the server's count (every sorter's)
// or this phone's, whichever has seen more.
function sorted(p) {
  const mine = new Set(p.scanned);
  const local = new Map();
  for (const x of p.places) if (mine.has(x.article_id)) local.set(x.beat_id, (local.get(x.beat_id) || 0) + 1);
  return new Map(p.beats.map((b) => [b.id, Math.max(b.sorted, local.get(b.id) || 0)]));
}

function resultPanel(p) {
  if (!last) return h('div', { class: 'sort-result idle', testid: 'sort-result' }, h('p', {}, t('sort.ready')));
  if (last.problem) {
    const c = p.problem_colour;
    const why = t(`sort.reason.${last.problem.reason}`);
    return h('div', { class: `sort-result problem sort-c${c.index}`, testid: 'sort-result', 'data-beat': '', role: 'status' },
    h('div', { class: 'sort-case', testid: 'sort-case' }, '!'),
    h('p', { class: 'sort-beat', testid: 'sort-problem' }, t('sort.problem'), ': ', why),
    last.problem.detail ? h('p', {}, last.problem.detail) : null,
    h('p', { class: 'sort-id' }, last.id));
  }
  const b = last.beat;
  return h('div', { class: `sort-result sort-c${b.colour.index}`, testid: 'sort-result', 'data-beat': b.id, role: 'status' },
  h('div', { class: 'sort-case', testid: 'sort-case', 'aria-label': t('sort.case', { n: last.case }) }, String(last.case)),
  h('p', { class: 'sort-beat', testid: 'sort-beat' }, t('sort.beat', { beat: b.name, postman: b.postman_name })),
  h('p', { class: 'sort-id' }, last.id));
}

function counts(p) {
  const done = sorted(p);
  return h('ul', { class: 'sort-counts', testid: 'sort-counts' }, p.beats.map((b) => {
    const n = done.get(b.id);
    return h('li', { testid: `sort-count-${b.id}`, 'data-sorted': n, 'data-expected': b.expected },
      h('span', { class: `sort-swatch sort-c${b.colour.index}` }, b.name),
      ' ', b.postman_name, ': ', t('sort.count', { n, of: b.expected }));
  }));
}

function chooser(p, onDownload) {
  const day = h('input', { type: 'date', testid: 'sort-date', id: 'sort-date', value: p?.date || '' });
  const slot = h('select', { testid: 'sort-slot', id: 'sort-slot' },
    h('option', { value: '' }, t('sort.next')),
    ['morning', 'evening', 'sunday'].map((s) => h('option', { value: s, selected: p?.slot === s }, t(`slot.${s}`))));
  const dc = api.user()?.dc_id ? null : h('input', { testid: 'sort-dc', value: dcOf(), placeholder: t('sort.centre') });
  const msg = h('p', { class: 'error', role: 'alert', testid: 'sort-download-message' });
  const go = button('sort-download', t('sort.download'), async () => {
    msg.textContent = t('sort.downloading');
    try {
      if (dc) localStorage.setItem('dk.sort.dc', dc.value.trim());
      await download(dcOf(), day.value, slot.value || (day.value ? 'morning' : ''));
      last = null;
      onDownload();
    } catch (err) {
      if (err instanceof api.AuthError) throw err;
      msg.textContent = err instanceof api.HTTPError ? err.message : t('sort.offline');
    }
  }, 'primary');
  return h('div', { class: 'stack sort-choose' },
    dc ? h('label', {}, t('sort.centre'), dc) : null,
    h('div', { class: 'row' }, h('label', { for: 'sort-date' }, t('sort.date'), day), h('label', { for: 'sort-slot' }, t('sort.slot'), slot)),
    go, msg);
}

function scanner() {
  const input = h('input', { testid: 'sort-input', id: 'sort-input', autocomplete: 'off', autocapitalize: 'characters',
    inputmode: 'text', placeholder: 'EE123456789IN', 'aria-label': t('sort.typed') });
  const form = h('form', { testid: 'sort-form', class: 'row' }, input, h('button', { type: 'submit', testid: 'sort-enter' }, t('sort.enter')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); const v = input.value; input.value = ''; record(v); });
  const video = h('video', { class: 'sort-video', playsinline: true, muted: true, hidden: true });
  const cam = button('sort-camera', t('sort.camera'), async () => {
    if (stopCamera) { stopCamera(); stopCamera = null; video.hidden = true; return; }
    video.hidden = false;
    let seen = '';
    stopCamera = await scan(video, (code) => { if (code !== seen) { seen = code; record(code); } }).catch(() => null);
  }, 'quiet');
  canScan().then((ok) => { cam.hidden = !ok; });
  cam.hidden = true;
  setTimeout(() => input.focus(), 0); // after the screen is in place
  return h('div', { class: 'stack' }, form, cam, video);
}

// styled loads the sorting style sheet once (kept off the first load; the
// service worker has it for offline use).
export function styled() {
  let link = document.querySelector('link[href="/sort.css"]');
  if (!link) {
    link = h('link', { rel: 'stylesheet', href: '/sort.css' });
    link.ready = new Promise((resolve) => { link.onload = link.onerror = resolve; });
    document.head.append(link);
  }
  return link.ready || Promise.resolve();
}

// sortScreen draws the screen. A scan, or a sync, redraws only the parts
// that change (the result, the counts, what waits), so the field being
// typed in is never replaced under the sorter's fingers.
export async function sortScreen(rerender, ...more) {
  await styled();
  const p = await plan();
  const head = h('h2', { id: 'sort-h' }, t('sort.title'));
  if (!p) {
    redraw = () => {};
    return h('section', { testid: 'screen-sort', 'aria-labelledby': 'sort-h' }, head, h('p', {}, t('sort.none')), chooser(null, rerender), more);
  }
  const live = h('div', { class: 'stack' });
  redraw = async () => {
    const now = await plan();
    if (!now || now.version !== p.version) return; // downloaded again: a new screen draws it
    const waiting = (await db.all('sortq')).length;
    live.replaceChildren(
      now.stale ? h('p', { class: 'error', role: 'alert', testid: 'sort-stale' }, t('sort.stale')) : '',
      now.refused ? h('p', { class: 'error', role: 'alert', testid: 'sort-refused' }, now.refused) : '',
      resultPanel(now),
      counts(now),
      h('p', { testid: 'sort-pending', 'data-n': waiting }, waiting ? t('sort.waiting', { n: waiting }) : t('sort.synced')));
  };
  await redraw();
  return h('section', { testid: 'screen-sort', 'aria-labelledby': 'sort-h', class: 'sort' }, head,
    h('p', { testid: 'sort-plan', 'data-version': p.version },
      t('sort.plan', { date: showDate(p.date), slot: t(`slot.${p.slot}`), n: p.places.length })),
    scanner(),
    live,
    h('details', { class: 'sort-more' }, h('summary', {}, t('sort.other')), chooser(p, rerender)), more);
}

addEventListener('online', () => send());
setInterval(() => { if (document.visibilityState === 'visible') send(); }, 10_000);
