// End-to-end test of the recipients' pages and of how the app's files
// travel, in Debian's headless Chromium, driven by playwright-core.
// server/e2e_static_test.go (TestStaticEndToEnd) starts a real server with
// the demo data, runs this script and checks the server side.
//
//   node e2e/static.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>
//
// What a recipient does: tracks a scheduled article in English on a phone
// whose clock is in New York (times must still read as the centre's, in
// Kolkata, without seconds), sees readable events and the booked window,
// switches to Hindi, reloads (Hindi is remembered); a phone set to Hindi
// opens the page in Hindi; the slot link from the SMS shows the window
// times in both languages and takes a new slot; a broken link says so in
// Hindi. Along the way every app file is checked to arrive br-encoded and
// to be revalidated (304) on reload; the postman's first load is measured
// on the throttled profile with and without the modulepreload list. The
// last line is `E2E RESULT {json}`.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, control, shots] = process.argv.slice(2);
if (!base || !direct || !control || !shots) {
  console.error('usage: node e2e/static.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const STEP_MS = 10_000;
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

// hm12 writes an RFC 3339 time's wall clock as en-IN does: 17:05 → 5:05 pm.
function hm12(rfc) {
  const [h, m] = rfc.slice(11, 16).split(':').map(Number);
  return `${h % 12 || 12}:${String(m).padStart(2, '0')} ${h < 12 ? 'am' : 'pm'}`;
}

// A scheduled article of the demo, and its slot link from the SMS outbox.
async function recipient() {
  const login = await api('POST', '/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' });
  check(login.status === 200, `login: ${login.status}`);
  const sup = login.json.access_token;
  const list = await api('GET', '/api/v1/dcs/blr-koramangala/articles?status=scheduled&limit=1', sup);
  check(list.status === 200 && list.json.items.length, `no scheduled article: ${list.text}`);
  const art = list.json.items[0];
  const sms = await api('GET', `/api/v1/dev/sms?phone=${encodeURIComponent(art.recipient.phone)}`);
  const token = sms.json?.messages.map((m) => m.body.includes(art.id) && /\/slot\/([\w.-]+)/.exec(m.body)?.[1]).find(Boolean);
  check(token, `no slot link for ${art.id} in ${sms.text.slice(0, 300)}`);
  const tr = await api('GET', `/api/v1/track/${art.id}`);
  check(tr.status === 200 && tr.json.window, `tracking shows no window: ${tr.text}`);
  return { id: art.id, token, tracking: tr.json };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

async function phone(locale, extra = {}) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale,
    timezoneId: 'America/New_York', serviceWorkers: 'block', ...extra });
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
  page.on('console', (m) => {
    const quiet = m.text().startsWith('Failed to load resource') || m.text().includes('Service Worker registration blocked');
    if (['error', 'warning'].includes(m.type()) && !quiet) log(`console ${m.type()}:`, m.text());
  });
  return { ctx, page };
}

// files records every app file a page fetches: status and encoding.
function files(page) {
  const seen = new Map();
  page.on('response', async (r) => {
    const u = new URL(r.url());
    if (u.origin !== new URL(base).origin || u.pathname.startsWith('/api/')) return;
    const h = await r.allHeaders();
    seen.set(u.pathname, { status: r.status(), enc: h['content-encoding'] || '', vary: h.vary || '', etag: h.etag || '' });
  });
  return seen;
}

const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`) });
const text = (page, id) => page.locator(T(id)).innerText();

async function trackPage(r) {
  const empty = await phone('en-IN');
  await empty.page.goto(`${base}/track`);
  await empty.page.waitForSelector(T('track-input'));
  await shot(empty.page, 'track');
  await empty.ctx.close();
  const { ctx, page } = await phone('en-IN'); // a fresh cache
  const got = files(page);
  await page.goto(`${base}/track?id=${r.id}`);
  await page.waitForSelector(T('track-window'));
  const w = r.tracking.window;
  const win = await text(page, 'track-window');
  check(win.startsWith('Delivery window:') && win.includes(`${hm12(w.start)}–${hm12(w.end)}`),
    `window "${win}", want ${hm12(w.start)}–${hm12(w.end)} (the centre's clock, not New York's)`);
  const events = await text(page, 'track-events');
  check(events.includes('Arrived at the delivery centre') && !/received.at.dc/i.test(events), `events: ${events}`);
  check(!/\d:\d\d:\d\d/.test(events), `times with seconds: ${events}`);
  const first = r.tracking.events.find((e) => e.event === 'received_at_dc');
  check(events.includes(hm12(first.at)), `event time: ${events}, want ${hm12(first.at)} for ${first.at}`);
  await shot(page, 'track-result');
  log('track page (en):', win, '|', events.split('\n')[0]);

  // A line that accepts and never answers: the page says so within seconds
  // instead of waiting for ever.
  const net = (mode) => fetch(`${control}?mode=${mode}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  check((await net('hang')).ok, 'proxy control');
  try {
    await page.fill(T('track-input'), 'RR287043775IN'); // not in the browser's cache (max-age 60)
    await page.click(T('track-submit'));
    await page.waitForFunction(() => document.querySelector('[data-testid=track-result]').classList.contains('error'), null, { timeout: 15_000 });
    const said = await text(page, 'track-result');
    check(said === 'No connection. Try again.', `on a hanging line the page says: ${said}`);
  } finally {
    await net('pass');
  }
  log('track page on a hanging line: said so');

  for (const [path, f] of got) {
    check(f.status === 200 && f.vary.toLowerCase().includes('accept-encoding') && f.etag, `${path}: ${JSON.stringify(f)}`);
  }
  const big = ['/track', '/track.js', '/recipient.js', '/ui.js', '/locales/en.js', '/locales/hi.js', '/app.css'];
  for (const p of big) check(got.get(p)?.enc === 'br', `${p} arrived as ${JSON.stringify(got.get(p))}, want br`);

  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang === 'hi');
  got.clear();
  await page.reload();
  await page.waitForSelector(T('track-window'));
  const hiWin = await text(page, 'track-window');
  const hiEvents = await text(page, 'track-events');
  check(hiWin.startsWith('डिलीवरी का समय:') && hiEvents.includes('डिलीवरी केंद्र पहुँची'), `Hindi after reload: ${hiWin} / ${hiEvents}`);
  await shot(page, 'track-result-hi');
  log('track page (hi, remembered across a reload):', hiWin);
  for (const p of big.slice(1)) check(got.get(p)?.status === 304, `${p} on reload: ${JSON.stringify(got.get(p))}, want 304`);
  await ctx.close();

  const hi = await phone('hi-IN');
  await hi.page.goto(`${base}/track?id=${r.id}`);
  await hi.page.waitForSelector(T('track-window'));
  const title = await hi.page.locator('h2').innerText();
  check(title === 'वस्तु ट्रैक करें', `a Hindi phone opens the page in ${title}`);
  await hi.ctx.close();
  return { br: big.length, revalidated: big.length - 1 };
}

