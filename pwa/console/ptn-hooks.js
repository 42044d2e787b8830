// A partner's webhooks (#/partners/<id>/webhooks[/<webhook id>]): the
// subscriptions the partner made with its key (where, which events), a
// ping to test one, and one subscription's delivery log: each message's
// state, attempts and the receiver's answers, with a button that sends a
// message again at once. Partners subscribe with their own key; an admin
// reads, tests and redelivers here.
import { h } from '../ui.js';
import { t, num } from '../i18n.js';
import { getJSON, getAll, send, table, status } from './kit.js';
import { sub, refused } from './adm-kit.js';
import { enc, when } from './ptn-kit.js';

const hookPath = (id, more = '') => `/api/v1/webhooks/${enc(id)}${more}`;

// view draws partner p's subscriptions and, when the address names one, its log.
export async function view(ctx, p) {
  const hooks = (await getAll(`/api/v1/webhooks?partner_id=${enc(p.id)}`))?.items || [];
  const say = status('ptn-hooks-status');
  const trouble = h('div', { testid: 'ptn-hooks-problem' });
  const fail = (err) => trouble.replaceChildren(refused(err) || '');
  const chosen = hooks.find((x) => x.id === ctx.parts[3]);
  return h('div', { class: 'stack' },
    sub('ptn-hooks', t('ptn.hooks.title'), h('p', {}, t('ptn.hooks.explain')), say, trouble, list(ctx, p, hooks, say, fail)),
    chosen ? await log(ctx, chosen, say, fail) : null);
}

// list is the partner's subscriptions, each with its log and a ping.
function list(ctx, p, hooks, say, fail) {
  const ping = (w) => h('button', { type: 'button', class: 'quiet', testid: `ptn-hook-ping-${w.id}`, onclick: async () => {
    try {
      await send('POST', hookPath(w.id, '/ping'));
      say.say(t('ptn.hooks.pinged'));
      if (ctx.parts[3] === w.id) ctx.render(); else ctx.go(`#/partners/${enc(p.id)}/webhooks/${enc(w.id)}`);
    } catch (err) { fail(err); }
  } }, t('ptn.hooks.ping'));
  return table([
    { label: t('ptn.hooks.url'), value: (w) => h('code', { class: 'ptn-url' }, w.url) },
    { label: t('ptn.hooks.events'), value: (w) => w.events.join(', ') },
    { label: t('ptn.hooks.since'), value: (w) => when(w.created_at) },
    { label: t('ptn.actions'), value: (w) => h('div', { class: 'adm-actions' },
      h('a', { href: `#/partners/${enc(p.id)}/webhooks/${enc(w.id)}`, testid: `ptn-hook-open-${w.id}`,
        'aria-current': ctx.parts[3] === w.id ? 'true' : null }, t('ptn.hooks.log')), ping(w)) },
  ], hooks, { testid: 'ptn-hooks-table', rowid: (w) => `ptn-hook-${w.id}`, empty: t('ptn.hooks.none') });
}

// log is one subscription's delivery log, newest first, a page at a time.
async function log(ctx, w, say, fail) {
  const rows = h('div', { testid: 'ptn-log-box' });
  const more = h('div');
  const redeliver = (d) => h('button', { type: 'button', class: 'quiet', testid: `ptn-redeliver-${d.id}`, onclick: async (e) => {
    e.target.disabled = true;
    try {
      await send('POST', hookPath(w.id, `/deliveries/${enc(d.id)}/redeliver`));
      say.say(t('ptn.hooks.redelivering', { id: d.id }));
      ctx.render();
    } catch (err) { e.target.disabled = false; fail(err); }
  } }, t('ptn.hooks.redeliver'));
  const page = async (next) => {
    const got = await getJSON(hookPath(w.id, `/deliveries?limit=50${next ? `&next=${enc(next)}` : ''}`));
    rows.append(deliveries(got.items || [], redeliver));
    more.replaceChildren(got.next ? h('button', { type: 'button', class: 'quiet', testid: 'ptn-log-more', onclick: () => page(got.next).catch(fail) }, t('ptn.hooks.older')) : '');
  };
  await page('');
  return sub('ptn-log', t('ptn.hooks.logOf', { url: w.url }),
    h('button', { type: 'button', class: 'quiet', testid: 'ptn-log-refresh', onclick: () => ctx.render() }, t('ptn.hooks.refresh')),
    rows, more);
}

// deliveries is a page of the log: each message and, folded, its attempts.
function deliveries(ds, redeliver) {
  return table([
    { label: t('ptn.hooks.made'), value: (d) => when(d.created_at) },
    { label: t('ptn.hooks.type'), value: (d) => h('code', {}, d.type) },
    { label: t('ptn.hooks.article'), value: (d) => (d.article_id ? h('a', { href: `#/articles/${enc(d.article_id)}` }, d.article_id) : '—') },
    { label: t('ptn.hooks.state'), value: (d) => h('span', { class: `ptn-state ptn-${d.state}`, testid: `ptn-dlv-state-${d.id}` }, t(`ptn.hooks.state.${d.state}`)) },
    { label: t('ptn.hooks.attempts'), num: true, value: (d) => h('span', { testid: `ptn-dlv-attempts-${d.id}` }, num(d.attempts)) },
    { label: t('ptn.hooks.answer'), value: (d) => answer(d) },
    { label: t('ptn.hooks.next'), value: (d) => (d.state === 'pending' ? when(d.next_retry_at) : when(d.done_at)) },
    { label: t('ptn.actions'), value: (d) => (d.state === 'pending' ? '' : redeliver(d)) },
  ], ds, { testid: 'ptn-log-table', rowid: (d) => `ptn-dlv-${d.id}`, empty: t('ptn.hooks.noDeliveries') });
}

// answer is the receiver's last answer and, folded, every attempt's.
function answer(d) {
  const last = d.last_status ? String(d.last_status) : (d.attempts ? t('ptn.hooks.noAnswer') : '—');
  if (!d.log?.length) return h('span', {}, last, d.last_error ? ` · ${d.last_error}` : '');
  return h('details', { class: 'ptn-attempts' }, h('summary', {}, last),
    h('ol', {}, d.log.map((a) => h('li', {}, t('ptn.hooks.attempt', { n: a.n, at: when(a.at),
      status: a.status || t('ptn.hooks.noAnswer'), ms: num(a.duration_ms) }), a.error ? ` · ${a.error}` : ''))));
}
