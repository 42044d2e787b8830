// The console's admin screen: centres, beats (with their DIGIPIN prefixes
// on a map), staff and the centre's calendar, one sub-screen each at
// #/admin/<tab>, each its own module loaded when opened. An admin sees
// every centre and may add centres and staff; a supervisor sees their own
// centre and may add beats, edit the calendar and disable or enable its
// postmen (the API refuses anything more, and the screen offers no more).
import { h } from '../ui.js';
import { t } from '../i18n.js';
import { section } from './kit.js';

const tabs = [
  { name: 'centres', load: () => import('./adm-centres.js') },
  { name: 'beats', load: () => import('./adm-beats.js') },
  { name: 'staff', load: () => import('./adm-staff.js') },
  { name: 'calendar', load: () => import('./adm-calendar.js') },
];

// screen draws the admin screen's tabs and the sub-screen the address names
// (centres for an admin, beats for a supervisor by default).
export async function screen(ctx) {
  const fallback = ctx.admin ? 'centres' : 'beats';
  const name = tabs.some((x) => x.name === ctx.parts[1]) ? ctx.parts[1] : fallback;
  const nav = h('nav', { class: 'adm-tabs', 'aria-label': t('adm.tabs') }, h('ul', { class: 'plain row' },
    tabs.map((x) => h('li', {}, h('a', { href: `#/admin/${x.name}`, testid: `adm-tab-${x.name}`,
      'aria-current': x.name === name ? 'page' : null }, t(`adm.tab.${x.name}`))))));
  const body = await (await tabs.find((x) => x.name === name).load()).view(ctx);
  return section('screen-admin', t('con.nav.admin'), nav, body);
}
