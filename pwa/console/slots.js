// The console's slots screen: the centre's manifests for the date and slot
// worked on. Build (or rebuild) the drafts and see what could not be
// placed and why; per beat its status, postman, load against capacity,
// distance, and its stops in delivery order as a table and on a map; move
// an article to another beat before dispatch (the drafts are rebuilt so
// both show it); dispatch; amend a dispatched manifest; print one
// (#/slots/print/<id>, man-print.js).
import { h } from '../ui.js';
import { t, date } from '../i18n.js';
import { section, getJSON, getAll, send, problemBox, status } from './kit.js';
import { beatCard, mover } from './man-beat.js';

// unplaced keeps the last build's unassigned articles per centre, date and
// slot, so they stay shown when the screen is drawn again.
const unplaced = new Map();

// screen draws the slots screen, or a manifest's paper copy.
export async function screen(ctx) {
  if (ctx.parts[1] === 'print' && ctx.parts[2]) return (await import('./man-print.js')).printView(ctx, ctx.parts[2]);
  const key = `${ctx.dc}|${ctx.date}|${ctx.slot}`;
  const say = status('man-status');
  const problems = h('div', { testid: 'man-problems' });
  const body = h('div', { class: 'stack', testid: 'man-body', 'aria-busy': 'true' });
  say.tabIndex = -1;
  const act = async (fn) => {
    problems.replaceChildren();
    try { await fn(); } catch (err) { problems.replaceChildren(problemBox(err)); say.say(t('man.refused'), true); }
    await refresh();
    // The button pressed was drawn again: keep the keyboard near what happened.
    if (!document.activeElement || document.activeElement === document.body) say.focus();
  };
  const build = async () => {
    const res = await send('POST', `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/manifests`, { date: ctx.date, slot: ctx.slot });
    unplaced.set(key, res.unassigned || []);
    return res;
  };
  const ops = {
    ctx,
    build: () => act(async () => {
      const res = await build();
      say.say(t('man.built', { n: res.manifests.length, u: res.unassigned.length }));
    }),
    move: (id, beat) => act(async () => {
      await send('PUT', `/api/v1/articles/${encodeURIComponent(id)}/beat`, { beat_id: beat });
      await build();
      say.say(t('man.moved', { id, beat }));
    }),
    dispatch: (ms) => act(async () => {
      for (const m of ms) await send('POST', `/api/v1/manifests/${m.id}/dispatch`);
      say.say(t('man.dispatched', { n: ms.length }));
    }),
    amend: (m, add, remove) => act(async () => {
      const got = await send('POST', `/api/v1/manifests/${m.id}/amend`, { add, remove });
      say.say(t('man.amended', { beat: m.beat_id, v: got.version }));
    }),
  };
  const refresh = async () => {
    body.setAttribute('aria-busy', 'true');
    try {
      body.replaceChildren(...await content(ops, unplaced.get(key)));
    } catch (err) {
      body.replaceChildren(problemBox(err));
    }
    body.setAttribute('aria-busy', 'false');
  };
  await refresh();
  const el = section('screen-slots', t('man.title', { date: date(ctx.date), slot: t(`slot.${ctx.slot}`) }),
    h('p', {}, t('man.intro')),
    h('div', { class: 'row man-tools' },
      h('button', { type: 'button', class: 'primary', testid: 'man-build', onclick: ops.build }, t('man.build'))),
    say, problems, body);
  el.dataset.scope = `${ctx.date} ${ctx.slot}`; // which slot this drawing is of
  return el;
}

// allManifests walks the pages of a slot's manifests.
async function allManifests(dc, ctx) {
  const base = `/api/v1/dcs/${dc}/manifests?date=${ctx.date}&slot=${ctx.slot}`;
  let page = await getJSON(base);
  const out = [...page.items];
  while (page.next) {
    page = await getJSON(`${base}&next=${encodeURIComponent(page.next)}`);
    out.push(...page.items);
  }
  return out;
}

// content fetches the slot's manifests (each in full), the centre's beats
// and staff, and draws them.
async function content(ops, lost) {
  const { ctx } = ops;
  const dc = encodeURIComponent(ctx.dc);
  const [list, beats, users] = await Promise.all([
    allManifests(dc, ctx),
    getAll(`/api/v1/dcs/${dc}/beats`).then((b) => b.items),
    getAll(`/api/v1/users?dc_id=${dc}`).then((u) => u.items).catch(() => []),
  ]);
  const full = await Promise.all(list.map((s) => getJSON(`/api/v1/manifests/${s.id}`)));
  const on = new Set(full.flatMap((m) => m.stops.flatMap((s) => s.articles.map((a) => a.id))));
  const spare = full.some((m) => m.status === 'dispatched') ? await candidates(ctx, on) : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  const drafts = full.filter((m) => m.status === 'draft');
  const out = [summary(full), lost?.length ? unassigned(lost, { beats, ops }) : null];
  if (!full.length) out.push(h('p', { testid: 'man-none' }, t('man.none')));
  if (drafts.length > 1) {
    out.push(h('div', { class: 'row man-tools' }, h('button', { type: 'button', testid: 'man-dispatch-all',
      onclick: () => ops.dispatch(drafts) }, t('man.dispatchAll', { n: drafts.length }))));
  }
  const listId = 'man-spare';
  if (spare.length) out.push(h('datalist', { id: listId }, spare.map((id) => h('option', { value: id }))));
  for (const m of full) out.push(beatCard(m, { beats, names, ops, listId, spare }));
  return out.filter(Boolean);
}

// candidates lists the slot's scheduled articles that are on no manifest:
// what an amendment may add.
async function candidates(ctx, on) {
  const q = new URLSearchParams({ status: 'scheduled', date: ctx.date, slot: ctx.slot, limit: '1000' });
  const page = await getJSON(`/api/v1/dcs/${encodeURIComponent(ctx.dc)}/articles?${q}`).catch(() => ({ items: [] }));
  return page.items.map((a) => a.id).filter((id) => !on.has(id));
}

// summary counts the slot's manifests, drafts, dispatched ones and articles.
function summary(ms) {
  const n = (st) => ms.filter((m) => m.status === st).length;
  const arts = ms.reduce((k, m) => k + m.stops.reduce((j, s) => j + s.articles.length, 0), 0);
  return h('p', { testid: 'man-summary', class: 'man-summary' },
    t('man.summary', { n: ms.length, d: n('draft'), x: n('dispatched'), a: arts }));
}

// unassigned lists the articles the last build could not place, and why;
// each may be sent out on a beat chosen here.
function unassigned(list, opts) {
  return h('section', { class: 'man-lost', testid: 'man-unassigned', 'aria-labelledby': 'man-unassigned-h' },
    h('h3', { id: 'man-unassigned-h' }, t('man.unassigned', { n: list.length })),
    h('ul', {}, list.map((u) => h('li', { testid: `man-lost-${u.id}` },
      h('a', { href: `#/articles/${encodeURIComponent(u.id)}` }, u.id), ' — ', why(u.reason),
      mover(u, { beat_id: '' }, opts)))));
}

// why says a build's reason in the reader's language.
function why(reason) {
  let m = /^beat (.+) has no postman$/.exec(reason);
  if (m) return t('man.why.nopostman', { beat: m[1] });
  if (/^no beat covers/.test(reason)) return t('man.why.nobeat');
  m = /^the manifest (\S+) is already dispatched/.exec(reason);
  if (m) return t('man.why.dispatched');
  return reason;
}
