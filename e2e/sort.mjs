// End-to-end test of the sorting screen in Debian's headless Chromium, on
// a 360 × 740 phone. server/e2e_sort_test.go (TestSortEndToEnd) starts a
// real server on SQLite with the demo data and runs
//
//   node e2e/sort.mjs <phone URL> <direct URL> <network control URL> <screenshot folder>
//
// What it does: supervisor1 builds the drafts of the demo's next scheduled
// slot of Koramangala (through the API); sorter1 signs in to the app, which
// opens on the sorting screen, and downloads that slot's plan; the phone's
// network is cut (the TCP proxy refuses: a service worker is cut too);
// every article of the slot is typed in, and each shows its beat's colour
// and its case, which is its stop's place on the beat's draft; one unknown
// id goes to the problem case; the per-beat counts reach what each beat
// expects. The network comes back, the queued scans sync, the server's
// counts equal the phone's, and each postman's manifest lists its stops
// in case order; the drafts are built again and the next scan says so
// (the plan is downloaded again); the supervisor's console shows every beat sorted and
// prints the plan. Screenshots: pwa-sort-en.png, pwa-sort-hi.png,
// pwa-sort-problem.png, console-sorting.png. The last line is `E2E RESULT {json}`.
import { args, client, networkControl, launch, deadline, watch, noPageErrors, signInAt, check, log, failed, end, sleep, T, shotAround } from './lib.mjs';
import { join } from 'node:path';

const { base, direct, control, shots } = args('sort');
const { api, token } = client(direct);
const network = networkControl(control);
const DC = 'blr-koramangala';
const watchdog = deadline(90_000);

// slotToSort builds the drafts of the first slot with scheduled articles
// and returns it with what each article's place must be.
async function slotToSort(sup) {
  const list = await api('GET', `/api/v1/dcs/${DC}/articles?status=scheduled&limit=1`, sup);
  check(list.status === 200 && list.json.items.length, `scheduled articles: ${list.status} ${list.text.slice(0, 200)}`);
  const { date, slot } = list.json.items[0].schedule;
  const built = await api('POST', `/api/v1/dcs/${DC}/manifests`, sup, { date, slot });
  check(built.status === 201 && built.json.manifests.length, `build: ${built.status} ${built.text.slice(0, 200)}`);
  const want = new Map();
  for (const m of built.json.manifests) {
    const body = (await api('GET', `/api/v1/manifests/${m.id}`, sup)).json;
    body.stops.forEach((st, i) => st.articles.forEach((a) => want.set(a.id, { beat: body.beat_id, case: i + 1, manifest: m.id })));
  }
  const plan = (await api('GET', `/api/v1/dcs/${DC}/sort-plan?date=${date}&slot=${slot}`, sup)).json;
  return { date, slot, want, plan, manifests: built.json.manifests.map((m) => m.id) };
}

const rgb = (hex) => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

// sortOne types an id and waits for its place (or the problem case).
async function sortOne(page, id, beat) {
  await page.fill(T('sort-input'), id.toLowerCase());
  await page.press(T('sort-input'), 'Enter');
  const sel = `${T('sort-result')}[data-beat="${beat}"] ${T('sort-case')}`;
  await page.waitForFunction(([s, a]) => document.querySelector(s) && document.querySelector(`[data-testid="sort-result"]`).textContent.includes(a),
    [sel, id.toUpperCase()]);
  return page.evaluate(() => {
    const r = document.querySelector('[data-testid="sort-result"]');
    const c = r.querySelector('[data-testid="sort-case"]');
    return { case: c.textContent, background: getComputedStyle(r).backgroundColor, size: parseFloat(getComputedStyle(c).fontSize),
      beat: r.querySelector('[data-testid="sort-beat"]')?.textContent || '', problem: r.querySelector('[data-testid="sort-problem"]')?.textContent || '' };
  });
}

let page = null;

