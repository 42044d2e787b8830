// The console's pictures (#/charts), from GET /dcs/{dc}/stats for the last
// 14 days: deliveries per slot per day (grouped bars), first-attempt
// success per beat, failure reasons in words, and when in its slot each
// delivery was made (a histogram). Each picture is drawn by charts-svg.js,
// says what it shows in its aria-label, and keeps its numbers in a table
// under <details>; a picture with nothing to show is a sentence instead.
import { h } from '../ui.js';
import { t, num, current } from '../i18n.js';
import { section, getJSON, getAll, table } from './kit.js';
import { columns, rows } from './charts-svg.js';

const DAYS = 14;
const SLOTS = ['morning', 'evening', 'sunday'];

// screen draws the pictures for the centre in the scope bar.
export async function screen(ctx) {
  const dc = encodeURIComponent(ctx.dc);
  const [stats, beats] = await Promise.all([
    getJSON(`/api/v1/dcs/${dc}/stats?days=${DAYS}`),
    getAll(`/api/v1/dcs/${dc}/beats`).catch(() => ({ items: [] })),
  ]);
  const beatName = new Map(beats.items.map((b) => [b.id, b.name]));
  return section('screen-charts', t('chart.title'),
    h('p', { testid: 'chart-window' }, t('chart.window', { n: DAYS, from: day(stats.from), to: day(stats.to) })),
    h('div', { class: 'charts' },
      perSlot(stats.per_slot), firstAttempt(stats.first_attempt, beatName), reasons(stats.failure_reasons), timeInSlot(stats.time_in_slot)));
}

// day writes a date short: 25 Nov.
const day = (d) => new Date(`${d}T12:00:00`).toLocaleDateString(current() === 'hi' ? 'hi-IN' : 'en-IN', { day: 'numeric', month: 'short' });
const pct = (r) => `${num(Math.round(r * 100))}%`;

// figure is one picture: its heading, the drawing (or the sentence when
// empty), a legend and its numbers as a table.
function figure(name, title, drawing, empty, numbers, legend) {
  return h('section', { class: 'chart', testid: `chart-${name}`, 'aria-labelledby': `chart-${name}-h` },
    h('h3', { id: `chart-${name}-h` }, title),
    drawing || h('p', { testid: `chart-${name}-empty`, class: 'chart-empty' }, empty),
    drawing ? legend : null,
    drawing ? h('details', { testid: `chart-${name}-numbers` }, h('summary', {}, t('chart.numbers')), numbers()) : null);
}

function legend(items) {
  return h('ul', { class: 'chart-legend' }, items.map(([cls, label]) =>
    h('li', {}, h('span', { class: `chart-swatch ${cls}`, 'aria-hidden': 'true' }), label)));
}

function perSlot(perSlotRows) {
  const slots = SLOTS.filter((sl) => perSlotRows.some((r) => r.slot === sl));
  const dates = [...new Set(perSlotRows.map((r) => r.date))].sort();
  const total = perSlotRows.reduce((a, r) => a + r.delivered, 0);
  let drawing = null;
  if (total > 0) {
    const byDay = dates.map((d) => ({ d, n: perSlotRows.filter((r) => r.date === d).reduce((a, r) => a + r.delivered, 0) }));
    const best = byDay.reduce((a, b) => (b.n > a.n ? b : a));
    const groups = dates.map((d) => ({ label: day(d), bars: slots.map((sl) => {
      const v = perSlotRows.find((r) => r.date === d && r.slot === sl)?.delivered || 0;
      return { value: v, cls: `s-${sl}`, title: t('chart.perslot.bar', { date: day(d), slot: t(`slot.${sl}`), n: v }) };
    }) }));
    drawing = columns(groups, { label: t('chart.perslot.aria', { n: total, days: dates.length, date: day(best.d), best: best.n }),
      testid: 'chart-perslot-svg', fmt: num, axis: t('chart.perslot.axis'), every: dates.length > 16 ? 2 : 1 });
  }
  return figure('perslot', t('chart.perslot.h'), drawing, t('chart.perslot.empty'), () => table([
    { label: t('chart.col.date'), value: (r) => day(r.date) },
    { label: t('chart.col.slot'), value: (r) => t(`slot.${r.slot}`) },
    { label: t('chart.col.delivered'), num: true, value: (r) => num(r.delivered) },
    { label: t('chart.col.failed'), num: true, value: (r) => num(r.failed) },
  ], perSlotRows, { testid: 'chart-perslot-table' }), legend(slots.map((sl) => [`s-${sl}`, t(`slot.${sl}`)])));
}

