// Admin › calendar of the chosen centre: each slot's window and cut-off,
// the capacity of one postman per slot, Sunday delivery and the holidays.
// The form checks what it can before sending the whole calendar (PUT
// replaces it); the server's field errors are shown on the same fields.
import { h } from '../ui.js';
import { t, date } from '../i18n.js';
import { getJSON, send, field } from './kit.js';
import { sub, form, invalid } from './adm-kit.js';

const SLOTS = ['morning', 'evening', 'sunday'];

// view draws the centre's calendar as a form.
export async function view(ctx) {
  if (!ctx.dc) return h('p', { testid: 'adm-cal-nodc' }, t('adm.dc.none'));
  const path = `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/calendar`;
  const cal = await getJSON(path);
  const days = holidayList(cal.holidays);
  const kids = [
    h('p', {}, t('adm.cal.tz', { tz: cal.time_zone })),
    windows(cal),
    h('div', { class: 'field adm-check' }, h('input', { type: 'checkbox', name: 'sunday_delivery', id: 'adm-cal-sunday', testid: 'adm-cal-sunday',
      checked: cal.sunday_delivery }), h('label', { for: 'adm-cal-sunday' }, t('adm.cal.sunday'))),
    days.el,
  ];
  const f = form('adm-cal-form', t('adm.cal.save'), kids, async (el) => {
    const body = read(el, days.dates);
    check(body);
    const saved = await send('PUT', path, body);
    days.set(saved.holidays);
    return t('adm.cal.saved', { dc: ctx.dc });
  });
  return sub('adm-cal', t('adm.cal.title', { dc: ctx.dc }), f);
}

// holidayList is the holidays being edited: el (their list, a date and
// Add), dates (the dates, sorted) and set(dates) to draw others.
function holidayList(initial) {
  const dates = [...initial];
  const list = h('ul', { class: 'plain adm-holidays', testid: 'adm-cal-holidays', 'aria-live': 'polite' });
  const draw = () => list.replaceChildren(...(dates.length ? dates.map((d) => h('li', { testid: `adm-cal-holiday-${d}` },
    h('span', {}, date(d)), ' ', h('code', {}, d), ' ',
    h('button', { type: 'button', class: 'quiet', testid: `adm-cal-remove-${d}`, 'aria-label': t('adm.cal.removeDay', { day: d }),
      onclick: () => { dates.splice(dates.indexOf(d), 1); draw(); } }, t('adm.cal.remove'))))
    : [h('li', { testid: 'adm-cal-noholidays' }, t('adm.cal.noHolidays'))]));
  const day = h('input', { type: 'date', name: 'holidays', testid: 'adm-cal-day' });
  const add = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day.value)) { day.setAttribute('aria-invalid', 'true'); day.focus(); return; }
    day.removeAttribute('aria-invalid');
    if (!dates.includes(day.value)) dates.push(day.value);
    dates.sort();
    day.value = '';
    draw();
  };
  draw();
  const el = h('fieldset', { class: 'adm-fieldset' }, h('legend', {}, t('adm.cal.holidays')), list,
    h('div', { class: 'row adm-addday' }, field(t('adm.cal.day'), day),
      h('button', { type: 'button', class: 'quiet', testid: 'adm-cal-add', onclick: add }, t('adm.cal.add'))));
  return { el, dates, set: (ds) => { dates.splice(0, dates.length, ...ds); draw(); } };
}

// windows is the table of each slot's start, end, cut-off and capacity.
function windows(cal) {
  const cell = (name, attrs) => h('td', {}, h('input', { name, testid: `adm-cal-${name.replaceAll('.', '-')}`, 'aria-label': attrs.label, ...attrs.input }));
  const head = ['adm.cal.slot', 'adm.cal.start', 'adm.cal.end', 'adm.cal.cutoff', 'adm.cal.capacity'];
  return h('div', { class: 'tablewrap' }, h('table', { testid: 'adm-cal-windows' },
    h('caption', {}, t('adm.cal.windows')),
    h('thead', {}, h('tr', {}, head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, SLOTS.map((s) => {
      const w = cal.windows[s];
      const slot = t(`slot.${s}`);
      return h('tr', { testid: `adm-cal-row-${s}` }, h('th', { scope: 'row' }, slot),
        cell(`windows.${s}.start`, { label: `${slot}: ${t('adm.cal.start')}`, input: { type: 'time', value: w.start, required: true } }),
        cell(`windows.${s}.end`, { label: `${slot}: ${t('adm.cal.end')}`, input: { type: 'time', value: w.end, required: true } }),
        cell(`windows.${s}.cutoff_minutes`, { label: `${slot}: ${t('adm.cal.cutoff')}`, input: { type: 'number', min: 0, max: 2880, step: 1, value: w.cutoff_minutes } }),
        cell(`capacity.${s}`, { label: `${slot}: ${t('adm.cal.capacity')}`, input: { type: 'number', min: 1, max: 1000, step: 1, value: cal.capacity[s] } }));
    }))));
}

// read gathers the form into the calendar PUT takes.
function read(el, holidays) {
  const v = (n) => el.elements.namedItem(n).value.trim();
  const body = { windows: {}, capacity: {}, sunday_delivery: el.elements.namedItem('sunday_delivery').checked, holidays: [...holidays] };
  for (const s of SLOTS) {
    body.windows[s] = { start: v(`windows.${s}.start`), end: v(`windows.${s}.end`), cutoff_minutes: Number(v(`windows.${s}.cutoff_minutes`)) };
    body.capacity[s] = Number(v(`capacity.${s}`));
  }
  return body;
}

const minutes = (hhmm) => (/^\d{2}:\d{2}$/.test(hhmm) ? Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) : -1);

// check refuses what the server would, with the server's field names.
function check(b) {
  const errors = [];
  for (const s of SLOTS) {
    const w = b.windows[s];
    const [a, z] = [minutes(w.start), minutes(w.end)];
    if (a < 0 || z < 0) errors.push({ field: `windows.${s}`, message: t('adm.err.hhmm') });
    else if (z <= a) errors.push({ field: `windows.${s}`, message: t('adm.err.order') });
    if (!Number.isInteger(w.cutoff_minutes) || w.cutoff_minutes < 0 || w.cutoff_minutes > 2880) {
      errors.push({ field: `windows.${s}.cutoff_minutes`, message: t('adm.err.cutoff') });
    }
    const n = b.capacity[s];
    if (!Number.isInteger(n) || n < 1 || n > 1000) errors.push({ field: `capacity.${s}`, message: t('adm.err.capacity') });
  }
  if (!errors.length && minutes(b.windows.morning.end) > minutes(b.windows.evening.start)) {
    errors.push({ field: 'windows.evening', message: t('adm.err.evening') });
  }
  if (errors.length) throw invalid(errors);
}
