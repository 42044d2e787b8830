// The console's beat plan screen for the date and slot worked on: who is
// on duty, then "Propose balanced beats" sets each postman's balanced
// round beside the fixed beats (articles, stops, load against capacity,
// distance, time), with what either leaves unplaced. The supervisor
// chooses the plan (the slot's next build follows it) or keeps the fixed
// beats, then builds and dispatches on the slots screen.
import { h } from '../ui.js';
import { t, date, num } from '../i18n.js';
import { section, getJSON, send, problemBox, status, table, field } from './kit.js';

const KEY = 'dk.plan';

// remembered is the last proposal's id for a centre, date and slot.
function remembered(k, id) {
  let all = {};
  try { all = JSON.parse(sessionStorage.getItem(KEY) || '{}'); } catch { all = {}; }
  if (id === undefined) return all[k];
  all[k] = id;
  sessionStorage.setItem(KEY, JSON.stringify(all));
  return id;
}

// screen draws the beat plan screen.
export async function screen(ctx) {
  const dc = encodeURIComponent(ctx.dc);
  const k = `${ctx.dc}|${ctx.date}|${ctx.slot}`;
  const say = status('plan-status');
  const problems = h('div', { testid: 'plan-problems' });
  const body = h('div', { class: 'stack', testid: 'plan-body', 'aria-busy': 'false' });
  const speed = h('select', { testid: 'plan-speed' },
    h('option', { value: '10' }, t('plan.speed.cycle')), h('option', { value: '5' }, t('plan.speed.walk')));
  const act = async (fn) => {
    problems.replaceChildren();
    body.setAttribute('aria-busy', 'true');
    try { await fn(); } catch (err) { problems.replaceChildren(problemBox(err)); say.say(t('plan.refused'), true); }
    body.setAttribute('aria-busy', 'false');
  };
  const show = (p) => { remembered(k, p.id); body.replaceChildren(...proposal(p, ops)); };
  const ops = {
    propose: () => act(async () => {
      say.say(t('plan.proposing'));
      const p = await send('POST', `/api/v1/dcs/${dc}/beat-plans`, { date: ctx.date, slot: ctx.slot, speed_kmh: Number(speed.value) }, { ms: 60_000 });
      show(p);
      say.say(t('plan.proposed', { n: p.routes.length }));
    }),
    choose: (p) => act(async () => { show(await send('POST', `/api/v1/dcs/${dc}/beat-plans/${p.id}/choose`)); say.say(t('plan.chosenSaid')); }),
    keep: (p) => act(async () => {
      if (p.chosen) show(await send('DELETE', `/api/v1/dcs/${dc}/beat-plans/${p.id}/choice`));
      say.say(t('plan.keptSaid'));
    }),
  };
  const duty = await onDuty(ctx).catch((err) => problemBox(err));
  const last = remembered(k);
  if (last) {
    try { body.replaceChildren(...proposal(await getJSON(`/api/v1/dcs/${dc}/beat-plans/${encodeURIComponent(last)}`), ops)); } catch { /* gone: propose again */ }
  }
  const el = section('screen-beatplan', t('plan.title', { date: date(ctx.date), slot: t(`slot.${ctx.slot}`) }),
    h('p', {}, t('plan.intro')), duty,
    h('div', { class: 'row plan-tools' }, field(t('plan.speed'), speed),
      h('button', { type: 'button', class: 'primary', testid: 'plan-propose', onclick: ops.propose }, t('plan.propose'))),
    say, problems, body);
  el.dataset.scope = `${ctx.date} ${ctx.slot}`;
  return el;
}

// onDuty says who works the slot and who is away, from the roster.
async function onDuty(ctx) {
  const r = await getJSON(`/api/v1/dcs/${encodeURIComponent(ctx.dc)}/roster?from=${ctx.date}&to=${ctx.date}`);
  const s = r.days[0]?.slots.find((x) => x.slot === ctx.slot);
  if (!s) return h('p', { testid: 'plan-duty' }, t('plan.noSlot'));
  const away = s.postmen.filter((p) => p.status !== 'on_duty' && p.home_beat_id);
  return h('p', { testid: 'plan-duty' }, t('plan.duty', { n: s.rostered }), ' ',
    away.length ? t('plan.away', { names: away.map((p) => `${p.name} (${t(`plan.st.${p.status}`)})`).join(', ') }) : '',
    ' ', h('a', { href: '#/roster', testid: 'plan-to-roster' }, t('plan.toRoster')));
}