function firstAttempt(beats, beatName) {
  const name = (id) => (id ? beatName.get(id) || id : t('chart.beat.none'));
  const sorted = [...beats].sort((a, b) => b.rate - a.rate || name(a.beat_id).localeCompare(name(b.beat_id)));
  let drawing = null;
  if (sorted.length) {
    const items = sorted.map((b) => ({ label: name(b.beat_id), value: b.rate, cls: 'b-rate',
      text: t('chart.first.value', { pct: pct(b.rate), delivered: b.delivered, n: b.first_attempts }) }));
    const lo = sorted[sorted.length - 1];
    drawing = rows(items, { label: t('chart.first.aria', { n: sorted.length, best: name(sorted[0].beat_id), bestpct: pct(sorted[0].rate),
      worst: name(lo.beat_id), worstpct: pct(lo.rate) }), testid: 'chart-first-svg', max: 1, fmt: pct });
  }
  return figure('first', t('chart.first.h'), drawing, t('chart.first.empty'), () => table([
    { label: t('chart.col.beat'), value: (b) => name(b.beat_id) },
    { label: t('chart.col.attempts'), num: true, value: (b) => num(b.first_attempts) },
    { label: t('chart.col.firstok'), num: true, value: (b) => num(b.delivered) },
    { label: t('chart.col.rate'), num: true, value: (b) => pct(b.rate) },
  ], sorted, { testid: 'chart-first-table' }));
}

function reasons(list) {
  // In words from the postman's book (reason.NN), the server's label else.
  const word = (r) => { const k = `reason.${r.code}`; const w = t(k); return w === k ? r.label || r.code : w; };
  let drawing = null;
  if (list.length) {
    const total = list.reduce((a, r) => a + r.count, 0);
    drawing = rows(list.map((r) => ({ label: word(r), value: r.count, cls: 'r-count', text: t('chart.reasons.value', { n: r.count }) })),
      { label: t('chart.reasons.aria', { n: total, kinds: list.length, top: word(list[0]), topn: list[0].count }), testid: 'chart-reasons-svg', fmt: num });
  }
  return figure('reasons', t('chart.reasons.h'), drawing, t('chart.reasons.empty'), () => table([
    { label: t('chart.col.reason'), value: word },
    { label: t('chart.col.count'), num: true, value: (r) => num(r.count) },
  ], list, { testid: 'chart-reasons-table' }));
}

// timeBars are the histogram's bars: before the start, each 15 minutes,
// after the end; tick is the axis's short label (a bucket's start).
function timeBars(tis) {
  const m = tis.bucket_minutes;
  return [
    { label: t('chart.time.before'), tick: t('chart.time.before'), value: tis.before_start, cls: 't-out' },
    ...tis.buckets.map((v, i) => ({ label: `${num(i * m)}–${num((i + 1) * m)}`, tick: num(i * m), value: v, cls: 't-in' })),
    { label: t('chart.time.after'), tick: t('chart.time.after'), value: tis.after_end, cls: 't-out' },
  ];
}

function timeInSlot(tis) {
  const bars = timeBars(tis);
  const total = bars.reduce((a, b) => a + b.value, 0);
  let drawing = null;
  if (total > 0) {
    const top = bars.reduce((a, b) => (b.value > a.value ? b : a));
    drawing = columns(bars.map((b) => ({ label: b.tick, bars: [{ value: b.value, cls: b.cls,
      title: t('chart.time.bar', { range: b.label, n: b.value }) }] })),
    { label: t('chart.time.aria', { n: total, range: top.label, top: top.value, before: tis.before_start, after: tis.after_end }),
      testid: 'chart-time-svg', fmt: num, axis: t('chart.time.axis'), every: bars.length > 26 ? 2 : 1 });
  }
  return figure('time', t('chart.time.h'), drawing, t('chart.time.empty'), () => table([
    { label: t('chart.col.minutes'), value: (b) => b.label },
    { label: t('chart.col.deliveries'), num: true, value: (b) => num(b.value) },
  ], bars, { testid: 'chart-time-table' }), legend([['t-in', t('chart.time.in')], ['t-out', t('chart.time.out')]]));
}
