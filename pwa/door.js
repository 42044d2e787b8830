// At the door: deliver (a household's articles at once, one code per
// recipient, signature, photo, position, cash on delivery) or record a
// failed attempt. Whatever is confirmed goes to the outbox first.
import { h, button, uuid } from './ui.js';
import { t, both, money } from './i18n.js';
import * as data from './data.js';
import * as outbox from './outbox.js';
import { parseS10, otpPasses } from './check.js';
import { signaturePad, downscale, watchFix, drawQR } from './capture.js';
import { canScan, scan } from './scan.js';

// Failure reasons (DOMAIN.md); labels are in the locale files.
const REASONS = ['01', '02', '03', '05', '06', '07', '08', '09', '12', '13', '14', '15', '18', '22', '29', '41'];
const ID_TYPES = ['aadhaar', 'pan', 'voter', 'driving', 'passport', 'other'];

async function stopOf(mid, sid) {
  const m = await data.manifest(mid);
  const s = m?.stops.find((x) => x.stop_id === sid);
  if (!s) throw new Error(t('manifest.missing'));
  const done = await data.doneMap();
  return { s, pending: s.articles.filter((a) => !done.has(a.id)) };
}

// flow: while the door's screen is shown, the position is watched (fixes
// since it opened only) and the line says how old the kept fix is.
function flow() {
  const opened = Date.now();
  const line = h('p', { class: 'gps', testid: 'gps-status', role: 'status' }, t('gps.finding'));
  let fix = null;
  let lost = false;
  const draw = () => {
    line.textContent = fix ? t('door.fix', { m: fix.accuracy_m, s: Math.max(0, Math.round((Date.now() - Date.parse(fix.fix_at)) / 1000)) })
      : t(lost ? 'gps.none' : 'gps.finding');
  };
  const watch = watchFix(opened, (p, err) => { fix = p; lost = Boolean(err); draw(); });
  const f = { opened, line, onClose: [], fix: () => watch.best() };
  const tick = setInterval(() => {
    // Not on screen: left, or never shown (its render was overtaken).
    if (f.root?.isConnected) f.shown = true;
    else { watch.stop(); clearInterval(tick); f.onClose.forEach((fn) => fn()); return; }
    draw();
  }, 500);
  return f;
}

// foot keeps a step's buttons in view at the bottom of the screen.
const foot = (...kids) => h('div', { class: 'foot' }, ...kids);

// photoField is a camera input that keeps a downscaled JPEG.
function photoField(testid, label) {
  let blob = null;
  const preview = h('img', { class: 'preview', testid: `${testid}-preview`, alt: '', width: 160, height: 120, hidden: true });
  const note = h('span', { testid: `${testid}-size` });
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: testid, testid: `${testid}-input`, class: 'file' });
  input.addEventListener('change', async () => {
    if (!input.files[0]) return;
    note.textContent = t('photo.working');
    blob = await downscale(input.files[0]);
    preview.src = URL.createObjectURL(blob);
    preview.hidden = false;
    note.textContent = t('photo.size', { kb: Math.round(blob.size / 1024) });
  });
  const el = h('div', { class: 'stack' }, h('label', { for: testid, class: 'btn' }, label), input, preview, note);
  return { el, get: () => blob };
}

// outcomeBase: when, since when the stop was open and the position kept.
const outcomeBase = (f) => ({ captured_at: new Date().toISOString(), opened_at: new Date(f.opened).toISOString(), location: f.fix() || undefined });
let seq = 0;
const nextSeq = () => Date.now() * 1000 + (seq++ % 1000);

// item is an outbox item; proofItems are one article's proofs.
const item = (type, aid, mid, x) => ({ id: uuid(), seq: nextSeq(), type, article_id: aid, manifest_id: mid, deps: [], state: 'pending',
  tries: 0, next_at: 0, ...x });
const proofItems = (aid, mid, blobs) => blobs.filter((b) => b.blob).map((b) => item('proof', aid, mid, { kind: b.kind, blob: b.blob }));
const outcomeItem = (aid, mid, body, proofs) => item('outcome', aid, mid, { body, deps: proofs.map((p) => p.id) });

