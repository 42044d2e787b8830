// Lighthouse (desktop) on the supervisor's console, in Debian's Chromium;
// server/e2e_console_lighthouse_test.go starts the demo server and runs it:
//
//   node e2e/lighthouse.mjs <console URL> <direct URL> <unused> <report folder>
//
// (the arguments of the other browser scripts; the browser reaches the
// server at the first URL, the script's own API calls go to the second).
// It starts /usr/bin/chromium itself with a DevTools port (never a
// downloaded browser), signs in through the app with playwright-core over
// CDP as LIGHTHOUSE_USER (supervisor1 unless set; the app sends staff to
// /console), checks the shell's keyboard focus, then runs Lighthouse's Node
// API with its desktop config:
//
// - a navigation (cold cache, simulated throttling: performance,
//   accessibility, best practices) for each screen of the user's list;
// - a snapshot (accessibility, best practices of the page as it stands)
//   for each deeper state: an article's page, the import, a postman's
//   cash, the admin's tabs, opened by puppeteer-core and left to settle.
//
// (see PLAN for which user sees what; a state ending in @hi is seen in Hindi).
//
// Lighthouse resets caches and service workers before a navigation but
// keeps localStorage, where the session is. Each page is a new tab set to
// LIGHTHOUSE_DATE and LIGHTHOUSE_SLOT when given (the slot with outcomes). One line per page:
//
//   LIGHTHOUSE PAGE {"screen", "mode", "url", "performance", "accessibility", "best_practices",
//                    "failing": [{"category", "id", "title", "score", "nodes": [selector…]}], metrics…}
//
// then LIGHTHOUSE RESULT {"pages": […]}. LIGHTHOUSE_SCREENS=a,b and
// LIGHTHOUSE_STATES=c,d (or "none") replace the lists; LIGHTHOUSE_HTML=1
// writes each navigation's report into the folder.
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import lighthouse, { snapshot } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, direct, , out] = process.argv.slice(2);
if (!base || !direct || !out) {
  console.error('usage: node e2e/lighthouse.mjs <console URL> <direct URL> <unused> <report folder>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const USER = process.env.LIGHTHOUSE_USER || 'supervisor1';
// What each user is audited on: navigations (with performance) and states,
// split so that each run stays within the browser scripts' time limit (an
// admin sees a centre's screens as its supervisor does, with a centre picker).
const PLAN = {
  supervisor1: { screens: ['articles', 'slots', 'progress', 'review'], states: ['articles/{article}', 'articles/import', 'review@hi'] },
  admin: { screens: ['cash', 'charts', 'admin'],
    states: ['cash/{postman}', 'admin/centres', 'admin/beats', 'admin/staff', 'admin/calendar', 'charts@hi'] },
};
const list = (v, fallback) => (v === undefined ? fallback : v === 'none' ? [] : v.split(','));
const SCREENS = list(process.env.LIGHTHOUSE_SCREENS, PLAN[USER]?.screens || []);
const STATES = list(process.env.LIGHTHOUSE_STATES, PLAN[USER]?.states || []);
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const T = (id) => `[data-testid="${id}"]`;
// The maps' OpenStreetMap tiles: blocked, the test never reaches the internet.
const OFFLINE = ['*openstreetmap.org*'];

// The flags every browser script uses, plus a DevTools port for Lighthouse.
const profile = mkdtempSync(join(tmpdir(), 'dakiya-lh-'));
const chrome = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--remote-debugging-port=0',
  `--user-data-dir=${profile}`, '--window-size=1350,940', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
chrome.stderr.on('data', () => {}); // Chromium's own chatter
function stop(code) {
  chrome.kill('SIGTERM');
  setTimeout(() => { rmSync(profile, { recursive: true, force: true }); process.exit(code); }, 500);
}
const watchdog = setTimeout(() => { console.error('the whole run took too long'); stop(1); }, 170_000);

// devtoolsPort waits for Chromium to write the port it chose.
async function devtoolsPort() {
  for (let i = 0; i < 100; i++) {
    try {
      const port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
      if (port > 0) return port;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error('Chromium wrote no DevToolsActivePort within 10 s');
}

// signIn signs the user in through the app, which sends staff to the console.
async function signIn(port) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 15_000 });
  const page = await browser.contexts()[0].newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/#/login`);
  await page.fill(T('login-username'), USER);
  await page.fill(T('login-password'), 'dakiya-demo');
  await page.click(T('login-submit'));
  await page.waitForURL(/\/console/);
  await page.waitForSelector(`${T('view')} h2`);
  log(`signed in as ${USER}: ${page.url()}`);
  await keyboardChecks(page);
  await page.close();
}

// keyboardChecks: the shell draws its bar and navigation afresh on every
// render, so it must put the focus back: a new slot keeps the focus on the
// slot picker, a screen opened from the navigation takes it, the skip
// link gives it to the screen (and stays there), and Hindi says so in the
// page's lang.
async function keyboardChecks(page) {
  const active = () => page.evaluate(() => document.activeElement?.dataset.testid || document.activeElement?.id || '');
  await page.focus(T('scope-slot'));
  const slot = await page.inputValue(T('scope-slot'));
  await page.keyboard.press(slot === 'sunday' ? 'ArrowUp' : 'ArrowDown');
  await page.waitForFunction((was) => (JSON.parse(sessionStorage.getItem('dk.console') || '{}').slot || 'morning') !== was, slot);
  await sleep(300);
  if (await active() !== 'scope-slot') throw new Error(`after a new slot the focus is on "${await active()}", not the slot picker`);
  await page.focus(T('nav-slots'));
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${T('nav-slots')}[aria-current="page"]`);
  await page.waitForFunction(() => document.activeElement?.id === 'view');
  await page.focus(T('skip'));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'view');
  if (!page.url().endsWith('#/slots')) throw new Error(`the skip link went to ${page.url()}`);
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang.startsWith('hi'));
  const nav = await page.textContent(T('nav-articles'));
  if (!/[\u0900-\u097f]/.test(nav)) throw new Error(`in Hindi the navigation says "${nav}"`);
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang.startsWith('en'));
  log('keyboard: a new slot keeps the focus, a new screen takes it, so does the skip link; Hindi sets lang');
}

// placeholders are the demo's real ids the states name: an article of
// centre 1 and its first postman.
async function placeholders() {
  const call = async (path, token, body) => {
    const res = await fetch(direct + path, { method: body ? 'POST' : 'GET', body: body && JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  };
  const token = (await call('/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' })).access_token;
  const article = (await call('/api/v1/dcs/blr-koramangala/articles?limit=1', token)).items[0]?.id;
  const users = (await call('/api/v1/users', token)).items;
  const postman = users.find((u) => u.role === 'postman')?.id;
  return { '{article}': article, '{postman}': postman };
}

// failing lists a category's audits that cost points, with the nodes at fault.
function failing(lhr, category) {
  if (!lhr.categories[category]) return [];
  return lhr.categories[category].auditRefs.filter((r) => r.weight > 0).map((r) => lhr.audits[r.id])
    .filter((a) => a.score !== null && a.score < 1)
    .map((a) => ({ category, id: a.id, title: a.title, score: a.score,
      nodes: (a.details?.items || []).map((i) => i.node?.selector || i.url || i.source?.url || i.description || '').filter(Boolean).slice(0, 8) }));
}

// summary is the line printed for one page.
function summary(screen, mode, lhr) {
  if (lhr.runtimeError) throw new Error(`${screen}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const metric = (id) => (lhr.audits[id]?.numericValue === undefined ? null : Math.round(lhr.audits[id].numericValue));
  const score = (c) => lhr.categories[c]?.score ?? null;
  return {
    screen, mode, url: lhr.finalDisplayedUrl,
    performance: score('performance'), accessibility: score('accessibility'), best_practices: score('best-practices'),
    fcp_ms: metric('first-contentful-paint'), lcp_ms: metric('largest-contentful-paint'), tbt_ms: metric('total-blocking-time'),
    cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? null,
    shifted: (lhr.audits['layout-shifts']?.details?.items || []).map((i) => `${i.node?.selector} ${i.score?.toFixed(4)}`),
    failing: Object.keys(lhr.categories).flatMap((c) => failing(lhr, c)),
    warnings: lhr.runWarnings,
  };
}

// scoped is a new tab whose console works on LIGHTHOUSE_DATE and
// LIGHTHOUSE_SLOT (the demo's dispatched slot) in centre 1: the scope
// lives in the tab's sessionStorage, set before any script runs.
async function scoped(browser, lang = 'en') {
  const page = await browser.newPage();
  const scope = process.env.LIGHTHOUSE_DATE
    ? JSON.stringify({ dc: 'blr-koramangala', date: process.env.LIGHTHOUSE_DATE, slot: process.env.LIGHTHOUSE_SLOT || 'morning' }) : '';
  await page.evaluateOnNewDocument((s, l) => {
    if (s) sessionStorage.setItem('dk.console', s);
    localStorage.setItem('dk.lang', l);
  }, scope, lang);
  const cdp = await page.createCDPSession(); // no map tiles from the internet in a test
  await cdp.send('Network.enable');
  await cdp.send('Network.setBlockedURLs', { urls: OFFLINE });
  return page;
}

// navigate runs a Lighthouse navigation on one screen, in a scoped tab.
async function navigate(browser, screen) {
  const html = process.env.LIGHTHOUSE_HTML === '1';
  // A screen fed by a stream never lets the network go quiet: stop
  // waiting after 15 s (not Lighthouse's 45) and audit what has loaded.
  const flags = { logLevel: 'error', output: html ? 'html' : 'json', maxWaitForLoad: 15_000, blockedUrlPatterns: OFFLINE,
    onlyCategories: ['performance', 'accessibility', 'best-practices'] };
  const page = await scoped(browser);
  try {
    const res = await lighthouse(`${base}/console#/${screen}`, flags, desktopConfig, page);
    if (html) writeFileSync(join(out, `lighthouse-${screen.replace(/\W+/g, '-')}.html`), res.report);
    return summary(screen, 'navigation', res.lhr);
  } finally {
    await page.close();
  }
}

// still opens a state with puppeteer (in Hindi for name@hi), lets it
// settle, and takes a snapshot.
async function still(browser, screen, ids) {
  const [name, lang = 'en'] = screen.split('@');
  const page = await scoped(browser, lang);
  try {
    await page.setViewport({ width: 1350, height: 940 });
    const path = name.replace(/\{\w+\}/g, (k) => encodeURIComponent(ids[k] || k));
    await page.goto(`${base}/console#/${path}`, { waitUntil: 'load' });
    await page.waitForSelector(`${T('view')} h2`, { timeout: 15_000 });
    await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), {}, lang);
    await page.waitForNetworkIdle({ idleTime: 500, timeout: 5_000 }).catch(() => {}); // a stream never idles
    const res = await snapshot(page, { config: desktopConfig,
      flags: { logLevel: 'error', onlyCategories: ['accessibility', 'best-practices'] } });
    return summary(screen, 'snapshot', res.lhr);
  } finally {
    await page.evaluate(() => localStorage.setItem('dk.lang', 'en')).catch(() => {});
    await page.close();
  }
}

try {
  const port = await devtoolsPort();
  await signIn(port);
  const pages = [];
  const report = (p, began) => { p.took_ms = Date.now() - began; pages.push(p); console.log(`LIGHTHOUSE PAGE ${JSON.stringify(p)}`); };
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}`, defaultViewport: null });
  for (const screen of SCREENS) {
    const began = Date.now();
    report(await navigate(browser, screen), began);
  }
  const ids = STATES.length ? await placeholders() : {};
  for (const screen of STATES) {
    const began = Date.now();
    report(await still(browser, screen, ids), began);
  }
  browser.disconnect();
  console.log(`LIGHTHOUSE RESULT ${JSON.stringify({ user: USER, pages })}`);
  clearTimeout(watchdog);
  stop(0);
} catch (err) {
  console.error(`FAILED: ${err.stack || err}`);
  stop(1);
}
