// One partner's page (#/partners/<id>/<tab>): who it is and how it is
// billed, then one tab at a time, each its own module loaded when opened:
// its API keys and their usage, its wallet, its webhooks with their
// delivery logs, its COD remittance statements.
import { h } from '../ui.js';
import { t, date } from '../i18n.js';
import { section, getJSON } from './kit.js';
import { flashed } from './adm-kit.js';
import { tabs, enc, partnerPath } from './ptn-kit.js';

const TABS = [
  { name: 'keys', load: () => import('./ptn-keys.js') },
  { name: 'wallet', load: () => import('./ptn-wallet.js') },
  { name: 'webhooks', load: () => import('./ptn-hooks.js') },
  { name: 'remittances', load: () => import('./ptn-remit.js') },
];

// screen draws partner id's page with the tab the address names.
export async function screen(ctx, id) {
  const tab = TABS.find((x) => x.name === ctx.parts[2]) || TABS[0];
  const loading = tab.load();
  const p = await getJSON(partnerPath(id));
  const body = await (await loading).view(ctx, p);
  const nav = tabs(t('ptn.partnerTabs'), TABS.map((x) => ({ name: x.name, href: `#/partners/${enc(id)}/${x.name}`,
    label: t(`ptn.tab.${x.name}`) })), tab.name, 'ptn-ptab');
  return section('screen-partner', p.name,
    h('a', { href: '#/partners', class: 'art-back', testid: 'ptn-back' }, t('ptn.back')),
    facts(p), flashed(), nav, body);
}

// facts is who the partner is and how it is billed.
function facts(p) {
  const item = (label, val, testid) => [h('dt', {}, label), h('dd', { testid }, val)];
  return h('dl', { class: 'ptn-facts', testid: 'ptn-facts' },
    item(t('ptn.id'), h('code', {}, p.id), 'ptn-fact-id'),
    item(t('ptn.gstin'), p.gstin || '—'),
    item(t('ptn.billingDC'), h('code', {}, p.billing_dc)),
    item(t('ptn.billing'), t(`ptn.billing.${p.billing}`), 'ptn-fact-billing'),
    item(t('ptn.discount'), t('ptn.percent', { n: (p.discount_bp / 100).toFixed(2) }), 'ptn-fact-discount'),
    item(t('ptn.remitTo'), p.remittance ? `${p.remittance.account} · ${p.remittance.ifsc}` : t('ptn.noAccount')),
    item(t('ptn.since'), date(p.created_at)));
}
