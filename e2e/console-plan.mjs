// The console's roster and beat plan screens, in Debian's headless
// Chromium driven by playwright-core; server/e2e_console_plan_test.go
// starts the server with the demo data and runs it:
//
//   node e2e/console-plan.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// The demo supervisor of centre 1 picks, from the scheduled articles, the
// lightest morning or evening slot after today (which one depends on the
// hour the demo was loaded: the earlier slots fill to capacity first)
// and the postman whose beat has the most of its articles, and in the
// roster sets that postman on leave for the slot, with no reliever. On the
// beat plan screen the fixed beats leave the absent postman's articles
// without a postman; the balanced beats give every article to the two
// postmen still on duty, each within capacity and the slot's window, each
// keeping their own beat, the absent beat shared so that their rounds take
// comparable time (the shortest at least half the longest). The supervisor chooses the plan, then on the
// slots screen builds and dispatches. It prints what it did; the Go test
// checks the server holds the same: no manifest for the postman on leave,
// the others' dispatched manifests hold every article of the slot, none
// over capacity.
import { join } from 'node:path';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, log, T, STEP_MS, shotAround, setLang } from './lib.mjs';

const { base, direct, shots } = args('console-plan', false);
const { api } = client(direct);
const DC = 'blr-koramangala';

// lightestSlot is the morning or evening slot after today with the fewest
// scheduled articles (at least two beats' worth), and the postman whose
// beat has the most of them: the one the supervisor sends on leave. The
// lightest, so that two postmen can carry what three were given.
async function lightestSlot(sup) {
  const page = (await api('GET', `/api/v1/dcs/${DC}/articles?status=scheduled&limit=1000`, sup)).json;
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });
  const byDate = new Map();
  for (const a of page.items) {
    if (!['morning', 'evening'].includes(a.schedule.slot) || a.schedule.date <= today || !a.beat_id) continue;
    const key = `${a.schedule.date} ${a.schedule.slot}`;
    byDate.set(key, [...(byDate.get(key) || []), a]);
  }
  const days = [...byDate].filter(([, as]) => new Set(as.map((a) => a.beat_id)).size > 1).sort((x, y) => x[1].length - y[1].length || (x[0] < y[0] ? -1 : 1));
  check(days.length, 'the demo centre has no slot after today with articles on two beats');
  const [key, articles] = days[0];
  const [date, slotName] = key.split(' ');
  const roster = (await api('GET', `/api/v1/dcs/${DC}/roster?from=${date}&to=${date}`, sup)).json;
  const perBeat = (b) => articles.filter((a) => a.beat_id === b).length;
  const walkers = roster.postmen.filter((p) => p.home_beat_id).sort((x, y) => perBeat(y.home_beat_id) - perBeat(x.home_beat_id));
  check(walkers.length >= 3, `the roster has fewer than three postmen with a beat: ${JSON.stringify(roster.postmen)}`);
  return { date, slot: slotName, articles: articles.map((a) => a.id), postman: walkers[0], others: walkers.slice(1), onBeat: perBeat(walkers[0].home_beat_id) };
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

// propose proposes balanced beats for n postmen and reads the totals and,
// per postman, the fixed and balanced figures of the comparison table.
async function propose(n) {
  await page.click(T('plan-propose'));
  await said('plan-status', new RegExp(`^Proposed rounds for ${n} postm`));
  const rows = await page.$$eval(`${T('plan-compare')} tbody tr`, (trs) => trs.map((tr) => ({ id: tr.dataset.testid,
    cells: [...tr.querySelectorAll('td,th')].map((c) => c.textContent.trim()) })));
  check(rows.length === n, `routes: ${JSON.stringify(rows)}`);
  const side = (c) => {
    const load = /^([\d.]+) of ([\d.]+)$/.exec(c[2]);
    check(load, `load cell: ${c[2]}`);
    return { articles: Number(c[0]), stops: Number(c[1]), load: Number(load[1]), capacity: Number(load[2]), km: c[3], min: Number(c[4].replace(/ min$/, '')) };
  };
  const routes = rows.map((r) => ({ id: r.id.replace(/^plan-route-/, ''), fixed: side(r.cells.slice(1, 6)), balanced: side(r.cells.slice(6, 11)), moved: Number(r.cells[11]) }));
  const totals = await text('plan-totals');
  const m = /Beats fixed: (\d+) articles on rounds, (\d+) without a postman, ([\d.]+) km in all, the longest round (\d+) min[^]*Beats balanced: (\d+) articles on rounds, (\d+) without a postman, ([\d.]+) km in all, the longest round (\d+) min/.exec(totals);
  check(m, `totals: ${totals}`);
  return { routes, fixed: { on: Number(m[1]), left: Number(m[2]), km: m[3], max: Number(m[4]) }, balanced: { on: Number(m[5]), left: Number(m[6]), km: m[7], max: Number(m[8]) } };
}

