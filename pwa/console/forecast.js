// The forecast (#/forecast): for the centre in the scope bar, tomorrow's
// slots against the roster, then for each slot the next 14 days: the
// articles expected with their 80 % and 95 % intervals (fc-chart.js), and
// the postmen the forecast needs at the calendar's capacity norms next to
// those rostered (GET /dcs/{dc}/roster), understaffed days marked. The
// backtest says how far to trust it. An admin also edits the festival
// calendar the model reads (fc-festivals.js).
import { h } from '../ui.js';
import { t, num, current } from '../i18n.js';
import { section, getJSON, table } from './kit.js';
import { columns } from './charts-svg.js';
import { band } from './fc-chart.js';

const DAYS = 14;
const SLOTS = ['morning', 'evening', 'sunday'];

const fmt = (d, o) => new Date(`${d}T12:00:00`).toLocaleDateString(current() === 'hi' ? 'hi-IN' : 'en-IN', o);
const day = (d) => fmt(d, { weekday: 'short', day: 'numeric', month: 'short' });
const tick = (d) => fmt(d, { weekday: 'short', day: 'numeric' }); // an axis label: Wed 2
const full = (d) => fmt(d, { day: 'numeric', month: 'short', year: 'numeric' });
const one = (v) => num(Math.round(v));

// screen draws the forecast for the centre in the scope bar.
export async function screen(ctx) {
  const dc = encodeURIComponent(ctx.dc);
  const fc = await getJSON(`/api/v1/dcs/${dc}/forecast?days=${DAYS}`);
  const to = fc.dates.at(-1)?.date || fc.from;
  const [roster, bt] = await Promise.all([
    getJSON(`/api/v1/dcs/${dc}/roster?from=${fc.from}&to=${to}`).catch(() => null),
    getJSON(`/api/v1/dcs/${dc}/forecast/backtest`).catch(() => null),
  ]);
  const rows = flatten(fc, roster);
  const festivals = ctx.admin ? await (await import('./fc-festivals.js')).editor(ctx) : null;
  return section('screen-forecast', t('fc.title'),
    h('p', { testid: 'fc-window' }, t('fc.window', { from: day(fc.from), to: day(to), hfrom: full(fc.history_from), hto: full(fc.history_to) })),
    tomorrow(rows.filter((r) => r.date === fc.from)),
    h('div', { class: 'charts' }, SLOTS.filter((sl) => rows.some((r) => r.slot === sl)).map((sl) => slotFigure(sl, rows.filter((r) => r.slot === sl)))),
    numbers(rows), backtest(bt), festivals);
}

// flatten is one row per date and slot, with the roster's count.
function flatten(fc, roster) {
  const rostered = new Map();
  for (const d of roster?.days || []) for (const s of d.slots) rostered.set(`${d.date}/${s.slot}`, s.rostered);
  return fc.dates.flatMap((d) => d.slots.map((s) => {
    const r = rostered.get(`${d.date}/${s.slot}`) ?? s.rostered;
    return { ...s, date: d.date, rostered: r, short: r != null && r < s.postmen_needed,
      lo80: s.services.reduce((a, v) => a + v.lo80, 0), lo95: s.services.reduce((a, v) => a + v.lo95, 0),
      hi95: s.services.reduce((a, v) => a + v.hi95, 0) };
  }));
}

// tomorrow is the first date's slots in words: what is expected, who is needed, who is rostered.
function tomorrow(rows) {
  return h('section', { class: 'fc-tomorrow', testid: 'fc-tomorrow', 'aria-labelledby': 'fc-tomorrow-h' },
    h('h3', { id: 'fc-tomorrow-h' }, t('fc.tomorrow', { date: rows[0] ? day(rows[0].date) : '' })),
    rows.length ? h('ul', {}, rows.map((r) => h('li', { testid: `fc-tomorrow-${r.slot}`, class: r.short ? 'fc-short' : null },
      h('strong', {}, t(`slot.${r.slot}`)), ' ',
      t('fc.tomorrow.line', { n: one(r.expected), lo: one(r.lo80), hi: one(r.hi80), need: r.postmen_needed, rostered: r.rostered ?? '—' }),
      r.short ? h('span', { class: 'fc-flag', testid: `fc-short-${r.slot}` }, ` ${t('fc.short', { n: r.postmen_needed - r.rostered })}`) : null)))
      : h('p', {}, t('fc.noslots')));
}

