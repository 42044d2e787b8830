// Browser test of the stop list and the beat's map (issue 10, item 7), in
// Debian's headless Chromium on a throttled low-end phone (360 × 740, CPU
// 4× slower, 400 ms latency, 50 KB/s). server/e2e_list_test.go starts the
// server, loads the demo, dispatches a slot and runs:
//
//   node e2e/list.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>
//
// The postman signs in; the map's code and Leaflet must not load. One
// stop is marked delivered and one mixed on the phone, one is failed
// through the app (and synced); the list must pin the next stop, show the
// kinds as icons with words, the distance from the stop before (checked
// against a great-circle distance computed here), delivered, failed and
// mixed stops distinct, and the done ones collapsed at the end. The map:
// offline (the proxy refuses, the page is told) it is a drawing with one
// numbered point per placed stop in route order and the centre; online,
// Leaflet loads, its container appears and asks for OpenStreetMap tiles,
// which cannot load here (no internet), so it falls back to the drawing,
// with no CSP violation on the way. The last line is `E2E LIST {json}`.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, control, shots] = process.argv.slice(2);
if (!base || !direct || !control || !shots) {
  console.error('usage: node e2e/list.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const STEP_MS = 20_000; // any one wait, on the throttled phone
const WHOLE_MS = 150_000;
const T = (id) => `[data-testid="${id}"]`;
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const pageErrors = [];
class Check extends Error {}
function check(ok, msg) {
  if (!ok) throw new Check(msg);
}

// metres is the great-circle distance, computed apart from the app's own.
function metres(a, b) {
  const r = (d) => (d * Math.PI) / 180;
  const s = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(s));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale: 'en-IN', timezoneId: 'Asia/Kolkata',
  geolocation: { latitude: 12.9352, longitude: 77.6245, accuracy: 12 }, permissions: ['geolocation'], serviceWorkers: 'allow',
});
// Every CSP violation the page sees is kept for the end.
await ctx.addInitScript(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
});
// What the page asks for (the service worker's own precache fetches aside).
const requests = [];
ctx.on('request', (r) => { if (!r.serviceWorker()) requests.push(r.url()); });

const page = await ctx.newPage();
page.setDefaultTimeout(STEP_MS);
page.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
page.on('console', (m) => {
  if (['error', 'warning'].includes(m.type()) && !m.text().startsWith('Failed to load resource')) log(`console ${m.type()}:`, m.text());
});
const cdp = await ctx.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 });
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

const shot = async (name, fullPage = false) => {
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `pwa-${name}.png`), fullPage });
};
const see = (id, opts) => page.waitForSelector(T(id), opts);
const text = async (sel) => ((await page.textContent(sel)) ?? '').replace(/\s+/g, ' ').trim();
const until = (fn, arg, timeout = STEP_MS) => page.waitForFunction(fn, arg, { timeout, polling: 100 });
const ev = (fn, arg) => page.evaluate(fn, arg);

