// The postman's app: routes (#/…), the header, sign-in, today and the
// outbox screen. Stops and the door are in stops.js and door.js.
import { h, button } from './ui.js';
import { t, setLang, current, load, date, distance } from './i18n.js';
import * as api from './api.js';
import * as data from './data.js';
import * as outbox from './outbox.js';
import { manifestScreen, mapScreen, stopScreen, progressBar } from './stops.js';
import { deliverScreen, failScreen } from './door.js';
import { syncCard, syncScreen } from './sync.js';

const view = document.getElementById('view');
const $ = (id) => document.getElementById(id);

// A tracking link to the old address (/?id=…) goes to the tracking page.
const linked = new URLSearchParams(location.search).get('id');
if (linked) location.replace(`/track?id=${encodeURIComponent(linked)}`);

export const go = (hash) => { location.hash = hash; };
let slotTab = null;

function header() {
  $('app-title').textContent = t('app.title');
  $('lang-toggle').textContent = t('lang.other');
  $('lang-toggle').setAttribute('aria-label', t('lang.switch'));
  $('sync-badge').setAttribute('aria-label', t('sync.title'));
  document.title = t('app.title');
}

async function syncBadge() {
  const s = await outbox.stats();
  const b = $('sync-badge');
  b.textContent = s.errors ? t('sync.badge.error', { n: s.errors }) : s.pending ? t('sync.badge.pending', { n: s.pending }) : t('sync.badge.ok');
  b.className = s.errors ? 'badge bad' : s.pending ? 'badge wait' : 'badge ok';
  b.hidden = !api.postman();
  return s;
}

// started counts renders; only the latest may draw, and only while the
// address is still the one it was started for, so a slow answer never
// replaces a screen the postman opened meanwhile.
let started = 0;

// render draws the screen the address names.
export async function render() {
  const mine = ++started;
  const hash = location.hash;
  header();
  syncBadge();
  let screen;
  try {
    screen = await screenFor(hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent));
  } catch (err) {
    // A screen that cannot be drawn (its manifest not on the phone) says
    // why, with the way back, instead of leaving the last one or nothing.
    screen = err instanceof api.AuthError ? loginScreen(t('login.again'))
      : h('section', { testid: 'screen-error' }, h('p', { class: 'error', role: 'alert' }, err.message),
        h('a', { href: '#/', class: 'link', testid: 'back-today' }, t('nav.today')));
  }
  if (mine !== started || hash !== location.hash) return;
  const y = scrollY;
  view.replaceChildren(screen);
  view.focus({ preventScroll: true });
  // A new screen starts at the top; the same one redrawn (the sync screen
  // as the outbox moves, Today after a refresh) keeps the postman's place.
  scrollTo(0, hash === drawn ? y : 0);
  drawn = hash;
}
let drawn = null; // the address of the screen on show