async function slotPage(r) {
  const { ctx, page } = await phone('en-IN');
  await page.goto(`${base}/slot/${r.token}`);
  await page.waitForSelector(`${T('slot-options')} label`);
  const options = await page.locator(`${T('slot-options')} label`).allInnerTexts();
  check(options.every((o) => /\d:\d\d [ap]m–\d{1,2}:\d\d [ap]m$/.test(o)), `English options without hours: ${options}`);
  const current = r.tracking.window;
  const pick = page.locator(`${T('slot-options')} input:not(:checked)`).first();
  const value = await pick.getAttribute('value');
  await pick.check();
  await shot(page, 'slot-choice');
  await page.click(T('slot-confirm'));
  await page.waitForFunction(() => document.querySelector('[data-testid=slot-message]').textContent.includes('confirmed'));
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.querySelector('[data-testid=slot-message]').textContent.includes('धन्यवाद'));
  const hiOptions = await page.locator(`${T('slot-options')} label`).allInnerTexts();
  check(hiOptions.every((o) => /(सुबह|शाम|रविवार), \d.*–\d/.test(o)), `Hindi options without hours: ${hiOptions}`);
  check((await text(page, 'slot-article')).startsWith('वस्तु'), 'the article line is not in Hindi');
  await shot(page, 'slot-choice-hi');
  log('slot page: was', current.date, current.slot, '; chose', value, '; Hindi:', hiOptions[0]);

  await page.goto(`${base}/slot/not-a.real-link`);
  await page.waitForFunction(() => document.querySelector('[data-testid=slot-article]').classList.contains('error'));
  const bad = await text(page, 'slot-article');
  check(bad.startsWith('यह लिंक मान्य नहीं है'), `a broken link in Hindi says: ${bad}`);
  check((await page.locator('h1').innerText()) === 'डिलीवरी का समय चुनें', 'the heading is not in Hindi');
  log('broken link (hi):', bad);
  await ctx.close();
  const [date, slot] = value.split('|');
  return { date, slot };
}

// hindiPhoneHangs opens the postman's app first on a Hindi phone whose
// line never delivers the Hindi book: the sign-in form still appears (in
// English) within seconds, not a blank page.
async function hindiPhoneHangs() {
  const { ctx, page } = await phone('hi-IN');
  await page.route('**/locales/hi.js', () => {}); // never answered
  await page.goto(`${base}/`);
  await page.waitForSelector(T('login-username'), { timeout: 8_000 });
  await ctx.close();
}

// firstLoad times the postman's app from navigation to the sign-in form on
// the throttled profile, and sums the bytes on the wire; strip drops the
// modulepreload list and plain asks for no compression, as the server
// served it before.
async function firstLoad(strip, plain = false) {
  const { ctx, page } = await phone('en-IN', plain ? { extraHTTPHeaders: { 'Accept-Encoding': 'identity' } } : {});
  if (strip) {
    await page.route(`${base}/`, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: (await res.text()).replace(/<link rel="modulepreload"[^>]*>\n?/g, '') });
    });
  }
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let wire = 0;
  cdp.on('Network.loadingFinished', (e) => { wire += e.encodedDataLength; });
  const t0 = Date.now();
  await page.goto(base + '/', { timeout: 30_000 });
  await page.waitForSelector(T('login-username'), { timeout: 30_000 });
  const ms = Date.now() - t0;
  await ctx.close();
  return { ms, wire };
}

let failed = false;
try {
  const r = await recipient();
  log('article', r.id, 'window', JSON.stringify(r.tracking.window));
  const statics = await trackPage(r);
  const chosen = await slotPage(r);
  await hindiPhoneHangs();
  log('a Hindi phone whose Hindi book never comes: the sign-in form, in English');
  const loads = { preload: [], chain: [], before: [] };
  loads.preload.push(await firstLoad(false));
  loads.chain.push(await firstLoad(true));
  loads.before.push(await firstLoad(true, true));
  log('throttled first load to the sign-in form:', JSON.stringify(loads));
  check(pageErrors.length === 0, `page errors: ${pageErrors}`);
  console.log('E2E RESULT ' + JSON.stringify({ article: r.id, chosen, statics, loads }));
} catch (e) {
  failed = true;
  console.error(e instanceof Check ? `CHECK FAILED: ${e.message}` : e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