// slotFigure is one slot's two pictures: articles with bands, postmen needed vs rostered.
function slotFigure(sl, rows) {
  const points = rows.map((r) => ({ label: tick(r.date), expected: r.expected, lo80: r.lo80, hi80: r.hi80, lo95: r.lo95, hi95: r.hi95, short: r.short,
    title: t('fc.point', { date: day(r.date), n: one(r.expected), lo: one(r.lo80), hi: one(r.hi80) }) }));
  const total = rows.reduce((a, r) => a + r.expected, 0);
  const shortDays = rows.filter((r) => r.short);
  const groups = rows.map((r) => ({ label: tick(r.date), bars: [
    { value: r.postmen_needed, cls: r.short ? 's-morning' : 't-out', title: t('fc.bar.needed', { date: day(r.date), n: r.postmen_needed }) },
    { value: r.rostered || 0, cls: 's-sunday', title: t('fc.bar.rostered', { date: day(r.date), n: r.rostered ?? 0 }) },
  ] }));
  return h('section', { class: 'chart', testid: `fc-slot-${sl}`, 'aria-labelledby': `fc-slot-${sl}-h` },
    h('h3', { id: `fc-slot-${sl}-h` }, t('fc.slot.h', { slot: t(`slot.${sl}`) })),
    band(points, { label: t('fc.band.aria', { slot: t(`slot.${sl}`), n: one(total), days: rows.length }), testid: `fc-band-${sl}`, fmt: num, axis: t('fc.axis.articles') }),
    h('ul', { class: 'chart-legend' },
      h('li', {}, h('span', { class: 'chart-swatch fc-pt', 'aria-hidden': 'true' }), t('fc.legend.expected')),
      h('li', {}, h('span', { class: 'chart-swatch fc-b80', 'aria-hidden': 'true' }), t('fc.legend.80')),
      h('li', {}, h('span', { class: 'chart-swatch fc-b95', 'aria-hidden': 'true' }), t('fc.legend.95'))),
    columns(groups, { label: t('fc.staff.aria', { slot: t(`slot.${sl}`), short: shortDays.length, days: rows.length }), testid: `fc-staff-${sl}`,
      fmt: num, axis: t('fc.axis.postmen'), height: 220 }),
    h('ul', { class: 'chart-legend' },
      h('li', {}, h('span', { class: 'chart-swatch t-out', 'aria-hidden': 'true' }), t('fc.legend.needed')),
      h('li', {}, h('span', { class: 'chart-swatch s-sunday', 'aria-hidden': 'true' }), t('fc.legend.rostered')),
      h('li', {}, h('span', { class: 'chart-swatch s-morning', 'aria-hidden': 'true' }), t('fc.legend.short'))));
}

// numbers is every date and slot as a table, understaffed rows marked.
function numbers(rows) {
  return h('details', { testid: 'fc-numbers' }, h('summary', {}, t('fc.numbers')), table([
    { label: t('fc.col.date'), value: (r) => day(r.date) },
    { label: t('fc.col.slot'), value: (r) => t(`slot.${r.slot}`) },
    { label: t('fc.col.expected'), num: true, value: (r) => one(r.expected) },
    { label: t('fc.col.range'), num: true, value: (r) => `${one(r.lo80)}–${one(r.hi80)}` },
    { label: t('fc.col.letters'), num: true, value: (r) => one(r.letter_equivalents) },
    { label: t('fc.col.needed'), num: true, value: (r) => num(r.postmen_needed) },
    { label: t('fc.col.rostered'), num: true, value: (r) => (r.rostered == null ? '—' : num(r.rostered)) },
    { label: t('fc.col.state'), value: (r) => (r.short ? t('fc.state.short') : t('fc.state.ok')) },
  ], rows, { testid: 'fc-table', rowid: (r) => `fc-row-${r.date}-${r.slot}`, rowclass: (r) => (r.short ? 'fc-short' : null) }));
}

// backtest says how the model did on the centre's own history.
function backtest(bt) {
  if (!bt) return h('p', { testid: 'fc-backtest' }, t('fc.backtest.none'));
  return h('p', { testid: 'fc-backtest' }, t('fc.backtest', { folds: bt.folds.length, days: bt.horizon,
    mase: bt.mase.toFixed(2), smape: bt.smape.toFixed(1), naive: bt.naive_mase.toFixed(2) }));
}