async function screenFor(parts) {
  if (!api.user() || parts[0] === 'login') return loginScreen();
  // A sorter only sorts; a supervisor or an admin sorts at #/sort.
  if (api.user().role === 'sorter' || (parts[0] === 'sort' && !api.postman())) {
    if (!api.signedIn()) throw new api.AuthError('signed out');
    return (await import('./sort.js')).sortScreen(render, h('div', { class: 'row' }, logoutButton()));
  }
  if (!api.postman()) return toConsole();
  if (parts[0] === 'sync') return syncScreen(render);
  if (parts[0] !== 'm') return todayScreen();
  if (parts[2] === 'map') return mapScreen(parts[1]);
  if (parts[2] !== 's') return manifestScreen(parts[1]);
  if (parts[4] === 'deliver' || parts[4] === 'fail') {
    // The recipient reads both languages; a door never waits long for the
    // Hindi book (not yet cached on a hanging line): English stands in.
    await Promise.race([load('hi').catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    return (parts[4] === 'deliver' ? deliverScreen : failScreen)(parts[1], parts[3]);
  }
  return stopScreen(parts[1], parts[3]);
}

function loginScreen(note) {
  const msg = h('p', { class: 'error', testid: 'login-message', role: 'alert' }, note || '');
  const form = h('form', { testid: 'login-form', class: 'stack' },
    h('label', { for: 'login-user' }, t('login.username')),
    h('input', { id: 'login-user', name: 'username', testid: 'login-username', autocomplete: 'username', autocapitalize: 'none', required: true,
      value: api.user()?.username || '' }),
    h('label', { for: 'login-pass' }, t('login.password')),
    h('input', { id: 'login-pass', name: 'password', type: 'password', testid: 'login-password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit', testid: 'login-submit', class: 'primary' }, t('login.submit')),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = t('login.wait');
    try {
      await api.login(form.username.value.trim(), form.password.value);
      fetchedAt = 0;
      outbox.drain(true);
      // One render for the new session: the hash change's, or this one.
      if (location.hash === '#/') render(); else go('#/');
    } catch (err) {
      msg.textContent = err instanceof api.HTTPError && err.status === 401 ? t('login.bad')
        : err instanceof api.HTTPError && err.status === 429 ? t('login.throttled')
        : err instanceof api.HTTPError && err.status === 503 ? t('login.busy') : t('login.offline');
    }
  });
  return h('section', { testid: 'screen-login', 'aria-labelledby': 'login-h' },
    h('h2', { id: 'login-h' }, t('login.title')), form,
    h('p', {}, h('a', { href: '/track', testid: 'login-track', class: 'link' }, t('login.track'))));
}

// fresh: the manifests are asked for again at most once a minute, or on
// Refresh; in the background when the phone has them already.
let fetchedAt = 0;
let refreshing = null;

function refresh() {
  refreshing ||= data.refresh().then((ok) => { fetchedAt = ok ? Date.now() : 0; return ok; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

const onToday = () => !/^#\/?[a-z]/.test(location.hash);

async function todayScreen() {
  if (!api.signedIn()) throw new api.AuthError('signed out');
  const before = await data.summaries();
  if (Date.now() - fetchedAt > 60_000) {
    const got = refresh().catch((err) => { if (err instanceof api.AuthError) throw err; return false; });
    if (!before.length) await got;
    else {
      got.then(async (ok) => { if (ok && onToday() && JSON.stringify(await data.summaries()) !== JSON.stringify(before)) render(); },
        () => render());
    }
  }
  const list = await data.summaries();
  const done = await data.doneMap();
  const slots = ['morning', 'evening', 'sunday'];
  slotTab ||= list.find((m) => m.date === data.today())?.slot || list[0]?.slot || 'morning';
  const tabs = h('div', { role: 'tablist', class: 'tabs', testid: 'today-tabs', 'aria-label': t('today.slots') },
    slots.map((s) => h('button', { type: 'button', role: 'tab', 'aria-selected': String(s === slotTab), testid: `today-tab-${s}`,
      onclick: () => { slotTab = s; render(); } }, t(`slot.${s}`))));
  const cards = [];
  for (const s of list.filter((m) => m.slot === slotTab)) {
    const p = data.progress(await data.manifest(s.id), done);
    cards.push(h('a', { href: `#/m/${s.id}`, class: 'card', testid: `today-manifest-${s.id}` },
      h('strong', {}, `${date(s.date)} · ${t(`slot.${s.slot}`)} · ${s.beat_id}`),
      h('span', {}, t('shell.stops', { n: s.stops }), ', ', t('shell.articles', { n: s.articles }), ' · ', distance(s.distance_m)),
      progressBar(p)));
  }
  return h('section', { testid: 'screen-today', 'aria-labelledby': 'today-h' },
    h('h2', { id: 'today-h' }, t('today.title', { name: api.user().name || api.user().username })),
    await syncCard(),
    tabs,
    cards.length ? h('div', { class: 'stack', role: 'tabpanel' }, cards) : h('p', { testid: 'today-empty' }, t('today.empty')),
    h('div', { class: 'row' },
      button('today-refresh', t('today.refresh'), () => { fetchedAt = 0; render(); }),
      logoutButton()));
}

const logoutButton = () => button('app-logout', t('login.logout'), async () => { await api.logout(); await data.forget(); render(); }, 'quiet');

// toConsole sends a supervisor or an admin to their console; its code
// loads there, never in the postman's app.
function toConsole() {
  location.replace('/console');
  return h('p', { testid: 'to-console' }, h('a', { href: '/console', class: 'link' }, t('shell.console')));
}

$('lang-toggle').addEventListener('click', async () => { await setLang(current() === 'en' ? 'hi' : 'en'); render(); });
addEventListener('hashchange', render);
outbox.onChange(() => { syncBadge(); if (location.hash === '#/sync') render(); });
outbox.start();
render();
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
