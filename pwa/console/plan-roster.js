// The console's roster screen: who is on duty in each slot of the next 14
// days from the date worked on. Each cell is a postman's status in one
// slot; pressing it opens the editor below the table, where the
// supervisor sets leave, off, on duty (Sunday duty, a reliever covering a
// beat) for that slot or the whole day, or goes back to the default. Each
// postman's weekly off day is chosen in their row.
import { h } from '../ui.js';
import { t, date } from '../i18n.js';
import { section, getJSON, getAll, send, problemBox, status, field } from './kit.js';

const STATUS = ['on_duty', 'leave', 'off'];

// addDays is a YYYY-MM-DD date n days on.
export function addDays(d, n) {
  const x = new Date(`${d}T12:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
}

// screen draws the roster from the date worked on.
export async function screen(ctx) {
  const dc = encodeURIComponent(ctx.dc);
  const say = status('plan-roster-status');
  const problems = h('div', { testid: 'plan-roster-problems' });
  const editor = h('div', { testid: 'plan-roster-editor' });
  const body = h('div', { class: 'stack', testid: 'plan-roster-body', 'aria-busy': 'true' });
  const state = { beats: [] };
  const act = async (fn, msg) => {
    problems.replaceChildren();
    try { await fn(); say.say(msg); } catch (err) { problems.replaceChildren(problemBox(err)); say.say(t('plan.refused'), true); }
    await refresh();
  };
  const ops = {
    edit: (p, day, slot) => editor.replaceChildren(entryForm(p, day, slot, state.beats, ops)),
    close: () => editor.replaceChildren(),
    put: (p, day, body) => act(() => send('PUT', `/api/v1/dcs/${dc}/roster/${day}/${encodeURIComponent(p.user_id)}`, body),
      t('plan.saved', { name: p.name, date: date(day) })).then(ops.close),
    reset: (p, day) => act(() => send('DELETE', `/api/v1/dcs/${dc}/roster/${day}/${encodeURIComponent(p.user_id)}`),
      t('plan.reset', { name: p.name, date: date(day) })).then(ops.close),
    weeklyOff: (p, v) => act(() => send('PUT', `/api/v1/dcs/${dc}/roster/weekly-off/${encodeURIComponent(p.user_id)}`,
      { weekday: v === '' ? null : Number(v) }), t('plan.weeklySaved', { name: p.name })),
  };
  const refresh = async () => {
    body.setAttribute('aria-busy', 'true');
    try {
      const [roster, beats] = await Promise.all([
        getJSON(`/api/v1/dcs/${dc}/roster?from=${ctx.date}&to=${addDays(ctx.date, 13)}`),
        getAll(`/api/v1/dcs/${dc}/beats`).then((b) => b.items),
      ]);
      state.beats = beats;
      body.replaceChildren(grid(roster, ops));
    } catch (err) {
      body.replaceChildren(problemBox(err));
    }
    body.setAttribute('aria-busy', 'false');
  };
  await refresh();
  return section('screen-roster', t('plan.roster.title', { date: date(ctx.date) }),
    h('p', {}, t('plan.roster.intro')),
    h('p', {}, h('a', { href: '#/beatplan', testid: 'plan-to-beatplan' }, t('plan.toBeatPlan'))),
    say, problems, body, editor);
}

// grid is the table: a row per postman, a column per date and slot.
function grid(roster, ops) {
  const cols = roster.days.flatMap((d) => d.slots.map((s) => ({ date: d.date, slot: s.slot, s })));
  if (!roster.postmen.length) return h('p', { testid: 'plan-roster-empty' }, t('plan.roster.none'));
  const head = h('tr', {}, h('th', { scope: 'col' }, t('plan.col.postman')), h('th', { scope: 'col' }, t('plan.col.weeklyOff')),
    cols.map((c) => h('th', { scope: 'col', class: 'plan-day' }, dayLabel(c.date), h('br'), t(`slot.${c.slot}`))));
  const rows = roster.postmen.map((p) => h('tr', { testid: `plan-row-${p.user_id}` },
    h('th', { scope: 'row' }, p.name, h('small', { class: 'plan-beat' }, p.home_beat_id || t('plan.reliever'))),
    h('td', {}, weeklyOff(p, ops)),
    cols.map((c) => {
      const d = c.s.postmen.find((x) => x.user_id === p.user_id);
      return h('td', { class: 'plan-cell' }, d ? cell(p, c, d, ops) : '');
    })));
  const total = h('tr', { class: 'plan-total' }, h('th', { scope: 'row', colspan: 2 }, t('plan.col.rostered')),
    cols.map((c) => h('td', { class: 'num', testid: `plan-rostered-${c.date}-${c.slot}` }, String(c.s.rostered))));
  return h('div', { class: 'tablewrap' }, h('table', { testid: 'plan-roster', class: 'plan-roster' },
    h('caption', {}, t('plan.roster.caption', { from: date(roster.from), to: date(roster.to) })),
    h('thead', {}, head), h('tbody', {}, rows, total)));
}

// dayLabel is a short weekday and day of month.
function dayLabel(d) {
  return new Date(`${d}T12:00:00`).toLocaleDateString(document.documentElement.lang || 'en', { weekday: 'short', day: 'numeric', month: 'short' });
}

// cell is a postman's status in one slot, a button opening the editor.
function cell(p, c, d, ops) {
  const label = t(`plan.st.${d.status}`) + (d.covers_beat_id ? ` → ${d.covers_beat_id}` : '');
  return h('button', { type: 'button', class: `plan-st plan-st-${d.status}${d.source === 'entry' ? ' plan-set' : ''}`,
    testid: `plan-cell-${p.user_id}-${c.date}-${c.slot}`, 'data-status': d.status,
    'aria-label': t('plan.cellLabel', { name: p.name, date: date(c.date), slot: t(`slot.${c.slot}`), status: label }),
    title: d.note || null, onclick: () => ops.edit(p, c.date, c.slot) }, label);
}

// weeklyOff is a postman's weekly off day picker.
function weeklyOff(p, ops) {
  const days = [0, 1, 2, 3, 4, 5, 6];
  return h('select', { testid: `plan-weekly-${p.user_id}`, 'aria-label': t('plan.weeklyFor', { name: p.name }),
    onchange: (e) => ops.weeklyOff(p, e.target.value) },
  h('option', { value: '', selected: p.weekly_off == null }, t('plan.weekly.none')),
  days.map((d) => h('option', { value: String(d), selected: p.weekly_off === d }, t(`plan.weekday.${d}`))));
}

// entryForm sets one postman's duty on one date.
function entryForm(p, day, slot, beats, ops) {
  const st = h('select', { testid: 'plan-entry-status' }, STATUS.map((s) => h('option', { value: s }, t(`plan.st.${s}`))));
  const scope = h('select', { testid: 'plan-entry-scope' },
    h('option', { value: 'slot' }, t('plan.scope.slot', { slot: t(`slot.${slot}`) })), h('option', { value: 'day' }, t('plan.scope.day')));
  const covers = h('select', { testid: 'plan-entry-covers' }, h('option', { value: '' }, t('plan.covers.none')),
    beats.filter((b) => b.id !== p.home_beat_id).map((b) => h('option', { value: b.id }, `${b.name} (${b.id})`)));
  const note = h('input', { type: 'text', maxLength: 200, testid: 'plan-entry-note' });
  const save = () => ops.put(p, day, { status: st.value, slots: scope.value === 'slot' ? [slot] : null, note: note.value,
    covers_beat_id: st.value === 'on_duty' ? covers.value : '' });
  return h('form', { class: 'plan-entry', testid: 'plan-entry', onsubmit: (e) => { e.preventDefault(); save(); } },
    h('h3', {}, t('plan.entry.title', { name: p.name, date: date(day) })),
    h('div', { class: 'row' }, field(t('plan.entry.status'), st), field(t('plan.entry.scope'), scope),
      field(t('plan.entry.covers'), covers), field(t('plan.entry.note'), note)),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary', testid: 'plan-entry-save' }, t('plan.entry.save')),
      h('button', { type: 'button', testid: 'plan-entry-reset', onclick: () => ops.reset(p, day) }, t('plan.entry.reset')),
      h('button', { type: 'button', class: 'quiet', testid: 'plan-entry-cancel', onclick: ops.close }, t('plan.entry.cancel'))));
}
