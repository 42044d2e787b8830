// The supervisor's console: the shell (who is signed in, the centre, the
// date and slot every screen works on, the navigation) and the router.
// Each screen is its own module, loaded when first opened; a screen module
// exports screen(ctx) → Element (see kit.js for ctx). Only supervisors and
// admins come here; anyone else goes back to the app at /.
import { h } from '../ui.js';
import { t, setLang, current, addBooks } from '../i18n.js';
import * as api from '../api.js';
import en from './locales/en.js';
import { scopeBar, context, problemBox, leaveAll } from './kit.js';

await addBooks(en, () => import('./locales/hi.js'));

// The screens, in the navigation's order; admin marks those only an admin sees.
const screens = [
  { name: 'articles', load: () => import('./articles.js') },
  { name: 'slots', load: () => import('./slots.js') },
  { name: 'progress', load: () => import('./progress.js') },
  { name: 'review', load: () => import('./review.js') },
  { name: 'cash', load: () => import('./cash.js') },
  { name: 'charts', load: () => import('./charts.js') },
  { name: 'partners', admin: true, load: () => import('./partners.js') },
  { name: 'forecast', load: () => import('./forecast.js') },
  // forecast and festivals (fc.): screens above this line
  { name: 'roster', load: () => import('./plan-roster.js') },
  { name: 'beatplan', load: () => import('./plan-beats.js') },
  // rosters and beat plans (plan.): screens above this line
  { name: 'sorting', load: () => import('./sorting.js') },
  // sorting (sort.): screens above this line
  { name: 'admin', load: () => import('./admin.js') },
];

const view = document.getElementById('view');
const $ = (id) => document.getElementById(id);

function staff() {
  const u = api.user();
  return api.signedIn() && (u?.role === 'supervisor' || u?.role === 'admin');
}

function chrome(ctx, name) {
  document.title = `${t(`con.nav.${name}`)} · ${t('con.title')}`;
  $('app-title').textContent = t('con.title');
  $('lang-toggle').textContent = t('lang.other');
  $('lang-toggle').setAttribute('aria-label', t('lang.switch'));
  document.querySelector('.skip').textContent = t('con.skip');
  $('nav').setAttribute('aria-label', t('con.nav'));
  $('nav').replaceChildren(h('ul', {}, screens.filter((s) => ctx.admin || !s.admin).map((s) => h('li', {},
    h('a', { href: `#/${s.name}`, testid: `nav-${s.name}`, 'aria-current': s.name === name ? 'page' : null }, t(`con.nav.${s.name}`)))),
  h('li', {}, h('button', { type: 'button', class: 'quiet', testid: 'console-logout',
    onclick: async () => { await api.logout(); location.replace('/#/login'); } }, t('login.logout')))));
  $('scope').replaceChildren(scopeBar(ctx));
}

// started counts renders: only the latest draws, so a slow screen never
// replaces one opened meanwhile. shown is the screen last drawn.
let started = 0;
let shown = null;

// screenOf is the screen an address names (articles when none or unknown).
function screenOf(hash) {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return screens.find((s) => s.name === name) || screens[0];
}

// keepFocus notes the header or navigation control that has the focus
// (they are drawn afresh) and returns a function that focuses it again.
function keepFocus() {
  const id = document.activeElement?.closest('header, nav') ? document.activeElement.dataset.testid : null;
  return () => { if (id) document.querySelector(`[data-testid="${id}"]`)?.focus(); };
}

// render draws the screen the address names. The screen's module is
// fetched while the context is read. Opening another screen moves the
// focus to it (as a page load would); redrawing the same one (a new
// centre, date or slot) leaves the focus where it was.
export async function render() {
  if (!staff()) { location.replace(api.user() ? '/' : '/#/login'); return; }
  const mine = ++started;
  leaveAll();
  const entry = screenOf(location.hash);
  const loading = entry.load();
  loading.catch(() => {}); // awaited below
  const ctx = await context(render);
  const refocus = keepFocus();
  chrome(ctx, entry.name);
  let screen;
  try {
    screen = await (await loading).screen(ctx);
  } catch (err) {
    if (err instanceof api.AuthError) { location.replace('/#/login'); return; }
    screen = h('section', { testid: 'screen-error' }, problemBox(err));
  }
  if (mine !== started) return;
  view.replaceChildren(screen);
  view.dataset.lang = current(); // the language the screen was drawn in
  if (shown !== null && shown !== entry.name) view.focus();
  else refocus();
  shown = entry.name;
}

// The skip link's #view would be read as a screen's address: it moves the focus instead.
document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); view.focus(); });
$('lang-toggle').addEventListener('click', async () => { await setLang(current() === 'en' ? 'hi' : 'en'); render(); });
addEventListener('hashchange', render);
render();
