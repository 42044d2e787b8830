// The recipient's slot page: shows the open slots for the article named by
// the signed link in the address and sends the choice, in the recipient's
// language.
import { t, page, day, slotWhen, say } from './recipient.js';
import { h } from './ui.js';

const token = location.pathname.split('/').pop();
const api = `/api/v1/slot-choice/${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);
let view = null; // the API's answer, redrawn on a language switch
let note = null; // [key, is an error] of the message under the form

// What an answer's status means to the recipient; a bad or expired link is
// a 404 (the server tells a guesser nothing more).
const problems = { 404: 'static.slot.badLink', 409: 'static.slot.taken', 429: 'static.busy' };
const done = { out_for_delivery: 'static.slot.out', delivered: 'static.slot.delivered', returned: 'static.slot.returned' };

function draw() {
  say($('message'), note ? t(note[0]) : '', note?.[1]);
  if (!view) return;
  if (view.bad) {
    say($('article'), t(view.bad), true);
    return;
  }
  const v = view;
  const opt = (o) => v.options.find((x) => x.date === o.date && x.slot === o.slot);
  const current = v.current && opt(v.current);
  const whenText = current ? slotWhen(current) : v.current ? `${day(v.current.date)}, ${t(`slot.${v.current.slot}`)}` : t('static.slot.none');
  say($('article'), t('static.slot.article', { id: v.article_id, centre: v.centre, when: whenText }));
  const checked = document.querySelector('input[name=slot]:checked')?.value;
  $('options').replaceChildren(...v.options.map((o) => {
    const value = `${o.date}|${o.slot}`;
    const input = h('input', { type: 'radio', name: 'slot', id: `o-${o.date}-${o.slot}`, value,
      checked: checked ? checked === value : current === o });
    return h('label', { class: 'option' }, input, h('span', {}, slotWhen(o)));
  }));
  $('choose').hidden = v.options.length === 0;
  if (!note && (done[v.status] || v.options.length === 0)) say($('message'), t(done[v.status] || 'static.slot.closed'));
}

async function load() {
  const res = await fetch(api, { signal: AbortSignal.timeout(10_000) });
  view = res.ok ? await res.json() : { bad: res.status === 409 ? 'static.error' : problems[res.status] || 'static.error' };
  draw();
}

$('choose').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const picked = document.querySelector('input[name=slot]:checked');
  if (!picked) return;
  const [date, slot] = picked.value.split('|');
  try {
    const res = await fetch(api, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ date, slot }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      note = [problems[res.status] || 'static.error', true];
      await load();
      return;
    }
    view = await res.json();
    note = ['static.slot.done', false];
  } catch {
    note = ['static.offline', true];
  }
  draw();
});

page('static.slot.title', draw);
load().catch(() => { note = ['static.offline', true]; draw(); });