let result = {};
try {
  const sup = (await api('POST', '/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' })).json.access_token;
  const slot = await lightestSlot(sup);
  const n = slot.articles.length;
  log(`the lightest slot after today: ${slot.date} ${slot.slot}, ${n} articles; ${slot.postman.name} walks ${slot.postman.home_beat_id} (${slot.onBeat} of them)`);

  // ---- the roster: that postman on leave in that slot ----
  await signInAt(page, base, 'supervisor1');
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  await see('nav-roster');
  await page.click(T('nav-roster'));
  await see('screen-roster');
  await page.fill(T('scope-date'), slot.date);
  await page.waitForFunction((d) => document.querySelector('[data-testid=scope-date]')?.value === d, slot.date);
  await page.selectOption(T('scope-slot'), slot.slot);
  const cell = `plan-cell-${slot.postman.user_id}-${slot.date}-${slot.slot}`;
  await see(cell);
  for (const p of [slot.postman, ...slot.others]) {
    const st = await page.getAttribute(T(`plan-cell-${p.user_id}-${slot.date}-${slot.slot}`), 'data-status');
    check(st === 'on_duty', `${p.name} is ${st} by default in that slot, not on duty`);
  }
  const before = Number(await text(`plan-rostered-${slot.date}-${slot.slot}`));
  await setEntry(cell, 'leave', '', 'family function');
  const after = Number(await text(`plan-rostered-${slot.date}-${slot.slot}`));
  check(after === before - 1 && after === slot.others.length, `on duty in that slot: ${before} before, ${after} after`);
  log(`${slot.postman.name} on leave, no reliever: ${before} → ${after} postmen on duty in that slot`);
  await shot('roster', cell);

  // ---- the beat plan: fixed beats against balanced beats ----
  await page.click(T('plan-to-beatplan'));
  await see('screen-beatplan');
  check(new RegExp(`${slot.postman.name} \\(Leave\\)`).test(await text('plan-duty')), `who is away: ${await text('plan-duty')}`);
  const m = await propose(after);
  check(m.fixed.left === slot.onBeat && m.fixed.on === n - slot.onBeat && /on leave/.test(await text('plan-fixed-lost')),
    `the fixed beats should leave the ${slot.onBeat} articles of the beat on leave: ${JSON.stringify(m.fixed)}, ${await text('plan-fixed-lost')}`);
  check(m.balanced.left === 0 && m.balanced.on === n && !await page.$(T('plan-unplaced')), `the balanced beats should place all ${n}: ${JSON.stringify(m.balanced)}`);
  for (const r of m.routes) {
    const b = r.balanced;
    check(b.load <= b.capacity && b.min > 0 && b.articles >= r.fixed.articles, `${r.id}: balanced ${JSON.stringify(b)} against fixed ${JSON.stringify(r.fixed)}`);
  }
  const moved = m.routes.reduce((s, r) => s + r.balanced.articles - r.fixed.articles, 0);
  check(moved === slot.onBeat, `articles moved to the others: ${moved}, want ${slot.onBeat}`);
  const mins = m.routes.map((r) => r.balanced.min);
  check(Math.min(...mins) * 2 >= Math.max(...mins), `the balanced rounds should take comparable time: ${mins.join(', ')} min`);
  log(`fixed beats: ${m.fixed.on} articles on rounds, ${m.fixed.left} without a postman, ${m.fixed.km} km, longest round ${m.fixed.max} min`);
  log(`balanced beats: ${m.balanced.on} on rounds, ${m.balanced.left} without, ${m.balanced.km} km, longest round ${m.balanced.max} min`);
  for (const r of m.routes) {
    log(`  ${r.id}: fixed ${r.fixed.articles} articles, ${r.fixed.load}/${r.fixed.capacity}, ${r.fixed.km} km, ${r.fixed.min} min → balanced ${r.balanced.articles}, ${r.balanced.load}/${r.balanced.capacity}, ${r.balanced.km} km, ${r.balanced.min} min; ${r.moved} households moved`);
  }
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
  await page.waitForSelector(`[data-testid=screen-slots][data-scope="${slot.date} ${slot.slot}"] [data-testid=man-body][aria-busy=false]`);
  await page.click(T('man-build'));
  const built = await said('man-status', /^Built \d+ manifests?; not placed: 0/);
  await page.waitForSelector('[data-testid=man-body][aria-busy=false]');
  await page.click(T('man-dispatch-all'));
  const sent = await said('man-status', /^Dispatched \d+ manifests/);
  await page.waitForSelector('[data-testid=man-body][aria-busy=false]');
  const cards = await page.$$eval('section[data-testid^="man-beat-"]', (cs) => cs.map((c) => ({ id: c.dataset.manifest, status: c.dataset.status })));
  check(cards.length === after && cards.every((c) => c.status === 'dispatched'), `after dispatch: ${JSON.stringify(cards)}`);
  log(`"${built}", then "${sent}"`);
  await shot('dispatched');

  noPageErrors();
  result = { date: slot.date, slot: slot.slot, on_leave: slot.postman.user_id, articles: slot.articles, moved, manifests: cards.map((c) => c.id) };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  failed(err);
  await page.screenshot({ path: join(shots, 'fail-console-plan.png'), timeout: 3_000 }).catch(() => {});
  console.error(await page.evaluate(() => document.body.innerText).catch(() => '(no answer)'));
} finally {
  await end(browser, watchdog);
}