export async function deliverScreen(mid, sid) {
  const { s, pending } = await stopOf(mid, sid);
  const f = flow();
  const sig = h('canvas', { width: 600, height: 300, class: 'pad', testid: 'signature-pad', 'aria-label': t('sign.label') });
  const pad = signaturePad(sig);
  const photo = photoField('photo', t('photo.take'));
  const w = { confirmed: new Set(), otp: {}, evidence: {}, cod: {}, i: 0, f, sig, pad, photo };
  const body = h('div', { class: 'stack' });
  // One code step per recipient (otp_group).
  const group = (a) => a.otp_group || a.id;
  const chosen = () => pending.filter((a) => w.confirmed.has(a.id));
  const steps = () => ['confirm', ...new Set(chosen().filter((a) => a.otp_required).map((a) => `otp:${group(a)}`)),
    'sign', 'photo', ...(chosen().some((a) => a.cod_paise > 0) ? ['cod'] : []), 'review'];
  const stopScan = () => { w.stopScan?.(); w.stopScan = null; };
  f.onClose.push(stopScan);
  const show = () => {
    stopScan();
    const [name, g] = steps()[w.i].split(/:(.*)/);
    const arts = g ? chosen().filter((a) => group(a) === g) : pending;
    const parts = { confirm: confirmStep, otp: otpStep, sign: signStep, photo: photoStep, cod: codStep, review: reviewStep }[name](w, arts, next);
    body.replaceChildren(h('p', { class: 'steps', testid: 'deliver-step' }, t('deliver.step', { n: w.i + 1, of: steps().length })), ...[parts].flat());
    scrollTo(0, 0);
  };
  const next = (d = 1) => { w.i = Math.max(0, w.i + d); show(); };
  w.save = async () => {
    const base = outcomeBase(f);
    const sigBlob = pad.empty() ? null : await pad.blob();
    const items = [];
    const marks = [];
    for (const a of chosen()) {
      const proofs = proofItems(a.id, mid, [{ kind: 'signature', blob: sigBlob }, { kind: 'photo', blob: photo.get() }]);
      const b = { ...base, article_id: a.id, outcome: 'delivered', otp: w.otp[a.id], id_evidence: w.evidence[a.id] };
      if (a.cod_paise > 0) b.cod = { mode: w.cod[a.id]?.mode || 'cash', amount_paise: a.cod_paise, ...(utr(w.cod[a.id]?.ref) ? { upi_ref: w.cod[a.id].ref } : {}) };
      items.push(...proofs, outcomeItem(a.id, mid, b, proofs));
      marks.push({ article_id: a.id, outcome: 'delivered', synced: false });
    }
    await outbox.save(items, marks);
    location.hash = `#/m/${mid}`;
  };
  show();
  return (f.root = h('section', { testid: 'screen-deliver', 'aria-labelledby': 'deliver-h' },
    h('a', { href: `#/m/${mid}/s/${sid}`, class: 'link', testid: 'back-stop' }, t('nav.stop')),
    h('h2', { id: 'deliver-h' }, t('deliver.title', { name: s.recipient_name })), body));
}

const nav = (testid, label, onclick, on = true) => Object.assign(button(testid, label, onclick, 'primary'), { disabled: !on });

// confirmStep: scan or type one article, then tick the household's others.
function confirmStep(w, pending, next) {
  const msg = h('p', { role: 'status', testid: 'deliver-s10-message' });
  const list = h('ul', { class: 'stack plain' });
  const go = nav('deliver-next', t('nav.next'), () => next(), false);
  const draw = () => {
    list.replaceChildren(...pending.map((a) => {
      const on = w.confirmed.has(a.id);
      const box = h('input', { type: 'checkbox', checked: on, disabled: !w.seen, testid: `deliver-tick-${a.id}`,
        onchange: () => { w.confirmed[box.checked ? 'add' : 'delete'](a.id); draw(); } });
      return h('li', { class: `card ${on ? 'ok' : ''}`, testid: `deliver-article-${a.id}`, 'data-confirmed': String(on) },
        h('label', { class: 'option' }, box, h('strong', { class: 'mono' }, a.id)),
        h('span', {}, `${t(`service.${a.service}`)} · `, t(on ? 'deliver.confirmed' : w.seen ? 'door.tick' : 'deliver.type')));
    }));
    go.disabled = w.confirmed.size === 0;
  };
  const input = h('input', { id: 's10', testid: 'deliver-s10-input', class: 'upper mono', maxLength: 13, autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: false, inputMode: 'text' });
  const form = h('form', { class: 'row' }, input, h('button', { type: 'submit', testid: 'deliver-s10-add' }, t('deliver.add')));
  const take = (raw) => {
    const { id, reason } = parseS10(raw);
    if (!id) msg.textContent = t(reason === 'check' ? 's10.check' : 's10.layout');
    else if (!pending.some((a) => a.id === id)) msg.textContent = t('s10.notHere', { id });
    else {
      w.confirmed.add(id);
      w.seen = true;
      msg.textContent = t('s10.ok', { id });
      input.value = '';
      draw();
      return true;
    }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); take(input.value); });
  draw();
  return [h('label', { for: 's10' }, t('deliver.confirm')), form, scanner(w, take, msg), msg, list, foot(go)];
}

