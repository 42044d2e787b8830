// The console's cash screen and pictures, in Debian's headless Chromium
// driven by playwright-core; server/e2e_console_cash_test.go starts the
// server, dispatches the demo slot and runs it:
//
//   node e2e/console-cash.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// Through the API a postman delivers cash-on-delivery articles, by cash
// and by UPI with a UTR, and another records failed attempts at two
// doors for two reasons. As
// supervisor1 (1280 × 800): the cash screen shows each postman's cash
// expected, collected and UPI right; a handover 50 rupees short, sent with
// a double click, is called short; the settlement is closed (no more
// handover offered); a correction with a reason balances it; the CSV
// ledger downloads with the right row. In Hindi a second postman is
// settled over, the first answer lost on its way back and the handover
// sent again (the same key: one entry). The pictures, before any outcome, are each a sentence;
// afterwards they draw as many bars as the statistics have values, in both
// languages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, Check, log, sleep, T, STEP_MS, setLang } from './lib.mjs';

const { base, direct, control, shots } = args('console-cash');
const { api, token, codeFor } = client(direct);
const DC = 'blr-koramangala';

// outcome records what happened at the door, as the postman's phone does.
async function outcome(tok, stop, art, extra) {
  const body = { article_id: art.id, captured_at: new Date().toISOString(), ...extra };
  if (extra.outcome === 'delivered' && art.otp_required) body.otp = await codeFor(stop.phone, art.id);
  const r = await api('POST', '/api/v1/deliveries', tok, body, { 'Idempotency-Key': crypto.randomUUID() });
  check(r.status === 201, `outcome for ${art.id}: ${r.status} ${r.text}`);
}

// deliverMoney has the postman with the most COD articles deliver them,
// the first and third by cash, the second by UPI with a UTR; another
// postman (or the same) fails one article. It returns what the cash
// screen must show.
async function deliverMoney(sup) {
  const list = await api('GET', `/api/v1/dcs/${DC}/manifests`, sup);
  const sums = (Array.isArray(list.json) ? list.json : list.json.items).filter((m) => m.status === 'dispatched');
  check(sums.length > 0, `no dispatched manifest: ${list.text}`);
  const users = new Map((await api('GET', `/api/v1/users?dc_id=${DC}`, sup)).json.items.map((u) => [u.id, u]));
  const full = await Promise.all(sums.map(async (m) => (await api('GET', `/api/v1/manifests/${m.id}`, sup)).json));
  const cod = (m) => m.stops.flatMap((s) => s.articles.filter((a) => a.cod_paise > 0).map((a) => ({ s, a })));
  full.sort((a, b) => cod(b).length - cod(a).length);
  const m = full[0];
  const items = cod(m).slice(0, 3);
  check(items.length >= 2, `the dispatched slot has ${items.length} COD articles on one manifest; want 2 or more`);
  const tok = await token(users.get(m.postman_id).username);
  const got = { date: m.date, slot: m.slot, postman: m.postman_id, expected: 0, upi: 0, names: users };
  for (const [i, { s, a }] of items.entries()) {
    const upi = i === 1;
    await outcome(tok, s, a, { outcome: 'delivered', cod: upi ? { mode: 'upi', amount_paise: a.cod_paise, upi_ref: '412345678901' }
      : { mode: 'cash', amount_paise: a.cod_paise } });
    if (upi) got.upi += a.cod_paise; else got.expected += a.cod_paise;
  }
  const other = full.find((x) => x !== m && x.date === m.date && x.slot === m.slot) || m; // the same slot, so one cash screen shows both
  const used = new Set(items.map((x) => x.a.id));
  const stops = other.stops.filter((s) => s.articles.every((a) => !used.has(a.id) && a.cod_paise === 0)).slice(0, 2);
  check(stops.length > 0, 'no stop without COD left for a failed attempt');
  const otok = other === m ? tok : await token(users.get(other.postman_id).username);
  for (const [i, stop] of stops.entries()) {
    for (const a of stop.articles) await outcome(otok, stop, a, { outcome: 'failed', reason_code: i ? '08' : '01' });
  }
  got.second = other === m ? '' : other.postman_id;
  log(`${users.get(m.postman_id).username} delivered ${items.length} COD articles (cash ${got.expected}, UPI ${got.upi} paise); ` +
    `${users.get(other.postman_id).username} failed at ${stops.length} stops (door locked, addressee absent)`);
  return got;
}

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', acceptDownloads: true });
const watchdog = deadline(150_000);
const page = watch(await ctx.newPage());
const see = (id, opts) => page.waitForSelector(T(id), opts);
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const shot = async (name) => { await page.evaluate(() => scrollTo(0, 0)); await page.screenshot({ path: join(shots, `console-${name}.png`), fullPage: true }); };
const inr = (paise, lang = 'en') => new Intl.NumberFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', { style: 'currency', currency: 'INR' }).format(paise / 100);
const until = (fn, arg, what) => page.waitForFunction(fn, arg, { timeout: STEP_MS, polling: 100 }).catch(() => { throw new Check(what); });

