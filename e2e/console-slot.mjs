// A whole slot run from the console, in Debian's headless Chromium driven
// by playwright-core; server/e2e_console_slot_test.go starts the server
// with the demo data (nothing dispatched by the test itself) and runs it:
//
//   node e2e/console-slot.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// Two browser contexts share the proxied network: the supervisor of demo
// centre 1 at a desk (1280 × 800) and postman1 on a phone (412 × 860).
// The supervisor signs in through the app (sent on to the console), picks
// the centre's next scheduled slot, builds and dispatches it; opens live
// progress (in Hindi); the postman, in the phone app, delivers a cash on
// delivery article with its code, a signature and a photo, and fails at
// another door; the supervisor's bars move without a reload; the
// supervisor reviews the delivery with the keyboard, its photo and
// signature visibly loaded (naturalWidth > 0), and approves it; then counts
// the postman's cash in, balanced, and closes the settlement. Each screen is
// photographed in English and in Hindi. The last line printed is
// `E2E RESULT {json}`: what the Go test then checks on the server.
import { join } from 'node:path';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, log, sleep, T, STEP_MS, setLang } from './lib.mjs';

const { base, direct, shots } = args('console-slot', false);
const { api, token, codeFor } = client(direct);
const DC = 'blr-koramangala';
const LIVE_MS = 10_000; // the console's promise: progress within 10 s

// --- the server, as the test reads it ----------------------------------

// nextSlot is the earliest date and slot the centre has scheduled articles in.
async function nextSlot(sup) {
  const page = (await api('GET', `/api/v1/dcs/${DC}/articles?status=scheduled&limit=1000`, sup)).json;
  const rank = { morning: 0, evening: 1, sunday: 2 };
  const key = (s) => `${s.date}:${rank[s.slot]}`;
  const first = page.items.map((a) => a.schedule).sort((a, b) => key(a).localeCompare(key(b)))[0];
  check(first, 'the demo centre has no scheduled article');
  return first;
}

// --- the browsers ---------------------------------------------------------