async function network(mode) {
  const r = await fetch(`${control}?mode=${mode}`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
  check(r.status === 204, `network control ${mode}: ${r.status}`);
}
async function setOffline(off) {
  await network(off ? 'refuse' : 'pass');
  await ctx.setOffline(off);
  log(off ? 'OFFLINE (refuse)' : 'ONLINE');
}

const watchdog = setTimeout(() => { console.error(`the run took longer than ${WHOLE_MS / 1000}s`); process.exit(1); }, WHOLE_MS);

// rows is the list's stop items in document order, with what each shows.
const rows = () => ev(() => [...document.querySelectorAll('[data-testid^="stop-item-"]')].map((a) => ({
  id: a.dataset.testid.replace('stop-item-', ''), state: a.dataset.state, cls: a.className,
  pinned: !!a.closest('[data-testid=next-stop]'), folded: !!a.closest('details:not([open])'),
  visible: a.getClientRects().length > 0 && !a.closest('details:not([open])'),
  colour: getComputedStyle(a).borderTopColor + ' ' + getComputedStyle(a).backgroundColor,
  word: a.querySelector('.state')?.textContent.trim(), stateIcon: !!a.querySelector('.state svg.icon'),
  kinds: [...a.querySelectorAll('.kind')].map((k) => ({ text: k.textContent.trim(), icon: !!k.querySelector('svg.icon path') })),
  leg: a.querySelector('.leg') ? { m: Number(a.querySelector('.leg').dataset.metres), text: a.querySelector('.leg').textContent } : null,
})));

try {
  await page.goto(`${base}/`);
  await see('screen-login');
  await page.fill(T('login-username'), 'postman1');
  await page.fill(T('login-password'), 'dakiya-demo');
  await page.click(T('login-submit'));
  await see('screen-today');
  const card = await page.waitForSelector('[data-testid^="today-manifest-"]');
  const mid = (await card.getAttribute('data-testid')).replace('today-manifest-', '');
  await ev(() => navigator.serviceWorker.ready.then(() => true));
  const m = await ev(async (id) => (await import('/data.js')).manifest(id), mid);
  const stops = [...m.stops].sort((a, b) => a.seq - b.seq);
  check(stops.length >= 4, `manifest ${mid} has ${stops.length} stops`);
  const early = requests.filter((u) => /\/(map\.js|vendor\/leaflet\/)/.test(u));
  check(early.length === 0 && !(await ev(() => 'L' in window)), `the map loaded before it was opened: ${early}`);
  log(`manifest ${mid}: ${stops.length} stops, centre ${JSON.stringify(m.centre)}; no map code loaded yet`);

  // Outcomes: the first stop delivered and a stop of several articles
  // mixed, marked on the phone; the second failed through the app.
  const [sD, sF] = stops;
  const sM = stops.slice(2).find((s) => s.articles.length >= 2);
  await ev(async ([d, mixed]) => {
    const db = await import('/db.js');
    for (const a of d.articles) await db.put('done', { article_id: a.id, outcome: 'delivered', synced: true, flags: [] });
    if (mixed) {
      await db.put('done', { article_id: mixed.articles[0].id, outcome: 'delivered', synced: true, flags: [] });
      for (const a of mixed.articles.slice(1)) await db.put('done', { article_id: a.id, outcome: 'failed', synced: true, flags: [] });
    }
  }, [sD, sM]);
  await page.click(T(`today-manifest-${mid}`));
  await see('screen-manifest');
  await page.click(T(`stop-item-${sF.stop_id}`));
  await see('screen-stop');
  await page.click(T('stop-fail'));
  await see('screen-fail');
  // A position taken after the door was opened (the app ignores older fixes).
  await ctx.setGeolocation({ latitude: sF.lat, longitude: sF.lon, accuracy: 15 });
  await page.check(`${T('fail-reason-08')} input`);
  await until(() => /±/.test(document.querySelector('[data-testid=gps-status]')?.textContent || ''));
  await page.click(T('fail-confirm'));
  await see('screen-manifest');
  for (let i = 0; ; i++) {
    const s = await ev(async () => (await import('/outbox.js')).stats());
    if (s.pending === 0) break;
    check(i < 100, `the failed attempt did not sync: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`delivered (phone) stop ${sD.seq}, failed (app, synced) stop ${sF.seq}, mixed ${sM ? `stop ${sM.seq}` : '(no stop of several articles)'}`);

  // ---- the list ----
  await page.goto(`${base}/#/m/${mid}`);
  await see('screen-manifest');
  const list = await rows();
  const byId = new Map(list.map((r) => [r.id, r]));
  check(list.length === stops.length, `the list shows ${list.length} stops, the manifest has ${stops.length}`);
  const skip = new Set([sD.stop_id, sF.stop_id, sM?.stop_id]);
  const next = stops.find((s) => !skip.has(s.stop_id));
  check(list[0].id === next.stop_id && list[0].pinned, `first row ${list[0].id} (pinned ${list[0].pinned}), want the next stop ${next.stop_id}`);
  check(list.filter((r) => r.pinned).length === 1, 'more than one stop pinned');
  check(/next stop/i.test(await text(T('next-stop'))), 'the pinned stop is not labelled the next stop');
  // Done stops after every pending one, folded away.
  const firstDone = list.findIndex((r) => r.folded);
  check(firstDone > 0 && list.slice(firstDone).every((r) => r.folded && !r.visible && r.cls.includes('done'))
    && list.slice(0, firstDone).every((r) => !r.folded && r.visible), `done stops not folded at the end: ${JSON.stringify(list.map((r) => [r.id, r.folded]))}`);
  const doneIds = list.slice(firstDone).map((r) => r.id).sort();
  check(JSON.stringify(doneIds) === JSON.stringify([sD.stop_id, sF.stop_id, sM?.stop_id].filter(Boolean).sort()), `done stops ${doneIds}`);
  // Kinds: an icon and a word each.
  const words = { letter: 'Letter', registered: 'Registered', speed_post: 'Speed Post', parcel: 'Parcel' };
  for (const s of stops) {
    const r = byId.get(s.stop_id);
    const kinds = new Set(s.articles.map((a) => a.service));
    for (const k of kinds) check(r.kinds.some((x) => x.icon && x.text.startsWith(words[k])), `stop ${s.seq}: no icon with "${words[k]}": ${JSON.stringify(r.kinds)}`);
  }
  const cod = stops.find((s) => !skip.has(s.stop_id) && s.articles.some((a) => a.cod_paise > 0));
  if (cod) check(byId.get(cod.stop_id).kinds.some((x) => x.icon && /Collect ₹/.test(x.text)), `COD stop ${cod.seq} shows no cash to collect`);
  // Distances: from the stop before (the first from the centre).
  let prev = m.centre ? { ...m.centre, seq: 0 } : null;
  let legs = 0;
  for (const s of stops) {
    const r = byId.get(s.stop_id);
    if (s.lat == null) continue;
    if (prev) {
      const want = metres(prev, s);
      check(r.leg && Math.abs(r.leg.m - want) <= 1, `stop ${s.seq}: distance ${JSON.stringify(r.leg)}, want ${Math.round(want)} m`);
      check(prev.seq ? r.leg.text.includes(`from stop ${prev.seq}`) : /post office/.test(r.leg.text), `stop ${s.seq}: "${r.leg.text}"`);
      check(/\d( m| km)/.test(r.leg.text), `stop ${s.seq}: no distance unit in "${r.leg.text}"`);
      legs++;
    }
    prev = s;
  }
  log(`list: next stop ${next.seq} pinned; ${legs} distances checked; ${doneIds.length} done stops folded`);
  // Delivered, failed and mixed: each its own word, icon and colour.
  const d = byId.get(sD.stop_id);
  const f = byId.get(sF.stop_id);
  check(d.state === 'delivered' && d.word === 'Delivered' && d.stateIcon, `delivered stop: ${JSON.stringify(d)}`);
  check(f.state === 'failed' && f.word === 'Not delivered' && f.stateIcon, `failed stop: ${JSON.stringify(f)}`);
  check(d.colour !== f.colour && d.colour !== list[0].colour && f.colour !== list[0].colour, `colours: ${d.colour} / ${f.colour} / ${list[0].colour}`);
  if (sM) {
    const x = byId.get(sM.stop_id);
    check(x.state === 'mixed' && /1 delivered, \d+ not delivered/.test(x.word) && x.colour !== d.colour && x.colour !== f.colour, `mixed stop: ${JSON.stringify(x)}`);
  }
  check(/\d+ to deliver/.test(list[0].word), `pending stop says "${list[0].word}"`);
  await page.click(`${T('done-stops')} summary`);
  check((await rows()).filter((r) => r.folded).length === 0 && (await page.isVisible(T(`stop-item-${sD.stop_id}`))), 'the done stops do not unfold');
  await page.click(`${T('done-stops')} summary`);
  await shot('list');
  await page.click(T('lang-toggle'));
  await until(() => /अगला पड़ाव/.test(document.querySelector('[data-testid=next-stop]')?.textContent));
  await shot('list-hi');
  await page.click(T('lang-toggle'));
  await until(() => document.documentElement.lang === 'en');

  // ---- the map, offline: the drawing ----
  const placed = stops.filter((s) => s.lat != null);
  const drawn = async (why) => {
    await see('map-box');
    await until(() => document.querySelector('[data-testid=map-box]')?.dataset.map === 'drawing');
    const got = await ev(() => ({
      points: [...document.querySelectorAll('[data-testid^="map-point-"]')].map((a) => ({ id: a.dataset.testid.replace('map-point-', ''),
        n: a.querySelector('text').textContent, x: Number(a.querySelector('circle').getAttribute('cx')), y: Number(a.querySelector('circle').getAttribute('cy')) })),
      route: document.querySelector('[data-testid=map-drawing] polyline.route')?.getAttribute('points').trim().split(/\s+/).length,
      centre: !!document.querySelector('[data-testid=map-centre]'),
      scale: document.querySelector('[data-testid=map-scale]')?.textContent,
      status: document.querySelector('[data-testid=map-status]')?.textContent,
      visible: document.querySelector('[data-testid=map-drawing]')?.getBoundingClientRect().height > 200,
    }));
    check(got.visible, `${why}: the drawing is not shown`);
    check(got.points.length === placed.length, `${why}: ${got.points.length} points drawn, ${placed.length} stops placed`);
    const order = placed.map((s) => `${s.stop_id}:${s.seq}`).sort().join();
    check(got.points.map((p) => `${p.id}:${p.n}`).sort().join() === order, `${why}: points are not numbered in route order`);
    check(got.route === placed.length + (m.centre ? 1 : 0), `${why}: the route joins ${got.route} points`);
    check(!m.centre || got.centre, `${why}: the centre is not drawn`);
    check(/\d/.test(got.scale || ''), `${why}: no scale`);
    // North up: the northernmost stop is drawn highest.
    const north = placed.reduce((a, b) => (b.lat > a.lat ? b : a));
    check(Math.min(...got.points.map((p) => p.y)) === got.points.find((p) => p.id === north.stop_id).y, `${why}: north is not up`);
    return got;
  };
  await setOffline(true);
  let t0 = Date.now();
  await page.click(T('manifest-tab-map'));
  await see('screen-map');
  const off = await drawn('offline');
  check(/offline/i.test(off.status), `offline status "${off.status}"`);
  check(!(await ev(() => 'L' in window)), 'Leaflet loaded offline');
  log(`map offline: drawing with ${off.points.length} points in ${Date.now() - t0} ms: "${off.status}"`);
  await page.click(`${T(`map-point-${next.stop_id}`)}`);
  await see('screen-stop');
  check((await text(T('stop-name'))).startsWith(`${next.seq}.`), 'a point does not open its stop');

  // ---- the map, online: Leaflet, tiles that cannot load, the drawing ----
  await setOffline(false);
  await page.goto(`${base}/#/m/${mid}`);
  await see('screen-manifest');
  await ev(() => {
    window.__leaflet = false;
    new MutationObserver(() => { window.__leaflet ||= !!document.querySelector('[data-testid=map-box] .leaflet-container'); })
      .observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const before = requests.length;
  t0 = Date.now();
  await page.click(T('manifest-tab-map'));
  await see('screen-map');
  const on = await drawn('tiles failing');
  const asked = requests.slice(before);
  check(await ev(() => window.__leaflet && typeof window.L?.map === 'function'), 'Leaflet did not load and make its map before the fallback');
  check(asked.some((u) => u.endsWith('/vendor/leaflet/leaflet.js')), 'leaflet.js was not fetched');
  const tiles = asked.filter((u) => u.startsWith('https://tile.openstreetmap.org/'));
  check(tiles.length > 0, `no tile was asked for: ${asked.join(' ')}`);
  check(/did not load/.test(on.status), `fallback status "${on.status}"`);
  check(!(await page.$('[data-testid=map-box] .leaflet-container')), 'the failed street map is still there');
  log(`map online: Leaflet loaded, ${tiles.length} tiles asked for and failed, drawing after ${Date.now() - t0} ms: "${on.status}"`);
  await shot('map', true);
  await page.click(T('lang-toggle'));
  await until(() => document.querySelector('[data-testid=map-box]')?.dataset.map === 'drawing'
    && /चित्र/.test(document.querySelector('[data-testid=map-status]')?.textContent));
  check(/डाकघर/.test(await text(T('map-drawing'))) || !m.centre, 'the Hindi drawing does not name the post office');
  await shot('map-hi', true);
  await page.click(T('lang-toggle'));

  // ---- the map when tiles do load (served here: the sandbox has no internet) ----
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await ctx.route('https://tile.openstreetmap.org/**', (r) => r.fulfill({ status: 200, contentType: 'image/png', body: png }));
  await page.goto(`${base}/#/m/${mid}`);
  await see('screen-manifest');
  await page.click(T('manifest-tab-map'));
  await see('screen-map');
  await until(() => document.querySelector('[data-testid=map-box]')?.dataset.map === 'tiles');
  const street = await ev(() => ({
    pins: [...document.querySelectorAll('[data-testid=map-box] .leaflet-marker-icon.pin')].map((p) => p.textContent),
    tiles: document.querySelectorAll('[data-testid=map-box] img.leaflet-tile-loaded').length,
    route: !!document.querySelector('[data-testid=map-box] path.leaflet-interactive'),
    credit: document.querySelector('[data-testid=map-box] .leaflet-control-attribution')?.textContent,
    drawingHidden: getComputedStyle(document.querySelector('[data-testid=map-drawing]')).visibility === 'hidden',
    status: document.querySelector('[data-testid=map-status]')?.textContent,
  }));
  const wantPins = placed.map((s) => String(s.seq)).concat(m.centre ? ['PO'] : []).sort().join();
  check(street.pins.slice().sort().join() === wantPins, `street map pins ${street.pins}, want ${wantPins}`);
  check(street.tiles > 0 && street.route && /OpenStreetMap contributors/.test(street.credit) && street.drawingHidden && street.status === '',
    `street map: ${JSON.stringify(street)}`);
  log(`map with tiles: ${street.pins.length} pins, ${street.tiles} tiles, route, "${street.credit}"`);
  await ctx.unroute('https://tile.openstreetmap.org/**');

  const csp = await ev(() => window.__csp);
  check(csp.length === 0, `CSP violations: ${csp.join(' | ')}`);
  check(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  const result = { manifest: mid, date: m.date, slot: m.slot, failed: sF.articles.map((a) => a.id), placed: placed.length, points: on.points.length,
    next: next.stop_id, tiles: tiles.length, centre: m.centre || null };
  log('done');
  console.log(`E2E LIST ${JSON.stringify(result)}`);
} catch (err) {
  console.error(`\n===== FAILED: ${err instanceof Check ? err.message : err.stack}`);
  await page.screenshot({ path: join(shots, 'fail-list.png') }).catch(() => {});
  console.error(String(await page.evaluate(() => document.body.innerText).catch(() => '')).slice(0, 3000));
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000))]);
  process.exit(process.exitCode ?? 0);
}
