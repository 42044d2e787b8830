// End-to-end test of the door in Debian's headless Chromium, on a 360 × 740
// phone, driven by playwright-core. server/e2e_door_test.go
// (TestDoorEndToEnd) starts a real server on SQLite, loads the demo,
// dispatches a slot, runs this script and then checks the server side.
//
//   node e2e/door.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>
//
// What it does, as a postman would:
//   - typing where the phone cannot scan: headless Chromium on Linux has no
//     BarcodeDetector, so no scan button, and the number is typed;
//   - scanning where it can: a BarcodeDetector and a camera stream (a
//     canvas's captureStream) are injected before the app loads, so the
//     app's real code path (getUserMedia, detect on the video) runs; a
//     camera that refuses says so and typing still works;
//   - two doors a kilometre apart, one right after the other: the position
//     moves once each door is open, and each outcome must carry its own
//     door's position (the server must not flag far_from_address);
//   - a household: one article scanned, the others ticked, one code per
//     recipient (articles sharing an otp_group), signature, confirm, under
//     a 4× slower CPU; Next is within the 740 px screen on every step and
//     each step starts at the top.
// The last line printed is `E2E RESULT {json}` naming what the server must
// now show. Every wait is bounded; on a failure the script prints what the
// page showed, saves fail-*.png beside the screenshots and exits 1.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, control, shots] = process.argv.slice(2);
if (!base || !direct || !control || !shots) {
  console.error('usage: node e2e/door.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const STEP_MS = 10_000;
const WHOLE_MS = 150_000;
const PASSWORD = 'dakiya-demo';
const VIEW = { width: 360, height: 740 };
const T = (id) => `[data-testid="${id}"]`;
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const pageErrors = [];

class Check extends Error {}
function check(ok, msg) {
  if (!ok) throw new Check(msg);
}

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

// codeFor reads the code an SMS to phone gave for an article (alone or
// listed with the others of its group).
async function codeFor(phone, articleID) {
  const r = await api('GET', `/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
  check(r.status === 200, `dev sms: ${r.status} ${r.text}`);
  const code = r.json.messages.filter((m) => m.body.includes(articleID)).map((m) => /code (\d{6})/.exec(m.body)?.[1]).find(Boolean);
  check(code, `no code for ${articleID} among ${r.json.messages.length} messages to ${phone}`);
  return code;
}

// metres between two points, as the server measures.
function metres(a, b) {
  const rad = Math.PI / 180;
  const dlat = (b.lat - a.lat) * rad;
  const dlon = (b.lon - a.lon) * rad;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
const ctx = await browser.newContext({
  viewport: VIEW,
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'en-IN',
  timezoneId: 'Asia/Kolkata',
  geolocation: { latitude: 12.5, longitude: 77.0, accuracy: 30 }, // far from every door
  permissions: ['geolocation'],
  serviceWorkers: 'allow',
});

// The phone's camera, when the test asks for one (localStorage e2e.scan:
// "1" a camera and a detector, "deny" a camera that refuses): a
// BarcodeDetector that reads, from a live video only, the codes the test
// queues in window.__codes, and getUserMedia answering a canvas's stream.
await ctx.addInitScript(() => {
  const mode = localStorage.getItem('e2e.scan');
  if (!mode) return;
  window.__codes = [];
  window.__detects = 0;
  window.BarcodeDetector = class {
    constructor(opts) { window.__formats = opts?.formats; }
    static async getSupportedFormats() { return ['code_128', 'qr_code']; }
    async detect(src) {
      window.__detects += 1;
      if (!(src instanceof HTMLVideoElement) || !src.srcObject || src.readyState < 2) return [];
      const v = window.__codes.shift();
      return v ? [{ rawValue: v, format: 'code_128', boundingBox: new DOMRect(10, 60, 300, 120) }] : [];
    }
  };
  navigator.mediaDevices.getUserMedia = async (c) => {
    window.__constraints = c;
    if (mode === 'deny') throw new DOMException('Permission denied', 'NotAllowedError');
    const cv = document.createElement('canvas');
    cv.width = 320;
    cv.height = 240;
    const g = cv.getContext('2d');
    const draw = () => {
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#000';
      for (let x = 20; x < 300; x += 6) g.fillRect(x, 60, 1 + (x % 4), 120);
    };
    draw();
    window.__camera = setInterval(draw, 100);
    window.__stream = cv.captureStream(10);
    (window.__streams ||= []).push(window.__stream);
    return window.__stream;
  };
});

// The position watches the app holds open (watchPosition less clearWatch).
await ctx.addInitScript(() => {
  const geo = navigator.geolocation;
  const watch = geo.watchPosition.bind(geo);
  const clear = geo.clearWatch.bind(geo);
  window.__watches = new Set();
  geo.watchPosition = (...a) => { const id = watch(...a); window.__watches.add(id); return id; };
  geo.clearWatch = (id) => { window.__watches.delete(id); clear(id); };
});

let shotN = 0;
const bounded = (promise, ms, fallback) => Promise.race([promise.catch((e) => `(failed: ${e.message})`),
  new Promise((r) => setTimeout(() => r(fallback), ms))]);
async function dump(why) {
  console.error(`\n===== FAILED: ${why}`);
  for (const p of ctx.pages()) {
    const file = join(shots, `fail-door-${++shotN}.png`);
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

const page = await ctx.newPage();
page.setDefaultTimeout(STEP_MS);
page.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
page.on('console', (m) => {
  if (['error', 'warning'].includes(m.type()) && !m.text().startsWith('Failed to load resource')) log(`console ${m.type()}:`, m.text());
});
const shot = (name) => page.screenshot({ path: join(shots, `pwa-door-${name}.png`) });
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const see = (id, opts) => page.waitForSelector(T(id), opts);
const until = (fn, arg, timeout = STEP_MS) => page.waitForFunction(fn, arg, { timeout, polling: 50 });
const ev = (fn, arg) => page.evaluate(fn, arg);

// inView checks, at the start of a step, that the page is at its top and
// the step's button lies wholly within the screen, without scrolling.
async function inView(id, step) {
  const box = await ev((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return r && { top: r.top, bottom: r.bottom, y: scrollY, h: innerHeight };
  }, T(id));
  check(box, `${step}: no ${id}`);
  check(box.y === 0, `${step}: the step starts scrolled down by ${box.y}px`);
  check(box.top >= 0 && box.bottom <= box.h, `${step}: ${id} is at ${box.top}–${box.bottom}px, outside the ${box.h}px screen`);
}

// targets checks that everything the postman taps on the screen is at
// least 48 px high (a checkbox or radio counts by its label).
async function targets(step) {
  const small = await ev(() => [...document.querySelectorAll('#view :is(button, a, label.option, summary, select, input)')]
    .filter((el) => el.getClientRects().length && !['checkbox', 'radio', 'file'].includes(el.type))
    .map((el) => ({ what: el.dataset.testid || el.textContent.trim().slice(0, 30) || el.tagName, h: Math.round(el.getBoundingClientRect().height) }))
    .filter((x) => x.h < 48));
  check(small.length === 0, `${step}: touch targets under 48 px: ${JSON.stringify(small)}`);
}

// reload with the camera mode for the next page load.
async function camera(mode) {
  await ev((m) => (m ? localStorage.setItem('e2e.scan', m) : localStorage.removeItem('e2e.scan')), mode);
  await page.reload();
  await see('screen-manifest');
}

const openStop = async (s, action) => {
  await page.click(T(`stop-item-${s.stop_id}`));
  await see('screen-stop');
  await page.click(T(`stop-${action}`));
  await see(action === 'fail' ? 'screen-fail' : 'screen-deliver');
};

async function sign() {
  const pad = await (await see('signature-pad')).boundingBox();
  await page.mouse.move(pad.x + 20, pad.y + pad.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 16; i++) await page.mouse.move(pad.x + 20 + i * ((pad.width - 40) / 16), pad.y + pad.height / 2 + (i % 2 ? 25 : -25));
  await page.mouse.up();
}

try {
  await page.goto(`${base}/`);
  await see('screen-login');
  await page.fill(T('login-username'), 'postman1');
  await page.fill(T('login-password'), PASSWORD);
  await page.click(T('login-submit'));
  const card = await page.waitForSelector('[data-testid^="today-manifest-"]');
  const mid = (await card.getAttribute('data-testid')).replace('today-manifest-', '');
  await ev(() => navigator.serviceWorker.ready.then(() => true));
  const m = await ev(async (id) => (await import('/data.js')).manifest(id), mid);
  check(m && m.stops.length >= 4, `manifest ${mid} is not stored on the phone or has fewer than 4 stops`);
  await page.click(T(`today-manifest-${mid}`)); // (Today may render twice: click by selector)
  await see('screen-manifest');
  const stops = m.stops.filter((s) => s.lat != null);

  // The household: the stop whose recipient has the most coded articles
  // sharing one code (otp_group); at least two.
  const groups = (s) => {
    const g = new Map();
    for (const a of s.articles.filter((x) => x.otp_required && x.otp_group)) g.set(a.otp_group, [...(g.get(a.otp_group) || []), a]);
    return [...g.values()];
  };
  const shared = (s) => Math.max(0, ...groups(s).map((g) => g.length));
  const byShare = [...stops].sort((a, b) => shared(b) - shared(a) || b.articles.length - a.articles.length);
  const home = byShare[0];
  const grouped = shared(home) >= 2;
  check(home.articles.length >= 2, 'no stop on the manifest has two articles or more');
  check(grouped, 'no stop on this manifest has two articles sharing an otp_group: the household one-code check cannot run');
  log(`household: stop ${home.seq}, ${home.articles.length} articles, ${shared(home)} share one code`);

  // Two doors a kilometre apart (or as far apart as the beat allows).
  let pair = null;
  for (const a of stops) {
    for (const b of stops) {
      if (a === home || b === home || a === b) continue;
      const d = metres(a, b);
      if (!pair || Math.abs(d - 1000) < Math.abs(pair.d - 1000)) pair = { a, b, d };
    }
  }
  check(pair && pair.d > 400, `no two doors far enough apart (${pair?.d} m)`);
  log(`doors ${pair.a.seq} and ${pair.b.seq}, ${Math.round(pair.d)} m apart`);

  // ---- typing where the phone cannot scan ----
  await openStop(home, 'deliver');
  check(!(await ev(() => 'BarcodeDetector' in window)), 'this Chromium has a BarcodeDetector: the fallback is not tested');
  await page.waitForTimeout(300);
  check(!(await page.$(T('deliver-scan'))), 'a scan button is offered without a BarcodeDetector');
  await page.fill(T('deliver-s10-input'), home.articles[0].id);
  await page.click(T('deliver-s10-add'));
  await page.waitForSelector(`${T(`deliver-article-${home.articles[0].id}`)}[data-confirmed="true"]`);
  await page.click(T('back-stop'));
  await see('screen-stop');
  await page.click(T('back-manifest'));
  await see('screen-manifest');
  log('no detector: no scan button, the number typed');

  // ---- a camera that refuses ----
  await camera('deny');
  await openStop(home, 'deliver');
  await page.click(T('deliver-scan'));
  await until(() => /camera/i.test(document.querySelector('[data-testid=deliver-s10-message]')?.textContent || ''));
  check(await page.isHidden(T('scan-video')), 'the video shows for a camera that refused');
  await page.click(T('back-stop'));
  await page.click(T('back-manifest'));
  log('a camera that refuses: said so, typing still there');

  // ---- the household in Hindi, for the screenshot (nothing saved) ----
  await camera('1');
  await page.click(T('lang-toggle'));
  await until(() => document.documentElement.lang === 'hi');
  await see('screen-manifest');
  await openStop(home, 'deliver');
  await page.click(T('deliver-scan'));
  await see('scan-video', { state: 'visible' });
  await ev((id) => window.__codes.push(id), home.articles[0].id);
  await page.waitForSelector(`${T(`deliver-article-${home.articles[0].id}`)}[data-confirmed="true"]`);
  await see('scan-video', { state: 'hidden' }); // a code read stops the camera
  await page.click(T(`deliver-tick-${home.articles[1].id}`));
  await ev(() => scrollTo(0, document.querySelector('[data-testid=deliver-s10-input]').getBoundingClientRect().top + scrollY - 76));
  await shot('household-hi');
  // A camera left on stops when the door is left.
  await page.click(T('deliver-scan'));
  await see('scan-video', { state: 'visible' });
  await page.click(T('back-stop'));
  await until(() => window.__stream.getTracks().every((tr) => tr.readyState === 'ended'), null, 3_000);
  // Scan tapped twice before the camera opened: still one camera, stopped
  // when the door is left.
  await page.click(T('back-manifest'));
  await openStop(home, 'deliver');
  await ev(() => { window.__streams = []; const b = document.querySelector('[data-testid=deliver-scan]'); b.click(); b.click(); });
  await page.waitForTimeout(500);
  await page.click(T('back-stop'));
  await see('screen-stop');
  await page.waitForTimeout(500);
  const live = await ev(() => window.__streams.filter((st) => st.getTracks().some((tr) => tr.readyState !== 'ended')).length);
  check(live === 0, `${live} camera stream(s) still on after a double tap on Scan and leaving the door`);
  // A door screen whose render is overtaken (the address changed while it
  // was drawn) is never shown: its position watch must end too.
  await ev((back) => {
    addEventListener('hashchange', () => { location.hash = back; }, { once: true });
    location.hash = `${back}/deliver`;
  }, await ev(() => location.hash));
  await page.waitForTimeout(1_500);
  await see('screen-stop');
  const watching = await ev(() => window.__watches.size);
  check(watching === 0, `${watching} position watch(es) still running with no door on screen`);
  await page.click(T('lang-toggle'));
  await until(() => document.documentElement.lang === 'en');
  await page.click(T('back-manifest'));
  await see('screen-manifest');

  // ---- two doors, one right after the other ----
  const doors = [];
  const began = Date.now();
  for (const s of [pair.a, pair.b]) {
    await openStop(s, 'fail');
    // The phone moves to this door; the previous door's fix is no use here.
    await ctx.setGeolocation({ latitude: s.lat, longitude: s.lon, accuracy: 9 });
    await page.check(`${T('fail-reason-01')} input`);
    await until(() => /±\s*9 m, \d+ s ago/.test(document.querySelector('[data-testid=gps-status]')?.textContent || ''));
    const line = await text('gps-status');
    await ev(() => scrollTo(0, 0));
    await inView('fail-confirm', `door ${s.seq}`); // a long form; its button stays in view
    await page.click(T('fail-confirm'));
    await see('screen-manifest');
    doors.push({ stop: s.stop_id, articles: s.articles.map((a) => a.id), lat: s.lat, lon: s.lon });
    log(`door ${s.seq}: failed attempt saved, "${line}"`);
  }
  const took = Date.now() - began;
  check(took <= 5_000, `the two doors took ${took} ms, not within 5 s`);
  log(`two doors ${Math.round(pair.d)} m apart in ${took} ms`);

  // ---- the household, at once, on a slow phone ----
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await openStop(home, 'deliver');
  await ctx.setGeolocation({ latitude: home.lat, longitude: home.lon, accuracy: 11 });
  await inView('deliver-next', 'confirm');
  check(await page.isDisabled(T('deliver-next')), 'Next is enabled with nothing confirmed');
  check(await page.isDisabled(T(`deliver-tick-${home.articles[1].id}`)), 'articles can be ticked before one is scanned or typed');
  await page.click(T('deliver-scan'));
  await see('scan-video', { state: 'visible' });
  await ev((id) => window.__codes.push(id), home.articles[0].id);
  await page.waitForSelector(`${T(`deliver-article-${home.articles[0].id}`)}[data-confirmed="true"]`);
  const cam = await ev(() => ({ formats: window.__formats, facing: window.__constraints?.video?.facingMode, detects: window.__detects }));
  check(cam.formats?.includes('code_128') && cam.facing === 'environment' && cam.detects > 0,
    `the scan did not go through the camera and the detector: ${JSON.stringify(cam)}`);
  await see('scan-video', { state: 'hidden' });
  check(await ev(() => !document.querySelector('[data-testid=scan-video]').srcObject), 'the camera is still on after a code was read');
  for (const a of home.articles.slice(1)) await page.click(T(`deliver-tick-${a.id}`));
  for (const a of home.articles) await page.waitForSelector(`${T(`deliver-article-${a.id}`)}[data-confirmed="true"]`);
  await ev(() => scrollTo(0, document.querySelector('[data-testid=deliver-s10-input]').getBoundingClientRect().top + scrollY - 76));
  await shot('household');
  await ev(() => scrollTo(0, 0));
  await inView('deliver-next', 'confirm, all ticked');
  await targets('confirm, all ticked');
  await page.click(T('deliver-next'));

  // One code per recipient: the code steps ask once per otp_group.
  let codeSteps = 0;
  const coded = home.articles.filter((a) => a.otp_required);
  const verified = new Set();
  while (await page.$(T('otp-keypad'))) {
    codeSteps += 1;
    await inView('otp-next', `code ${codeSteps}`);
    await targets(`code ${codeSteps}`);
    const ids = (await text('otp-articles')).split(' · ');
    const code = await codeFor(home.phone, ids[0]);
    for (const d of code) await page.click(T(`otp-key-${d}`));
    check(/accepted/.test(await text('otp-message')), `code for ${ids} refused: "${await text('otp-message')}"`);
    ids.forEach((id) => verified.add(id));
    await page.click(T('otp-next'));
    await page.waitForFunction((n) => !document.querySelector('[data-testid=otp-articles]') ||
      document.querySelector('[data-testid=deliver-step]')?.textContent.includes(String(n + 2)), codeSteps);
  }
  const wantSteps = new Set(coded.map((a) => a.otp_group || a.id)).size;
  check(codeSteps === wantSteps && verified.size === coded.length,
    `${codeSteps} code steps for ${coded.length} coded articles in ${wantSteps} groups (verified ${[...verified]})`);
  if (grouped) check(codeSteps < coded.length, 'articles sharing an otp_group were asked their code separately');
  await inView('sign-next', 'signature');
  await sign();
  await page.click(T('sign-next'));
  await inView('photo-next', 'photo');
  await until(() => /±\s*11 m/.test(document.querySelector('[data-testid=gps-status]')?.textContent || ''));
  await page.click(T('photo-next'));
  if (await page.$(T('cod-next'))) {
    await inView('cod-next', 'cash');
    await page.click(T('cod-next'));
  }
  await see('deliver-summary');
  await inView('deliver-confirm', 'review');
  await targets('review');
  await until(() => /ready/i.test(document.querySelector('[data-testid=sign-progress]')?.textContent || ''));
  // confirm → back on the list, timed in the page (the click to the list
  // on screen), not by the driver's polling.
  await ev(() => {
    window.__confirmMs = null;
    const mo = new MutationObserver(() => {
      if (document.querySelector('[data-testid=screen-manifest]')) { window.__confirmMs = performance.now() - window.__t0; mo.disconnect(); }
    });
    mo.observe(document.body, { childList: true, subtree: true });
    document.querySelector('[data-testid=deliver-confirm]').addEventListener('click', () => { window.__t0 = performance.now(); },
      { capture: true, once: true });
  });
  await page.click(T('deliver-confirm'));
  await see('screen-manifest');
  await until(() => window.__confirmMs !== null);
  const confirmMs = Math.round(await ev(() => window.__confirmMs));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  log(`household of ${home.articles.length} confirmed at once with ${codeSteps} code step(s); confirm → list ${confirmMs} ms at 4× CPU`);

  await until(() => /✓/.test(document.querySelector('[data-testid=sync-badge]')?.textContent || ''), null, 30_000);

  // ---- a door on a hanging line, with Hindi's book not on the phone ----
  // (a first day, before the worker cached it): the door still opens.
  const other = stops.find((s) => s !== home && s !== pair.a && s !== pair.b);
  await ev(async () => {
    for (const k of await caches.keys()) if (k.startsWith('shell-')) await (await caches.open(k)).delete('/locales/hi.js');
  });
  await page.reload();
  await see('screen-manifest');
  const hang = await fetch(`${control}?mode=hang`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
  check(hang.ok, `proxy control: ${hang.status}`);
  try {
    await openStop(other, 'fail');
  } finally {
    await fetch(`${control}?mode=pass`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
  }
  await page.click(T('back-stop'));
  await see('screen-stop');
  log('a door on a hanging line without the Hindi book: opened');

  // A manifest the phone does not hold (its fetch timed out): said so, with
  // the way back, not a blank or unchanged screen.
  await ev(() => { location.hash = '#/m/not-on-this-phone'; });
  await see('screen-error');
  check(/not on the phone/.test(await text('screen-error')), `missing manifest: ${await text('screen-error')}`);
  await page.click(T('back-today'));
  await see('screen-today');
  log('a manifest not on the phone: said so');

  // The sync screen redrawn by the outbox (each pass) keeps the postman's
  // place in it; only a new screen starts at the top.
  await page.setViewportSize({ width: 360, height: 300 });
  await page.click(T('sync-status'));
  await see('screen-sync');
  await ev(() => scrollTo(0, document.body.scrollHeight));
  const down = await ev(() => scrollY);
  check(down > 0, 'the sync screen does not scroll at 300 px');
  await ev(async () => (await import('/outbox.js')).drain());
  await page.waitForTimeout(500);
  const after = await ev(() => scrollY);
  check(after === down, `the sync screen jumped from ${down} to ${after} px when the outbox changed`);
  await page.setViewportSize(VIEW);
  await page.click(T('back-today'));
  await see('screen-today');
  check(await ev(() => scrollY) === 0, 'Today opened scrolled down');
  log('the sync screen keeps its place when redrawn');

  check(pageErrors.length === 0, `uncaught errors in the app: ${pageErrors.join(' | ')}`);
  const result = {
    manifest: mid, date: m.date, slot: m.slot, doors,
    household: { articles: home.articles.map((a) => a.id), coded: coded.map((a) => a.id), lat: home.lat, lon: home.lon, grouped,
      code_steps: codeSteps, confirm_ms: confirmMs },
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
  process.exit(process.exitCode ?? 0);
}