const browser = await launch();
const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', serviceWorkers: 'allow' });
const phone = await browser.newContext({ viewport: { width: 412, height: 860 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', geolocation: { latitude: 12.9352, longitude: 77.6245, accuracy: 12 }, permissions: ['geolocation'],
  serviceWorkers: 'allow' });
const watchdog = deadline(200_000);

const sup = watch(await desk.newPage(), 'supervisor');
const post = watch(await phone.newPage(), 'postman');
for (const p of [sup, post]) p.on('dialog', (d) => d.accept().catch(() => {})); // confirm() answered yes
const see = (p, id, opts) => p.waitForSelector(T(id), opts);
const text = async (p, id) => (await p.textContent(T(id)))?.trim() ?? '';

// lang switches the console's language and waits for the screen to redraw.
async function lang(l, screen) {
  await setLang(sup, l);
  await see(sup, screen);
}

// shots photographs the console's screen in English and in Hindi, and
// leaves it in English.
async function pictures(name, screen) {
  await lang('en', screen);
  await sup.screenshot({ path: join(shots, `console-slot-${name}.png`) });
  await lang('hi', screen);
  await sleep(300); // the redraw's data, already loaded once
  await sup.screenshot({ path: join(shots, `console-slot-${name}-hi.png`) });
  await lang('en', screen);
}

// scope sets the console's date and slot.
async function scope(slot) {
  await sup.fill(T('scope-date'), slot.date);
  await sup.waitForFunction((d) => document.querySelector('[data-testid=scope-date]')?.value === d, slot.date);
  await sup.selectOption(T('scope-slot'), slot.slot);
  await sup.waitForFunction((s) => document.querySelector('[data-testid=scope-slot]')?.value === s, slot.slot);
}

// buildAndDispatch builds the slot's drafts and dispatches them all, from
// the slots screen.
async function buildAndDispatch(slot) {
  await sup.click(T('nav-slots'));
  await sup.waitForSelector(`[data-testid=screen-slots][data-scope="${slot.date} ${slot.slot}"] [data-testid=man-body][aria-busy=false]`);
  await sup.click(T('man-build'));
  await sup.waitForSelector('section[data-testid^="man-beat-"][data-status="draft"]');
  await sup.waitForSelector('[data-testid=man-body][aria-busy=false]');
  await sup.click(T('man-dispatch-all'));
  await sup.waitForFunction(() => {
    const cs = [...document.querySelectorAll('section[data-testid^="man-beat-"]')];
    return cs.length > 0 && cs.every((c) => c.dataset.status === 'dispatched');
  });
  const cards = await sup.$$eval('section[data-testid^="man-beat-"]', (cs) => cs.map((c) => ({
    beat: c.dataset.testid.replace('man-beat-', ''), id: c.dataset.manifest })));
  log(`built and dispatched ${cards.length} manifests: ${cards.map((c) => c.beat).join(', ')}`);
  return cards;
}

// doorFor picks postman1's stops: one with a single cash on delivery
// article, one other for a failed attempt.
async function doorFor(mid, ptok) {
  const m = (await api('GET', `/api/v1/manifests/${mid}`, ptok)).json;
  check(m?.stops?.length >= 2, `manifest ${mid} has too few stops`);
  const placed = m.stops.filter((s) => s.lat != null);
  const cod = placed.find((s) => s.articles.length === 1 && s.articles[0].cod_paise > 0);
  check(cod, `manifest ${mid} has no single-article stop with cash on delivery`);
  const other = placed.find((s) => s !== cod);
  return { m, cod, other };
}

// deliver walks the phone app's door flow for a one-article stop: the id,
// the code (when the article needs one), a signature, a photo, cash.
async function deliver(mid, s) {
  const a = s.articles[0];
  await post.click(T(`stop-item-${s.stop_id}`));
  await see(post, 'screen-stop');
  await post.click(T('stop-deliver'));
  await see(post, 'screen-deliver');
  await phone.setGeolocation({ latitude: s.lat, longitude: s.lon, accuracy: 10 });
  await post.fill(T('deliver-s10-input'), a.id);
  await post.click(T('deliver-s10-add'));
  await post.waitForSelector(`${T(`deliver-article-${a.id}`)}[data-confirmed="true"]`);
  await post.click(T('deliver-next'));
  if (a.otp_required) {
    await see(post, 'otp-keypad');
    for (const d of await codeFor(s.phone, a.id)) await post.click(T(`otp-key-${d}`));
    await post.waitForFunction(() => /accepted/.test(document.querySelector('[data-testid=otp-message]')?.textContent || ''));
    await post.click(T('otp-next'));
  }
  const pad = await (await see(post, 'signature-pad')).boundingBox();
  await post.mouse.move(pad.x + 20, pad.y + pad.height / 2);
  await post.mouse.down();
  for (let i = 1; i <= 16; i++) await post.mouse.move(pad.x + 20 + i * ((pad.width - 40) / 16), pad.y + pad.height / 2 + (i % 2 ? 25 : -25), { steps: 2 });
  await post.mouse.up();
  await post.click(T('sign-next'));
  const jpeg = Buffer.from(await post.evaluate(async () => {
    const c = new OffscreenCanvas(1200, 900);
    const g = c.getContext('2d');
    g.fillStyle = '#c8b08a'; g.fillRect(0, 0, 1200, 900);
    g.fillStyle = '#5b3a1e'; g.fillRect(420, 160, 360, 680); // a door
    g.fillStyle = '#b3261e'; g.fillRect(520, 760, 160, 80); // the parcel
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.85 })).arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return btoa(bin);
  }), 'base64');
  await post.setInputFiles(T('photo-input'), { name: 'door.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await post.waitForFunction(() => /KB/.test(document.querySelector('[data-testid=photo-size]')?.textContent || ''));
  await post.click(T('photo-next'));
  await see(post, 'cod-next');
  await post.click(T('cod-next'));
  await see(post, 'deliver-summary');
  await post.click(T('deliver-confirm'));
  await see(post, 'screen-manifest');
  log(`postman1 delivered ${a.id} (cash ${a.cod_paise} paise) with code, signature and photo`);
  return a;
}

// fail records a failed attempt (addressee absent) at a stop.
async function fail(s) {
  await post.click(T(`stop-item-${s.stop_id}`));
  await see(post, 'screen-stop');
  await post.click(T('stop-fail'));
  await see(post, 'screen-fail');
  await phone.setGeolocation({ latitude: s.lat, longitude: s.lon, accuracy: 15 });
  await post.check(`${T('fail-reason-08')} input`);
  await post.waitForFunction(() => /±/.test(document.querySelector('[data-testid=gps-status]')?.textContent || ''));
  await post.click(T('fail-confirm'));
  await see(post, 'screen-manifest');
  log(`postman1 failed at stop ${s.seq} (${s.articles.map((a) => a.id)})`);
}

// bars reads a beat's counts from the progress screen.
const bars = (beat) => sup.$eval(T(`prog-bar-${beat}`), (b) => ({
  delivered: Number(b.dataset.delivered), failed: Number(b.dataset.failed), pending: Number(b.dataset.pending) }));

// review finds the delivery in the queue with j, checks its photo and
// signature are loaded, and approves it with a.
async function review(deliveryID) {
  await sup.click(T('nav-review'));
  await see(sup, 'screen-review');
  await sup.waitForSelector(T('rev-item'));
  for (let i = 0; i < 20 && await sup.getAttribute(T('rev-item'), 'data-delivery') !== deliveryID; i++) {
    await sup.keyboard.press('j');
    await sleep(150);
  }
  check(await sup.getAttribute(T('rev-item'), 'data-delivery') === deliveryID, `the review queue never reached ${deliveryID}`);
  await sup.waitForSelector(`${T('rev-item')}[data-delivery="${deliveryID}"] ${T('rev-body')}[data-ready]`);
  const imgs = await sup.$$eval(`${T('rev-item')} img`, (els) => els.map((i) => ({ kind: i.dataset.testid, w: i.naturalWidth, src: i.src })));
  check(imgs.length >= 2 && imgs.every((i) => i.w > 0 && i.src.startsWith('blob:')), `the proofs are not visibly loaded: ${JSON.stringify(imgs)}`);
  log(`review: ${imgs.length} proof images loaded (${imgs.map((i) => `${i.kind} ${i.w}px`).join(', ')})`);
  await pictures('review', 'rev-item');
  await sup.keyboard.press('a');
  await sup.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('approved'), deliveryID);
  log(`approved ${deliveryID} with the keyboard`);
}

