// The console's articles screen, in Debian's headless Chromium driven by
// playwright-core; server/e2e_console_articles_test.go starts the server
// with the demo data and runs it:
//
//   node e2e/console-articles.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// A supervisor of demo centre 1 signs in through the app and lands on the
// articles (1280 × 800). In English: the first page and "more" match the
// API's pages; search by S10 id (opens the article), by phone and by name;
// filter by status and beat (kept in the address through reload and back)
// and by flag; open the article a postman failed with a photo (the photo
// visibly loaded, its events, outcome and custody); return it with a
// reason; change another's slot; hold one at the counter; a hold the
// server refuses shows its reason; import a CSV with 2 good and 2 bad rows
// and see exactly the server's errors. In Hindi: the same import again
// (both already booked), a filtered list, a search and a hold. It prints
// what it did on an E2E RESULT line for the Go test to check on the server.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, direct, , shots] = process.argv.slice(2);
if (!base || !direct || !shots) {
  console.error('usage: node e2e/console-articles.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>');
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
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function api(method, path, token, body, headers = {}) {
  const form = body instanceof FormData;
  const res = await fetch(direct + path, {
    method, headers: { ...(body && !form ? { 'Content-Type': 'application/json' } : {}), Authorization: `Bearer ${token}`, ...headers },
    body: form ? body : body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(STEP_MS),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}
async function login(username) {
  const r = await api('POST', '/api/v1/auth/login', '', { username, password: 'dakiya-demo' });
  check(r.status === 200, `login ${username}: ${r.status}`);
  return r.json.access_token;
}
const listPath = (q) => `/api/v1/dcs/${DC}/articles?${new URLSearchParams({ limit: '50', ...q })}`;

// s10 makes a valid S10 id from two letters and an eight-digit serial.
function s10(prefix, serial) {
  const w = '86423597';
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * Number(w[i]);
  const c = 11 - (sum % 11);
  return `${prefix}${serial}${c === 10 ? 0 : c === 11 ? 5 : c}IN`;
}
const serial = () => String(10_000_000 + Math.floor(Math.random() * 89_999_999));

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: 30_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
  timezoneId: 'Asia/Kolkata' });
const watchdog = setTimeout(() => { console.error('the whole run took too long'); process.exit(1); }, 150_000);
const page = await ctx.newPage();
page.setDefaultTimeout(STEP_MS);
page.on('pageerror', (e) => { pageErrors.push(e.message); log('PAGE ERROR:', e.message); });
const shot = async (name, fullPage = false) => {
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `console-articles-${name}.png`), fullPage });
};
const see = (id, opts) => page.waitForSelector(T(id), opts);
const text = async (id) => (await page.textContent(T(id)))?.trim() ?? '';
const rowIDs = () => page.$$eval('[data-testid^="art-row-"]', (rs) => rs.map((r) => r.dataset.testid.slice(8)));
const hashIs = (h) => page.waitForFunction((x) => location.hash === x, h);

// search types into the search box and presses Enter.
async function search(q) {
  await page.fill(T('art-q'), q);
  await page.press(T('art-q'), 'Enter');
}

// listShows waits for the list of an address and checks its rows are the API's first page.
async function listShows(q, what) {
  const want = (await api('GET', listPath(q), sup)).json;
  const ids = want.items.map((a) => a.id);
  // The screen may still show the list it is replacing: wait for the new rows.
  await page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll('[data-testid^="art-row-"]')]
    .map((r) => r.dataset.testid.slice(8))) === JSON.stringify(w), ids).catch(() => {});
  const got = await rowIDs();
  check(same(got, ids), `${what}: rows ${got}, the API's page ${ids}`);
  return want;
}

// articleShown waits until the article page on screen is id's (a page
// opened from another article's page replaces it only once it has loaded).
const articleShown = (id) => page.waitForFunction((x) => document.getElementById('screen-article-h')?.textContent.endsWith(x), id);

// openArticle opens id's page by its address.
async function openArticle(id) {
  await page.goto(`${base}/console#/articles/${id}`);
  await articleShown(id);
}

// clearFilters follows the "clear filters" link and waits for the bare list.
async function clearFilters() {
  await page.click(T('art-clear'));
  await hashIs('#/articles');
  await page.waitForSelector(T('art-clear'), { state: 'detached' });
  await see('art-table');
}

