// Partners: the bulk customers who use the open API (admins only: the
// partner API is an admin's, so the navigation offers it to no one else).
// #/partners lists every partner with its wallet and adds one;
// #/partners/tariffs lists the tariff versions and takes a new one;
// #/partners/<id>/<tab> is one partner's keys, wallet, webhooks and
// remittances (ptn-partner.js).
import { h } from '../ui.js';
import { t, money, date } from '../i18n.js';
import { section, getAll, send, table, field } from './kit.js';
import { sub, form, value, invalid, flash, flashed } from './adm-kit.js';
import { tabs, enc } from './ptn-kit.js';

// screen draws the partners screen the address names.
export async function screen(ctx) {
  if (!ctx.admin) {
    return section('screen-partners', t('con.nav.partners'), h('p', { testid: 'ptn-admins-only' }, t('ptn.adminsOnly')));
  }
  const first = ctx.parts[1];
  if (first && first !== 'tariffs') return (await import('./ptn-partner.js')).screen(ctx, first);
  const body = first === 'tariffs' ? await (await import('./ptn-tariffs.js')).view(ctx) : await list(ctx);
  return section('screen-partners', t('con.nav.partners'), top(first === 'tariffs' ? 'tariffs' : 'all'), flashed(), body);
}

// top is the screen's tabs: every partner, the tariffs.
const top = (current) => tabs(t('ptn.tabs'), [
  { name: 'all', href: '#/partners', label: t('ptn.tab.all') },
  { name: 'tariffs', href: '#/partners/tariffs', label: t('ptn.tab.tariffs') },
], current, 'ptn-tab');

// list is every partner and the form that adds one.
async function list(ctx) {
  const ps = (await getAll('/api/v1/partners'))?.items || [];
  const rows = table([
    { label: t('ptn.name'), value: (p) => h('a', { href: `#/partners/${enc(p.id)}/keys`, testid: `ptn-open-${p.id}` }, p.name) },
    { label: t('ptn.gstin'), value: (p) => p.gstin || '—' },
    { label: t('ptn.billingDC'), value: (p) => h('code', {}, p.billing_dc) },
    { label: t('ptn.billing'), value: (p) => t(`ptn.billing.${p.billing}`) },
    { label: t('ptn.discount'), num: true, value: (p) => t('ptn.percent', { n: (p.discount_bp / 100).toFixed(2) }) },
    { label: t('ptn.wallet'), num: true, value: (p) => money(p.wallet_paise) },
    { label: t('ptn.since'), value: (p) => date(p.created_at) },
  ], ps, { testid: 'ptn-list', rowid: (p) => `ptn-row-${p.id}`, caption: t('ptn.caption', { n: ps.length }), empty: t('ptn.none') });
  return h('div', { class: 'stack' }, sub('ptn-all', t('ptn.tab.all'), rows), sub('ptn-new', t('ptn.new'), newPartner(ctx)));
}

// newPartner is the form that adds a partner and opens its page.
function newPartner(ctx) {
  const input = (name, attrs = {}) => h('input', { name, testid: `ptn-new-${name}`, autocomplete: 'off', ...attrs });
  const kids = h('div', { class: 'adm-grid' },
    field(t('ptn.name'), input('name', { required: true, maxLength: 200 })),
    field(t('ptn.gstin'), input('gstin', { maxLength: 15 }), t('ptn.gstinHint')),
    field(t('ptn.billingDC'), h('select', { name: 'billing_dc', testid: 'ptn-new-billing_dc' },
      ctx.dcs.map((d) => h('option', { value: d.id, selected: d.id === ctx.dc }, `${d.id} · ${d.name}`)))),
    field(t('ptn.discountBP'), input('discount_bp', { inputMode: 'numeric', value: '0' }), t('ptn.discountHint')),
    field(t('ptn.account'), input('remittance.account', { inputMode: 'numeric' }), t('ptn.accountHint')),
    field(t('ptn.ifsc'), input('remittance.ifsc', { maxLength: 11 })));
  return form('ptn-new-form', t('ptn.add'), kids, async (f) => {
    const body = { name: value(f, 'name'), billing_dc: value(f, 'billing_dc'), discount_bp: Number(value(f, 'discount_bp') || 0) };
    if (value(f, 'gstin')) body.gstin = value(f, 'gstin');
    const account = value(f, 'remittance.account');
    const ifsc = value(f, 'remittance.ifsc');
    if (account || ifsc) body.remittance = { account, ifsc };
    check(body);
    const p = await send('POST', '/api/v1/partners', body);
    flash(t('ptn.added', { name: p.name }));
    ctx.go(`#/partners/${enc(p.id)}/keys`);
    return '';
  });
}

// check refuses, before sending, what the server surely would.
function check(b) {
  const errors = [];
  if (!b.name) errors.push({ field: 'name', message: t('adm.err.required') });
  if (!Number.isInteger(b.discount_bp) || b.discount_bp < 0 || b.discount_bp > 5000) {
    errors.push({ field: 'discount_bp', message: t('ptn.discountHint') });
  }
  if (errors.length) throw invalid(errors);
}
