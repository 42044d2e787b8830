// A partner's COD remittances (#/partners/<id>/remittances): the money
// collected but in no statement yet (and what is still awaited), a form
// that makes the statement for a day that is over, and every statement
// with its totals, its CSV, and for an open one with money to remit the
// form that records the bank's payment reference (UTR).
import { h } from '../ui.js';
import { t, money, num, date } from '../i18n.js';
import { getJSON, getAll, send, table, field, today } from './kit.js';
import { sub, form, value, invalid, flash, refused } from './adm-kit.js';
import { partnerPath, when, fileButton, enc } from './ptn-kit.js';

// view draws partner p's pending money, statements and their forms.
export async function view(ctx, p) {
  const q = `partner_id=${enc(p.id)}`;
  const [list, pending] = await Promise.all([getAll(`/api/v1/remittances?${q}`), getJSON(`/api/v1/remittances/pending?${q}`)]);
  const trouble = h('div', { testid: 'ptn-remit-problem' });
  return h('div', { class: 'stack' },
    h('div', { class: 'grid2' }, sub('ptn-pending', t('ptn.remit.pending'), pendingOf(pending)),
      sub('ptn-remit-new', t('ptn.remit.make'), make(ctx, p))),
    sub('ptn-remits', t('ptn.remit.title'), trouble, statements(ctx, list?.items || [], trouble)));
}

// pendingOf says what is collected for the next statement and what is awaited.
function pendingOf(pd) {
  const c = pd.totals.collected;
  return h('ul', { class: 'art-counts', testid: 'ptn-pending-totals' },
    h('li', {}, t('ptn.remit.collected', { n: c.lines, amount: money(c.collected_paise), net: money(c.net_paise) })),
    h('li', {}, t('ptn.remit.awaiting', { n: pd.awaiting.length, amount: money(pd.totals.awaiting_paise) })));
}

// yesterday is the day before today, YYYY-MM-DD.
function yesterday() {
  const d = new Date(`${today()}T12:00:00`);
  d.setDate(d.getDate() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// make is the form that makes the statement for a day that is over.
function make(ctx, p) {
  const day = h('input', { type: 'date', name: 'date', value: yesterday(), max: yesterday(), testid: 'ptn-remit-date' });
  return form('ptn-remit-form', t('ptn.remit.makeOne'), [h('p', {}, t('ptn.remit.makeHint')), field(t('ptn.remit.date'), day)], async (f) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value(f, 'date'))) throw invalid([{ field: 'date', message: t('adm.err.required') }]);
    const r = await send('POST', partnerPath(p.id, '/remittances'), { date: value(f, 'date') });
    flash(t('ptn.remit.made', { date: date(r.date), n: r.totals.lines, net: money(r.totals.net_paise) }));
    ctx.render();
    return '';
  });
}

// statements is every statement, newest first, with its CSV and payment.
function statements(ctx, items, trouble) {
  const fail = (err) => trouble.replaceChildren(refused(err) || '');
  return table([
    { label: t('ptn.remit.date'), value: (r) => h('span', { testid: `ptn-remit-date-${r.id}` }, date(r.date)) },
    { label: t('ptn.remit.state'), value: (r) => h('span', { class: `ptn-state ptn-${r.state}`, testid: `ptn-remit-state-${r.id}` }, t(`ptn.remit.state.${r.state}`)) },
    { label: t('ptn.remit.lines'), num: true, value: (r) => num(r.totals.lines) },
    { label: t('ptn.remit.gross'), num: true, value: (r) => money(r.totals.collected_paise) },
    { label: t('ptn.remit.fee'), num: true, value: (r) => money(r.totals.fee_paise) },
    { label: t('ptn.remit.net'), num: true, value: (r) => money(r.totals.net_paise) },
    { label: t('ptn.remit.to'), value: (r) => (r.remit_to ? `${r.remit_to.account} · ${r.remit_to.ifsc}` : '—') },
    { label: t('ptn.remit.paid'), value: (r) => (r.state === 'paid'
      ? h('span', { testid: `ptn-remit-paid-${r.id}` }, t('ptn.remit.paidBy', { ref: r.bank_ref, at: when(r.paid_at) }))
      : r.totals.net_paise > 0 ? pay(ctx, r) : h('span', { testid: `ptn-remit-nothing-${r.id}` }, t('ptn.remit.nothing'))) },
    { label: t('ptn.actions'), value: (r) => fileButton(`ptn-remit-csv-${r.id}`, t('ptn.remit.csv'), `/api/v1/remittances/${enc(r.id)}`,
      'text/csv', `remittance-${r.date}-${r.id}.csv`, fail) },
  ], items, { testid: 'ptn-remit-table', rowid: (r) => `ptn-remit-${r.id}`, empty: t('ptn.remit.none') });
}

// pay is the small form that records an open statement as paid.
function pay(ctx, r) {
  const ref = h('input', { name: 'bank_ref', testid: `ptn-pay-ref-${r.id}`, autocomplete: 'off', maxLength: 64 });
  return form(`ptn-pay-${r.id}`, t('ptn.remit.markPaid'), [field(t('ptn.remit.bankRef'), ref)], async (f) => {
    const bankRef = value(f, 'bank_ref');
    if (!/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/.test(bankRef)) throw invalid([{ field: 'bank_ref', message: t('ptn.remit.bankRefHint') }]);
    await send('POST', `/api/v1/remittances/${enc(r.id)}/paid`, { bank_ref: bankRef });
    flash(t('ptn.remit.markedPaid', { date: date(r.date), ref: bankRef }));
    ctx.render();
    return '';
  });
}
