// A partner's API keys (#/partners/<id>/keys): each key's prefix, scopes,
// rate, expiry and usage (how many requests, the last when), revoking one
// after a second click, and a form that makes one. A new key's secret is
// in the server's answer only: it is shown here once, with a copy button
// and a warning, kept in no variable beyond this box, and gone when the
// box is closed or the page is left.
import { h } from '../ui.js';
import { t, num } from '../i18n.js';
import { getAll, send, table, field, status } from './kit.js';
import { sub, form, invalid, refused } from './adm-kit.js';
import { partnerPath, when, confirmButton, enc } from './ptn-kit.js';

const SCOPES = ['book', 'track', 'webhooks', 'ondc'];

// view draws the keys of partner p and the form that makes one.
export async function view(ctx, p) {
  const say = status('ptn-keys-status');
  const trouble = h('div', { testid: 'ptn-keys-problem' });
  const listed = h('div', { testid: 'ptn-keys-box' });
  const secret = h('div', { 'aria-live': 'polite', testid: 'ptn-secret-box' });
  const refresh = async () => listed.replaceChildren(keysTable(await keys(p), p, say, trouble, refresh));
  await refresh();
  return h('div', { class: 'stack' },
    sub('ptn-keys', t('ptn.keys.title'), h('p', {}, t('ptn.keys.usage')), say, trouble, listed),
    sub('ptn-key-new', t('ptn.keys.new'), secret, newKey(p, secret, refresh)));
}

const keys = async (p) => (await getAll(partnerPath(p.id, '/keys')))?.items || [];

// state is a key's state: revoked, expired or active.
function state(k) {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && new Date(k.expires_at) <= new Date()) return 'expired';
  return 'active';
}

// keysTable is the keys with their usage and, for a live one, a revoke button.
function keysTable(ks, p, say, trouble, refresh) {
  const revoke = (k) => confirmButton(`ptn-revoke-${k.id}`, t('ptn.keys.revoke'), t('ptn.keys.revokeSure', { prefix: k.prefix }), async () => {
    trouble.replaceChildren();
    await send('DELETE', partnerPath(p.id, `/keys/${enc(k.id)}`));
    say.say(t('ptn.keys.revokedSaid', { prefix: k.prefix }));
    await refresh();
  }, (err) => trouble.replaceChildren(refused(err) || ''));
  return table([
    { label: t('ptn.keys.prefix'), value: (k) => h('code', { testid: `ptn-key-prefix-${k.id}` }, `${k.prefix}…`) },
    { label: t('ptn.keys.scopes'), value: (k) => k.scopes.map((s) => t(`ptn.scope.${s}`)).join(', ') },
    { label: t('ptn.keys.rate'), num: true, value: (k) => num(k.rate_per_min) },
    { label: t('ptn.keys.created'), value: (k) => when(k.created_at) },
    { label: t('ptn.keys.expires'), value: (k) => (k.expires_at ? when(k.expires_at) : t('ptn.keys.never')) },
    { label: t('ptn.keys.uses'), num: true, value: (k) => h('span', { testid: `ptn-key-uses-${k.id}` }, num(k.uses)) },
    { label: t('ptn.keys.lastUsed'), value: (k) => h('span', { testid: `ptn-key-last-${k.id}` }, k.last_used_at ? when(k.last_used_at) : t('ptn.keys.unused')) },
    { label: t('ptn.keys.state'), value: (k) => h('span', { class: `ptn-state ptn-${state(k)}`, testid: `ptn-key-state-${k.id}` }, t(`ptn.keys.${state(k)}`)) },
    { label: t('ptn.actions'), value: (k) => (state(k) === 'active' ? revoke(k) : '') },
  ], ks, { testid: 'ptn-keys-table', rowid: (k) => `ptn-key-${k.id}`, caption: t('ptn.keys.caption', { n: ks.length }),
    empty: t('ptn.keys.none'), rowclass: (k) => (state(k) === 'active' ? null : 'adm-disabled') });
}

// newKey is the form that makes a key and shows its secret once.
function newKey(p, secret, refresh) {
  const boxes = h('fieldset', { class: 'adm-fieldset' }, h('legend', {}, t('ptn.keys.scopes')),
    SCOPES.map((s) => h('label', { class: 'adm-check' },
      h('input', { type: 'checkbox', name: 'scopes', value: s, testid: `ptn-key-scope-${s}`, checked: s === 'book' || s === 'track' }),
      t(`ptn.scope.${s}`))));
  const rate = h('input', { name: 'rate_per_min', inputMode: 'numeric', value: '600', testid: 'ptn-key-rate' });
  const expires = h('input', { name: 'expires_at', type: 'date', testid: 'ptn-key-expires' });
  return form('ptn-key-form', t('ptn.keys.make'), [boxes, h('div', { class: 'adm-grid' },
    field(t('ptn.keys.rate'), rate, t('ptn.keys.rateHint')),
    field(t('ptn.keys.expires'), expires, t('ptn.keys.expiresHint')))], async (f) => {
    const body = { scopes: [...f.querySelectorAll('[name=scopes]:checked')].map((c) => c.value), rate_per_min: Number(rate.value.trim()) };
    if (expires.value) body.expires_at = new Date(`${expires.value}T23:59:59`).toISOString();
    const errors = [];
    if (!body.scopes.length) errors.push({ field: 'scopes', message: t('ptn.keys.needScope') });
    if (!Number.isInteger(body.rate_per_min) || body.rate_per_min < 1 || body.rate_per_min > 60000) errors.push({ field: 'rate_per_min', message: t('ptn.keys.rateHint') });
    if (errors.length) throw invalid(errors);
    const k = await send('POST', partnerPath(p.id, '/keys'), body);
    secret.replaceChildren(shown(k, secret));
    secret.querySelector('button')?.focus();
    await refresh();
    return t('ptn.keys.made', { prefix: k.prefix });
  });
}

// shown is the new key's secret with a copy button and the warning that
// it is never shown again; closing it drops the secret from the page.
function shown(k, box) {
  const said = h('span', { role: 'status', testid: 'ptn-secret-copied' });
  const copy = async () => {
    try { await navigator.clipboard.writeText(k.key); said.textContent = t('ptn.keys.copied'); } catch { said.textContent = t('ptn.keys.copyFailed'); }
  };
  return h('div', { class: 'ptn-secret', role: 'alert', testid: 'ptn-secret' },
    h('p', { class: 'ptn-warn' }, h('strong', {}, t('ptn.keys.once'))),
    h('p', {}, t('ptn.keys.onceWhy')),
    h('code', { class: 'ptn-key', testid: 'ptn-secret-key' }, k.key),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', testid: 'ptn-secret-copy', onclick: copy }, t('ptn.keys.copy')),
      h('button', { type: 'button', class: 'quiet', testid: 'ptn-secret-done', onclick: () => box.replaceChildren() }, t('ptn.keys.done')),
      said));
}
