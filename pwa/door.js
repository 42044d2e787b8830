// At the door: deliver (confirm the articles, the recipient's code,
// signature, photo, position, cash on delivery, confirm) or record a
// failed attempt. Whatever is confirmed goes to the outbox first.
import { h, button, uuid } from './ui.js';
import { t, both, money } from './i18n.js';
import * as data from './data.js';
import * as outbox from './outbox.js';
import { parseS10, otpPasses } from './check.js';
import { signaturePad, downscale, locate, drawQR } from './capture.js';

// Failure reasons (DOMAIN.md); labels are in the locale files.
const REASONS = ['01', '02', '03', '05', '06', '07', '08', '09', '12', '13', '14', '15', '18', '22', '29', '41'];
const ID_TYPES = ['aadhaar', 'pan', 'voter', 'driving', 'passport', 'other'];

async function stopOf(mid, sid) {
  const m = await data.manifest(mid);
  const s = m?.stops.find((x) => x.stop_id === sid);
  if (!s) throw new Error(t('manifest.missing'));
  const done = await data.doneMap();
  return { m, s, pending: s.articles.filter((a) => !done.has(a.id)) };
}

// gpsLine starts a fix and shows its state; get() waits for it.
function gpsLine() {
  const el = h('p', { class: 'gps', testid: 'gps-status', role: 'status' }, t('gps.finding'));
  let fix;
  const start = () => {
    el.textContent = t('gps.finding');
    fix = locate().then((p) => {
      el.textContent = p ? t('gps.fix', { m: p.accuracy_m }) : t('gps.none');
      return p;
    });
  };
  start();
  return { el, get: () => fix, retry: button('gps-retry', t('gps.retry'), start, 'quiet') };
}

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

const captured = () => new Date().toISOString();
let seq = 0;
const nextSeq = () => Date.now() * 1000 + (seq++ % 1000);

// proofItems makes the outbox items of one article's proofs.
function proofItems(aid, mid, blobs) {
  return blobs.filter((b) => b.blob).map((b) => ({ id: uuid(), seq: nextSeq(), type: 'proof', kind: b.kind, article_id: aid, manifest_id: mid,
    blob: b.blob, deps: [], state: 'pending', tries: 0, next_at: 0 }));
}

function outcomeItem(aid, mid, body, proofs) {
  return { id: uuid(), seq: nextSeq(), type: 'outcome', article_id: aid, manifest_id: mid, body, deps: proofs.map((p) => p.id),
    state: 'pending', tries: 0, next_at: 0 };
}

export async function deliverScreen(mid, sid) {
  const { s, pending } = await stopOf(mid, sid);
  const w = { confirmed: new Set(), otp: {}, evidence: {}, cod: {}, i: 0 };
  const gps = gpsLine();
  const sig = h('canvas', { width: 600, height: 300, class: 'pad', testid: 'signature-pad', 'aria-label': t('sign.label') });
  const pad = signaturePad(sig);
  const photo = photoField('photo', t('photo.take'));
  const body = h('div', { class: 'stack' });
  const steps = () => ['confirm', ...pending.filter((a) => w.confirmed.has(a.id) && a.otp_required).map((a) => `otp:${a.id}`),
    'sign', 'photo', ...(pending.some((a) => w.confirmed.has(a.id) && a.cod_paise > 0) ? ['cod'] : []), 'review'];
  const show = () => {
    const step = steps()[w.i];
    const [name, aid] = step.split(':');
    const a = pending.find((x) => x.id === aid);
    const parts = { confirm: confirmStep, otp: otpStep, sign: (_, __, n) => signStep(pad, sig, n), photo: (_, __, n) => photoStep(photo, gps, n),
      cod: codStep, review: reviewStep }[name](w, a || pending, next);
    body.replaceChildren(h('p', { class: 'steps', testid: 'deliver-step' }, t('deliver.step', { n: w.i + 1, of: steps().length })), ...[parts].flat());
  };
  const next = (d = 1) => { w.i = Math.max(0, w.i + d); show(); };
  w.save = async () => {
    const loc = await Promise.race([gps.get(), new Promise((r) => setTimeout(() => r(null), 500))]);
    const sigBlob = pad.empty() ? null : await pad.blob();
    const items = [];
    const marks = [];
    for (const a of pending.filter((x) => w.confirmed.has(x.id))) {
      const proofs = proofItems(a.id, mid, [{ kind: 'signature', blob: sigBlob }, { kind: 'photo', blob: photo.get() }]);
      const b = { article_id: a.id, outcome: 'delivered', captured_at: captured() };
      if (w.otp[a.id]) b.otp = w.otp[a.id];
      if (w.evidence[a.id]) b.id_evidence = w.evidence[a.id];
      if (loc) b.location = loc;
      if (a.cod_paise > 0) b.cod = { mode: w.cod[a.id]?.mode || 'cash', amount_paise: a.cod_paise, ...(utr(w.cod[a.id]?.ref) ? { upi_ref: w.cod[a.id].ref } : {}) };
      items.push(...proofs, outcomeItem(a.id, mid, b, proofs));
      marks.push({ article_id: a.id, outcome: 'delivered', synced: false });
    }
    await outbox.save(items, marks);
    location.hash = `#/m/${mid}`;
  };
  w.gps = gps;
  show();
  return h('section', { testid: 'screen-deliver', 'aria-labelledby': 'deliver-h' },
    h('a', { href: `#/m/${mid}/s/${sid}`, class: 'link', testid: 'back-stop' }, t('nav.stop')),
    h('h2', { id: 'deliver-h' }, t('deliver.title', { name: s.recipient_name })), body);
}