// flash waits for the article page's "what was done" line.
async function flash(want) {
  await page.waitForFunction(([id, w]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === w, ['art-flash', want]);
}

// failWithPhoto has postman1 fail the first article of their manifest with a
// photo and no position (flag no_location), as the phone would.
async function failWithPhoto() {
  const pm = await login('postman1');
  const ms = (await api('GET', '/api/v1/me/manifests', pm)).json;
  const out = (await api('GET', listPath({ status: 'out_for_delivery', beat: ms[0].beat_id, limit: '1' }), sup)).json;
  const id = out.items[0].id;
  const png = Buffer.from(await page.evaluate(async () => {
    const c = new OffscreenCanvas(240, 180);
    const g = c.getContext('2d');
    g.fillStyle = '#2f6f4f';
    g.fillRect(0, 0, 240, 180);
    const b = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let bin = '';
    for (const x of b) bin += String.fromCharCode(x);
    return btoa(bin);
  }), 'base64');
  const form = new FormData();
  form.append('article_id', id);
  form.append('kind', 'photo');
  form.append('file', new Blob([png], { type: 'image/png' }), 'door.png');
  const up = await api('POST', '/api/v1/proofs', pm, form, { 'Idempotency-Key': crypto.randomUUID() });
  check(up.status === 201, `proof upload: ${up.status} ${up.text}`);
  const got = await api('POST', '/api/v1/deliveries', pm, { article_id: id, outcome: 'failed', reason_code: '01',
    proof_ids: [up.json.id], captured_at: new Date().toISOString() }, { 'Idempotency-Key': crypto.randomUUID() });
  check(got.status === 201 || got.status === 200, `failed attempt: ${got.status} ${got.text}`);
  check(got.json.flags.includes('no_location'), `flags ${got.json.flags}`);
  log(`postman1 failed ${id} with photo ${up.json.id}, flags ${got.json.flags}`);
  return { id, proof: up.json.id };
}

const sup = await login('supervisor1');
let result = {};
try {
  // ---- the demo's scheduled articles to work on ----
  const scheduled = (await api('GET', listPath({ status: 'scheduled', limit: '1000' }), sup)).json.items;
  check(scheduled.length >= 8, `only ${scheduled.length} scheduled articles`);
  const [A, B, D, N, P, H] = scheduled.filter((a) => a.beat_id);
  log(`slot ${A.id}, hold ${B.id} and ${H.id}, refused hold ${D.id}, name ${N.recipient.name}, phone ${P.recipient.phone}`);

  // ---- sign in through the app: the console opens on the articles ----
  await page.goto(`${base}/`);
  await see('screen-login');
  await page.fill(T('login-username'), 'supervisor1');
  await page.fill(T('login-password'), 'dakiya-demo');
  await page.click(T('login-submit'));
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  await see('screen-articles');
  check(await page.getAttribute(T('nav-articles'), 'aria-current') === 'page', 'the articles are not the current screen');
  const first = await listShows({}, 'first page');
  check(first.next && await text('art-count') === '50 articles shown, more to load', `count "${await text('art-count')}"`);
  const second = (await api('GET', listPath({ next: first.next }), sup)).json;
  await page.click(T('art-more'));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="art-row-"]').length === n, 50 + second.items.length);
  check(same(await rowIDs(), [...first.items, ...second.items].map((a) => a.id)), 'the rows after "more" are not the API\'s two pages');
  log(`first page and more: ${50 + second.items.length} rows, "${await text('art-count')}"`);

  // ---- search: an exact id opens the article; a phone; a name ----
  await search(A.id.toLowerCase());
  await hashIs(`#/articles/${A.id}`);
  await articleShown(A.id);
  await see('art-details');
  check(await text('art-d-name') === A.recipient.name, `article page shows ${await text('art-d-name')}`);
  await page.goBack();
  await see('art-table');
  const digits = P.recipient.phone.slice(-10);
  const spaced = `${digits.slice(0, 5)} ${digits.slice(5)}`;
  await search(spaced);
  await hashIs(`#/articles?${new URLSearchParams({ q: spaced })}`);
  const byPhone = await listShows({ q: spaced }, 'by phone');
  check(byPhone.items.some((a) => a.id === P.id), `search by phone misses ${P.id}`);
  const n = byPhone.items.length;
  check(await text('art-count') === `${n} article${n === 1 ? '' : 's'}`, `count "${await text('art-count')}" for ${n}`);
  const surname = N.recipient.name.split(' ').pop().toLowerCase();
  await search(surname);
  const byName = await listShows({ q: surname }, 'by name');
  const names = await page.$$eval('[data-testid="art-table"] tbody td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
  check(byName.items.some((a) => a.id === N.id) && names.every((x) => x.toLowerCase().includes(surname)), `by name "${surname}": ${names}`);
  log(`search: ${A.id} opened its page; "${spaced}" found ${n}; "${surname}" found ${names.length}`);

  // ---- filters in the address: status and beat; reload and back keep them ----
  await page.fill(T('art-q'), '');
  await page.selectOption(T('art-f-status'), 'scheduled');
  await page.selectOption(T('art-f-beat'), B.beat_id);
  await page.click(T('art-apply'));
  const fq = { status: 'scheduled', beat: B.beat_id };
  await hashIs(`#/articles?${new URLSearchParams(fq)}`);
  const filtered = await listShows(fq, 'status and beat');
  check(filtered.items.every((a) => a.status === 'scheduled' && a.beat_id === B.beat_id), 'the API page is not filtered');
  const pills = await page.$$eval('[data-testid="art-table"] .art-pill', (ps) => ps.map((p) => p.textContent));
  check(pills.length && pills.every((p) => p === 'Scheduled'), `pills ${pills}`);
  await shot('list');
  await page.reload();
  await listShows(fq, 'after reload');
  check(await page.inputValue(T('art-f-status')) === 'scheduled' && await page.inputValue(T('art-f-beat')) === B.beat_id,
    'reload lost the filters');
  await page.goBack();
  await hashIs(`#/articles?${new URLSearchParams({ q: surname })}`);
  await listShows({ q: surname }, 'back');
  check(await page.inputValue(T('art-q')) === surname, 'back did not restore the search');
  await page.goForward();
  await listShows(fq, 'forward');
  log(`filters ${JSON.stringify(fq)}: ${filtered.items.length} rows, kept through reload, back and forward`);

  // ---- a flagged failed attempt with its photo; return it with a reason ----
  const F = await failWithPhoto();
  await clearFilters();
  await page.selectOption(T('art-f-flag'), 'no_location');
  await page.click(T('art-apply'));
  await hashIs('#/articles?flag=no_location');
  const flagged = await listShows({ flag: 'no_location' }, 'flag');
  const nf = flagged.items.length;
  check(flagged.items.some((a) => a.id === F.id) && await text('art-count') === `${nf} article${nf === 1 ? '' : 's'}`,
    `flag filter shows ${await rowIDs()}, "${await text('art-count')}"`);
  await page.click(T(`art-link-${F.id}`));
  await hashIs(`#/articles/${F.id}`);
  await articleShown(F.id);
  await see('art-events');
  const detail = (await api('GET', `/api/v1/articles/${F.id}`, sup)).json;
  const evs = await page.$$eval('[data-testid="art-events"] li', (ls) => ls.map((l) => l.dataset.event));
  check(same(evs, detail.events.map((e) => e.event)), `timeline ${evs}, the API's ${detail.events.map((e) => e.event)}`);
  check((await text(`art-ev-${detail.events.at(-1).seq}`)).includes('Reason: 01 · Door locked'), 'the attempt does not say why');
  await page.waitForFunction((id) => document.querySelector(`[data-testid="art-proof-${id}"]`)?.naturalWidth > 0, F.proof);
  const width = await page.$eval(T(`art-proof-${F.proof}`), (i) => [i.naturalWidth, i.src.slice(0, 5)]);
  check(width[0] === 240 && width[1] === 'blob:', `proof image ${width}`);
  const outcome = await text('art-deliveries');
  check(outcome.includes('Door locked') && outcome.includes('No position') && outcome.includes('Waiting for review'), `outcome row "${outcome}"`);
  check((await text('art-assignments')).includes('Manjunath Gowda'), 'custody does not name postman1');
  check(await page.isVisible(T('art-act-hold')) && await page.isVisible(T('art-act-slot')) && await page.isVisible(T('art-act-return')),
    'attempted: not every action offered');
  await page.click(T('art-return'));
  check(!await page.$eval(T('art-return-form'), (f) => f.checkValidity()), 'a return without a reason was allowed');
  await page.selectOption(T('art-return-reason'), '07');
  await page.fill(T('art-return-note'), 'Addressee not known in the building');
  await shot('article', true);
  await page.click(T('art-return'));
  await flash('Returned to the sender: 07 · Addressee cannot be located.');
  check(await text('art-status') === 'Returned to sender' && await page.isVisible(T('art-act-none')), 'returned: status or actions');
  log(`${F.id}: photo loaded (${width[0]} px), ${evs.length} events, returned with 07`);

  // ---- change a slot ----
  await openArticle(A.id);
  await see('art-slot-pick');
  const opts = await page.$$eval(`${T('art-slot-pick')} option`, (os) => os.map((o) => [o.value, o.textContent]));
  const [pick, option] = opts.at(-1);
  const words = option.split(' · ')[0];
  check(/ · \d{1,2}:\d{2}\s?[ap]m–\d{1,2}:\d{2}\s?[ap]m$/i.test(option), `slot option "${option}" has no window`);
  await page.selectOption(T('art-slot-pick'), pick);
  await page.click(T('art-slot-save'));
  await flash(`Slot changed to ${words}.`);
  check(await text('art-d-slot') === words, `slot shown "${await text('art-d-slot')}", want ${words}`);
  const [date, slot] = pick.split('/');
  log(`${A.id}: slot changed to ${date} ${slot}`);

  // ---- hold one at the counter; a hold the server refuses ----
  await openArticle(B.id);
  await see('art-hold');
  await page.click(T('art-hold'));
  await flash('Held at the counter.');
  check(await text('art-status') === 'Held at the counter' && await page.isHidden(T('art-act-hold'))
    && await page.isVisible(T('art-act-return')), 'held: status or actions');
  await openArticle(D.id);
  await see('art-hold');
  const gone = await api('POST', `/api/v1/articles/${D.id}/events`, sup, { event: 'returned_to_sender', reason_code: '01' });
  check(gone.status === 200, `return ${D.id} behind the page: ${gone.status}`);
  await page.click(T('art-hold'));
  await page.waitForSelector(`${T('art-hold-out')} ${T('problem')}`);
  const again = await api('POST', `/api/v1/articles/${D.id}/events`, sup, { event: 'held_at_counter' });
  check(again.status === 409, `holding a returned article: ${again.status}`);
  const refusal = await text('art-hold-out');
  check(refusal.includes(again.json.detail), `refusal shown "${refusal}", the server says "${again.json.detail}"`);
  check(await page.isEnabled(T('art-hold')), 'the refused form stays disabled');
  log(`${B.id} held; holding ${D.id} (returned meanwhile) refused: "${refusal}"`);

  // ---- import a CSV: 2 good rows, 2 bad ----
  const good = [s10('EZ', serial()), s10('EZ', serial())];
  const badID = s10('EZ', serial());
  const badCheck = `${badID.slice(0, 10)}${(Number(badID[10]) + 1) % 10}IN`;
  const csv = ['id,service,name,phone,address,pin,lat,lon,cod_paise,slot_preference',
    `${good[0]},speed_post,Kavya Hegde,+919845012345,"14, 6th Cross, Koramangala",560034,12.9301,77.6222,0,morning`,
    `${badCheck},parcel,Arjun Nair,9845012346,"3rd Main, Ejipura",560047,,,,`,
    `${good[1]},registered,Fathima Begum,98450 12347,"7, 1st Block, Koramangala",560034,,,49900,evening`,
    `${badID},letter,Lokesh Rao,12345,"22, Madiwala",012345,,,,`].join('\r\n');
  await page.click(T('nav-articles'));
  await page.click(T('art-import-link'));
  await see('screen-art-import');
  check((await text('art-import-header')).startsWith('id,service,name,phone,address,pin'), 'no sample header');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(T('art-import-sample'))]);
  const sample = await new Promise((ok, no) => dl.createReadStream().then((s) => {
    const parts = [];
    s.on('data', (c) => parts.push(c)).on('end', () => ok(Buffer.concat(parts).toString())).on('error', no);
  }, no));
  check(sample.startsWith(`${await text('art-import-header')}\r\n`) && sample.split('\r\n').length === 3, `sample file ${JSON.stringify(sample)}`);
  async function importCSV() {
    await page.setInputFiles(T('art-import-file'), { name: 'booking.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => document.querySelector('[data-testid="art-import-text"]').value.startsWith('id,'));
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/dcs/${DC}/articles`)),
      page.click(T('art-import-send')),
    ]);
    const body = await res.json();
    await see('art-import-result');
    const want = body.errors.flatMap((e) => e.errors.map((f) => [String(e.row), e.id || '—', f.field, f.message]));
    const got = await page.$$eval('[data-testid="art-import-errors"] tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
    check(same(got, want), `errors shown ${JSON.stringify(got)}, the server's ${JSON.stringify(want)}`);
    check(same(body.errors.map((e) => e.row), [3, 5]), `bad rows ${body.errors.map((e) => e.row)}`);
    return body;
  }
  const res1 = await importCSV();
  check(same(res1.created, good) && await text('art-import-ids') === good.join(', '), `created ${res1.created}`);
  check(await text('art-import-created') === '2 articles saved' && await text('art-import-bad') === '2 rows with errors, not saved',
    `counts "${await text('art-import-created')}" "${await text('art-import-bad')}"`);
  const fields = res1.errors.map((e) => e.errors.map((f) => f.field).sort());
  check(same(fields, [['id'], ['recipient.phone', 'recipient.pin']]), `bad fields ${JSON.stringify(fields)}`);
  await shot('import', true);
  log(`import: saved ${res1.created}, refused rows 3 and 5 as the server said`);

  // ---- in Hindi: the same import, a filtered list, a search, a hold ----
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang === 'hi');
  await page.waitForFunction(() => document.querySelector('[data-testid="art-import-send"]')?.textContent === 'आयात करें');
  const res2 = await importCSV();
  check(same(res2.unchanged, good) && !res2.created.length, `again: created ${res2.created}, unchanged ${res2.unchanged}`);
  check(await text('art-import-unchanged') === '2 पहले से बुक, कोई बदलाव नहीं'
    && await text('art-import-bad') === '2 पंक्तियों में ग़लती, सहेजी नहीं गईं', `Hindi counts "${await text('art-import-bad')}"`);
  await shot('import-hi', true);
  await page.goto(`${base}/console#/articles?${new URLSearchParams(fq)}`);
  await listShows(fq, 'Hindi list');
  const hiPills = await page.$$eval('[data-testid="art-table"] .art-pill', (ps) => ps.map((p) => p.textContent));
  check(hiPills.every((p) => p === 'समय तय') && (await text('art-count')).includes('डाक वस्तु'), `Hindi list: ${hiPills[0]} "${await text('art-count')}"`);
  check(await page.textContent('#screen-articles-h') === 'डाक वस्तुएँ', 'Hindi heading');
  await shot('list-hi');
  await clearFilters();
  await search(H.recipient.phone.slice(-10));
  await listShows({ q: H.recipient.phone.slice(-10) }, 'Hindi search');
  await page.click(T(`art-link-${H.id}`));
  await articleShown(H.id);
  await see('art-hold');
  check((await text('art-events')).includes('बुक'), 'the timeline is not in Hindi');
  await page.click(T('art-hold'));
  await flash('काउंटर पर रखी गई।');
  check(await text('art-status') === 'काउंटर पर रखी गई', `Hindi status "${await text('art-status')}"`);
  log(`Hindi: import again (2 unchanged), list, search, ${H.id} held`);
  await page.click(T('lang-toggle'));
  await page.waitForFunction(() => document.documentElement.lang === 'en');

  check(pageErrors.length === 0, `uncaught errors: ${pageErrors.join(' | ')}`);
  result = { slot: { id: A.id, date, slot }, held: [B.id, H.id], returned: { id: F.id, reason: '07' }, refused: D.id,
    good, bad: [badID], bad_check: badCheck };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  console.error(`FAILED: ${err instanceof Check ? err.message : err.stack}`);
  await page.screenshot({ path: join(shots, 'fail-console-articles.png'), timeout: 3_000 }).catch(() => {});
  console.error(await page.evaluate(() => `${location.hash}\n${document.body.innerText}`).catch(() => '(no answer)'));
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10_000))]);
  process.exit(process.exitCode ?? 0);
}
