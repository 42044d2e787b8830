// The console's cash screen (#/cash, #/cash/<postman id>): for the date and
// slot in the scope bar, each postman's cash on delivery, expected against
// collected (cash and UPI apart) and handed over, with each difference
// said in words (short, over, balanced); the centre's day per slot; the
// ledger as a CSV file. Opening a postman shows their settlement
// (cash-settle.js): the handover, the closing, the corrections.
import { h } from '../ui.js';
import { t, money, num, date } from '../i18n.js';
import { section, getJSON, getAll, fetchBlob, download, problemBox, status, table } from './kit.js';
import { settlement, diff } from './cash-settle.js';

// screen draws the cash screen; a postman's id in the address opens their
// settlement below the slot's table.
export async function screen(ctx) {
  const say = status('cash-status');
  const body = h('div', { testid: 'cash-body' });
  const redraw = async (msg, bad) => {
    const focus = document.activeElement?.dataset?.testid;
    body.replaceChildren(await draw(ctx, redraw).catch(problemBox));
    if (focus) body.querySelector(`[data-testid="${focus}"]`)?.focus();
    if (msg) say.say(msg, bad);
  };
  await redraw();
  return section('screen-cash', t('cash.title'),
    h('p', {}, t('cash.scope', { dc: ctx.dc, date: date(ctx.date), slot: t(`slot.${ctx.slot}`) })), say, body);
}

// load fetches the slot's lines and ledger, the day and the staff at once.
async function load(ctx) {
  const dc = encodeURIComponent(ctx.dc);
  const q = `date=${ctx.date}&slot=${ctx.slot}`;
  const [lines, ledger, day, staff] = await Promise.all([
    getJSON(`/api/v1/dcs/${dc}/cod?${q}`),
    getJSON(`/api/v1/dcs/${dc}/cod/settlements?${q}`),
    getJSON(`/api/v1/dcs/${dc}/cod/day?date=${ctx.date}`),
    getAll(`/api/v1/users?dc_id=${dc}`).catch(() => ({ items: [] })),
  ]);
  const names = new Map(staff.items.map((u) => [u.id, u.name || u.username]));
  return { lines: lines.items, entries: ledger.items, day, names };
}

async function draw(ctx, redraw) {
  const data = await load(ctx);
  const chosen = data.lines.find((l) => l.postman_id === ctx.parts[1]);
  return h('div', {},
    h('h3', {}, t('cash.slot.h', { slot: t(`slot.${ctx.slot}`) })),
    linesTable(data, chosen),
    h('div', { class: 'row cash-actions' }, csvButton(ctx)),
    chosen ? settlement(ctx, chosen, data, redraw) : null,
    h('h3', {}, t('cash.day.h', { date: date(ctx.date) })),
    dayTable(data.day));
}

const cell = (id, what, v) => h('span', { testid: `cash-${what}-${id}` }, v);

function linesTable(data, chosen) {
  const id = (l) => l.postman_id;
  const cols = [
    { label: t('cash.col.postman'), value: (l) => h('a', { href: `#/cash/${encodeURIComponent(l.postman_id)}`, testid: `cash-open-${l.postman_id}`,
      'aria-current': l === chosen ? 'true' : null }, data.names.get(l.postman_id) || l.postman_id) },
    { label: t('cash.col.delivered'), num: true, value: (l) => num(l.cod_delivered) },
    { label: t('cash.col.expected'), num: true, value: (l) => cell(id(l), 'expected', money(l.expected_cash_paise)) },
    { label: t('cash.col.collected'), num: true, value: (l) => cell(id(l), 'collected', money(l.cash_collected_paise ?? 0)) },
    { label: t('cash.col.upi'), num: true, value: (l) => cell(id(l), 'upi', money(l.upi_collected_paise)) },
    { label: t('cash.col.upiopen'), num: true, value: (l) => cell(id(l), 'upiopen', money(l.upi_unconfirmed_paise ?? 0)) },
    { label: t('cash.col.settled'), num: true, value: (l) => cell(id(l), 'settled', money(l.settled_cash_paise)) },
    { label: t('cash.col.diff'), value: (l) => cell(id(l), 'diff', diff(l.difference_paise, l.settlements > 0)) },
    { label: t('cash.col.state'), value: (l) => cell(id(l), 'state', t(l.closed ? 'cash.state.closed' : 'cash.state.open')) },
  ];
  return table(cols, data.lines, { testid: 'cash-lines', rowid: (l) => `cash-line-${l.postman_id}`, empty: t('cash.lines.empty'),
    rowclass: (l) => (l === chosen ? 'cash-chosen' : null), caption: t('cash.lines.caption') });
}

function csvButton(ctx) {
  const b = h('button', { type: 'button', testid: 'cash-csv', onclick: async () => {
    b.disabled = true;
    try {
      const blob = await fetchBlob(`/api/v1/dcs/${encodeURIComponent(ctx.dc)}/cod?date=${ctx.date}&slot=${ctx.slot}&format=csv`, 'text/csv');
      download(`cod-${ctx.dc}-${ctx.date}-${ctx.slot}.csv`, blob);
    } catch (err) {
      b.after(problemBox(err));
    } finally { b.disabled = false; }
  } }, t('cash.csv'));
  return b;
}

function dayTable(day) {
  const rows = [...day.slots, { ...day.total, slot: '' }];
  const cols = [
    { label: t('cash.col.slot'), value: (r) => (r.slot ? t(`slot.${r.slot}`) : h('strong', {}, t('cash.day.total'))) },
    { label: t('cash.col.postmen'), num: true, value: (r) => num(r.postmen) },
    { label: t('cash.col.delivered'), num: true, value: (r) => num(r.cod_delivered) },
    { label: t('cash.col.expected'), num: true, value: (r) => money(r.expected_cash_paise) },
    { label: t('cash.col.collected'), num: true, value: (r) => money(r.cash_collected_paise) },
    { label: t('cash.col.upiok'), num: true, value: (r) => money(r.upi_confirmed_paise) },
    { label: t('cash.col.upiopen'), num: true, value: (r) => money(r.upi_unconfirmed_paise) },
    { label: t('cash.col.settled'), num: true, value: (r) => money(r.settled_cash_paise) },
    { label: t('cash.col.diff'), value: (r) => diff(r.difference_paise, true) },
    { label: t('cash.col.closed'), value: (r) => t('cash.day.closed', { closed: r.closed, n: r.closed + r.open }) },
  ];
  if (!day.slots.length) return h('p', { testid: 'cash-day-empty' }, t('cash.day.empty'));
  return table(cols, rows, { testid: 'cash-day', rowid: (r) => `cash-day-${r.slot || 'total'}`, caption: t('cash.day.caption') });
}