function nav(testid, label, onclick, enabled = true) {
  const b = button(testid, label, onclick, 'primary');
  b.disabled = !enabled;
  return b;
}

function confirmStep(w, pending, next) {
  const msg = h('p', { role: 'status', testid: 'deliver-s10-message' });
  const list = h('ul', { class: 'stack plain' });
  const go = nav('deliver-next', t('nav.next'), () => next(), false);
  const draw = () => {
    list.replaceChildren(...pending.map((a) => h('li', { class: `card ${w.confirmed.has(a.id) ? 'ok' : ''}`, testid: `deliver-article-${a.id}`,
      'data-confirmed': String(w.confirmed.has(a.id)) }, h('strong', { class: 'mono' }, a.id),
    h('span', {}, w.confirmed.has(a.id) ? t('deliver.confirmed') : t('deliver.type')))));
    go.disabled = w.confirmed.size === 0;
  };
  const input = h('input', { id: 's10', testid: 'deliver-s10-input', class: 'upper mono', maxLength: 13, autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: false, inputMode: 'text' });
  const form = h('form', { class: 'row' }, input, h('button', { type: 'submit', testid: 'deliver-s10-add' }, t('deliver.add')));
  const take = (raw) => {
    const { id, reason } = parseS10(raw);
    if (!id) msg.textContent = t(reason === 'check' ? 's10.check' : 's10.layout');
    else if (!pending.some((a) => a.id === id)) msg.textContent = t('s10.notHere', { id });
    else { w.confirmed.add(id); msg.textContent = t('s10.ok', { id }); input.value = ''; draw(); }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); take(input.value); });
  draw();
  return [h('label', { for: 's10' }, t('deliver.confirm')), form, ...scanner(take, msg), msg, list, go];
}

// scanner offers the camera where the browser can read barcodes
// (BarcodeDetector, on most Android phones); elsewhere articles are typed.
function scanner(take, msg) {
  if (!('BarcodeDetector' in window)) return [];
  const pick = h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'file',
    id: 'scan-photo', testid: 'deliver-scan-input' });
  pick.addEventListener('change', async () => {
    const file = pick.files?.[0];
    if (!file) return;
    try {
      const detector = new window.BarcodeDetector({ formats: ['code_128', 'code_39', 'qr_code', 'data_matrix'] });
      const codes = await detector.detect(await createImageBitmap(file));
      if (codes.length === 0) msg.textContent = t('deliver.scanNone');
      for (const c of codes) take(c.rawValue);
    } catch {
      msg.textContent = t('deliver.scanNone');
    }
    pick.value = '';
  });
  return [h('label', { for: 'scan-photo', class: 'btn', testid: 'deliver-scan' }, t('deliver.scan')), pick];
}