// ledger is the slot's settlement entries on the server.
async function ledger(sup, money) {
  const r = await api('GET', `/api/v1/dcs/${DC}/cod/settlements?date=${money.date}&slot=${money.slot}`, sup);
  check(r.status === 200, `ledger: ${r.status} ${r.text}`);
  return r.json.items;
}

// settleShort records a handover 50 rupees short with a double click and
// checks the screen calls it short, and the server holds one entry.
async function settleShort(sup, money) {
  const p = money.postman;
  await page.click(T(`cash-open-${p}`));
  await see('cash-panel');
  check(await text('cash-panel-expected') === inr(money.expected), `panel expected ${await text('cash-panel-expected')}`);
  await page.fill(T('cash-amount'), String((money.expected - 5000) / 100));
  await page.dblclick(T('cash-record'));
  await until(() => /Recorded/.test(document.querySelector('[data-testid=cash-status]')?.textContent), null, 'no "Recorded" status');
  const diff = await page.$(`${T(`cash-diff-${p}`)} .cash-short`);
  check(diff, `the difference is not marked short: "${await text(`cash-diff-${p}`)}"`);
  check((await diff.textContent()).includes(`Short by ${inr(5000)}`), `difference "${await diff.textContent()}", want short by ${inr(5000)}`);
  await sleep(500); // a stray second request would land by now
  const mine = (await ledger(sup, money)).filter((e) => e.postman_id === p);
  check(mine.length === 1 && mine[0].cash_received_paise === money.expected - 5000, `after a double click the server holds ${JSON.stringify(mine)}`);
  log(`handover of ${inr(money.expected - 5000)} recorded once despite a double click, shown "${await diff.textContent()}"`);
}

// closeAndCorrect closes the settlement, sees no handover offered, then
// adds a correction with a reason that balances it.
async function closeAndCorrect(money) {
  const p = money.postman;
  await page.click(T('cash-close'));
  await page.click(T('cash-close-confirm'));
  await see('cash-closed');
  check(!(await page.$(T('cash-handover'))) && !(await page.$(T('cash-close'))), 'a closed settlement still offers a handover or a closing');
  check(/Closed/.test(await text(`cash-state-${p}`)), `state "${await text(`cash-state-${p}`)}"`);
  await page.fill(T('cash-fix-amount'), '50');
  await page.click(T('cash-fix-submit'));
  await see('cash-invalid');
  await page.fill(T('cash-fix-reason'), 'Counted again: 50 rupees were in the second bag');
  await page.press(T('cash-fix-reason'), 'Enter');
  await until(() => /Correction/.test(document.querySelector('[data-testid=cash-status]')?.textContent), null, 'no "Correction" status');
  check(/Balanced/.test(await text(`cash-diff-${p}`)), `after the correction: "${await text(`cash-diff-${p}`)}"`);
  check((await page.$$('[data-testid^="cash-entry-"]')).length === 2, 'the ledger does not list two entries');
  log('closed (no handover offered), corrected with a reason: balanced');
}

// csv downloads the ledger and checks the postman's row.
async function csv(money) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(T('cash-csv'))]);
  check(dl.suggestedFilename() === `cod-${DC}-${money.date}-${money.slot}.csv`, `file name ${dl.suggestedFilename()}`);
  const rows = readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
  const head = rows[0];
  const row = Object.fromEntries(head.map((k, i) => [k, rows.find((r) => r[0] === money.postman)?.[i]]));
  const rupees = (p) => (p / 100).toFixed(2);
  check(head[0] === 'postman_id' && row.expected_cash_rupees === rupees(money.expected) && row.upi_collected_rupees === rupees(money.upi) &&
    row.settled_cash_rupees === rupees(money.expected) && row.difference_rupees === '0.00' && row.settlements === '2' && row.closed === 'true',
  `CSV row ${JSON.stringify(row)}`);
  log(`CSV ledger: ${rows.length - 1} rows, ${money.postman}'s right`);
}