const km = (m) => num(Math.round(m / 100) / 10);
const mins = (s) => num(Math.round(s / 60));

// figures is one side's cells for a route.
function figures(f, side) {
  const over = (bad, text) => h('span', { class: bad ? 'plan-over' : null }, text);
  return [
    { label: t('plan.col.articles', { side }), num: true, value: (r) => num(f(r).articles) },
    { label: t('plan.col.stops', { side }), num: true, value: (r) => num(f(r).stops) },
    { label: t('plan.col.load', { side }), num: true, value: (r) => over(f(r).over_capacity, t('plan.loadOf', { n: f(r).load, c: f(r).capacity })) },
    { label: t('plan.col.km', { side }), num: true, value: (r) => km(f(r).distance_m) },
    { label: t('plan.col.time', { side }), num: true, value: (r) => over(f(r).over_time, t('plan.minutes', { m: mins(f(r).time_s) })) },
  ];
}

// proposal draws a proposal: the side-by-side table, totals, what is left
// out, and the choice.
function proposal(p, ops) {
  const fixed = t('plan.side.fixed');
  const bal = t('plan.side.balanced');
  const cols = [
    { label: t('plan.col.postman'), value: (r) => h('span', {}, r.name, h('small', { class: 'plan-beat' }, r.beat_id)) },
    ...figures((r) => r.fixed, fixed),
    ...figures((r) => r.balanced, bal),
    { label: t('plan.col.moved'), num: true, value: (r) => num(r.moved) },
  ];
  const out = [
    h('p', { testid: 'plan-state', class: p.chosen ? 'plan-chosen' : null }, p.chosen ? t('plan.isChosen') : t('plan.notChosen')),
    table(cols, p.routes, { testid: 'plan-compare', rowid: (r) => `plan-route-${r.postman_id}`,
      caption: t('plan.caption', { speed: p.settings.speed_kmh }), empty: t('plan.noRoutes') }),
    h('p', { testid: 'plan-totals' },
      t('plan.totals', { side: fixed, a: p.fixed.articles, u: p.fixed.unassigned, km: km(p.fixed.distance_m), m: mins(p.fixed.max_time_s) }), h('br'),
      t('plan.totals', { side: bal, a: p.balanced.articles, u: p.balanced.unassigned, km: km(p.balanced.distance_m), m: mins(p.balanced.max_time_s) })),
  ];
  if (p.fixed_unassigned.length) {
    out.push(h('details', { testid: 'plan-fixed-lost' }, h('summary', {}, t('plan.fixedLost', { n: p.fixed_unassigned.length })),
      h('ul', {}, [...new Set(p.fixed_unassigned.map((u) => u.reason))].map((r) => h('li', {}, r)))));
  }
  if (p.unplaced.length) {
    out.push(h('section', { testid: 'plan-unplaced', class: 'man-lost' }, h('h3', {}, t('plan.unplaced', { n: p.unplaced.length })),
      h('ul', {}, p.unplaced.map((u) => h('li', {}, u.address, ' — ', u.reason)))));
  }
  if (p.idle.length) out.push(h('p', { testid: 'plan-idle' }, p.idle.map((i) => `${i.name}: ${i.reason}`).join('; ')));
  out.push(h('div', { class: 'row plan-tools' },
    h('button', { type: 'button', class: 'primary', testid: 'plan-choose', disabled: p.chosen, onclick: () => ops.choose(p) }, t('plan.choose')),
    h('button', { type: 'button', testid: 'plan-keep', onclick: () => ops.keep(p) }, t('plan.keep')),
    h('a', { href: '#/slots', class: 'button', testid: 'plan-to-slots' }, t('plan.toSlots'))));
  return out;
}
