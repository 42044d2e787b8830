// The app's shell on a slow phone, in Debian's headless Chromium driven by
// playwright-core; server/e2e_shell_test.go starts the server, dispatches
// a slot and runs it:
//
//   node e2e/shell.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>
//
// On the throttled profile (360 × 740, CPU 4× slower, 400 ms latency,
// 400 kbit/s): a navigation during a slow load is not replaced when the
// load ends (sign-in, then Refresh); on a connection that accepts and never
// answers (the proxy's hang mode) Today appears from the phone's copy with
// a slow/offline notice within 6 s, and the sync screen says the same; a
// failed attempt whose articles a supervisor took off the manifest is
// refused and shown by stop with the reason and time in English and
// Hindi, its photo's outcome blocked by it, then discarded; a supervisor
// who signs in is sent to the console, with no request refused.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, control, shots] = process.argv.slice(2);
if (!base || !direct || !control || !shots) {
  console.error('usage: node e2e/shell.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const STEP_MS = 15_000;
const T = (id) => `[data-testid="${id}"]`;
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const pageErrors = [];
class Check extends Error {}
function check(ok, msg) { if (!ok) throw new Check(msg); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(method, path, token, body) {
  const res = await fetch(direct + path, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(STEP_MS),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}
async function network(mode) {
  const r = await fetch(`${control}?mode=${mode}`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
  check(r.status === 204, `network control ${mode}: ${r.status}`);
  log(`network: ${mode}`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
const newContext = () => browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', geolocation: { latitude: 12.9352, longitude: 77.6245, accuracy: 12 }, permissions: ['geolocation'],
  serviceWorkers: 'allow' });
let ctx = await newContext();
const watchdog = setTimeout(() => { console.error('the whole run took too long'); process.exit(1); }, 150_000);

function watch(p) {
  p.setDefaultTimeout(STEP_MS);
  p.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
  p.on('dialog', (d) => d.accept().catch(() => {}));
  return p;
}
let page = watch(await ctx.newPage());
const shot = (name) => page.screenshot({ path: join(shots, `pwa-shell-${name}.png`) });
const see = (id, opts) => page.waitForSelector(T(id), opts);
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';

// throttle applies the slow phone's profile (CDP), or lifts it.
let cdp;
async function throttle(on) {
  cdp ||= await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', on
    ? { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 }
    : { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: on ? 4 : 1 });
}

// stays checks that the screen and address stay put for ms.
async function stays(screen, hash, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const now = await page.evaluate(([s]) => [Boolean(document.querySelector(`[data-testid="${s}"]`)), location.hash], [screen]);
    check(now[0] && now[1] === hash, `${what}: the screen went from ${screen} ${hash} to ${now[1]} (${await page.evaluate(() => document.querySelector('main section')?.dataset.testid)})`);
    await sleep(200);
  }
}

let result = {};
try {
  // ---- sign in on the slow phone; open the manifest while Today is still loading ----
  await page.goto(`${base}/`);
  await see('screen-login');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await throttle(true);
  await page.fill(T('login-username'), 'postman1');
  await page.fill(T('login-password'), 'dakiya-demo');
  // Count how often Today is drawn: once per sign-in, not twice at once.
  await page.evaluate(() => {
    window.__todays = 0;
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => {
      if (n.dataset?.testid === 'screen-today') window.__todays += 1;
    }))).observe(document.getElementById('view'), { childList: true });
  });
  await page.click(T('login-submit'));
  const card = await page.waitForSelector('[data-testid^="today-manifest-"]', { timeout: 30_000 });
  const mid = (await card.getAttribute('data-testid')).replace('today-manifest-', '');
  await page.click(T(`today-manifest-${mid}`));
  await see('screen-manifest');
  const firstStop = await page.waitForSelector('[data-testid^="stop-item-"]');
  await firstStop.click();
  await see('screen-stop');
  const stopHash = await page.evaluate(() => location.hash);
  await stays('screen-stop', stopHash, 6_000, 'after sign-in');
  const todays = await page.evaluate(() => window.__todays);
  check(todays === 1, `sign-in drew Today ${todays} times`);
  log(`signed in on the slow phone; opened ${stopHash} while Today was loading and it stayed`);

  // ---- Refresh on a connection that hangs; open a stop meanwhile; the connection comes back ----
  const sup = (await api('POST', '/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' })).json.access_token;
  const m = await page.evaluate(async (id) => (await import('/data.js')).manifest(id), mid);
  const stops = [...m.stops].sort((a, b) => a.seq - b.seq);
  await throttle(false);
  await page.goto(`${base}/#/`);
  await see('screen-today');
  await network('hang');
  await page.click(T('today-refresh'));
  await sleep(300);
  const am1 = await api('POST', `/api/v1/manifests/${mid}/amend`, sup, { remove: [stops[stops.length - 1].articles[0].id] });
  check(am1.status === 200, `amend: ${am1.status} ${am1.text}`);
  await page.click(T(`today-manifest-${mid}`));
  await page.click(T(`stop-item-${stops[0].stop_id}`));
  await see('screen-stop');
  const h2 = await page.evaluate(() => location.hash);
  await sleep(1_000);
  await network('pass'); // the held connections are cut: the refresh ends
  await stays('screen-stop', h2, 6_000, 'after Refresh');
  log('Refresh on a hanging connection did not replace the stop opened meanwhile');

  // ---- a connection that accepts and never answers ----
  await network('hang');
  const t0 = Date.now();
  await page.goto(`${base}/?hang=1#/`, { waitUntil: 'commit' });
  await page.waitForSelector(`${T(`today-manifest-${mid}`)}`, { timeout: 6_000 });
  await page.waitForFunction(() => ['slow', 'offline'].includes(document.querySelector('[data-testid=net-state]')?.dataset.state),
    null, { timeout: Math.max(500, 6_000 - (Date.now() - t0)), polling: 100 });
  const took = Date.now() - t0;
  const notice = await text('net-state');
  log(`hanging network: Today from the phone's copy with "${notice}" after ${took} ms`);
  await shot('slow');
  await page.click(T('sync-status'));
  await see('screen-sync');
  check(await text('net-state') === notice, `the sync screen says "${await text('net-state')}", Today said "${notice}"`);
  result.hang_ms = took;

  // ---- a failed attempt with a photo, offline; the supervisor takes its articles off ----
  await network('refuse');
  await ctx.setOffline(true);
  const s = stops.find((x, i) => i > 0 && i < stops.length - 1 && x.lat != null);
  await page.goto(`${base}/#/m/${mid}/s/${s.stop_id}/fail`);
  await see('screen-fail');
  await page.check(`${T('fail-reason-01')} input`);
  const jpeg = Buffer.from(await page.evaluate(async () => {
    const c = new OffscreenCanvas(320, 240);
    const g = c.getContext('2d');
    g.fillStyle = '#5b3a1e';
    g.fillRect(0, 0, 320, 240);
    const b = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg' })).arrayBuffer());
    let bin = '';
    for (const x of b) bin += String.fromCharCode(x);
    return btoa(bin);
  }), 'base64');
  await page.setInputFiles(T('fail-photo-input'), { name: 'door.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.waitForFunction(() => /KB/.test(document.querySelector('[data-testid=fail-photo-size]')?.textContent || ''));
  await page.click(T('fail-confirm'));
  await see('screen-manifest');
  const ids = s.articles.map((a) => a.id);
  const before = new Date();
  const am = await api('POST', `/api/v1/manifests/${mid}/amend`, sup, { remove: ids });
  check(am.status === 200, `amend: ${am.status} ${am.text}`);
  const after = new Date();
  log(`failed attempt at ${s.stop_id} (${ids}) with a photo, offline; then the supervisor took them off`);

  // ---- online: refused, grouped by stop, with the reason ----
  await network('pass');
  await ctx.setOffline(false);
  await page.goto(`${base}/#/sync`);
  await see('screen-sync');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="outbox-error-"]').length === n, ids.length,
    { timeout: 30_000, polling: 200 });
  await page.click(T('sync-now'));
  const row = await see(`outbox-stop-${s.stop_id}`);
  check(await row.getAttribute('data-state') === 'error', 'the stop is not shown as needing attention');
  const arts = await text(`outbox-stop-articles-${s.stop_id}`);
  check(ids.every((id) => arts.includes(id)), `the stop's line names ${arts}, want ${ids}`);
  // The time of the removal, as the phone shows it in the centre's zone.
  const ist = (d) => { const x = new Date(d.getTime() + 5.5 * 3600_000); return [x.getUTCHours() % 12, x.getUTCMinutes()]; };
  const when = [ist(before), ist(after)];
  const saysWhen = (e) => { const m = /(\d{1,2}):(\d{2})/.exec(e); return m && when.some(([h, mi]) => Number(m[1]) % 12 === h && Number(m[2]) === mi); };
  const errs = await page.$$eval('[data-testid^="outbox-error-"]', (es) => es.map((e) => e.textContent));
  for (const e of errs) {
    check(/Removed from your manifest by the supervisor at/.test(e) && saysWhen(e), `refusal "${e}", want removed by the supervisor at ${when}`);
  }
  const blocked = await page.$$('[data-testid^="outbox-blocked-"]');
  check(blocked.length === ids.length, `${blocked.length} outcomes shown blocked by their refused photo, want ${ids.length}`);
  const attention = await text('sync-errors');
  const n = ids.length * 2;
  check(attention === `${n} need your attention`, `counts say "${attention}"`);
  check(/^1 article synced|articles synced/.test(await text('sync-done')), `done count "${await text('sync-done')}"`);
  await shot('sync');
  log(`refused and shown by stop: "${errs[0]}"; "${attention}"`);
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang === 'hi');
  await see(`outbox-stop-${s.stop_id}`);
  const hi = await page.$$eval('[data-testid^="outbox-error-"]', (es) => es.map((e) => e.textContent));
  check(hi.every((e) => /पर्यवेक्षक ने .* मैनिफ़ेस्ट से हटा दिया/.test(e) && saysWhen(e)),
    `Hindi refusal "${hi[0]}"`);
  await shot('sync-hi');
  log(`in Hindi: "${hi[0]}"`);
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  // Discarding the refused photo discards the outcome waiting on it.
  for (let i = ids.length; i > 0; i--) {
    await page.click('[data-testid^="outbox-discard-"]');
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid^="outbox-error-"]').length < k, i);
  }
  await see('outbox-empty');
  check((await page.$$('[data-testid^="outbox-blocked-"]')).length === 0, 'blocked outcomes left after discarding their photos');
  result = { ...result, manifest: mid, refused: ids };

  // ---- a supervisor signs in: the console opens, no loop ----
  await ctx.close();
  ctx = await newContext();
  page = watch(await ctx.newPage());
  const seen = [];
  ctx.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) seen.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(`${base}/`);
  await see('screen-login');
  check(await page.isHidden(T('sync-badge')), 'the sync badge shows before sign-in');
  await page.fill(T('login-username'), 'supervisor2');
  await page.fill(T('login-password'), 'dakiya-demo');
  await page.click(T('login-submit'));
  await page.waitForURL(/\/console/, { timeout: 15_000 });
  await see('nav-articles');
  check(await page.isHidden(T('sync-badge')), 'the sync badge shows for a supervisor');
  await sleep(3_000);
  await shot('console');
  check(seen.every((x) => !x.startsWith('403')), `the supervisor's console was refused: ${seen}`);
  log(`supervisor sent to the console; API requests: ${seen}`);
  result.supervisor_requests = seen.length;
  check(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  console.error(`FAILED: ${err instanceof Check ? err.message : err.stack}`);
  for (const p of ctx.pages()) {
    await p.screenshot({ path: join(shots, 'fail-shell.png'), timeout: 3_000 }).catch(() => {});
    console.error(await p.evaluate(() => document.body.innerText).catch(() => '(no answer)'));
  }
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await Promise.race([browser.close(), sleep(10_000)]);
  process.exit(process.exitCode ?? 0);
}