// scanner: live scanning where the phone can, until a code is read.
function scanner(w, take, msg) {
  const spot = h('div', { class: 'stack' });
  canScan().then((ok) => {
    if (!ok) return;
    const video = h('video', { class: 'scan', testid: 'scan-video', muted: true, playsInline: true, hidden: true });
    let opening = false; // a second tap while the camera opens opens no second stream
    const btn = button('deliver-scan', t('deliver.scan'), async () => {
      if (opening) return;
      if (w.stopScan) w.stopScan = w.stopScan();
      else {
        opening = true;
        w.stopScan = await scan(video, (raw) => take(raw) && btn.click()).catch(() => { msg.textContent = t('door.noCamera'); });
        opening = false;
      }
      if (!btn.isConnected) w.stopScan = w.stopScan?.();
      video.hidden = !w.stopScan;
      btn.textContent = t(w.stopScan ? 'door.scanStop' : 'deliver.scan');
    });
    spot.replaceChildren(btn, video);
  });
  return spot;
}

// otpStep asks one code for a recipient's articles that share it.
function otpStep(w, arts, next) {
  let code = '';
  const [en, hi] = both('otp.prompt');
  const boxes = h('output', { class: 'otp', testid: 'otp-display', 'aria-live': 'polite' });
  const msg = h('p', { role: 'alert', testid: 'otp-message' });
  const ready = () => arts.every((a) => w.otp[a.id] || w.evidence[a.id]);
  const go = nav('otp-next', t('nav.next'), () => next(), ready());
  const draw = () => { boxes.textContent = code.padEnd(6, '–').split('').join(' '); };
  const press = (k) => {
    if (k === 'back') code = code.slice(0, -1);
    else if (k === 'clear') code = '';
    else if (code.length < 6) code += k;
    msg.textContent = '';
    if (code.length === 6) {
      if (arts.every((a) => otpPasses(a.otp_check, code))) {
        arts.forEach((a) => { w.otp[a.id] = code; delete w.evidence[a.id]; });
        msg.textContent = t('otp.ok');
        go.disabled = false;
      } else {
        msg.textContent = both('otp.wrong').join(' · ');
        code = '';
      }
    }
    draw();
  };
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'].map((k) => h('button', {
    type: 'button', class: 'key', testid: `otp-key-${k}`, onclick: () => press(k),
    'aria-label': k.length > 1 ? t(`otp.${k}`) : k }, k === 'back' ? '⌫' : k === 'clear' ? t('otp.clear') : k));
  draw();
  return [h('p', { class: 'prompt', testid: 'otp-prompt' }, en, h('br'), h('span', { lang: 'hi' }, hi)),
    h('p', { class: 'mono', testid: 'otp-articles' }, arts.map((a) => a.id).join(' · ')), boxes, msg,
    h('div', { class: 'keypad', testid: 'otp-keypad' }, keys),
    h('details', { testid: 'otp-no-code' }, h('summary', {}, t('otp.noCode')), evidenceForm(w, arts, go)), foot(go)];
}

function evidenceForm(w, arts, go) {
  const type = h('select', { id: 'id-type', testid: 'otp-id-type' }, ID_TYPES.map((v) => h('option', { value: v }, t(`id.${v}`))));
  const last4 = h('input', { id: 'id-last4', testid: 'otp-id-last4', maxLength: 4, class: 'upper mono', autocomplete: 'off' });
  const name = h('input', { id: 'id-name', testid: 'otp-id-name', maxLength: 100, autocomplete: 'off' });
  const use = button('otp-id-use', t('id.use'), () => {
    if (last4.value.trim().length !== 4 || !name.value.trim()) return;
    arts.forEach((a) => {
      w.evidence[a.id] = { type: type.value, last4: last4.value.trim().toUpperCase(), received_by: name.value.trim() };
      delete w.otp[a.id];
    });
    go.disabled = false;
    go.click();
  });
  return h('div', { class: 'stack' }, h('label', { for: 'id-type' }, t('id.type')), type, h('label', { for: 'id-last4' }, t('id.last4')), last4,
    h('label', { for: 'id-name' }, t('id.name')), name, use);
}

// signStep: leaving it starts the PNG, off the confirm path.
function signStep({ pad, sig }, _, next) {
  return [h('p', {}, t('sign.label')), sig, button('signature-clear', t('sign.clear'), pad.clear, 'quiet'),
    foot(nav('sign-next', t('nav.next'), () => { if (!pad.empty()) pad.blob(); next(); }))];
}

const photoStep = ({ photo, f }, _, next) => [photo.el, f.line, foot(nav('photo-next', t('nav.next'), () => next()))];

// utr reports whether a UPI reference is a UTR (12 digits); one that is
// not is left out, and the server flags the collection for review.
const utr = (ref) => /^\d{12}$/.test(ref || '');

