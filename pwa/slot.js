// The recipient's slot page: shows the open slots for the article named by
// the signed link in the address and sends the choice.
const token = location.pathname.split('/').pop();
const api = `/api/v1/slot-choice/${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);

const slotNames = {
  morning: ['Morning', 'सुबह'],
  evening: ['Evening', 'शाम'],
  sunday: ['Sunday / holiday', 'रविवार / छुट्टी'],
};

function dateLabel(date) {
  const d = new Date(`${date}T12:00:00`);
  const en = d.toLocaleDateString('en-IN', { weekday: 'short', day: 'numeric', month: 'short' });
  const hi = d.toLocaleDateString('hi-IN', { weekday: 'short', day: 'numeric', month: 'short' });
  return [en, hi];
}

function bilingual(el, en, hi) {
  el.textContent = en + ' · ';
  const span = document.createElement('span');
  span.lang = 'hi';
  span.textContent = hi;
  el.append(span);
}

function render(v) {
  const when = v.current ? `${v.current.date} ${v.current.slot}` : 'not yet scheduled';
  const whenHi = v.current ? `${v.current.date} ${slotNames[v.current.slot][1]}` : 'अभी तय नहीं';
  bilingual($('article'), `Article ${v.article_id} at ${v.centre}: ${when}`, `वस्तु ${v.article_id}, ${v.centre}: ${whenHi}`);
  const box = $('options');
  box.innerHTML = '';
  for (const o of v.options) {
    const id = `o-${o.date}-${o.slot}`;
    const label = document.createElement('label');
    label.className = 'option';
    const input = document.createElement('input');
    Object.assign(input, { type: 'radio', name: 'slot', id, value: `${o.date}|${o.slot}` });
    input.checked = v.current && v.current.date === o.date && v.current.slot === o.slot;
    const [en, hi] = dateLabel(o.date);
    const text = document.createElement('span');
    const hhmm = (t) => t.slice(11, 16); // RFC 3339 in the centre's zone
    bilingual(text, `${en}, ${slotNames[o.slot][0]} ${hhmm(o.start)}–${hhmm(o.end)}`, `${hi}, ${slotNames[o.slot][1]}`);
    label.append(input, text);
    box.append(label);
  }
  $('choose').hidden = v.options.length === 0;
  const done = {
    out_for_delivery: ['Your article is out for delivery now.', 'आपकी वस्तु अभी डिलीवरी के लिए निकल चुकी है।'],
    delivered: ['Your article has been delivered.', 'आपकी वस्तु डिलीवर हो चुकी है।'],
    returned: ['Your article has been returned to the sender.', 'आपकी वस्तु भेजने वाले को लौटा दी गई है।'],
  }[v.status];
  if (done) {
    bilingual($('message'), done[0], done[1]);
  } else if (v.options.length === 0) {
    bilingual($('message'), 'No slot can be chosen for this article now.', 'इस वस्तु के लिए अभी कोई समय नहीं चुना जा सकता।');
  }
}

async function load() {
  const res = await fetch(api);
  const body = await res.json();
  if (!res.ok) {
    bilingual($('article'), body.detail, 'यह लिंक मान्य नहीं है।');
    return;
  }
  render(body);
}

$('choose').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const picked = document.querySelector('input[name=slot]:checked');
  if (!picked) return;
  const [date, slot] = picked.value.split('|');
  const res = await fetch(api, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ date, slot }),
  });
  const body = await res.json();
  if (!res.ok) {
    bilingual($('message'), body.detail, 'यह समय उपलब्ध नहीं है, दूसरा चुनें।');
    load();
    return;
  }
  render(body);
  bilingual($('message'), 'Thank you. Your slot is confirmed.', 'धन्यवाद। आपका समय पक्का हो गया है।');
});

load().catch(() => bilingual($('message'), 'No connection. Try again.', 'नेटवर्क नहीं है। फिर कोशिश करें।'));
