// The supervisor's actions on an article's page: give it another slot,
// hold it at the counter, return it to the sender (with a reason). Only
// what the article's status allows is offered; a refusal is shown as the
// server gave it, and a success draws the page again with what was done.
import { h } from '../ui.js';
import { t, time } from '../i18n.js';
import { send, field, problemBox } from './kit.js';
import { CAN, REASONS, reasonWord, slotText, statusWord } from './art-words.js';

let flash = null;

// takeFlash returns (once) what was just done to article id, for the page
// drawn after it.
export function takeFlash(id) {
  const f = flash?.id === id ? flash.text : '';
  flash = null;
  return f;
}

// run sends one action; on success it keeps what to say and draws the page
// again, on refusal it shows why in out and lets the form be used again.
async function run(ctx, a, form, out, said, call) {
  const buttons = form.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  out.replaceChildren();
  try {
    await call();
    flash = { id: a.id, text: said };
    ctx.render();
  } catch (err) {
    out.replaceChildren(problemBox(err));
    buttons.forEach((b) => { b.disabled = false; });
  }
}

const path = (a, what) => `/api/v1/articles/${encodeURIComponent(a.id)}/${what}`;

// slotForm offers the centre's open slots other than the article's own.
function slotForm(ctx, a, slots) {
  if (!a.beat_id) return h('p', { testid: 'art-slot-nobeat' }, t('art.slot.nobeat'));
  const cur = a.schedule ? `${a.schedule.date}/${a.schedule.slot}` : '';
  const options = slots.filter((s) => s.open && `${s.date}/${s.slot}` !== cur);
  if (!options.length) return h('p', { testid: 'art-slot-none' }, t('art.slot.none'));
  const pick = h('select', { name: 'slot', testid: 'art-slot-pick', required: true },
    options.map((s) => h('option', { value: `${s.date}/${s.slot}` }, `${slotText(s)} · ${time(s.start)}–${time(s.end)}`)));
  const out = h('div', { testid: 'art-slot-out' });
  const form = h('form', { class: 'art-action', testid: 'art-slot-form', onsubmit: (e) => {
    e.preventDefault();
    const [date, slot] = pick.value.split('/');
    run(ctx, a, form, out, t('art.slot.done', { slot: slotText({ date, slot }) }),
      () => send('PUT', path(a, 'schedule'), { date, slot }));
  } }, field(t('art.slot.label'), pick), h('button', { type: 'submit', testid: 'art-slot-save' }, t('art.slot.save')), out);
  return form;
}

// holdForm keeps the article at the counter.
function holdForm(ctx, a) {
  const note = h('input', { type: 'text', name: 'note', maxLength: 500, testid: 'art-hold-note' });
  const out = h('div', { testid: 'art-hold-out' });
  const form = h('form', { class: 'art-action', testid: 'art-hold-form', onsubmit: (e) => {
    e.preventDefault();
    const body = { event: 'held_at_counter', ...(note.value.trim() ? { note: note.value.trim() } : {}) };
    run(ctx, a, form, out, t('art.hold.done'), () => send('POST', path(a, 'events'), body));
  } }, field(t('art.note'), note), h('button', { type: 'submit', testid: 'art-hold' }, t('art.hold')), out);
  return form;
}

// returnForm sends the article back to the sender, with a reason.
function returnForm(ctx, a) {
  const reason = h('select', { name: 'reason_code', testid: 'art-return-reason', required: true },
    h('option', { value: '' }, t('art.return.choose')),
    REASONS.map((c) => h('option', { value: c }, reasonWord(c))));
  const note = h('input', { type: 'text', name: 'note', maxLength: 500, testid: 'art-return-note' });
  const out = h('div', { testid: 'art-return-out' });
  const form = h('form', { class: 'art-action', testid: 'art-return-form', onsubmit: (e) => {
    e.preventDefault();
    const body = { event: 'returned_to_sender', reason_code: reason.value,
      ...(note.value.trim() ? { note: note.value.trim() } : {}) };
    run(ctx, a, form, out, t('art.return.done', { reason: reasonWord(reason.value) }),
      () => send('POST', path(a, 'events'), body));
  } }, field(t('art.return.reason'), reason), field(t('art.note'), note),
  h('button', { type: 'submit', testid: 'art-return' }, t('art.return')), out);
  return form;
}

// actions are the forms the article's status allows, each under its own
// heading, or a line saying there is nothing to do.
export function actions(ctx, a, slots) {
  const box = (key, testid, form) => h('div', { class: 'art-actionbox', testid },
    h('h4', {}, t(key)), form);
  const got = [
    CAN.schedule.includes(a.status) ? box('art.slot.title', 'art-act-slot', slotForm(ctx, a, slots)) : null,
    CAN.hold.includes(a.status) ? box('art.hold.title', 'art-act-hold', holdForm(ctx, a)) : null,
    CAN.return.includes(a.status) ? box('art.return.title', 'art-act-return', returnForm(ctx, a)) : null,
  ].filter(Boolean);
  return got.length ? got : h('p', { testid: 'art-act-none' }, t('art.act.none', { status: statusWord(a.status) }));
}
