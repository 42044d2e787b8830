// The sync screen: the outbox grouped by stop, one line per stop with its
// state, what the server refused and why, and what waits on a refusal.
import { h, button } from './ui.js';
import { t, num, date, time } from './i18n.js';
import * as data from './data.js';
import * as outbox from './outbox.js';
import * as net from './net.js';

// netLine is the network state, kept true while it shows.
export function netLine() {
  const el = h('strong', { testid: 'net-state' });
  const show = (s) => { el.textContent = t(`shell.net.${s}`); el.className = `net ${s}`; el.dataset.state = s; };
  show(net.state());
  net.onChange((s) => el.isConnected && show(s));
  return el;
}

// syncCard is the outbox at a glance: the network, what waits, what is
// done, what needs the postman.
export async function syncCard() {
  const s = await outbox.stats();
  return h('a', { href: '#/sync', class: 'card sync', testid: 'sync-status' },
    netLine(),
    h('span', { testid: 'sync-pending' }, t('sync.pending', { n: s.pending }), ' · ',
      h('span', { testid: 'sync-done' }, t('shell.done', { n: s.done }))),
    s.errors ? h('span', { class: 'error', testid: 'sync-errors' }, t('sync.errors', { n: s.errors })) : null,
    s.needLogin ? h('span', { class: 'error' }, t('login.again')) : null,
    h('span', { testid: 'sync-last' }, s.lastSync ? t('sync.last', { when: `${date(s.lastSync)} ${time(s.lastSync)}` }) : t('sync.never')));
}

// refusal says why the server refused an item, in the postman's language
// for the refusals the app knows, else in the server's own words.
function refusal(it, e) {
  if (e.reason) {
    let at;
    try { at = time(e.at, e.tz || undefined); } catch { at = time(e.at); }
    return t(`shell.taken.${e.reason}`, { at });
  }
  const code = (e.type || '').replace(/^urn:dakiya:problem:/, '');
  const proof = it.type === 'proof';
  switch (code) {
    case 'already_done': return t('refused.already', { outcome: recorded(e.outcome) });
    case 'locked': return t('refused.locked');
    case 'not_found': return t('refused.not_found');
    case 'forbidden': return t('refused.forbidden');
    case 'unprocessable': return t('refused.unprocessable');
    case 'too_large': return proof ? t('refused.proof.too_large') : e.detail;
    case 'unsupported': return proof ? t('refused.proof.unsupported') : e.detail;
    case 'invalid': return proof ? t('refused.proof.invalid', { detail: e.detail }) : e.detail;
  }
  return e.detail;
}

// recorded names the outcome the server already holds (its summary).
function recorded(o) {
  const name = typeof o === 'string' ? o : o?.outcome;
  return name === 'delivered' || name === 'failed' ? t(`outcome.${name}`) : t('refused.already.unknown');
}

// groups puts the items by the stop they were captured at (older items by
// the stop the stored manifests name).
async function groups(list) {
  const where = new Map();
  for (const m of await Promise.all((await data.summaries()).map((s) => data.manifest(s.id)))) {
    for (const s of m?.stops || []) for (const a of s.articles) where.set(a.id, { id: s.stop_id, name: s.recipient_name, address: s.address });
  }
  const by = new Map();
  for (const it of list) {
    const s = it.stop || where.get(it.article_id) || { id: it.article_id, name: it.article_id, address: '' };
    if (!by.has(s.id)) by.set(s.id, { stop: s, items: [] });
    by.get(s.id).items.push(it);
  }
  return [...by.values()];
}

const actions = (it, done) => h('div', { class: 'row' },
  button(`outbox-retry-${it.id}`, t('outbox.retry'), async () => { await outbox.retry(it.id); done(); }),
  button(`outbox-discard-${it.id}`, t('outbox.discard'), async () => {
    if (confirm(t('outbox.discard.sure'))) { await outbox.discard(it.id); done(); }
  }, 'quiet'));

function itemLine(it, stuck) {
  const what = it.type === 'outcome' ? t(`outcome.${it.body.outcome}`) : t(`proof.${it.kind}`);
  const state = stuck ? t('shell.blocked') : t(`outbox.state.${it.state}`);
  return h('li', { testid: `outbox-item-${it.id}`, class: stuck ? 'error' : it.state },
    `${t(`outbox.${it.type}`)} · ${it.article_id} · ${what} · ${state}`, it.tries ? ` · ${t('outbox.tries', { n: it.tries })}` : '');
}

// stopCard is one stop's line: who, where, which articles, its state, and
// what needs the postman.
function stopCard({ stop, items }, stuck, done) {
  const bad = items.filter((i) => i.state === 'error');
  const held = items.filter((i) => stuck.has(i.id));
  const waiting = items.filter((i) => i.state === 'pending' && !stuck.has(i.id)).length;
  const state = bad.length || held.length ? 'error' : waiting ? 'pending' : 'sent';
  const ids = [...new Set(items.map((i) => i.article_id))];
  const line = state === 'error' ? t('sync.errors', { n: bad.length + held.length })
    : state === 'pending' ? t('sync.pending', { n: waiting }) : t('shell.sending');
  return h('li', { class: `card ${state}`, testid: `outbox-stop-${stop.id}`, 'data-state': state },
    h('strong', {}, stop.name), stop.address ? h('span', {}, stop.address) : null,
    h('span', { testid: `outbox-stop-articles-${stop.id}` }, ids.join(', ')),
    h('span', { testid: `outbox-stop-state-${stop.id}` }, line),
    bad.flatMap((it) => [h('p', { class: 'error', testid: `outbox-error-${it.id}` },
      `${t(`outbox.${it.type}`)} ${it.article_id}: ${refusal(it, it.error)} (${num(it.error.status)})`,
      ...(it.error.errors || []).map((e) => ` (${e.field}: ${e.message})`)), actions(it, done)]),
    held.flatMap((it) => [h('p', { class: 'error', testid: `outbox-blocked-${it.id}` },
      t('shell.blockedBy', { what: `${t(`outbox.${it.type}`)} ${it.article_id}` })), actions(it, done)]),
    h('details', {}, h('summary', {}, t('shell.items', { n: items.length })),
      h('ul', { class: 'plain' }, items.map((it) => itemLine(it, stuck.has(it.id))))));
}

// syncScreen draws the outbox; done redraws it after an action.
export async function syncScreen(done) {
  const list = await outbox.items();
  const stuck = outbox.blocked(list);
  const cards = (await groups(list)).map((g) => stopCard(g, stuck, done));
  return h('section', { testid: 'screen-sync', 'aria-labelledby': 'sync-h' },
    h('h2', { id: 'sync-h' }, t('sync.title')),
    await syncCard(),
    button('sync-now', t('sync.now'), async () => { await outbox.drain(true); done(); }, 'primary'),
    cards.length ? h('ul', { class: 'stack plain', testid: 'outbox-list' }, cards) : h('p', { testid: 'outbox-empty' }, t('outbox.empty')),
    h('a', { href: '#/', class: 'link', testid: 'back-today' }, t('nav.today')));
}
