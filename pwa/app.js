// The postman's app: routes (#/…), the header, sign-in, today and the
// outbox screen. Stops and the door are in stops.js and door.js.
import { h, button } from './ui.js';
import { t, setLang, current, num, date, time, distance } from './i18n.js';
import * as api from './api.js';
import * as data from './data.js';
import * as outbox from './outbox.js';
import { manifestScreen, mapScreen, stopScreen, progressBar } from './stops.js';
import { deliverScreen, failScreen } from './door.js';

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
  b.hidden = !api.user();
  return s;
}

// render draws the screen the address names.
export async function render() {
  header();
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  await syncBadge();
  let screen;
  try {
    if (!api.user() || parts[0] === 'login') screen = loginScreen();
    else if (parts[0] === 'sync') screen = await syncScreen();
    else if (parts[0] === 'm' && parts[2] === 's' && parts[4] === 'deliver') screen = await deliverScreen(parts[1], parts[3]);
    else if (parts[0] === 'm' && parts[2] === 's' && parts[4] === 'fail') screen = await failScreen(parts[1], parts[3]);
    else if (parts[0] === 'm' && parts[2] === 'map') screen = await mapScreen(parts[1]);
    else if (parts[0] === 'm' && parts[2] === 's') screen = await stopScreen(parts[1], parts[3]);
    else if (parts[0] === 'm') screen = await manifestScreen(parts[1]);
    else screen = await todayScreen();
  } catch (err) {
    if (!(err instanceof api.AuthError)) throw err;
    screen = loginScreen(t('login.again'));
  }
  view.replaceChildren(screen);
  view.focus({ preventScroll: true });
  scrollTo(0, 0);
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
      go('#/');
      render();
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

// fresh: the manifests are asked for again at most once a minute, or on Refresh.
let fetchedAt = 0;
let online = false;

async function todayScreen() {
  if (Date.now() - fetchedAt > 60_000) {
    online = await data.refresh().catch((err) => { if (err instanceof api.AuthError) throw err; return false; });
    fetchedAt = online ? Date.now() : 0;
  }
  const list = await data.summaries();
  const done = await data.doneMap();
  const slots = ['morning', 'evening', 'sunday'];
  slotTab ||= list.find((m) => m.date === data.today())?.slot || list[0]?.slot || 'morning';
  const tabs = h('div', { role: 'tablist', class: 'tabs', testid: 'today-tabs', 'aria-label': t('today.slots') },
    slots.map((s) => h('button', { type: 'button', role: 'tab', 'aria-selected': String(s === slotTab), testid: `today-tab-${s}`,
      onclick: () => { slotTab = s; render(); } }, t(`slot.${s}`))));
  const mine = list.filter((m) => m.slot === slotTab);
  const cards = [];
  for (const s of mine) {
    const p = data.progress(await data.manifest(s.id), done);
    cards.push(h('a', { href: `#/m/${s.id}`, class: 'card', testid: `today-manifest-${s.id}` },
      h('strong', {}, `${date(s.date)} · ${t(`slot.${s.slot}`)} · ${s.beat_id}`),
      h('span', {}, t('today.size', { stops: s.stops, articles: s.articles }), ' · ', distance(s.distance_m)),
      progressBar(p)));
  }
  return h('section', { testid: 'screen-today', 'aria-labelledby': 'today-h' },
    h('h2', { id: 'today-h' }, t('today.title', { name: api.user().name || api.user().username })),
    await syncCard(online),
    tabs,
    cards.length ? h('div', { class: 'stack', role: 'tabpanel' }, cards) : h('p', { testid: 'today-empty' }, t('today.empty')),
    h('div', { class: 'row' },
      button('today-refresh', t('today.refresh'), () => { fetchedAt = 0; render(); }),
      button('app-logout', t('login.logout'), async () => { await api.logout(); await data.forget(); render(); }, 'quiet')));
}

async function syncCard(online) {
  const s = await outbox.stats();
  return h('a', { href: '#/sync', class: 'card sync', testid: 'sync-status' },
    h('strong', {}, online ? t('sync.online') : t('sync.offline')),
    h('span', { testid: 'sync-pending' }, t('sync.pending', { n: s.pending })),
    s.errors ? h('span', { class: 'error', testid: 'sync-errors' }, t('sync.errors', { n: s.errors })) : null,
    s.needLogin ? h('span', { class: 'error' }, t('login.again')) : null,
    h('span', { testid: 'sync-last' }, s.lastSync ? t('sync.last', { when: `${date(s.lastSync)} ${time(s.lastSync)}` }) : t('sync.never')));
}

// refusal says why the server refused an item, in the postman's language
// for the refusals the app knows, else in the server's own words.
function refusal(it, e) {
  const code = (e.type || '').replace(/^urn:dakiya:problem:/, '');
  switch (code) {
    case 'already_done': return t('refused.already', { outcome: recorded(e.outcome) });
    case 'locked': return t('refused.locked');
    case 'not_found': return t('refused.not_found');
    case 'forbidden': return t('refused.forbidden');
    case 'unprocessable': return t('refused.unprocessable');
    case 'too_large': return it.type === 'proof' ? t('refused.proof.too_large') : e.detail;
    case 'unsupported': return it.type === 'proof' ? t('refused.proof.unsupported') : e.detail;
    case 'invalid': return it.type === 'proof' ? t('refused.proof.invalid', { detail: e.detail }) : e.detail;
  }
  return e.detail;
}

// recorded names the outcome the server already holds (its summary).
function recorded(o) {
  const name = typeof o === 'string' ? o : o?.outcome;
  if (name === 'delivered') return t('outcome.delivered');
  if (name === 'failed') return t('outcome.failed');
  return t('refused.already.unknown');
}

async function syncScreen() {
  const list = await outbox.items();
  const rows = list.map((it) => h('li', { class: `card ${it.state}`, testid: `outbox-item-${it.id}` },
    h('strong', {}, `${t(`outbox.${it.type}`)} · ${it.article_id}`),
    h('span', {}, it.type === 'outcome' ? t(`outcome.${it.body.outcome}`) : t(`proof.${it.kind}`), ' · ', t(`outbox.state.${it.state}`),
      it.tries ? ` · ${t('outbox.tries', { n: it.tries })}` : ''),
    it.error ? h('span', { class: 'error', testid: `outbox-error-${it.id}` }, `${num(it.error.status)}: ${refusal(it, it.error)}`,
      ...(it.error.errors || []).map((e) => ` (${e.field}: ${e.message})`)) : null,
    it.state === 'error' ? h('div', { class: 'row' },
      button(`outbox-retry-${it.id}`, t('outbox.retry'), async () => { await outbox.retry(it.id); render(); }),
      button(`outbox-discard-${it.id}`, t('outbox.discard'), async () => {
        if (confirm(t('outbox.discard.sure'))) { await outbox.discard(it.id); render(); }
      }, 'quiet')) : null));
  return h('section', { testid: 'screen-sync', 'aria-labelledby': 'sync-h' },
    h('h2', { id: 'sync-h' }, t('sync.title')),
    await syncCard(navigator.onLine),
    button('sync-now', t('sync.now'), async () => { await outbox.drain(true); render(); }, 'primary'),
    rows.length ? h('ul', { class: 'stack plain', testid: 'outbox-list' }, rows) : h('p', { testid: 'outbox-empty' }, t('outbox.empty')),
    h('a', { href: '#/', class: 'link', testid: 'back-today' }, t('nav.today')));
}

$('lang-toggle').addEventListener('click', () => { setLang(current() === 'en' ? 'hi' : 'en'); render(); });
addEventListener('hashchange', render);
outbox.onChange(syncBadge);
outbox.start();
render();
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
