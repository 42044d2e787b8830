// What the console's browser scripts (e2e/console-*.mjs) share: their
// arguments, a log with the seconds since the start, checks that fail the
// run with a message, the server's API at the direct URL (sign-in, the
// development SMS outbox), the proxy's network control, and Debian's
// headless Chromium launched with the same flags each time. Each script is
// run by its Go test as
//
//   node e2e/console-<area>.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

// STEP_MS bounds one step: a request, a wait for the page.
export const STEP_MS = 15_000;

// PASSWORD is every demo user's password.
export const PASSWORD = 'dakiya-demo';

// T is the selector of an element by its data-testid.
export const T = (id) => `[data-testid="${id}"]`;

const started = Date.now();

// log prints with the seconds since the script started.
export const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);

// Check is a failed check: the run fails with its message alone.
export class Check extends Error {}

// check throws a Check with msg unless ok.
export function check(ok, msg) { if (!ok) throw new Check(msg); }

// sleep waits ms milliseconds.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// args reads the script's arguments ({ base, direct, control, shots }),
// exits with its usage when one it needs is missing (the network control
// only when needControl), and makes the screenshot folder.
export function args(name, needControl = true) {
  const [base, direct, control, shots] = process.argv.slice(2);
  if (!base || !direct || (needControl && !control) || !shots) {
    console.error(`usage: node e2e/${name}.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>`);
    process.exit(2);
  }
  mkdirSync(shots, { recursive: true });
  return { base, direct, control, shots };
}

// client is the API at the direct URL: api(method, path, token, body,
// headers) → { status, json, text } (a FormData body is sent as it is,
// any other as JSON), signIn(username, password), token(username) (a
// demo user's access token) and codeFor(phone, articleID, orElse) (the
// article's code from the development SMS outbox; without one, orElse,
// or a failed check when orElse is not given).
export function client(direct) {
  async function api(method, path, token, body, headers = {}) {
    const form = body instanceof FormData;
    const res = await fetch(direct + path, {
      method, headers: { ...(form ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body: form ? body : body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(STEP_MS),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text };
  }
  const signIn = (username, password = PASSWORD) => api('POST', '/api/v1/auth/login', '', { username, password });
  async function token(username) {
    const r = await signIn(username);
    check(r.status === 200, `login ${username}: ${r.status} ${r.text}`);
    return r.json.access_token;
  }
  async function codeFor(phone, articleID, orElse) {
    const r = await api('GET', `/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
    check(r.status === 200, `dev sms: ${r.status} ${r.text}`);
    const code = r.json.messages.filter((m) => m.body.includes(articleID)).map((m) => /code (\d{6})/.exec(m.body)?.[1]).find(Boolean);
    if (code || orElse !== undefined) return code || orElse;
    check(code, `no code for ${articleID} among ${r.json.messages.length} messages to ${phone}`);
    return code;
  }
  return { api, signIn, token, codeFor };
}

// networkControl returns a function that sets the proxy's mode (pass, drop,
// reset, …) through its control URL.
export function networkControl(control) {
  return async (mode) => {
    const r = await fetch(`${control}?mode=${mode}`, { method: 'POST', signal: AbortSignal.timeout(STEP_MS) });
    check(r.status === 204, `network control ${mode}: ${r.status}`);
    log(`network: ${mode}`);
  };
}

// launch starts Debian's headless Chromium with the flags every script uses.
export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
}

// deadline ends the run when it takes longer than ms; clearTimeout it at
// the end.
export const deadline = (ms) => setTimeout(() => { console.error('the whole run took too long'); process.exit(1); }, ms);

// pageErrors are the pages' uncaught errors; a run checks it is empty.
export const pageErrors = [];

// watch gives page p the step timeout and collects its uncaught errors
// (named by who, when given) into pageErrors; it returns p.
export function watch(p, who) {
  p.setDefaultTimeout(STEP_MS);
  p.on('pageerror', (e) => {
    pageErrors.push(who ? `${who}: ${e.message}` : e.message);
    log(who ? `PAGE ERROR (${who}):` : 'PAGE ERROR:', e.message);
  });
  return p;
}

// noPageErrors checks that no page had an uncaught error.
export function noPageErrors() {
  check(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
}

// signInAt signs username in on the app's sign-in screen at base/ (the
// console's users are then sent on to /console).
export async function signInAt(page, base, username, password = PASSWORD) {
  await page.goto(`${base}/`);
  await page.waitForSelector(T('screen-login'));
  await page.fill(T('login-username'), username);
  await page.fill(T('login-password'), password);
  await page.click(T('login-submit'));
}

// failed says why the run failed (a Check's message, else the stack) and
// makes the script exit 1.
// setLang switches the console to language l (when it is not already) and
// waits for the screen drawn in it: the page's lang changes before the
// screen is redrawn, so waiting on it alone reads the old screen.
export async function setLang(page, l) {
  if (await page.evaluate(() => document.documentElement.lang) !== l) await page.click(T('lang-toggle'));
  await page.waitForSelector(`[data-testid="view"][data-lang="${l}"]`);
}

// shotAround saves what the window shows to path: the top of the screen,
// or the part around the element whose test id is focus.
export async function shotAround(page, path, focus) {
  await page.evaluate((id) => {
    const el = id && document.querySelector(`[data-testid="${id}"]`);
    if (el) el.scrollIntoView({ block: 'center' }); else window.scrollTo(0, 0);
  }, focus);
  await page.screenshot({ path });
}

export function failed(err) {
  console.error(`FAILED: ${err instanceof Check ? err.message : err.stack}`);
  process.exitCode = 1;
}

// end stops the watchdog, closes the browser (waiting 10 s at most) and
// exits with process.exitCode (0 unless the run failed).
export async function end(browser, watchdog) {
  clearTimeout(watchdog);
  await Promise.race([browser.close(), sleep(10_000)]);
  process.exit(process.exitCode ?? 0);
}
