// The console's forecast in Debian's headless Chromium driven by
// playwright-core; server/e2e_console_forecast_test.go starts the server
// with the demo data (whose year of arrivals history the demo imports)
// and runs it:
//
//   node e2e/console-forecast.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// At 1280 × 800 supervisor1 (Koramangala) opens Forecast and sees
// tomorrow's slots against the roster: the articles expected, the postmen
// needed and rostered, each as the API says (GET forecast and GET roster,
// read here too); for each slot of the next 14 days a band chart (a point
// a slot day) and needed-against-rostered bars, the understaffed days
// marked in the numbers table as the API's figures imply; the screen again
// in Hindi. A supervisor has no festival editor. The admin adds a festival
// (a window of 40 days refused first, on its field), sees it listed, and
// deletes it; each change is checked through the API here, and again by
// the Go test.
import { join } from 'node:path';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, log, setLang, T, STEP_MS, shotAround } from './lib.mjs';

const { base, direct, shots } = args('console-forecast', false);
const { api, token } = client(direct);
const DC = 'blr-koramangala';
const FEST = { date: '2027-09-14', name: 'Onam', region: 'Kerala', id: '2027-09-14-onam' };

const browser = await launch();
const watchdog = deadline(55_000);
const contexts = [];

async function open(username) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
    timezoneId: 'Asia/Kolkata', serviceWorkers: 'allow' });
  contexts.push(ctx);
  const page = watch(await ctx.newPage(), username);
  await signInAt(page, base, username);
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  return page;
}

const text = async (page, id) => (await page.textContent(T(id)))?.trim() ?? '';
const shot = (page, name, focus) => shotAround(page, join(shots, `console-forecast-${name}.png`), focus);

// expected reads the forecast and the roster as the screen does.
async function expected(tok) {
  const fc = await api('GET', `/api/v1/dcs/${DC}/forecast?days=14`, tok);
  check(fc.status === 200, `forecast: ${fc.status} ${fc.text}`);
  const to = fc.json.dates.at(-1).date;
  const ro = await api('GET', `/api/v1/dcs/${DC}/roster?from=${fc.json.from}&to=${to}`, tok);
  check(ro.status === 200, `roster: ${ro.status} ${ro.text}`);
  const rostered = new Map(ro.json.days.flatMap((d) => d.slots.map((s) => [`${d.date}/${s.slot}`, s.rostered])));
  return fc.json.dates.flatMap((d) => d.slots.map((s) => ({ date: d.date, slot: s.slot, expected: s.expected,
    needed: s.postmen_needed, rostered: rostered.get(`${d.date}/${s.slot}`) })));
}

async function supervisor() {
  const sup = await open('supervisor1');
  const tok = await token('supervisor1');
  await sup.click(T('nav-forecast'));
  await sup.waitForSelector(T('fc-tomorrow'));
  const rows = await expected(tok);
  const first = rows.filter((r) => r.date === rows[0].date);
  for (const r of first) {
    const line = await text(sup, `fc-tomorrow-${r.slot}`);
    check(line.includes(`${r.needed} postmen needed`) && line.includes(`${r.rostered} rostered`),
      `tomorrow's ${r.slot}: "${line}", want ${r.needed} needed and ${r.rostered} rostered`);
    check(r.expected > 0, `tomorrow's ${r.slot} expects nothing`);
  }
  const slots = [...new Set(rows.map((r) => r.slot))];
  for (const sl of slots) {
    const n = rows.filter((r) => r.slot === sl).length;
    const points = await sup.$$(`${T(`fc-band-${sl}`)} circle.fc-pt`);
    check(points.length === n, `the ${sl} band has ${points.length} points, want ${n}`);
    const bars = await sup.$$(`${T(`fc-staff-${sl}`)} rect.chart-bar`);
    check(bars.length >= n, `the ${sl} staffing chart has ${bars.length} bars for ${n} days`);
  }
  const short = rows.filter((r) => r.rostered < r.needed);
  const marked = await sup.$$(`${T('fc-table')} tr.fc-short`);
  check(marked.length === short.length, `${marked.length} rows marked understaffed, want ${short.length}`);
  check(short.length > 0 && short.length < rows.length, `understaffed on ${short.length} of ${rows.length} slot days: the demo should show both`);
  check((await text(sup, 'fc-backtest')).includes('MASE'), 'no backtest line');
  check(!(await sup.$(T('fc-festivals'))), 'a supervisor is offered the festival editor');
  await shot(sup, 'tomorrow', 'fc-tomorrow');
  await shot(sup, 'morning', 'fc-slot-morning');
  await setLang(sup, 'hi');
  await sup.waitForSelector(T('fc-tomorrow'));
  check((await sup.textContent('#screen-forecast-h'))?.trim() === 'पूर्वानुमान', 'the heading is not in Hindi');
  await shot(sup, 'hi', 'fc-tomorrow');
  await setLang(sup, 'en');
  log(`supervisor1: tomorrow ${first.map((r) => `${r.slot} ${r.expected} articles, ${r.needed} needed, ${r.rostered} rostered`).join('; ')}; ${short.length} of ${rows.length} slot days understaffed`);
  return { tomorrow: first, short: short.length, slotDays: rows.length };
}

async function admin() {
  const adm = await open('admin');
  const tok = await token('admin');
  await adm.goto(`${base}/console#/forecast`);
  await adm.waitForSelector(T('fc-fest-list'));
  const before = (await api('GET', '/api/v1/festivals', tok)).json.items.length;
  await adm.fill(T('fc-fest-new-date'), FEST.date);
  await adm.fill(T('fc-fest-new-name'), FEST.name);
  await adm.fill(T('fc-fest-new-region'), FEST.region);
  await adm.fill(T('fc-fest-new-before_days'), '40');
  await adm.click(T('fc-fest-new-submit'));
  await adm.waitForSelector(`${T('fc-fest-new')} [name=before_days][aria-invalid=true]`);
  await adm.fill(T('fc-fest-new-before_days'), '10');
  await adm.click(T('fc-fest-new-submit'));
  await adm.waitForSelector(T(`fc-fest-${FEST.id}`));
  const got = await api('GET', '/api/v1/festivals', tok);
  const made = got.json.items.find((f) => f.id === FEST.id);
  check(made && made.before_days === 10 && made.region === FEST.region && got.json.items.length === before + 1, `after adding: ${JSON.stringify(made)}`);
  await shot(adm, 'festivals', `fc-fest-${FEST.id}`);
  await adm.click(T(`fc-fest-delete-${FEST.id}`));
  await adm.waitForSelector(T(`fc-fest-${FEST.id}`), { state: 'detached' });
  const after = await api('GET', '/api/v1/festivals', tok);
  check(after.json.items.length === before && !after.json.items.some((f) => f.id === FEST.id), 'the festival is still there');
  log(`admin: ${FEST.name} added (a 40-day window refused first) and deleted; ${before} festivals`);
  return before;
}

try {
  const s = await supervisor();
  const festivals = await admin();
  noPageErrors();
  console.log(`E2E RESULT ${JSON.stringify({ ...s, festivals, added: FEST.id })}`);
} catch (err) {
  failed(err);
  for (const ctx of contexts) {
    for (const pg of ctx.pages()) {
      await pg.screenshot({ path: join(shots, `fail-console-forecast-${contexts.indexOf(ctx)}.png`), timeout: 3_000, fullPage: true }).catch(() => {});
      console.error(await pg.evaluate(() => `${location.href}\n${document.body.innerText}`).catch(() => '(no answer)'));
    }
  }
} finally {
  await end(browser, watchdog);
}
