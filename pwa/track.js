// Public tracking: asks the API for an article's events and lists them.
const form = document.getElementById('track');
const out = document.getElementById('result');

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  track(form.id.value.trim().toUpperCase());
});

// A link like /?id=RR287043775IN tracks at once.
const linked = new URLSearchParams(location.search).get('id');
if (linked) {
  form.id.value = linked;
  track(linked.trim().toUpperCase());
}

async function track(id) {
  out.textContent = '…';
  try {
    const res = await fetch(`/api/v1/track/${encodeURIComponent(id)}`);
    const body = await res.json();
    if (!res.ok) {
      out.innerHTML = '';
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = body.detail || 'Not found';
      out.append(p);
      return;
    }
    render(body);
  } catch {
    out.textContent = 'No connection. Try again.';
  }
}

function render(t) {
  out.innerHTML = '';
  const h = document.createElement('p');
  h.textContent = `${t.id}: ${t.status.replaceAll('_', ' ')}`;
  const ol = document.createElement('ol');
  for (const e of t.events) {
    const li = document.createElement('li');
    const when = new Date(e.at).toLocaleString();
    li.textContent = `${when} · ${e.event.replaceAll('_', ' ')} · ${e.place}`;
    ol.append(li);
  }
  out.append(h, ol);
}