// charts checks each picture's bars against the statistics.
async function charts(sup, lang) {
  await page.click(T('nav-charts'));
  await see('screen-charts');
  const st = (await api('GET', `/api/v1/dcs/${DC}/stats?days=14`, sup)).json;
  const tis = st.time_in_slot;
  const want = {
    perslot: st.per_slot.filter((r) => r.delivered > 0).length,
    first: st.first_attempt.filter((b) => b.rate > 0).length,
    reasons: st.failure_reasons.length,
    time: [tis.before_start, ...tis.buckets, tis.after_end].filter((n) => n > 0).length,
  };
  const empty = { perslot: want.perslot === 0, first: st.first_attempt.length === 0, reasons: want.reasons === 0, time: want.time === 0 };
  for (const [name, n] of Object.entries(want)) {
    const got = await page.$$eval(`${T(`chart-${name}`)} rect.chart-bar`, (r) => r.length);
    check(got === n, `${lang} chart ${name}: ${got} bars, the statistics have ${n}`);
    const svg = await page.$(`${T(`chart-${name}`)} svg[role=img]`);
    if (empty[name]) {
      check(!svg && await page.$(T(`chart-${name}-empty`)), `${lang} chart ${name}: no data but no sentence`);
    } else {
      const label = await svg.getAttribute('aria-label');
      check(label && label.length > 20, `${lang} chart ${name}: aria-label "${label}"`);
      check(await page.$(`${T(`chart-${name}-numbers`)} table`), `${lang} chart ${name}: no table of its numbers`);
    }
  }
  check(!st.failure_reasons.length || (await text('chart-reasons')).includes(lang === 'hi' ? 'दरवाज़ा' : 'Door locked'),
    `${lang}: the failure reason is not in words`);
  log(`${lang} pictures: bars ${JSON.stringify(want)} as the statistics say`);
  return want;
}

let result = {};
try {
  const sup = await token('supervisor1');

  // ---- sign in; before any outcome each picture is a sentence ----
  await signInAt(page, base, 'supervisor1');
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  await see('nav-charts');
  const none = await charts(sup, 'en, no outcomes yet');
  check(Object.values(none).every((n) => n === 0), `the demo has outcomes before the script made any: ${JSON.stringify(none)}`);

  // ---- outcomes through the API; the scope bar picks their date and slot ----
  const money = await deliverMoney(sup);
  await page.click(T('nav-cash'));
  await see('screen-cash');
  await page.fill(T('scope-date'), money.date);
  await page.selectOption(T('scope-slot'), money.slot);
  const p = money.postman;
  await see(`cash-line-${p}`);

  // ---- expected vs collected, cash and UPI apart ----
  const shown = { expected: await text(`cash-expected-${p}`), collected: await text(`cash-collected-${p}`), upi: await text(`cash-upi-${p}`) };
  check(shown.expected === inr(money.expected) && shown.collected === inr(money.expected) && shown.upi === inr(money.upi),
    `line ${JSON.stringify(shown)}, want cash ${inr(money.expected)} expected and collected, UPI ${inr(money.upi)}`);
  check(/Not counted yet/.test(await text(`cash-diff-${p}`)), `before a handover: "${await text(`cash-diff-${p}`)}"`);
  log(`line shows expected ${shown.expected}, collected ${shown.collected}, UPI ${shown.upi}`);

  await settleShort(sup, money);
  await closeAndCorrect(money);
  await csv(money);
  check(await page.$(T('cash-day-total')), 'no day summary');
  await shot('cash');

  await charts(sup, 'en');
  await shot('charts');

  // ---- in Hindi: the closed settlement reads final, a second postman is settled over ----
  await setLang(page, 'hi');
  await page.click(T('nav-cash'));
  await see(`cash-line-${p}`);
  check(/बराबर/.test(await text(`cash-diff-${p}`)) && /बंद/.test(await text(`cash-state-${p}`)), `Hindi line: "${await text(`cash-line-${p}`)}"`);
  result = { date: money.date, slot: money.slot, postman: p, expected_paise: money.expected };
  if (money.second) {
    await page.click(T(`cash-open-${money.second}`));
    await see('cash-panel');
    await page.fill(T('cash-amount'), '10');
    // The first answer is lost on the way back (the server did record it):
    // the retry of the same values reuses the key and adds nothing.
    await page.route('**/cod/settlements', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    }, { times: 1 });
    await page.click(T('cash-record'));
    await see('problem');
    await page.click(T('cash-record'));
    await until(() => /दर्ज/.test(document.querySelector('[data-testid=cash-status]')?.textContent), null, 'no Hindi "recorded" status');
    const over = await text(`cash-diff-${money.second}`);
    check(over.includes(`${inr(1000, 'hi')} ज़्यादा`) && await page.$(`${T(`cash-diff-${money.second}`)} .cash-over`), `Hindi over: "${over}"`);
    result = { ...result, second: money.second, second_paise: 1000 };
    log(`Hindi: second postman settled over: "${over}"`);
  }
  await shot('cash-hi');
  await charts(sup, 'hi');
  await shot('charts-hi');
  noPageErrors();
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  failed(err);
  await page.screenshot({ path: join(shots, 'fail-console-cash.png'), timeout: 3_000 }).catch(() => {});
  console.error(await page.evaluate(() => document.body.innerText).catch(() => '(no answer)'));
} finally {
  await end(browser, watchdog);
}