// settle counts the postman's cash in, balanced, and closes the settlement.
async function settle(postmanID, paise) {
  await sup.click(T('nav-cash'));
  await see(sup, 'screen-cash');
  await sup.click(T(`cash-open-${postmanID}`));
  await see(sup, 'cash-panel');
  await sup.fill(T('cash-amount'), String(paise / 100));
  await sup.click(T('cash-record'));
  await sup.waitForFunction(() => /Recorded/.test(document.querySelector('[data-testid=cash-status]')?.textContent || ''));
  check(/Balanced/.test(await text(sup, `cash-diff-${postmanID}`)), `after the handover: "${await text(sup, `cash-diff-${postmanID}`)}"`);
  await sup.click(T('cash-close'));
  await sup.click(T('cash-close-confirm'));
  await see(sup, 'cash-closed');
  await pictures('cash', 'cash-closed');
  log(`cash: ${paise} paise counted in, balanced, settlement closed`);
}

let result = {};
try {
  const stok = await token('supervisor1');
  const slot = await nextSlot(stok);
  log(`the next scheduled slot: ${slot.date} ${slot.slot}`);

  // ---- the supervisor builds and dispatches the slot ----
  await signInAt(sup, base, 'supervisor1');
  await sup.waitForURL(/\/console/, { timeout: STEP_MS });
  await see(sup, 'nav-slots');
  await lang('en', 'view');
  await scope(slot);
  const cards = await buildAndDispatch(slot);
  await pictures('dispatch', 'screen-slots');

  // ---- live progress, watched in Hindi ----
  const ptok = await token('postman1');
  const mine = (await api('GET', '/api/v1/me/manifests', ptok)).json.find((m) => m.date === slot.date && m.slot === slot.slot);
  check(mine && cards.some((c) => c.id === mine.id), `postman1 has no manifest among those dispatched: ${JSON.stringify(mine)}`);
  const { m, cod, other } = await doorFor(mine.id, ptok);
  await sup.click(T('nav-progress'));
  await see(sup, 'screen-progress');
  await lang('hi', `prog-bar-${m.beat_id}`);
  const before = await bars(m.beat_id);
  check(before.delivered === 0 && before.failed === 0 && before.pending > 0, `before the round: ${JSON.stringify(before)}`);

  // ---- the postman works the doors in the phone app ----
  await signInAt(post, base, 'postman1');
  await see(post, 'screen-today');
  await post.click(T(`today-tab-${slot.slot}`));
  await post.click(T(`today-manifest-${mine.id}`));
  await see(post, 'screen-manifest');
  const a = await deliver(mine.id, cod);
  const t0 = Date.now();
  await sup.waitForFunction((beat) => Number(document.querySelector(`[data-testid="prog-bar-${beat}"]`)?.dataset.delivered) === 1,
    m.beat_id, { timeout: LIVE_MS + 20_000 });
  const seenMS = Date.now() - t0;
  await fail(other);
  await sup.waitForFunction(([beat, n]) => Number(document.querySelector(`[data-testid="prog-bar-${beat}"]`)?.dataset.failed) === n,
    [m.beat_id, other.articles.length], { timeout: LIVE_MS + 20_000 });
  const after = await bars(m.beat_id);
  check(after.pending === before.pending - 1 - other.articles.length, `after the doors: ${JSON.stringify(after)} (before ${JSON.stringify(before)})`);
  check(/\d/.test(await text(sup, `prog-sync-${m.beat_id}`)), 'no last sync time for the postman');
  await pictures('progress', `prog-bar-${m.beat_id}`);
  log(`progress moved without a reload: delivery seen ${seenMS} ms after the phone saved it; ${JSON.stringify(after)}`);

  // ---- review with the keyboard, then the cash ----
  const dels = (await api('GET', `/api/v1/dcs/${DC}/deliveries?date=${slot.date}&slot=${slot.slot}`, stok)).json;
  const d = (dels.items || dels).find((x) => x.article_id === a.id && x.outcome === 'delivered');
  check(d, `the server has no delivery of ${a.id}`);
  await review(d.id);
  await settle(m.postman_id, a.cod_paise);

  noPageErrors();
  result = { date: slot.date, slot: slot.slot, manifests: cards.map((c) => c.id), manifest: mine.id, delivered: a.id, delivery: d.id,
    failed: other.articles.map((x) => x.id), postman: m.postman_id, cash_paise: a.cod_paise, seen_ms: seenMS };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  failed(err);
  for (const [p, name] of [[sup, 'supervisor'], [post, 'postman']]) {
    await p.screenshot({ path: join(shots, `fail-console-slot-${name}.png`), timeout: 3_000 }).catch(() => {});
    console.error(`----- ${name}:`, (await p.evaluate(() => document.body.innerText).catch(() => '(no answer)')).slice(0, 3000));
  }
} finally {
  await end(browser, watchdog);
}
