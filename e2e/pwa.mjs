// End-to-end test of the postman's app in Debian's headless Chromium,
// driven by playwright-core. server/e2e_test.go (TestPWAEndToEnd) starts a
// real server on SQLite and an S3 gateway, loads the demo, dispatches a
// slot, runs this script and then checks the server side itself.
//
//   node e2e/pwa.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>
//
// The browser reaches the server only through a TCP proxy (the phone URL)
// that the Go test controls: POST <control>?mode=refuse|reset|hang|pass.
// "Offline" here cuts that proxy as well as setting Playwright's offline
// flag (for navigator.onLine), because setOffline alone does not cut a
// service worker's requests (microsoft/playwright#2311). The script's own
// requests, as the supervisor and the recipient, use the direct URL.
//
// The beat, as a postman would do it: log in as postman1, the manifest
// loads, the first door's code is read from the development SMS outbox
// while online; then offline: reload (the app must start from its cache),
// deliver one article (a wrong S10 check digit and a wrong code are caught
// on the phone first) with the code, a drawn signature, a photo and the
// mocked position; a failed attempt at another door; a failed attempt at a
// third door whose article a supervisor has meanwhile taken off the
// manifest; close the page, open a new one, still offline; go online, the
// outbox drains and the refused outcome waits on the sync screen with Try
// again and Discard; discard it. The last line printed is
// `E2E RESULT {json}` naming what the server must now show.
//
// Every wait is bounded; on a failure the script prints what each page
// showed, saves fail-*.png beside the screenshots and exits 1.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, control, shots] = process.argv.slice(2);
if (!base || !direct || !control || !shots) {
  console.error('usage: node e2e/pwa.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const STEP_MS = 10_000; // any one wait
const SYNC_MS = 30_000; // the outbox draining once online
const WHOLE_MS = 120_000; // the whole script
const PASSWORD = 'dakiya-demo';
const T = (id) => `[data-testid="${id}"]`;
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const pageErrors = [];

class Check extends Error {}
function check(ok, msg) {
  if (!ok) throw new Check(msg);
}

// --- the server, as the recipient's phone and the supervisor see it ----

async function api(method, path, token, body) {
  const res = await fetch(direct + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(STEP_MS),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function token(username) {
  const r = await api('POST', '/api/v1/auth/login', '', { username, password: PASSWORD });
  check(r.status === 200, `login ${username}: ${r.status} ${r.text}`);
  return r.json.access_token;
}

// codeFor reads an article's code from the development SMS outbox.
async function codeFor(phone, articleID) {
  const r = await api('GET', `/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
  check(r.status === 200, `dev sms: ${r.status} ${r.text}`);
  const re = new RegExp(`${articleID}\\b.*? code (\\d{6}) `); // one SMS may list a household's articles
  const code = r.json.messages.map((m) => re.exec(m.body)?.[1]).find(Boolean);
  check(code, `no code for ${articleID} among ${r.json.messages.length} messages to ${phone}`);
  return code;
}

// --- the browser --------------------------------------------------------

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({
  viewport: { width: 412, height: 860 },
  deviceScaleFactor: 1,
  locale: 'en-IN',
  timezoneId: 'Asia/Kolkata',
  geolocation: { latitude: 12.9352, longitude: 77.6245, accuracy: 12 },
  permissions: ['geolocation'],
  serviceWorkers: 'allow',
});

// dialogs: the next confirm() the test expects (accepted), and every one seen.
let expectDialog = null;
const dialogs = [];

function watch(p) {
  p.setDefaultTimeout(STEP_MS);
  p.setDefaultNavigationTimeout(STEP_MS);
  p.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
  // (A failed request is expected offline and for the refused outcome.)
  p.on('console', (m) => {
    if (['error', 'warning'].includes(m.type()) && !m.text().startsWith('Failed to load resource')) log(`console ${m.type()}:`, m.text());
  });
  p.on('dialog', (d) => {
    dialogs.push(d.message());
    const ok = expectDialog?.test(d.message());
    log(`dialog "${d.message()}": ${ok ? 'accepted' : 'dismissed (not expected)'}`);
    (ok ? d.accept() : d.dismiss()).catch(() => {});
  });
  return p;
}

// bounded gives up on a promise after ms, with fallback.
const bounded = (promise, ms, fallback) => Promise.race([promise.catch((e) => `(failed: ${e.message})`),
  new Promise((r) => setTimeout(() => r(fallback), ms))]);

let shotN = 0;
// dump prints what every open page shows, with a screenshot of each; it
// never waits long for a page that does not answer.
async function dump(why) {
  console.error(`\n===== FAILED: ${why}`);
  for (const p of ctx.pages()) {
    const file = join(shots, `fail-${++shotN}.png`);
    await bounded(p.screenshot({ path: file, timeout: 3_000 }), 4_000);
    const text = await bounded(p.evaluate(() => document.body.innerText), 3_000, '(the page does not answer)');
    console.error(`----- page ${p.url()} (screenshot ${file}):\n${String(text).slice(0, 4000)}\n-----`);
  }
  if (pageErrors.length) console.error('page errors:', pageErrors);
}

const watchdog = setTimeout(async () => {
  setTimeout(() => process.exit(1), 15_000).unref();
  await dump(`the whole run took longer than ${WHOLE_MS / 1000}s`);
  process.exit(1);
}, WHOLE_MS);

let page = watch(await ctx.newPage());
const shot = (name) => page.screenshot({ path: join(shots, `pwa-${name}.png`) });
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const see = (id, opts) => page.waitForSelector(T(id), opts);
// until waits for fn(arg) in the page to be truthy.
const until = (fn, arg, timeout = STEP_MS) => page.waitForFunction(fn, arg, { timeout, polling: 100 });
// ev runs fn(arg) in the page, for at most one step's time.
function ev(fn, arg) {
  let timer;
  return Promise.race([page.evaluate(fn, arg).finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Check(`a script in the page ran over ${STEP_MS / 1000}s: ${fn}`)), STEP_MS); })]);
}
// poll waits for an async fn(arg) in the page to be truthy
// (waitForFunction does not wait for promises).
async function poll(what, fn, arg, timeout = STEP_MS) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await ev(fn, arg)) return;
    check(Date.now() < end, `waited ${timeout / 1000}s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
// stats is the app's own count of its outbox.
const stats = () => ev(async () => (await import('/outbox.js')).stats());

// cannotReach proves the phone is cut off: requests the service worker has
// no copy of fail, both straight from the page and through the worker.
// The today screen must say so too (the worker marks answers it served
// from its cache, so the app does not take them for the network).
async function cannotReach(mid) {
  const got = await ev(async (id) => {
    const s = JSON.parse(localStorage.getItem('dk.session'));
    const out = [];
    for (const u of ['/api/v1/me', `/api/v1/manifests/${id}?offline-probe=${Date.now()}`]) {
      try {
        out.push(`${u}: HTTP ${(await fetch(u, { headers: { Authorization: `Bearer ${s.access}` } })).status}`);
      } catch { /* the network is gone, as it should be */ }
    }
    return out;
  }, mid);
  check(got.length === 0, `offline, yet the server answered: ${got.join(', ')}`);
  // And the road itself is cut, whatever the browser makes of its flag.
  const through = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => null);
  check(through === null, `offline, yet the phone's network path answered HTTP ${through}`);
}

// network switches the proxy between the phone and the server.
async function network(mode) {
  const r = await fetch(`${control}?mode=${mode}`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
  check(r.status === 204, `network control ${mode}: ${r.status} ${await r.text()}`);
}

// setOffline cuts the phone off for real (the proxy refuses or resets its
// connections) and tells the page (navigator.onLine), or restores both.
async function setOffline(off, mode = 'refuse') {
  await network(off ? mode : 'pass');
  // A page opened in a context that is already offline is not told so by
  // Debian's Chromium 148 (navigator.onLine stays true): set the emulation
  // afresh, through online (the proxy has cut the network already), so
  // every page hears of it.
  if (off) await ctx.setOffline(false);
  await ctx.setOffline(off);
  // Chromium tells a page of the change asynchronously: wait for it.
  const told = await until((want) => navigator.onLine === want, !off, 5000).then(() => true, () => false);
  check(told, `navigator.onLine did not become ${!off}`);
  log(off ? `OFFLINE (${mode})` : 'ONLINE');
}

try {
  // ---- online: log in, the manifest loads ----
  await page.goto(`${base}/`);
  await see('screen-login');
  await page.fill(T('login-username'), 'postman1');
  await page.fill(T('login-password'), PASSWORD);
  await page.click(T('login-submit'));
  await see('screen-today');
  const card = await page.waitForSelector('[data-testid^="today-manifest-"]');
  const mid = (await card.getAttribute('data-testid')).replace('today-manifest-', '');
  // The service worker has precached the shell once it is active.
  await ev(() => navigator.serviceWorker.ready.then(() => true));
  const m = await ev(async (id) => (await import('/data.js')).manifest(id), mid);
  check(m && m.stops.length >= 4, `manifest ${mid} is not stored on the phone or has fewer than 4 stops`);
  log(`manifest ${mid}: ${m.date} ${m.slot}, ${m.stops.length} stops`);

  // The doors: a delivery needing a code and no cash, two failed attempts
  // and one with cash for the UPI screen; single-article doors first.
  const stops = [...m.stops].sort((a, b) => a.seq - b.seq).filter((s) => s.lat != null);
  const single = (s) => s.articles.length === 1;
  const pick = (ok) => stops.find((s) => ok(s) && single(s) && !used.has(s)) || stops.find((s) => ok(s) && !used.has(s));
  const used = new Set();
  const take = (ok, what) => { const s = pick(ok); check(s, `no stop for ${what}`); used.add(s); return s; };
  const s1 = take((s) => s.articles.some((a) => a.otp_required && a.cod_paise === 0), 'a delivery with a code');
  const a1 = s1.articles.find((a) => a.otp_required && a.cod_paise === 0);
  const s2 = take(() => true, 'a failed attempt');
  const s3 = take(() => true, 'a refused outcome');
  const sCOD = pick((s) => s.articles.some((a) => a.cod_paise > 0));

  // ---- the recipient's code, read while online ----
  const code = await codeFor(s1.phone, a1.id);
  log(`door 1: stop ${s1.seq} ${s1.stop_id}, article ${a1.id}, code read from the SMS outbox`);
  await card.click();
  await see('screen-manifest');
  await see(`stop-item-${s1.stop_id}`);
  await page.click(T('back-today'));
  await see('screen-today');

  // ---- offline: the app must start from its cache ----
  await setOffline(true);
  await page.reload();
  await see('screen-today');
  await cannotReach(mid);
  check(await ev(() => navigator.serviceWorker.controller !== null), 'the page is not controlled by the service worker');
  await page.waitForSelector(`${T(`today-manifest-${mid}`)}`);
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('Offline'), T('sync-status'), { timeout: STEP_MS });
  await shot('today-offline');
  log('started offline from the cache; manifest on screen');

  // A supervisor takes door 3's articles off the manifest meanwhile.
  const sup = await token('supervisor1');
  const am = await api('POST', `/api/v1/manifests/${mid}/amend`, sup, { remove: s3.articles.map((a) => a.id) });
  check(am.status === 200, `amend: ${am.status} ${am.text}`);
  log(`supervisor took ${s3.articles.map((a) => a.id)} off the manifest`);

  // ---- door 1: deliver ----
  await page.click(T(`today-manifest-${mid}`));
  await see('screen-manifest');
  await page.click(T(`stop-item-${s1.stop_id}`));
  await see('screen-stop');
  await shot('stop');
  await page.click(T('stop-deliver'));
  await see('screen-deliver');
  // The phone keeps only fixes taken since the door was opened.
  await ctx.setGeolocation({ latitude: s1.lat, longitude: s1.lon, accuracy: 12 });
  // A typo in the check digit is caught on the phone.
  const typo = a1.id.slice(0, 10) + ((Number(a1.id[10]) + 1) % 10) + a1.id.slice(11);
  await page.fill(T('deliver-s10-input'), typo);
  await page.click(T('deliver-s10-add'));
  check(/check digit/.test(await text('deliver-s10-message')), `typo ${typo} not caught: "${await text('deliver-s10-message')}"`);
  check(await page.isDisabled(T('deliver-next')), 'Next is enabled with no article confirmed');
  await page.fill(T('deliver-s10-input'), a1.id.toLowerCase());
  await page.click(T('deliver-s10-add'));
  await page.waitForSelector(`${T(`deliver-article-${a1.id}`)}[data-confirmed="true"]`);
  await page.click(T('deliver-next'));
  await see('otp-keypad');
  // A wrong code that the manifest's otp_check rules out is refused offline.
  const wrong = await ev(async ([chk, c]) => {
    const { otpPasses } = await import('/check.js');
    for (let i = 1; i < 1000; i++) {
      const w = String((Number(c) + i) % 1_000_000).padStart(6, '0');
      if (!otpPasses(chk, w)) return w;
    }
    return null;
  }, [a1.otp_check, code]);
  check(wrong, 'no wrong code found that the check rules out');
  for (const d of wrong) await page.click(T(`otp-key-${d}`));
  check(/not right/.test(await text('otp-message')), `wrong code ${wrong} not refused: "${await text('otp-message')}"`);
  check(await page.isDisabled(T('otp-next')), 'Next is enabled after a wrong code');
  log('wrong S10 check digit and wrong code both refused offline');
  for (const d of code) await page.click(T(`otp-key-${d}`));
  check(/accepted/.test(await text('otp-message')), `right code refused: "${await text('otp-message')}"`);
  await shot('otp');
  await page.click(T('otp-next'));
  // A signature drawn with the pointer.
  const pad = await (await see('signature-pad')).boundingBox();
  await page.mouse.move(pad.x + 20, pad.y + pad.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    await page.mouse.move(pad.x + 20 + i * ((pad.width - 40) / 24), pad.y + pad.height / 2 + (i % 2 ? 30 : -30) * Math.sin(i / 3), { steps: 2 });
  }
  await page.mouse.up();
  await shot('signature');
  await page.click(T('sign-next'));
  // A photo from the "camera": a 1600 × 1200 JPEG, downscaled on the phone.
  const jpeg = Buffer.from(await ev(async () => {
    const c = new OffscreenCanvas(1600, 1200);
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, 1200);
    sky.addColorStop(0, '#d9c7a7');
    sky.addColorStop(1, '#8a6f4e');
    g.fillStyle = sky;
    g.fillRect(0, 0, 1600, 1200);
    g.fillStyle = '#5b3a1e';
    g.fillRect(560, 220, 480, 900); // a door
    g.fillStyle = '#c9a227';
    g.beginPath();
    g.arc(980, 680, 22, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#b3261e';
    g.fillRect(700, 1020, 200, 100); // a parcel
    const b = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await b.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return btoa(bin);
  }), 'base64');
  await page.setInputFiles(T('photo-input'), { name: 'door.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await until(() => /KB/.test(document.querySelector('[data-testid=photo-size]')?.textContent || ''));
  await until(() => /±/.test(document.querySelector('[data-testid=gps-status]')?.textContent || ''));
  log(`photo ${Math.round(jpeg.length / 1024)} KB in, "${await text('photo-size')}"; "${await text('gps-status')}"`);
  await page.click(T('photo-next'));
  await see('deliver-summary');
  check((await text('deliver-summary')).includes(a1.id), 'the summary does not name the article');
  await page.click(T('deliver-confirm'));
  await see('screen-manifest');
  if (s1.articles.length === 1) await until((id) => document.querySelector(`[data-testid="stop-item-${id}"]`)?.classList.contains('done'), s1.stop_id);
  log(`delivered ${a1.id} (offline, in the outbox)`);

  // ---- doors 2 and 3: failed attempts ----
  const fail = async (s, reason, name) => {
    await page.click(T(`stop-item-${s.stop_id}`));
    await see('screen-stop');
    await page.click(T('stop-fail'));
    await see('screen-fail');
    await ctx.setGeolocation({ latitude: s.lat, longitude: s.lon, accuracy: 15 });
    await page.check(`${T(`fail-reason-${reason}`)} input`);
    await until(() => /±/.test(document.querySelector('[data-testid=gps-status]')?.textContent || ''));
    if (name) await shot(name);
    await page.click(T('fail-confirm'));
    await see('screen-manifest');
    log(`failed attempt at stop ${s.seq} (${s.articles.map((a) => a.id)}), reason ${reason}`);
  };
  await fail(s2, '08', 'fail');
  await fail(s3, '01');
  const sent = await stats();
  const want = 2 + 1 + s2.articles.length + s3.articles.length;
  check(sent.pending === want && sent.errors === 0, `outbox holds ${JSON.stringify(sent)}, want ${want} pending`);

  // ---- close the page and open a new one, still offline ----
  await page.close();
  page = watch(await ctx.newPage());
  await page.goto(`${base}/#/sync`);
  await see('screen-sync');
  const rows = await page.$$('[data-testid^="outbox-item-"]');
  check(rows.length === want, `after reopening offline the outbox shows ${rows.length} items, want ${want}`);
  check(/offline/i.test(await page.textContent(`${T('sync-status')} strong`)), 'the sync screen does not say offline');
  log(`page reopened offline: ${rows.length} items waiting`);
  // Another way to be cut off: the network accepts and resets.
  await setOffline(true, 'reset');
  await cannotReach(mid);
  check((await stats()).pending === want, 'items left the outbox while the network reset every connection');

  // ---- online: the outbox drains; the refused outcome waits ----
  await ev(() => { window.__wentOnline = false; addEventListener('online', () => { window.__wentOnline = true; }); });
  await setOffline(false);
  await until(() => window.__wentOnline, null, STEP_MS);
  await poll('the outbox to drain', async () => {
    const s = await (await import('/outbox.js')).stats();
    return s.pending === 0 && s.errors > 0;
  }, null, SYNC_MS);
  const after = await stats();
  check(after.errors === s3.articles.length, `after sync ${JSON.stringify(after)}, want ${s3.articles.length} refused`);
  await page.click(T('sync-now'));
  const errRow = await page.waitForSelector('[data-testid^="outbox-error-"]');
  const errText = (await errRow.textContent()).trim();
  check(/404/.test(errText), `the refusal shown is "${errText}", want a 404`);
  const eid = (await errRow.getAttribute('data-testid')).replace('outbox-error-', '');
  await see(`outbox-retry-${eid}`);
  await see(`outbox-discard-${eid}`);
  check(/^!/.test(await text('sync-badge')), `badge "${await text('sync-badge')}" does not warn`);
  await shot('sync-error');
  log(`synced; refused outcome shown: "${errText}"`);
  // Try again: refused again, same answer (the server replays it).
  const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/deliveries') && r.request().method() === 'POST');
  await page.click(T(`outbox-retry-${eid}`));
  check((await again).status() === 404, 'Try again did not send the outcome again, or got another answer');
  await poll('the retried outcome to be refused again', async (id) => (await (await import('/db.js')).get('outbox', id))?.state === 'error', eid);
  await page.click(T('sync-now'));
  await see(`outbox-error-${eid}`);
  // Discard, confirming the question.
  expectDialog = /^Discard this\?/;
  for (let i = s3.articles.length; i > 0; i--) {
    const seen = dialogs.length;
    await page.click('[data-testid^="outbox-discard-"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="outbox-error-"]').length < n, i);
    check(dialogs.length === seen + 1, 'Discard asked no question');
  }
  expectDialog = null;
  await see('outbox-empty');
  const final = await stats();
  check(final.pending === 0 && final.errors === 0, `outbox not empty: ${JSON.stringify(final)}`);
  await until(() => /✓/.test(document.querySelector('[data-testid=sync-badge]')?.textContent || ''));
  log('outbox empty');

  // ---- today, synced; then the UPI QR and Hindi for the screenshots ----
  await page.click(T('back-today'));
  await see('screen-today');
  await until(() => /online/i.test(document.querySelector('[data-testid=sync-status] strong')?.textContent || ''));
  await until(() => !/^0/.test(document.querySelector('[data-testid=progress-delivered]')?.textContent || '0'));
  await shot('today');
  if (sCOD) {
    const c = sCOD.articles.find((a) => a.cod_paise > 0);
    await page.click(T(`today-manifest-${mid}`));
    await page.click(T(`stop-item-${sCOD.stop_id}`));
    await page.click(T('stop-deliver'));
    for (const a of sCOD.articles) {
      await page.fill(T('deliver-s10-input'), a.id);
      await page.click(T('deliver-s10-add'));
    }
    await page.click(T('deliver-next'));
    for (let i = 0; i < sCOD.articles.length && (await page.$(T('otp-keypad'))); i++) {
      await page.click(`${T('otp-no-code')} summary`);
      await page.selectOption(T('otp-id-type'), 'aadhaar');
      await page.fill(T('otp-id-last4'), '1234');
      await page.fill(T('otp-id-name'), 'Test Recipient');
      await page.click(T('otp-id-use'));
    }
    await page.click(T('sign-next'));
    await page.click(T('photo-next'));
    await page.click(`${T(`cod-upi-${c.id}`)} input`);
    await see(`cod-qr-${c.id}`);
    await shot('cod-upi');
    await page.click(T('back-stop')); // nothing saved
    log(`UPI QR drawn for ${c.id}`);
  } else {
    log('no COD stop on this manifest: no UPI screenshot');
  }
  await page.goto(`${base}/#/`);
  await see('screen-today');
  await page.click(T('lang-toggle'));
  await until(() => document.documentElement.lang === 'hi');
  await shot('today-hi');
  await page.click(T('lang-toggle'));
  check(pageErrors.length === 0, `uncaught errors in the app: ${pageErrors.join(' | ')}`);

  const result = {
    manifest: mid, date: m.date, slot: m.slot,
    delivered: { article: a1.id, lat: s1.lat, lon: s1.lon, accuracy_m: 12 },
    failed: s2.articles.map((a) => a.id), reason: '08',
    refused: s3.articles.map((a) => a.id),
  };
  log('done');
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  setTimeout(() => process.exit(1), 30_000).unref();
  await dump(err instanceof Check ? err.message : err.stack || String(err));
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await bounded(browser.close(), 10_000);
  process.exit(process.exitCode ?? 0); // nothing left open may hold the run
}
