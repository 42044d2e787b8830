// Public tracking: asks the API for an article's events and booked window
// and shows them in the recipient's language.
import { t, page, when, slotWhen, say } from './recipient.js';
import { h } from './ui.js';

const form = document.getElementById('track');
const out = document.getElementById('result');
let shown = null; // what the API said last, redrawn on a language switch

// The status an article is in, named by the event that put it there.
const statusEvent = { at_dc: 'received_at_dc', attempted: 'delivery_attempted', held: 'held_at_counter', returned: 'returned_to_sender' };
const errors = { 400: 'static.track.invalid', 404: 'static.track.notFound', 429: 'static.busy' };

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  track(form.id.value.trim().toUpperCase());
});

async function track(id) {
  shown = { busy: true };
  draw();
  try {
    const res = await fetch(`/api/v1/track/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(10_000) });
    shown = res.ok ? { data: await res.json() } : { error: errors[res.status] || 'static.error' };
  } catch {
    shown = { error: 'static.offline' };
  }
  draw();
}

function draw() {
  if (!shown) return;
  if (shown.busy || shown.error) {
    say(out, shown.busy ? '…' : t(shown.error), Boolean(shown.error));
    return;
  }
  const a = shown.data;
  const head = h('p', { class: 'prompt', testid: 'track-status' }, `${a.id}: ${t(`static.ev.${statusEvent[a.status] || a.status}`)}`);
  const win = a.window && h('p', { class: 'card ok', testid: 'track-window' }, t('static.window', { when: slotWhen(a.window) }));
  const list = h('ol', { testid: 'track-events' }, a.events.map((e) =>
    h('li', {}, `${when(e.at)} · ${t(`static.ev.${e.event}`)} · ${e.place}`)));
  out.classList.remove('error');
  out.replaceChildren(...[head, win, list].filter(Boolean));
}

page('static.track.title', draw);

// A link like /track?id=RR287043775IN tracks at once.
const linked = new URLSearchParams(location.search).get('id');
if (linked) {
  form.id.value = linked;
  track(linked.trim().toUpperCase());
}