async function run(browser) {
  const sup = await token('supervisor1');
  const s = await slotToSort(sup);
  log(`slot ${s.date} ${s.slot}: ${s.want.size} articles on ${s.manifests.length} drafts`);
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-IN' });
  // What the screen speaks, kept instead of said (a headless browser has no voice).
  await phone.addInitScript(() => {
    window.spoken = [];
    if (window.speechSynthesis) window.speechSynthesis.speak = (u) => window.spoken.push({ text: u.text, lang: u.lang });
  });
  page = watch(await phone.newPage(), 'sorter');
  await signInAt(page, base, 'sorter1');
  await page.waitForSelector(T('screen-sort'));
  await page.fill(T('sort-date'), s.date);
  await page.selectOption(T('sort-slot'), s.slot);
  await page.click(T('sort-download'));
  await page.waitForSelector(T('sort-plan'));
  const version = await page.getAttribute(T('sort-plan'), 'data-version');
  check(version === s.plan.version, `downloaded plan ${version}, the server's is ${s.plan.version}`);
  await network('refuse');
  const colours = Object.fromEntries(s.plan.beats.map((b) => [b.id, b.colour.background]));
  const shown = {};
  const vw = 360;
  let n = 0;
  for (const [id, w] of s.want) {
    const got = await sortOne(page, id, w.beat);
    check(got.case === String(w.case), `${id}: case ${got.case}, its stop is ${w.case} on ${w.beat}`);
    check(got.background === rgb(colours[w.beat]), `${id}: colour ${got.background}, beat ${w.beat}'s is ${colours[w.beat]}`);
    check(got.size >= 0.3 * vw, `${id}: case in ${got.size}px type, want ≥ 30vw (${0.3 * vw}px)`);
    check(got.beat.includes(s.plan.beats.find((b) => b.id === w.beat).name), `${id}: the beat is not named: "${got.beat}"`);
    shown[id] = Number(got.case);
    n++;
  }
  log(`sorted ${n} articles offline`);
  const spoken = await page.evaluate(() => window.spoken);
  const lastID = [...s.want.keys()].pop();
  const lastSaid = `Beat ${s.plan.beats.find((b) => b.id === s.want.get(lastID).beat).name}, case ${s.want.get(lastID).case}`;
  check(spoken.length === n && spoken[n - 1].text === lastSaid && spoken[n - 1].lang === 'en-IN',
    `spoken: ${spoken.length} times, last ${JSON.stringify(spoken.at(-1))}, want "${lastSaid}"`);
  for (const b of s.plan.beats) {
    const c = page.locator(T(`sort-count-${b.id}`));
    check(await c.getAttribute('data-sorted') === String(b.expected) && await c.getAttribute('data-expected') === String(b.expected),
      `beat ${b.id}: ${await c.textContent()}, want ${b.expected} of ${b.expected}`);
  }
  await shotAround(page, join(shots, 'pwa-sort-en.png'));
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.querySelector('#sort-h')?.textContent === 'छँटाई');
  await sleep(300); // the Devanagari font
  await shotAround(page, join(shots, 'pwa-sort-hi.png'));
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.querySelector('#sort-h')?.textContent === 'Sorting');
  const unknown = 'EE999999999IN';
  const bad = await sortOne(page, unknown, '');
  check(bad.case === '!' && /Problem case/.test(bad.problem) && /not in the sort plan/.test(bad.problem), `unknown id: ${JSON.stringify(bad)}`);
  check(bad.background === rgb(s.plan.problem_colour.background), `problem colour ${bad.background}`);
  await shotAround(page, join(shots, 'pwa-sort-problem.png'));
  const pending = Number(await page.getAttribute(T('sort-pending'), 'data-n'));
  check(pending === n + 1, `${pending} scans queued, want ${n + 1}`);
  await network('pass');
  await page.waitForSelector(`${T('sort-pending')}[data-n="0"]`, { timeout: 30_000 });
  log('scans synced');
  const progress = (await api('GET', `/api/v1/dcs/${DC}/sort-plan/progress?date=${s.date}&slot=${s.slot}`, sup)).json;
  for (const c of progress.counts) check(c.sorted === c.expected, `server: beat ${c.beat_id} ${c.sorted} of ${c.expected}`);
  // Each postman's manifest lists its stops in case order.
  for (const id of s.manifests) {
    const m = (await api('GET', `/api/v1/manifests/${id}`, sup)).json;
    let prev = 0;
    for (const st of m.stops) {
      const cases = new Set(st.articles.map((a) => shown[a.id]));
      check(cases.size === 1, `stop ${st.stop_id} of ${id} spans cases ${[...cases]}`);
      const c = [...cases][0];
      check(c === prev + 1, `manifest ${id}: stop ${st.seq} is case ${c} after case ${prev}`);
      prev = c;
    }
  }
  // The drafts built again after sorting started: the next scan is answered
  // stale, the screen asks for the plan again, and downloading it clears that.
  const again = await api('POST', `/api/v1/dcs/${DC}/manifests`, sup, { date: s.date, slot: s.slot });
  check(again.status === 201, `rebuild: ${again.status} ${again.text.slice(0, 200)}`);
  const [firstID, firstPlace] = s.want.entries().next().value;
  await sortOne(page, firstID, firstPlace.beat);
  await page.waitForSelector(T('sort-stale'), { timeout: 20_000 });
  await page.click('.sort-more summary');
  await page.click(`.sort-more ${T('sort-download')}`);
  await page.waitForFunction((v) => document.querySelector('[data-testid="sort-plan"]')?.dataset.version !== v, version);
  const latest = await page.getAttribute(T('sort-plan'), 'data-version');
  check(!(await page.$(T('sort-stale'))), 'the screen still says stale after the plan was downloaded again');
  log(`the rebuild was noticed; plan ${version} → ${latest}`);

  // The supervisor's console shows the same counts, and prints the plan.
  const con = watch(await (await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'en-IN' })).newPage(), 'supervisor');
  await signInAt(con, base, 'supervisor1');
  await con.waitForURL(/\/console/);
  await con.click(T('nav-sorting'));
  await con.waitForSelector(T('screen-sorting'));
  await con.fill(T('scope-date'), s.date);
  await con.selectOption(T('scope-slot'), s.slot);
  for (const b of s.plan.beats) {
    await con.waitForFunction(([id, x]) => document.querySelector(`[data-testid="sortc-sorted-${id}"]`)?.textContent === `${x} of ${x}`,
      [b.id, b.expected]);
  }
  const [pdf] = await Promise.all([con.waitForEvent('download'), con.click(T('sortc-print'))]);
  check(/^sort-plan-.*\.pdf$/.test(pdf.suggestedFilename()), `printed plan: ${pdf.suggestedFilename()}`);
  await shotAround(con, join(shots, 'console-sorting.png'));
  log('console: every beat sorted, plan printed');
  noPageErrors();
  console.log(`E2E RESULT ${JSON.stringify({ date: s.date, slot: s.slot, articles: n, beats: s.plan.beats.length,
    manifests: s.manifests, problem: unknown, version: latest })}`);
}

const browser = await launch();
try {
  await run(browser);
} catch (err) {
  failed(err);
  if (page) {
    log('the page showed:', await page.evaluate(() => document.getElementById('view')?.innerText).catch(() => '?'));
    await page.screenshot({ path: join(shots, 'fail-sort.png') }).catch(() => {});
  }
} finally {
  await end(browser, watchdog);
}
