// One postman's settlement for a slot, on the cash screen: what they owe
// and handed over, the ledger of entries, the handover form, the closing
// (final: afterwards only corrections are offered) and the correction form
// (a new entry naming the one it corrects, with a reason). Each form sends
// with an Idempotency-Key made once per submission: a double click or a
// retry of the same values after a failure reuses it, so the server adds
// the cash once.
import { h, uuid } from '../ui.js';
import { t, money, time } from '../i18n.js';
import { send, field, problemBox, table } from './kit.js';

// diff says a difference in words, with a sign that is not only a colour:
// short (handed over less than expected), over, balanced, or not counted.
export function diff(paise, counted) {
  if (!counted) return h('span', { class: 'cash-diff cash-pending' }, t('cash.diff.pending'));
  if (paise < 0) return h('span', { class: 'cash-diff cash-short' }, `▼ ${t('cash.diff.short', { amount: money(-paise) })}`);
  if (paise > 0) return h('span', { class: 'cash-diff cash-over' }, `▲ ${t('cash.diff.over', { amount: money(paise) })}`);
  return h('span', { class: 'cash-diff cash-even' }, `✓ ${t('cash.diff.even')}`);
}

const base = (ctx) => `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/cod/settlements`;

// settlement draws line's postman's settlement; redraw(msg) reloads the
// screen and says msg.
export function settlement(ctx, line, data, redraw) {
  const name = data.names.get(line.postman_id) || line.postman_id;
  const entries = data.entries.filter((e) => e.postman_id === line.postman_id);
  const heading = h('h3', { id: 'cash-panel-h', tabindex: -1 }, t('cash.panel.h', { name }));
  return h('section', { class: 'cash-panel', testid: 'cash-panel', 'aria-labelledby': 'cash-panel-h' },
    heading,
    facts(line),
    ledger(entries, data.names),
    line.closed ? h('p', { class: 'cash-final', testid: 'cash-closed' },
      t('cash.closed', { time: time(line.closed_at) })) : handover(ctx, line, name, redraw),
    line.closed ? null : closer(ctx, entries, name, redraw),
    entries.length ? correction(ctx, line, entries, name, redraw) : null);
}

function facts(line) {
  const item = (k, v, id) => [h('dt', {}, t(k)), h('dd', { testid: id }, v)];
  return h('dl', { class: 'cash-facts' },
    item('cash.col.expected', money(line.expected_cash_paise), 'cash-panel-expected'),
    item('cash.col.collected', money(line.cash_collected_paise ?? 0), 'cash-panel-collected'),
    item('cash.col.upi', money(line.upi_collected_paise), 'cash-panel-upi'),
    item('cash.col.settled', money(line.settled_cash_paise), 'cash-panel-settled'),
    item('cash.col.diff', diff(line.difference_paise, line.settlements > 0), 'cash-panel-diff'));
}

function ledger(entries, names) {
  const when = (id) => entries.find((e) => e.id === id);
  return table([
    { label: t('cash.entry.at'), value: (e) => time(e.at) },
    { label: t('cash.entry.amount'), num: true, value: (e) => money(e.cash_received_paise) },
    { label: t('cash.entry.kind'), value: (e) => (e.correction_of
      ? t('cash.entry.fix', { time: when(e.correction_of) ? time(when(e.correction_of).at) : '' }) : t('cash.entry.handover')) },
    { label: t('cash.entry.note'), value: (e) => e.note || '' },
    { label: t('cash.entry.by'), value: (e) => names.get(e.settled_by) || e.settled_by },
    { label: t('cash.entry.after'), value: (e) => diff(e.difference_paise, true) },
  ], entries, { testid: 'cash-ledger', rowid: (e) => `cash-entry-${e.id}`, caption: t('cash.ledger.caption'), empty: t('cash.ledger.empty') });
}

// rupees reads "449", "449.5" or "-12.25" as paise (NaN when it is not an
// amount; negative only when allowed).
function rupees(text, negative) {
  const s = text.trim().replace(/,/g, '');
  if (!(negative ? /^-?\d{1,7}(\.\d{1,2})?$/ : /^\d{1,7}(\.\d{1,2})?$/).test(s)) return NaN;
  return Math.round(Number(s) * 100);
}

// once sends a form's body as one settlement: while it runs, further
// submits are ignored; the same values sent again after a failure reuse
// the key, other values get a new one.
function once(ctx) {
  let pending = null;
  let busy = false;
  return async (body) => {
    if (busy) return null;
    const text = JSON.stringify(body);
    if (pending?.text !== text) pending = { text, key: uuid() };
    busy = true;
    try {
      const got = await send('POST', base(ctx), body, { key: pending.key });
      pending = null;
      return got;
    } finally { busy = false; }
  };
}

