// Lighthouse (desktop) on the supervisor's console, in Debian's Chromium;
// server/e2e_console_lighthouse_test.go starts the demo server and runs it:
//
//   node e2e/lighthouse.mjs <console URL> <direct URL> <unused> <report folder> [screen …]
//
// (the arguments of the other browser scripts; the browser reaches the
// server at the first URL). It starts /usr/bin/chromium itself with a
// DevTools port (never a downloaded browser), signs in as supervisor1
// through the app with playwright-core over CDP (the app sends a
// supervisor to /console), then runs Lighthouse's Node API with its desktop
// config (simulated throttling) against /console#/<screen> for each screen
// asked (all of the console's by default). Lighthouse resets caches and
// service workers before each page but keeps localStorage, where the
// session is. It prints one line per page:
//
//   LIGHTHOUSE PAGE {"screen", "url", "performance", "accessibility", "best_practices",
//                    "failing": [{"category", "id", "title", "score", "nodes": [selector…]}], metrics…}
//
// and finally LIGHTHOUSE RESULT {"pages": […]} with the same objects. With
// LIGHTHOUSE_HTML=1 it also writes lighthouse-<screen>.html into the folder;
// LIGHTHOUSE_SCREENS=a,b picks the screens when none are given.
import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, , , out, ...asked] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node e2e/lighthouse.mjs <console URL> <direct URL> <unused> <report folder> [screen …]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const SCREENS = asked.length ? asked : process.env.LIGHTHOUSE_SCREENS ? process.env.LIGHTHOUSE_SCREENS.split(',') : ['articles', 'slots', 'progress', 'review', 'cash', 'charts', 'admin'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices'];
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

// signIn signs supervisor1 in through the app, which sends them to the console.
async function signIn(port) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 15_000 });
  const page = await browser.contexts()[0].newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/#/login`);
  await page.fill('[data-testid="login-username"]', 'supervisor1');
  await page.fill('[data-testid="login-password"]', 'dakiya-demo');
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/console/);
  await page.waitForSelector('[data-testid="view"] h2');
  log(`signed in as supervisor1: ${page.url()}`);
  await keyboardChecks(page);
  await page.close();
}

// keyboardChecks: the shell draws its bar and navigation afresh on every
// render, so it must put the focus back: a new slot keeps the focus on the
// slot picker, a screen opened from the navigation takes it, and Hindi
// says so in the page's lang.
async function keyboardChecks(page) {
  const active = () => page.evaluate(() => document.activeElement?.dataset.testid || document.activeElement?.id || '');
  await page.focus('[data-testid="scope-slot"]');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('dk.console') || '{}').slot === 'evening');
  await sleep(300);
  if (await active() !== 'scope-slot') throw new Error(`after a new slot the focus is on "${await active()}", not the slot picker`);
  await page.focus('[data-testid="nav-slots"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="nav-slots"][aria-current="page"]');
  await page.waitForFunction(() => document.activeElement?.id === 'view');
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => document.documentElement.lang.startsWith('hi'));
  const nav = await page.textContent('[data-testid="nav-articles"]');
  if (!/[\u0900-\u097f]/.test(nav)) throw new Error(`in Hindi the navigation says "${nav}"`);
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => document.documentElement.lang.startsWith('en'));
  log('keyboard: a new slot keeps the focus, a new screen takes it; Hindi sets lang');
}

// failing lists a category's audits that cost points, with the nodes at fault.
function failing(lhr, category) {
  return lhr.categories[category].auditRefs.filter((r) => r.weight > 0).map((r) => lhr.audits[r.id])
    .filter((a) => a.score !== null && a.score < 1)
    .map((a) => ({ category, id: a.id, title: a.title, score: a.score,
      nodes: (a.details?.items || []).map((i) => i.node?.selector || i.url || i.source?.url || i.description || '').filter(Boolean).slice(0, 8) }));
}

// audit runs Lighthouse on one screen and sums it up.
async function audit(port, screen) {
  const url = `${base}/console#/${screen}`;
  const flags = { port, logLevel: 'error', output: process.env.LIGHTHOUSE_HTML === '1' ? 'html' : 'json', onlyCategories: CATEGORIES };
  const res = await lighthouse(url, flags, desktopConfig);
  const lhr = res.lhr;
  if (lhr.runtimeError) throw new Error(`${screen}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (process.env.LIGHTHOUSE_HTML === '1') writeFileSync(join(out, `lighthouse-${screen}.html`), res.report);
  const metric = (id) => Math.round(lhr.audits[id]?.numericValue ?? -1);
  return {
    screen, url: lhr.finalDisplayedUrl,
    performance: lhr.categories.performance.score, accessibility: lhr.categories.accessibility.score,
    best_practices: lhr.categories['best-practices'].score,
    fcp_ms: metric('first-contentful-paint'), lcp_ms: metric('largest-contentful-paint'), tbt_ms: metric('total-blocking-time'),
    cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? -1,
    shifted: (lhr.audits['layout-shifts']?.details?.items || []).map((i) => `${i.node?.selector} ${i.score?.toFixed(4)}`),
    failing: [...failing(lhr, 'accessibility'), ...failing(lhr, 'best-practices'), ...failing(lhr, 'performance')],
    warnings: lhr.runWarnings,
  };
}

try {
  const port = await devtoolsPort();
  await signIn(port);
  const pages = [];
  for (const screen of SCREENS) {
    const p = await audit(port, screen);
    pages.push(p);
    console.log(`LIGHTHOUSE PAGE ${JSON.stringify(p)}`);
  }
  console.log(`LIGHTHOUSE RESULT ${JSON.stringify({ pages })}`);
  clearTimeout(watchdog);
  stop(0);
} catch (err) {
  console.error(`FAILED: ${err.stack || err}`);
  stop(1);
}
