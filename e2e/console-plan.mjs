// The console's roster and beat plan screens, in Debian's headless
// Chromium driven by playwright-core; server/e2e_console_plan_test.go
// starts the server with the demo data and runs it:
//
//   node e2e/console-plan.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// The demo supervisor of centre 1 opens the roster for the next morning
// slot with scheduled articles (tomorrow's, as a rule), sets postman2 on
// leave in that slot, opens the beat plan screen and proposes balanced
// beats: the fixed beats leave postman2's beat without a postman and the
// two others cannot carry it all. Back in the roster the reliever postman5
// covers postman2's beat; proposed again, the three rounds carry every
// article. The supervisor chooses the plan, then on the slots screen
// builds and dispatches. It prints what it did; the Go test checks the server holds
// the same: postman2 has no manifest and the others carry every article.
import { join } from 'node:path';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, log, T, STEP_MS, shotAround, setLang } from './lib.mjs';

const { base, direct, shots } = args('console-plan', false);
const { api } = client(direct);
const DC = 'blr-koramangala';

// nextMorning is the earliest morning after today with scheduled articles,
// and postman2's id from the roster.
async function nextMorning(sup) {
  const page = (await api('GET', `/api/v1/dcs/${DC}/articles?status=scheduled&limit=1000`, sup)).json;
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });
  const days = page.items.map((a) => a.schedule).filter((s) => s.slot === 'morning' && s.date > today).map((s) => s.date).sort();
  check(days.length, 'the demo centre has no morning slot scheduled after today');
  const date = days[0];
  const roster = (await api('GET', `/api/v1/dcs/${DC}/roster?from=${date}&to=${date}`, sup)).json;
  const p2 = roster.postmen.find((p) => p.name === 'Ravi Kumar Yadav');
  const p5 = roster.postmen.find((p) => p.name === 'Venkatesh Naik');
  check(p2 && p2.home_beat_id && p5 && !p5.home_beat_id, `postman2 and the reliever postman5 are not on the roster: ${JSON.stringify(roster.postmen)}`);
  return { date, count: days.filter((d) => d === date).length, postman: p2, reliever: p5 };
}

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata', serviceWorkers: 'allow' });
const watchdog = deadline(55_000);
const page = watch(await ctx.newPage());
const see = (id, opts) => page.waitForSelector(T(id), opts);
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const shot = (name, focus) => shotAround(page, join(shots, `console-plan-${name}.png`), focus);
// said waits for a status line to say what matches re.
async function said(id, re) {
  await page.waitForFunction(([i, src]) => new RegExp(src).test(document.querySelector(`[data-testid=${i}]`)?.textContent || ''), [id, re.source]);
  return text(id);
}

// setEntry sets a roster cell's status (and the beat it covers) for the
// cell's slot alone.
async function setEntry(cell, status, covers, note) {
  await page.click(T(cell));
  await see('plan-entry');
  await page.selectOption(T('plan-entry-status'), status);
  await page.selectOption(T('plan-entry-scope'), 'slot');
  if (covers) await page.selectOption(T('plan-entry-covers'), covers);
  await page.fill(T('plan-entry-note'), note);
  await page.click(T('plan-entry-save'));
  await page.waitForFunction(([c, st]) => document.querySelector(`[data-testid="${c}"]`)?.dataset.status === st
    && !document.querySelector('[data-testid=plan-entry]'), [cell, status]);
}

// propose proposes balanced beats for n postmen and reads the totals.
async function propose(n) {
  await page.click(T('plan-propose'));
  await said('plan-status', new RegExp(`^Proposed rounds for ${n} postm`));
  const rows = await page.$$eval(`${T('plan-compare')} tbody tr`, (trs) => trs.map((tr) => tr.dataset.testid));
  check(rows.length === n, `routes: ${rows}`);
  const totals = await text('plan-totals');
  const m = /Beats fixed: (\d+) articles on rounds, (\d+) without[^]*round (\d+) min[^]*Beats balanced: (\d+) articles on rounds, (\d+) without[^]*round (\d+) min/.exec(totals);
  check(m, `totals: ${totals}`);
  return { fixedOn: m[1], fixedLeft: m[2], fixedMax: m[3], balOn: m[4], balLeft: m[5], balMax: m[6] };
}