function codStep(w, pending, next) {
  const rows = pending.filter((a) => w.confirmed.has(a.id) && a.cod_paise > 0).map((a) => {
    w.cod[a.id] ||= { mode: 'cash' };
    const box = h('div', { class: 'stack' });
    const pick = async (mode) => {
      w.cod[a.id].mode = mode;
      box.replaceChildren();
      if (mode !== 'upi') return;
      const link = await data.upiLink(a);
      if (!link) { box.append(h('p', { class: 'error', testid: `cod-noupi-${a.id}` }, t('cod.noUPI'))); w.cod[a.id].mode = 'cash'; return; }
      const qr = h('canvas', { width: 320, height: 320, class: 'qr', testid: `cod-qr-${a.id}`, role: 'img', 'aria-label': t('cod.qr') });
      await drawQR(qr, link);
      const bad = h('p', { class: 'error', testid: `cod-refbad-${a.id}`, hidden: true }, t('cod.refBad'));
      const ref = h('input', { id: `ref-${a.id}`, testid: `cod-ref-${a.id}`, maxLength: 12, inputmode: 'numeric', class: 'mono', autocomplete: 'off',
        oninput: () => { w.cod[a.id].ref = ref.value.trim(); bad.hidden = !w.cod[a.id].ref || utr(w.cod[a.id].ref); } });
      if (w.cod[a.id].mode === 'upi') box.replaceChildren(qr, h('label', { for: `ref-${a.id}` }, t('cod.ref')), ref, bad);
    };
    const modes = ['cash', 'upi'].map((m) => h('label', { class: 'option', testid: `cod-${m}-${a.id}` },
      h('input', { type: 'radio', name: `cod-${a.id}`, value: m, checked: w.cod[a.id].mode === m, onchange: () => pick(m) }), t(`cod.${m}`)));
    if (w.cod[a.id].mode === 'upi') pick('upi');
    return h('fieldset', { class: 'card' }, h('legend', {}, `${a.id} · ${money(a.cod_paise)}`), modes, box);
  });
  return [h('p', {}, t('cod.collect')), ...rows, foot(nav('cod-next', t('nav.next'), () => next()))];
}

// reviewStep says whether the signature's PNG is ready yet.
function reviewStep(w, pending, next) {
  const { pad } = w;
  const total = pending.filter((a) => w.confirmed.has(a.id)).reduce((n, a) => n + a.cod_paise, 0);
  const save = nav('deliver-confirm', t('deliver.save'), async () => { save.disabled = true; await w.save(); });
  const png = pad.empty() ? null : h('p', { testid: 'sign-progress', role: 'status' }, t('door.sigWorking'));
  if (png) pad.blob().then(() => { png.textContent = t('door.sigReady'); });
  return [h('ul', { class: 'plain stack', testid: 'deliver-summary' },
    [...w.confirmed].map((id) => h('li', {}, `${id} · ${w.otp[id] ? t('review.otp') : w.evidence[id] ? t('review.id') : t('review.noOtp')}`)),
    total ? h('li', {}, t('stop.cod', { amount: money(total) })) : null),
  w.f.line, png, foot(button('deliver-back', t('nav.back'), () => next(-1), 'quiet'), save)];
}

export async function failScreen(mid, sid) {
  const { s, pending } = await stopOf(mid, sid);
  const f = flow();
  const door = photoField('fail-photo', t('fail.photo'));
  const reasons = h('fieldset', { testid: 'fail-reasons' }, h('legend', {}, t('fail.reason')),
    REASONS.map((r) => h('label', { class: 'option', testid: `fail-reason-${r}` },
      h('input', { type: 'radio', name: 'reason', value: r, required: true }), `${r} · ${t(`reason.${r}`)}`)));
  const form = h('form', { class: 'stack' }, reasons, door.el, f.line,
    foot(h('button', { type: 'submit', class: 'primary', testid: 'fail-confirm' }, t('fail.save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const reason = form.querySelector('input[name=reason]:checked')?.value;
    if (!reason) return;
    form.querySelector('[data-testid=fail-confirm]').disabled = true;
    const base = outcomeBase(f);
    const items = [];
    for (const a of pending) {
      const proofs = proofItems(a.id, mid, [{ kind: 'photo', blob: door.get() }]);
      items.push(...proofs, outcomeItem(a.id, mid, { ...base, article_id: a.id, outcome: 'failed', reason_code: reason }, proofs));
    }
    await outbox.save(items, pending.map((a) => ({ article_id: a.id, outcome: 'failed', synced: false })));
    location.hash = `#/m/${mid}`;
  });
  return (f.root = h('section', { testid: 'screen-fail', 'aria-labelledby': 'fail-h' },
    h('a', { href: `#/m/${mid}/s/${sid}`, class: 'link', testid: 'back-stop' }, t('nav.stop')),
    h('h2', { id: 'fail-h' }, t('fail.title', { name: s.recipient_name })), form));
}
