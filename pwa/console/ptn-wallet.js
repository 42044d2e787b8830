// A partner's wallet (#/partners/<id>/wallet): the balance and how the
// partner pays (prepaid from the wallet, or on account), a top-up form
// (money received, with its bank or receipt reference: the same reference
// twice is recorded once), the ledger's latest entries, each month's
// bookings, and the contract terms (billing, discount) an admin may change.
import { h, uuid } from '../ui.js';
import { t, money, num } from '../i18n.js';
import { getJSON, send, table, field } from './kit.js';
import { sub, form, value, invalid, flash } from './adm-kit.js';
import { partnerPath, when } from './ptn-kit.js';

// view draws partner p's wallet, its ledger and the forms that change it.
export async function view(ctx, p) {
  const w = await getJSON(partnerPath(p.id, '/wallet'));
  return h('div', { class: 'stack' },
    sub('ptn-wallet', t('ptn.wallet.title'),
      h('p', { class: 'ptn-balance' }, t('ptn.wallet.balance'), ' ', h('strong', { testid: 'ptn-balance' }, money(w.balance_paise))),
      h('p', { testid: 'ptn-wallet-billing' }, t(`ptn.wallet.how.${w.billing}`))),
    h('div', { class: 'grid2' }, sub('ptn-topup', t('ptn.wallet.topup'), topUp(ctx, p)), sub('ptn-terms', t('ptn.terms'), terms(ctx, p))),
    sub('ptn-ledger', t('ptn.wallet.ledger'), ledger(w.entries)),
    sub('ptn-months', t('ptn.wallet.months'), months(w.months)));
}

// rupees reads an amount in rupees (up to 2 decimals) as paise, or NaN.
function rupees(s) {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s.replace(/[,₹\s]/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : NaN;
}

// topUp is the form that records money received into the wallet.
function topUp(ctx, p) {
  let sent = { body: '', key: '' }; // the same top-up sent again keeps its Idempotency-Key
  const kids = h('div', { class: 'adm-grid' },
    field(t('ptn.wallet.amount'), h('input', { name: 'amount', inputMode: 'decimal', testid: 'ptn-topup-amount', autocomplete: 'off' }), t('ptn.wallet.amountHint')),
    field(t('ptn.wallet.reference'), h('input', { name: 'reference', testid: 'ptn-topup-reference', autocomplete: 'off', maxLength: 100 }), t('ptn.wallet.referenceHint')));
  return form('ptn-topup-form', t('ptn.wallet.record'), kids, async (f) => {
    const body = { amount_paise: rupees(value(f, 'amount')), reference: value(f, 'reference') };
    const errors = [];
    if (!(body.amount_paise > 0)) errors.push({ field: 'amount', message: t('ptn.wallet.amountHint') });
    if (!body.reference) errors.push({ field: 'reference', message: t('adm.err.required') });
    if (errors.length) throw invalid(errors);
    if (JSON.stringify(body) !== sent.body) sent = { body: JSON.stringify(body), key: uuid() };
    const e = await send('POST', partnerPath(p.id, '/wallet/topups'), body, { key: sent.key });
    flash(t('ptn.wallet.recorded', { amount: money(e.amount_paise), balance: money(e.balance_paise) }));
    ctx.render();
    return '';
  });
}

// terms is the form that changes how the partner is billed and its discount.
function terms(ctx, p) {
  const kids = h('div', { class: 'adm-grid' },
    field(t('ptn.billing'), h('select', { name: 'billing', testid: 'ptn-terms-billing' }, ['prepaid', 'account'].map((b) =>
      h('option', { value: b, selected: b === p.billing }, t(`ptn.billing.${b}`))))),
    field(t('ptn.discountBP'), h('input', { name: 'discount_bp', inputMode: 'numeric', value: String(p.discount_bp), testid: 'ptn-terms-discount' }), t('ptn.discountHint')));
  return form('ptn-terms-form', t('ptn.terms.save'), kids, async (f) => {
    const body = { billing: value(f, 'billing'), discount_bp: Number(value(f, 'discount_bp')) };
    if (!Number.isInteger(body.discount_bp) || body.discount_bp < 0 || body.discount_bp > 5000) {
      throw invalid([{ field: 'discount_bp', message: t('ptn.discountHint') }]);
    }
    await send('PATCH', partnerPath(p.id), body);
    flash(t('ptn.terms.saved'));
    ctx.render();
    return '';
  });
}

// ledger is the wallet's latest entries, newest first.
function ledger(entries) {
  return table([
    { label: t('ptn.wallet.when'), value: (e) => when(e.created_at) },
    { label: t('ptn.wallet.kind'), value: (e) => t(`ptn.wallet.kind.${e.kind}`) },
    { label: t('ptn.wallet.amount'), num: true, value: (e) => money(e.amount_paise) },
    { label: t('ptn.wallet.after'), num: true, value: (e) => money(e.balance_paise) },
    { label: t('ptn.wallet.reference'), value: (e) => e.reference || '—' },
  ], entries || [], { testid: 'ptn-ledger-table', rowid: (e) => `ptn-entry-${e.id}`, empty: t('ptn.wallet.noEntries') });
}

// months is what the partner booked each month, newest first.
function months(ms) {
  return table([
    { label: t('ptn.wallet.month'), value: (m) => m.month },
    { label: t('ptn.wallet.bookings'), num: true, value: (m) => num(m.bookings) },
    { label: t('ptn.wallet.articles'), num: true, value: (m) => num(m.articles) },
    { label: t('ptn.wallet.total'), num: true, value: (m) => money(m.total_paise) },
  ], ms || [], { testid: 'ptn-months-table', empty: t('ptn.wallet.noMonths') });
}