let result = {};
try {
  const sup = (await api('POST', '/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' })).json.access_token;
  const slot = await nextMorning(sup);
  log(`the next morning with articles: ${slot.date}, ${slot.count} articles; ${slot.postman.name} walks ${slot.postman.home_beat_id}`);

  // ---- the roster: postman2 on leave in that morning slot ----
  await signInAt(page, base, 'supervisor1');
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  await see('nav-roster');
  await page.click(T('nav-roster'));
  await see('screen-roster');
  await page.fill(T('scope-date'), slot.date);
  await page.waitForFunction((d) => document.querySelector('[data-testid=scope-date]')?.value === d, slot.date);
  await page.selectOption(T('scope-slot'), 'morning');
  const cell = `plan-cell-${slot.postman.user_id}-${slot.date}-morning`;
  await see(cell);
  check(await page.getAttribute(T(cell), 'data-status') === 'on_duty', `postman2 is not on duty by default: ${await text(cell)}`);
  const before = Number(await text(`plan-rostered-${slot.date}-morning`));
  await setEntry(cell, 'leave', '', 'family function');
  const after = Number(await text(`plan-rostered-${slot.date}-morning`));
  check(after === before - 1, `on duty that morning: ${before} before, ${after} after`);
  log(`postman2 on leave: ${before} → ${after} postmen on duty that morning`);
  await shot('roster', cell);

  // ---- the beat plan: the fixed beats leave postman2's beat unwalked ----
  await page.click(T('plan-to-beatplan'));
  await see('screen-beatplan');
  check(/Ravi Kumar Yadav \(Leave\)/.test(await text('plan-duty')), `who is away: ${await text('plan-duty')}`);
  let m = await propose(after);
  check(Number(m.fixedLeft) > 0 && /on leave/.test(await text('plan-fixed-lost')), `why the fixed beats leave articles: ${await text('plan-fixed-lost')}`);
  log(`one postman short: fixed beats ${m.fixedOn} on rounds, ${m.fixedLeft} without a postman; balanced ${m.balOn} on rounds, ${m.balLeft} without`);
  await shot('short', 'plan-compare');

  // ---- the reliever covers postman2's beat; balance the three rounds ----
  await page.click(T('plan-to-roster'));
  await see('screen-roster');
  const relief = `plan-cell-${slot.reliever.user_id}-${slot.date}-morning`;
  await setEntry(relief, 'on_duty', slot.postman.home_beat_id, 'stands in for postman2');
  check(Number(await text(`plan-rostered-${slot.date}-morning`)) === before, 'the reliever is not counted on duty');
  await page.click(T('plan-to-beatplan'));
  await see('screen-beatplan');
  m = await propose(before);
  check(Number(m.fixedLeft) === 0 && Number(m.balLeft) === 0 && Number(m.balOn) === slot.count, `with the reliever: ${JSON.stringify(m)}`);
  log(`with the reliever: fixed beats ${m.fixedOn} on rounds, balanced ${m.balOn}, none left; longest round ${m.fixedMax} → ${m.balMax} min`);
  await shot('compare', 'plan-compare');
  await page.click(T('plan-choose'));
  await said('plan-status', /^Plan chosen/);
  check(/is chosen/.test(await text('plan-state')), `state: ${await text('plan-state')}`);

  // ---- the same plan in Hindi, drawn again from the server ----
  await setLang(page, 'hi');
  await see('plan-compare');
  check(await text('plan-propose') === 'संतुलित बीटें प्रस्तावित करें' && /चुनी गई है/.test(await text('plan-state')),
    `in Hindi: "${await text('plan-propose')}", "${await text('plan-state')}"`);
  log(`in Hindi: "${await text('plan-state')}"`);
  await shot('compare-hi', 'plan-compare');
  await setLang(page, 'en');
  await see('plan-compare');

  // ---- build and dispatch on the slots screen ----
  await page.click(T('plan-to-slots'));
  await see('screen-slots');
  await page.waitForSelector(`[data-testid=screen-slots][data-scope="${slot.date} morning"] [data-testid=man-body][aria-busy=false]`);
  await page.click(T('man-build'));
  const built = await said('man-status', /^Built \d+ manifests?; not placed: 0/);
  await page.waitForSelector('[data-testid=man-body][aria-busy=false]');
  await page.click(T('man-dispatch-all'));
  const sent = await said('man-status', /^Dispatched \d+ manifests/);
  await page.waitForSelector('[data-testid=man-body][aria-busy=false]');
  const cards = await page.$$eval('section[data-testid^="man-beat-"]', (cs) => cs.map((c) => ({ id: c.dataset.manifest, status: c.dataset.status })));
  check(cards.length === before && cards.every((c) => c.status === 'dispatched'), `after dispatch: ${JSON.stringify(cards)}`);
  log(`"${built}", then "${sent}"`);
  await shot('dispatched');

  noPageErrors();
  result = { date: slot.date, slot: 'morning', on_leave: slot.postman.user_id, articles: slot.count, manifests: cards.map((c) => c.id) };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  failed(err);
  await page.screenshot({ path: join(shots, 'fail-console-plan.png'), timeout: 3_000 }).catch(() => {});
  console.error(await page.evaluate(() => document.body.innerText).catch(() => '(no answer)'));
} finally {
  await end(browser, watchdog);
}
