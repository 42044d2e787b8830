// The console's slots and manifests screen, in Debian's headless Chromium
// driven by playwright-core; server/e2e_console_slots_test.go starts the
// server with the demo data and runs it:
//
//   node e2e/console-slots.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// The demo supervisor of centre 1 signs in through the app (sent on to
// the console), picks the centre's next scheduled slot in the scope bar,
// builds its drafts and sees each beat's stops as a table and on the map
// (the drawing: the test is offline from OpenStreetMap); moves an article
// to another beat and sees it on that beat's manifest after the rebuild;
// in Hindi rebuilds and dispatches every draft; back in English takes one
// article off a dispatched manifest (amend); opens a manifest's paper copy
// (Print calls print()) and looks at it as print media. It prints what it
// did; the Go test checks the server holds the same.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, , shots] = process.argv.slice(2);
if (!base || !direct || !shots) {
  console.error('usage: node e2e/console-slots.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>');
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

// nextSlot is the earliest date and slot the centre has scheduled articles in.
async function nextSlot() {
  const sup = (await api('POST', '/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' })).json.access_token;
  const page = (await api('GET', `/api/v1/dcs/${DC}/articles?status=scheduled&limit=1000`, sup)).json;
  const rank = { morning: 0, evening: 1, sunday: 2 };
  const key = (s) => `${s.date}:${rank[s.slot]}`;
  const first = page.items.map((a) => a.schedule).sort((a, b) => key(a).localeCompare(key(b)))[0];
  check(first, 'the demo centre has no scheduled article');
  return { ...first, count: page.items.filter((a) => a.schedule.date === first.date && a.schedule.slot === first.slot).length };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', serviceWorkers: 'allow' });
const watchdog = setTimeout(() => { console.error('the whole run took too long'); process.exit(1); }, 170_000);
const page = await ctx.newPage();
page.setDefaultTimeout(STEP_MS);
page.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
const shot = (name, opts = {}) => page.screenshot({ path: join(shots, `console-slots-${name}.png`), ...opts });
const see = (id, opts) => page.waitForSelector(T(id), opts);
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const beatOf = (id) => page.evaluate((a) => document.querySelector(`[data-testid="man-art-${a}"]`)
  ?.closest('[data-testid^="man-beat-"]')?.dataset.testid.replace('man-beat-', '') ?? null, id);
const cards = () => page.$$eval('section[data-testid^="man-beat-"]', (cs) => cs.map((c) => ({
  beat: c.dataset.testid.replace('man-beat-', ''), id: c.dataset.manifest, status: c.dataset.status,
  version: Number(c.dataset.version),
  arts: [...c.querySelectorAll('[data-testid^="man-art-"]')].map((a) => a.dataset.testid.replace('man-art-', '')),
})));
async function lang(l) {
  if (await page.evaluate(() => document.documentElement.lang) === l) return;
  await page.click(T('lang-toggle'));
  await page.waitForFunction((x) => document.documentElement.lang === x, l);
  await page.waitForFunction((b) => document.querySelector('[data-testid=man-build]')?.textContent === b
    && document.querySelector('[data-testid=man-body]')?.getAttribute('aria-busy') === 'false', BUILD[l]);
}
const BUILD = { en: 'Build or rebuild the drafts', hi: 'मसौदे बनाएँ या फिर से बनाएँ' };
// said waits for the status line to say what matches re.
async function said(re) {
  await page.waitForFunction(([src]) => new RegExp(src).test(document.querySelector('[data-testid=man-status]')?.textContent || ''),
    [re.source]);
  await page.waitForSelector('[data-testid=man-body][aria-busy=false]');
  return text('man-status');
}

let result = {};
try {
  const slot = await nextSlot();
  log(`the next scheduled slot: ${slot.date} ${slot.slot} with ${slot.count} articles`);

  // ---- sign in through the app; the console opens; pick the slot ----
  await page.goto(`${base}/`);
  await see('screen-login');
  await page.fill(T('login-username'), 'supervisor1');
  await page.fill(T('login-password'), 'dakiya-demo');
  await page.click(T('login-submit'));
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  await see('nav-slots');
  await page.click(T('nav-slots'));
  await see('screen-slots');
  await lang('en');
  await page.fill(T('scope-date'), slot.date);
  await page.waitForFunction((d) => document.querySelector('[data-testid=scope-date]')?.value === d, slot.date);
  await page.selectOption(T('scope-slot'), slot.slot);
  await page.waitForFunction((s) => document.querySelector('[data-testid=scope-slot]')?.value === s
    && /Slots and manifests/.test(document.querySelector('#screen-slots-h')?.textContent || ''), slot.slot);
  await see('man-none');

  // ---- build: every beat's stops as a table and on the map ----
  await page.focus(T('man-build'));
  await page.keyboard.press('Enter');
  const built = await said(/^Built \d+ manifests?/);
  let cs = await cards();
  check(cs.length >= 2 && cs.every((c) => c.status === 'draft' && c.version === 1), `after the build: ${JSON.stringify(cs)}`);
  const placed = cs.reduce((n, c) => n + c.arts.length, 0);
  check(placed > 0 && placed <= slot.count, `${placed} articles on the drafts, ${slot.count} scheduled`);
  for (const c of cs) {
    const rows = await page.$$(`${T(`man-stops-${c.beat}`)} tbody tr`);
    check(rows.length > 0, `beat ${c.beat} shows no stops`);
    check(/\d+ of \d+ letters/.test(await text(`man-load-${c.beat}`)), `load of ${c.beat}: ${await text(`man-load-${c.beat}`)}`);
    check(/km/.test(await text(`man-distance-${c.beat}`)), `distance of ${c.beat}: ${await text(`man-distance-${c.beat}`)}`);
  }
  log(`built: "${built}"; beats ${cs.map((c) => `${c.beat} (${c.arts.length})`).join(', ')}`);
  const from = cs.reduce((a, b) => (b.arts.length > a.arts.length ? b : a));
  const to = cs.find((c) => c !== from);
  const map = `${T(`man-map-${from.beat}`)} ${T('map-box')}`;
  await page.waitForSelector(`${map}[data-map="drawing"] ${T('map-drawing')}`, { timeout: 30_000 });
  const points = await page.$$(`${map} [data-testid^="map-point-"]`);
  check(points.length > 0, 'the drawing has no points');
  log(`the map of ${from.beat} is the drawing with ${points.length} points: "${await page.textContent(`${T(`man-map-${from.beat}`)} ${T('map-status')}`)}"`);
  await shot('build');
  await page.locator(T(`man-map-${from.beat}`)).screenshot({ path: join(shots, 'console-slots-map.png') });

  // ---- move an article to another beat; the drafts are rebuilt ----
  const moved = from.arts.at(-1);
  await page.selectOption(T(`man-move-${moved}`), to.beat);
  await page.click(T(`man-move-go-${moved}`));
  const movedSaid = await said(new RegExp(`^Moved ${moved} to beat ${to.beat}`));
  check(await beatOf(moved) === to.beat, `after the move ${moved} is on ${await beatOf(moved)}, want ${to.beat}`);
  cs = await cards();
  const [a2, b2] = [cs.find((c) => c.beat === from.beat), cs.find((c) => c.beat === to.beat)];
  check(a2.version === 2 && b2.version === 2 && !a2.arts.includes(moved) && b2.arts.includes(moved), `after the move: ${JSON.stringify(cs)}`);
  log(`"${movedSaid}"`);

  // ---- in Hindi: rebuild, then dispatch every draft ----
  await lang('hi');
  check(await text('man-build') === 'मसौदे बनाएँ या फिर से बनाएँ', `build button in Hindi: ${await text('man-build')}`);
  await page.click(T('man-build'));
  const hiBuilt = await said(/मैनिफ़ेस्ट बन/);
  check(/मसौदा/.test(await text(`man-status-${to.beat}`)), `status in Hindi: ${await text(`man-status-${to.beat}`)}`);
  check(await beatOf(moved) === to.beat, 'a rebuild lost the move');
  await shot('build-hi');
  await page.click(T('man-dispatch-all'));
  const hiSent = await said(/रवाना/);
  cs = await cards();
  check(cs.every((c) => c.status === 'dispatched'), `after dispatch: ${JSON.stringify(cs)}`);
  log(`in Hindi: "${hiBuilt}", then "${hiSent}"`);
  await lang('en');

  // ---- amend: take one article off a dispatched manifest ----
  const onA = cs.find((c) => c.beat === from.beat);
  await page.fill(T(`man-add-${from.beat}`), 'XX12345');
  await page.click(T(`man-amend-go-${from.beat}`));
  await said(/^Not done/);
  const why = await page.textContent(`${T('man-problems')} ${T('problem')}`);
  check(/add\[0\]/.test(why), `a refused amendment says "${why}"`);
  log(`a bad amendment is refused: "${why.replace(/\s+/g, ' ').trim()}"`);
  const removed = onA.arts[0];
  await page.fill(T(`man-add-${from.beat}`), '');
  await page.check(T(`man-off-${removed}`));
  await page.click(T(`man-amend-go-${from.beat}`));
  const amended = await said(new RegExp(`^Beat ${from.beat} amended`));
  cs = await cards();
  const a3 = cs.find((c) => c.beat === from.beat);
  check(!a3.arts.includes(removed) && a3.version === onA.version + 1, `after the amendment: ${JSON.stringify(a3)}`);
  log(`"${amended}"`);

  // ---- print the manifest the article was moved to ----
  await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
  await page.click(T(`man-print-${to.beat}`));
  await see('man-paper');
  await page.waitForFunction(() => window.__printed === 1);
  check((await text('man-paper-beat')).startsWith(to.beat), `paper beat: ${await text('man-paper-beat')}`);
  check(/Koramangala/.test(await text('man-paper-centre')), `paper centre: ${await text('man-paper-centre')}`);
  const kase = await page.textContent(`${T(`man-case-${moved}`)} td:nth-child(2)`);
  check(/^\d+$/.test(kase.trim()), `case of ${moved}: ${kase}`);
  await page.emulateMedia({ media: 'print' });
  const hidden = await page.evaluate(() => ['header.bar', 'nav.side', '.noprint'].map((s) => getComputedStyle(document.querySelector(s)).display));
  check(hidden.every((d) => d === 'none'), `on paper the header, navigation and buttons show: ${hidden}`);
  await shot('print', { fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  log(`paper copy of ${to.beat}: ${moved} in case ${kase.trim()}; header and navigation off the paper`);

  check(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  result = { date: slot.date, slot: slot.slot, moved, from: from.beat, to: to.beat, removed,
    manifests: cs.map((c) => c.id) };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  console.error(`FAILED: ${err instanceof Check ? err.message : err.stack}`);
  await page.screenshot({ path: join(shots, 'fail-console-slots.png'), timeout: 3_000 }).catch(() => {});
  console.error(await page.evaluate(() => document.body.innerText).catch(() => '(no answer)'));
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await Promise.race([browser.close(), sleep(10_000)]);
  process.exit(process.exitCode ?? 0);
}