function otpStep(w, a, next) {
  let code = '';
  const [en, hi] = both('otp.prompt');
  const boxes = h('output', { class: 'otp', testid: 'otp-display', 'aria-live': 'polite' });
  const msg = h('p', { role: 'alert', testid: 'otp-message' });
  const go = nav('otp-next', t('nav.next'), () => next(), Boolean(w.otp[a.id] || w.evidence[a.id]));
  const draw = () => { boxes.textContent = code.padEnd(6, '–').split('').join(' '); };
  const press = (k) => {
    if (k === 'back') code = code.slice(0, -1);
    else if (k === 'clear') code = '';
    else if (code.length < 6) code += k;
    msg.textContent = '';
    if (code.length === 6) {
      if (otpPasses(a.otp_check, code)) {
        w.otp[a.id] = code;
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
  const idForm = evidenceForm(w, a, go);
  draw();
  return [h('p', { class: 'prompt', testid: 'otp-prompt' }, en, h('br'), h('span', { lang: 'hi' }, hi)),
    h('p', { class: 'mono' }, a.id), boxes, msg, h('div', { class: 'keypad', testid: 'otp-keypad' }, keys),
    h('details', { testid: 'otp-no-code' }, h('summary', {}, t('otp.noCode')), idForm), go];
}

function evidenceForm(w, a, go) {
  const type = h('select', { id: 'id-type', testid: 'otp-id-type' }, ID_TYPES.map((v) => h('option', { value: v }, t(`id.${v}`))));
  const last4 = h('input', { id: 'id-last4', testid: 'otp-id-last4', maxLength: 4, class: 'upper mono', autocomplete: 'off' });
  const name = h('input', { id: 'id-name', testid: 'otp-id-name', maxLength: 100, autocomplete: 'off' });
  const use = button('otp-id-use', t('id.use'), () => {
    if (last4.value.trim().length !== 4 || !name.value.trim()) return;
    w.evidence[a.id] = { type: type.value, last4: last4.value.trim().toUpperCase(), received_by: name.value.trim() };
    delete w.otp[a.id];
    go.disabled = false;
    go.click();
  });
  return h('div', { class: 'stack' }, h('label', { for: 'id-type' }, t('id.type')), type, h('label', { for: 'id-last4' }, t('id.last4')), last4,
    h('label', { for: 'id-name' }, t('id.name')), name, use);
}

function signStep(pad, sig, next) {
  return [h('p', {}, t('sign.label')), sig, h('div', { class: 'row' }, button('signature-clear', t('sign.clear'), pad.clear, 'quiet'),
    nav('sign-next', t('nav.next'), () => next()))];
}

function photoStep(photo, gps, next) {
  return [photo.el, gps.el, gps.retry, nav('photo-next', t('nav.next'), () => next())];
}

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
      drawQR(qr, link);
      const bad = h('p', { class: 'error', testid: `cod-refbad-${a.id}`, hidden: true }, t('cod.refBad'));
      const ref = h('input', { id: `ref-${a.id}`, testid: `cod-ref-${a.id}`, maxLength: 12, inputmode: 'numeric', class: 'mono', autocomplete: 'off',
        oninput: () => { w.cod[a.id].ref = ref.value.trim(); bad.hidden = !w.cod[a.id].ref || utr(w.cod[a.id].ref); } });
      box.append(qr, h('label', { for: `ref-${a.id}` }, t('cod.ref')), ref, bad);
    };
    const modes = ['cash', 'upi'].map((m) => h('label', { class: 'option', testid: `cod-${m}-${a.id}` },
      h('input', { type: 'radio', name: `cod-${a.id}`, value: m, checked: w.cod[a.id].mode === m, onchange: () => pick(m) }), t(`cod.${m}`)));
    if (w.cod[a.id].mode === 'upi') pick('upi');
    return h('fieldset', { class: 'card' }, h('legend', {}, `${a.id} · ${money(a.cod_paise)}`), modes, box);
  });
  return [h('p', {}, t('cod.collect')), ...rows, nav('cod-next', t('nav.next'), () => next())];
}

function reviewStep(w, pending, next) {
  const total = pending.filter((a) => w.confirmed.has(a.id)).reduce((n, a) => n + a.cod_paise, 0);
  const save = nav('deliver-confirm', t('deliver.save'), async () => { save.disabled = true; await w.save(); });
  return [h('ul', { class: 'plain stack', testid: 'deliver-summary' },
    [...w.confirmed].map((id) => h('li', {}, `${id} · ${w.otp[id] ? t('review.otp') : w.evidence[id] ? t('review.id') : t('review.noOtp')}`)),
    total ? h('li', {}, t('stop.cod', { amount: money(total) })) : null),
  w.gps.el, button('deliver-back', t('nav.back'), () => next(-1), 'quiet'), save];
}

export async function failScreen(mid, sid) {
  const { s, pending } = await stopOf(mid, sid);
  const gps = gpsLine();
  const door = photoField('fail-photo', t('fail.photo'));
  const reasons = h('fieldset', { testid: 'fail-reasons' }, h('legend', {}, t('fail.reason')),
    REASONS.map((r) => h('label', { class: 'option', testid: `fail-reason-${r}` },
      h('input', { type: 'radio', name: 'reason', value: r, required: true }), `${r} · ${t(`reason.${r}`)}`)));
  const form = h('form', { class: 'stack' }, reasons, door.el, gps.el, gps.retry,
    h('button', { type: 'submit', class: 'primary', testid: 'fail-confirm' }, t('fail.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const reason = form.querySelector('input[name=reason]:checked')?.value;
    if (!reason) return;
    form.querySelector('[data-testid=fail-confirm]').disabled = true;
    const loc = await Promise.race([gps.get(), new Promise((r) => setTimeout(() => r(null), 500))]);
    const items = [];
    for (const a of pending) {
      const proofs = proofItems(a.id, mid, [{ kind: 'photo', blob: door.get() }]);
      const b = { article_id: a.id, outcome: 'failed', reason_code: reason, captured_at: captured(), ...(loc ? { location: loc } : {}) };
      items.push(...proofs, outcomeItem(a.id, mid, b, proofs));
    }
    await outbox.save(items, pending.map((a) => ({ article_id: a.id, outcome: 'failed', synced: false })));
    location.hash = `#/m/${mid}`;
  });
  return h('section', { testid: 'screen-fail', 'aria-labelledby': 'fail-h' },
    h('a', { href: `#/m/${mid}/s/${sid}`, class: 'link', testid: 'back-stop' }, t('nav.stop')),
    h('h2', { id: 'fail-h' }, t('fail.title', { name: s.recipient_name })), form);
}