// form wires a submit that reads values, sends once and reports.
function form(testid, title, controls, submitLabel, submitId, act) {
  const out = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', testid: submitId }, submitLabel);
  const el = h('form', { testid, class: 'cash-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    submit.disabled = true;
    try {
      await act(out);
    } catch (err) {
      out.replaceChildren(problemBox(err));
    } finally { submit.disabled = false; }
  } }, h('fieldset', {}, h('legend', {}, title), controls, submit), out);
  return el;
}

const bad = (out, msg) => out.replaceChildren(h('p', { class: 'error', role: 'alert', testid: 'cash-invalid' }, msg));

function handover(ctx, line, name, redraw) {
  const amount = h('input', { testid: 'cash-amount', inputmode: 'decimal', autocomplete: 'off', required: true });
  const note = h('input', { testid: 'cash-note', maxlength: 500, autocomplete: 'off' });
  const post = once(ctx);
  return form('cash-handover', t('cash.handover.h'), [
    field(t('cash.handover.amount'), amount, line.difference_paise < 0 ? t('cash.handover.hint', { amount: money(-line.difference_paise) }) : null),
    field(t('cash.handover.note'), note),
  ], t('cash.handover.submit'), 'cash-record', async (out) => {
    const paise = rupees(amount.value, false);
    if (Number.isNaN(paise)) { bad(out, t('cash.amount.bad')); amount.focus(); return; }
    const got = await post({ postman_id: line.postman_id, date: ctx.date, slot: ctx.slot, cash_received_paise: paise, note: note.value.trim() || undefined });
    if (got) await redraw(t('cash.recorded', { amount: money(got.cash_received_paise), name, diff: diff(got.difference_paise, true).textContent }));
  });
}

function closer(ctx, entries, name, redraw) {
  const last = entries[entries.length - 1];
  const box = h('div', { class: 'cash-close', testid: 'cash-close-box' });
  const ask = h('button', { type: 'button', testid: 'cash-close', disabled: !last, onclick: () => {
    box.replaceChildren(h('p', { role: 'alert' }, t('cash.close.warn', { name })),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', testid: 'cash-close-confirm', onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            await send('POST', `${base(ctx)}/${encodeURIComponent(last.id)}/close`);
            await redraw(t('cash.close.done', { name }));
            document.getElementById('cash-panel-h')?.focus();
          } catch (err) { box.append(problemBox(err)); ev.target.disabled = false; }
        } }, t('cash.close.yes')),
        h('button', { type: 'button', class: 'quiet', testid: 'cash-close-cancel', onclick: () => { box.replaceChildren(ask); ask.focus(); } },
          t('cash.close.no'))));
    box.querySelector('[data-testid=cash-close-confirm]').focus();
  } }, t('cash.close'));
  box.append(ask);
  if (!last) box.append(h('small', {}, t('cash.close.first')));
  return box;
}

function correction(ctx, line, entries, name, redraw) {
  const plain = entries.filter((e) => !e.correction_of).at(-1) || entries.at(-1);
  const of = h('select', { testid: 'cash-fix-of' }, entries.map((e) => h('option', { value: e.id, selected: e === plain },
    t('cash.fix.option', { time: time(e.at), amount: money(e.cash_received_paise) }))));
  const amount = h('input', { testid: 'cash-fix-amount', inputmode: 'decimal', autocomplete: 'off', required: true });
  const reason = h('input', { testid: 'cash-fix-reason', maxlength: 500, autocomplete: 'off', required: true });
  const post = once(ctx);
  return form('cash-correction', t('cash.fix.h'), [
    field(t('cash.fix.of'), of), field(t('cash.fix.amount'), amount, t('cash.fix.hint')), field(t('cash.fix.reason'), reason),
  ], t('cash.fix.submit'), 'cash-fix-submit', async (out) => {
    const paise = rupees(amount.value, true);
    if (Number.isNaN(paise) || paise === 0) { bad(out, t('cash.amount.bad')); amount.focus(); return; }
    if (!reason.value.trim()) { bad(out, t('cash.fix.noreason')); reason.focus(); return; }
    const got = await post({ postman_id: line.postman_id, date: ctx.date, slot: ctx.slot, cash_received_paise: paise,
      note: reason.value.trim(), correction_of: of.value });
    if (got) await redraw(t('cash.fixed', { amount: money(got.cash_received_paise), name, diff: diff(got.difference_paise, true).textContent }));
  });
}
