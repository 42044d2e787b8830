// The console's live progress in Debian's headless Chromium driven by
// playwright-core; server/e2e_console_progress_test.go starts the server,
// dispatches the demo's first slot, ends one beat's slot an hour ago (the
// harness has no server clock to move) and runs it:
//
//   node e2e/console-progress.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// supervisor1 opens #/progress for the dispatched slot; while the page
// stays open the script records outcomes as the beat's postman through the
// API (POST /api/v1/deliveries with an Idempotency-Key, the code from the
// development SMS outbox) and the bars move within 10 s by the stream,
// with no polling; the stream is then blocked (page.route aborts it, the
// proxy cuts the open one) and polling every 10 s still moves them; the
// stream comes back by itself once unblocked. The last sync, the postman's
// marker and the overdue beat's stops (with addresses) show. In Hindi
// again, and leaving the screen closes the stream and stops every timer
// (no request for 21 s). Screenshots console-progress[-hi].png.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

const [base, direct, control, shots] = process.argv.slice(2);
if (!base || !direct || !control || !shots) {
  console.error('usage: node e2e/console-progress.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const DC = 'blr-koramangala';
const STEP_MS = 15_000;
const T = (id) => `[data-testid="${id}"]`;
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const pageErrors = [];
class Check extends Error {}
function check(ok, msg) { if (!ok) throw new Check(msg); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(method, path, token, body, headers = {}) {
  const res = await fetch(direct + path, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(STEP_MS),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}
async function token(username) {
  const r = await api('POST', '/api/v1/auth/login', '', { username, password: 'dakiya-demo' });
  check(r.status === 200, `login ${username}: ${r.status} ${r.text}`);
  return r.json.access_token;
}
async function network(mode) {
  const r = await fetch(`${control}?mode=${mode}`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
  check(r.status === 204, `network control ${mode}: ${r.status}`);
  log(`network: ${mode}`);
}
// codeFor reads an article's code from the development SMS outbox.
async function codeFor(phone, articleID) {
  const r = await api('GET', `/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
  check(r.status === 200, `dev sms: ${r.status} ${r.text}`);
  const re = new RegExp(`${articleID}\\b.*? code (\\d{6}) `);
  return r.json.messages.map((m) => re.exec(m.body)?.[1]).find(Boolean);
}

// The slot and the beat whose window the test ended (PROGRESS_E2E: date
// slot beat), and a beat to record outcomes on: one still in time if the
// slot has one (a slot may have ended by itself), else another.
const sup = await token('supervisor1');
const [date, slot, lateID] = (process.env.PROGRESS_E2E || '').split(' ');
check(lateID, 'PROGRESS_E2E (date slot beat) is not set');
const board = (await api('GET', `/api/v1/dcs/${DC}/progress?date=${date}&slot=${slot}`, sup)).json;
const late = board.beats.find((b) => b.beat_id === lateID);
const others = board.beats.filter((b) => b.beat_id !== lateID && b.status === 'dispatched');
const beat = others.find((b) => !b.overdue.length) || others[0];
check(late?.overdue.length && beat, `want beat ${lateID} overdue and another: ${JSON.stringify(board.beats.map((b) => [b.beat_id, b.overdue.length]))}`);
const staff = (await api('GET', '/api/v1/users', sup)).json.items;
const who = staff.find((u) => u.id === beat.postman.id).username;
const pm = await token(who);
const manifest = (await api('GET', `/api/v1/manifests/${beat.manifest_id}`, pm)).json;
const lateManifest = (await api('GET', `/api/v1/manifests/${late.manifest_id}`, sup)).json;
log(`slot ${date} ${slot}: beat ${beat.beat_id} (${who}, ${manifest.stops.length} stops), beat ${late.beat_id} overdue (${late.overdue.length})`);

// The articles to record, one per stop, with a position, prepaid.
const plain = manifest.stops.filter((s) => s.lat != null && s.articles.length === 1 && !s.articles[0].cod_paise);
check(plain.length >= 3, `want 3 single-article prepaid stops on ${beat.beat_id}, have ${plain.length}`);
const recorded = [];
async function record(stop, outcome) {
  const a = stop.articles[0];
  const body = { article_id: a.id, outcome, captured_at: new Date().toISOString(),
    location: { lat: stop.lat + 0.0001, lon: stop.lon + 0.0001, accuracy_m: 9 } };
  if (outcome === 'failed') body.reason_code = '07';
  else if (a.otp_required) body.otp = await codeFor(stop.phone, a.id) || '000000';
  const r = await api('POST', '/api/v1/deliveries', pm, body, { 'Idempotency-Key': randomUUID() });
  check(r.status === 201, `record ${outcome} ${a.id}: ${r.status} ${r.text}`);
  recorded.push({ article: a.id, outcome, stop: stop.seq });
  log(`${who} recorded ${outcome} for ${a.id} (stop ${stop.seq})`);
  return Date.now();
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
// No service worker: page.route must see the console's own requests.
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', serviceWorkers: 'block' });
const watchdog = setTimeout(() => { console.error('the whole run took too long'); process.exit(1); }, 170_000);
const page = await ctx.newPage();
page.setDefaultTimeout(STEP_MS);
page.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });

// Every progress request the page makes: polls, and streams still open.
const seen = { polls: 0, streams: 0, open: new Set() };
const isStream = (u) => u.includes('/progress/stream?');
page.on('request', (r) => {
  const u = r.url();
  if (isStream(u)) { seen.streams += 1; seen.open.add(r); } else if (/\/progress\?/.test(u)) seen.polls += 1;
});
page.on('requestfinished', (r) => seen.open.delete(r));
page.on('requestfailed', (r) => seen.open.delete(r));

const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const mode = (m, timeout = STEP_MS) => page.waitForSelector(`${T('prog-mode')}[data-mode="${m}"]`, { timeout });
// moves waits for a beat's number to become want, returning the ms it took.
async function moves(what, want, since, timeout) {
  await page.waitForFunction(([id, n]) => document.querySelector(`[data-testid="${id}"]`)?.textContent.trim() === String(n),
    [`prog-${what}-${beat.beat_id}`, want], { timeout });
  return Date.now() - since;
}
const blockStream = () => page.route((u) => isStream(u.href), (r) => r.abort());

let result = {};
try {
  // ---- sign in as the supervisor, open the slot's progress ----
  await page.goto(`${base}/`);
  await page.fill(T('login-username'), 'supervisor1');
  await page.fill(T('login-password'), 'dakiya-demo');
  await page.click(T('login-submit'));
  await page.waitForURL(/\/console/, { timeout: 30_000 });
  await page.waitForSelector(T('scope-date'));
  await page.fill(T('scope-date'), date);
  await page.dispatchEvent(T('scope-date'), 'change');
  await page.selectOption(T('scope-slot'), slot);
  await page.click(T('nav-progress'));
  await page.waitForSelector(T('prog-table'));
  await mode('stream');
  const bar = await page.getAttribute(T(`prog-bar-${beat.beat_id}`), 'aria-label');
  check(/\d+ delivered, \d+ not delivered, \d+ to deliver/.test(bar), `the bar's label: ${bar}`);
  if (!beat.last_sync) check(await text(`prog-sync-${beat.beat_id}`) === 'No sync yet', 'a postman with no outcome has a last sync');
  await page.evaluate(() => { window.__samePage = true; }); // gone if the page reloads
  log(`progress open, live by the stream; bar "${bar}"`);

  // ---- an outcome moves the bar by the stream, with no polling ----
  const polls0 = seen.polls;
  let at = await record(plain[0], 'failed');
  const byStream = await moves('failed', beat.failed + 1, at, 10_000);
  check(seen.polls === polls0, `polled ${seen.polls - polls0} times while the stream was live`);
  const sync = await text(`prog-sync-${beat.beat_id}`);
  check(/just now|min ago/.test(sync) && /\d{1,2}:\d{2}/.test(sync), `last sync: ${sync}`);
  check(/Near stop \d+ \(\d+ m\)[^]*\d+\.\d{5}, \d+\.\d{5}/.test(await text(`prog-pos-${beat.beat_id}`)), `last position: ${await text(`prog-pos-${beat.beat_id}`)}`);
  await page.waitForSelector(`${T(`prog-pt-${beat.beat_id}-${plain[0].seq}`)}.failed`, { state: 'attached' });
  const man = await page.waitForSelector(T(`prog-man-${beat.postman.id}`), { state: 'attached' });
  const manText = await man.textContent();
  check(manText.includes(beat.postman.name) && /\d{1,2}:\d{2}/.test(manText), `the postman's marker: ${manText}`);
  log(`failed attempt on the bar in ${byStream} ms by the stream; last sync "${sync}"; marker "${manText}"`);

  // ---- the overdue beat ----
  const lateBox = await text(`prog-overdue-${late.beat_id}`);
  const lateStop = lateManifest.stops.find((s) => s.articles.some((a) => a.id === late.overdue[0].article_id));
  const lateItem = await text(`prog-overdue-stop-${late.beat_id}-${lateStop.seq}`);
  check(lateItem.includes(lateStop.address) && lateItem.includes(late.overdue[0].article_id),
    `the overdue list of ${late.beat_id} lacks stop ${lateStop.seq} (${lateStop.address}): ${lateItem}`);
  check(!lateBox.includes(' ·  ·'), `an overdue stop without its address: ${lateBox}`);
  check(await page.$eval(T(`prog-row-${late.beat_id}`), (el) => el.classList.contains('prog-late-row')), 'the late beat is not highlighted');
  if (!beat.overdue.length) {
    check(await page.$eval(T(`prog-row-${beat.beat_id}`), (el) => !el.classList.contains('prog-late-row')), 'a beat in time is highlighted');
  }
  const lateDots = await page.$$eval('[data-testid="prog-drawing"] .pst.overdue', (els) => els.length);
  check(lateDots > 0, 'no overdue stop on the drawing');
  check(await page.getAttribute(T('prog-map'), 'data-map') === 'drawing', 'the offline test has no drawing');
  log(`beat ${late.beat_id}: ${late.overdue.length} overdue, listed with addresses, ${lateDots} on the drawing`);
  await page.screenshot({ path: join(shots, 'console-progress.png'), fullPage: true });

  // ---- the stream blocked and cut: polling moves the bar ----
  await blockStream();
  await network('reset');
  await network('pass');
  await mode('poll');
  check((await text('prog-mode')).includes('every 10 seconds'), `poll status: ${await text('prog-mode')}`);
  const polls1 = seen.polls;
  at = await record(plain[1], 'delivered');
  const byPoll = await moves('delivered', beat.delivered + 1, at, 13_000); // a 10 s period, then the request
  check(seen.polls > polls1, 'the bar moved without a poll');
  const updated = await text('prog-updated');
  check(/Last update \d{1,2}:\d{2}:\d{2}/.test(updated), `last update: ${updated}`);
  check(await page.evaluate(() => window.__samePage === true), 'the page was reloaded');
  log(`stream blocked: polling; delivery on the bar in ${byPoll} ms ("${updated}")`);

  // ---- unblocked, the stream comes back by itself ----
  await page.unrouteAll();
  await mode('stream', 25_000);
  log('the stream is back');

  // ---- in Hindi: the screen is drawn again, its old stream closed ----
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.querySelector('#screen-progress-h, [data-testid="screen-progress"] h2')?.textContent.includes('प्रगति'));
  await mode('stream');
  await sleep(500);
  check(seen.open.size === 1, `${seen.open.size} streams open after drawing the screen again`);
  check((await text('prog-mode')).includes('लाइव'), `Hindi status: ${await text('prog-mode')}`);
  at = await record(plain[2], 'failed');
  const hiStream = await moves('failed', beat.failed + 2, at, 10_000);
  check((await text(`prog-overdue-${late.beat_id}`)).includes('देर'), 'the Hindi overdue list');
  log(`Hindi: failed attempt on the bar in ${hiStream} ms`);
  await page.screenshot({ path: join(shots, 'console-progress-hi.png'), fullPage: true });

  // ---- leaving while polling leaves no stream and no timer ----
  await blockStream();
  await network('reset');
  await network('pass');
  await mode('poll');
  await page.click(T('nav-articles'));
  await page.waitForSelector(T('screen-articles'), { state: 'attached' });
  const [p0, s0] = [seen.polls, seen.streams];
  await sleep(1000);
  check(seen.open.size === 0, `${seen.open.size} streams still open after leaving`);
  await sleep(20_500);
  check(seen.polls === p0 && seen.streams === s0, `after leaving: ${seen.polls - p0} polls, ${seen.streams - s0} streams`);
  log('left the screen: no stream open, no request for 21 s');
  check(pageErrors.length === 0, `page errors: ${pageErrors.join('; ')}`);
  result = { date, slot, beat: beat.beat_id, late: late.beat_id, recorded, before: { delivered: beat.delivered, failed: beat.failed }, by_stream_ms: byStream, by_poll_ms: byPoll,
    polls: seen.polls, streams: seen.streams };
} catch (err) {
  await page.screenshot({ path: join(shots, 'console-progress-failure.png'), fullPage: true }).catch(() => {});
  console.error(err instanceof Check ? `CHECK FAILED: ${err.message}` : err);
  console.error(`the screen: ${(await page.innerText('main').catch(() => '')).slice(0, 3000)}`);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
console.log(`E2E RESULT ${JSON.stringify(result)}`);
