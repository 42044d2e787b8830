// The console's review queue in Debian's headless Chromium, driven by
// playwright-core; server/e2e_console_review_test.go starts the server,
// records a postman's outcomes with photos and signatures (some flagged)
// and runs it:
//
//   node e2e/console-review.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// supervisor1 signs in at / and is sent to the console; #/review shows the
// flagged outcomes first, each flag's reason in words, every photo and
// signature visibly loaded (naturalWidth > 0, a blob: URL fetched through
// the API), the distance map and who has seen the proofs; the supervisor
// reviews with the keyboard alone (j/k, a, r + note + Enter, ?), in
// English and then in Hindi. An admin sees the proof images too. The last
// line, E2E RESULT {…}, says what was approved, rejected and seen, for the
// Go test to check on the server.
import { join } from 'node:path';
import { args, client, networkControl, launch, deadline, watch, signInAt, noPageErrors, check, Check, log, T, setLang } from './lib.mjs';

const { base, direct, control, shots } = args('console-review');
const { api } = client(direct);
const network = networkControl(control);
const DC = 'blr-koramangala';

// WORDS are the English and Hindi titles of the flags the test makes.
const WORDS = {
  en: { far_from_address: 'Far from the address. Recorded', no_location: 'No position. The phone',
    otp_bypassed: 'Delivered without the code. The article', upi_unconfirmed: 'UPI not confirmed. Paid by UPI' },
  hi: { far_from_address: 'पते से दूर। प्राप्तकर्ता', no_location: 'कोई स्थान नहीं। फ़ोन',
    otp_bypassed: 'कोड के बिना वितरित। इस वस्तु', upi_unconfirmed: 'UPI की पुष्टि नहीं। UPI से' },
};

const browser = await launch();
const watchdog = deadline(150_000);

async function open(user) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
    timezoneId: 'Asia/Kolkata', serviceWorkers: 'block' });
  const p = watch(await ctx.newPage());
  await p.goto(`${base}/`);
  await p.evaluate(() => localStorage.setItem('dk.lang', 'en'));
  await signInAt(p, base, user);
  await p.waitForURL(/\/console/);
  await p.waitForSelector(T('view'));
  return p;
}

// toReview opens #/review for the round (date, slot) and waits for it.
async function toReview(p, round, show = '') {
  await p.evaluate(([dc, date, slot]) => sessionStorage.setItem('dk.console', JSON.stringify({ dc, date, slot })), [DC, round.date, round.slot]);
  await p.goto(`${base}/console#/review${show ? `?show=${show}` : ''}`);
  await p.waitForSelector(T('screen-review'));
  await p.waitForSelector(`${T('rev-list')} button`);
}

// shown waits until the pane shows delivery id, loaded, and checks its
// images: each a blob: URL, decoded (naturalWidth > 0), as many as its
// proofs. It returns the proof ids shown.
async function shown(p, d) {
  await p.waitForSelector(`${T('rev-item')}[data-delivery="${d.id}"] ${T('rev-body')}[data-ready]`);
  const imgs = await p.$$eval(`${T('rev-item')} img`, (els) => els.map((i) => ({
    id: i.dataset.proof, w: i.naturalWidth, src: i.src, kind: i.dataset.testid, complete: i.complete })));
  check(imgs.length === d.proof_ids.length, `${d.article_id}: ${imgs.length} images for ${d.proof_ids.length} proofs`);
  for (const i of imgs) check(i.complete && i.w > 0 && i.src.startsWith('blob:'), `${d.article_id}: ${i.kind} not loaded: ${JSON.stringify(i)}`);
  check(imgs.some((i) => i.kind === 'rev-photo') && imgs.some((i) => i.kind === 'rev-signature'), `${d.article_id}: no photo and signature`);
  return imgs.map((i) => i.id);
}

// flagsInWords checks the pane's flags: each in words of the language.
async function flagsInWords(p, d, lang) {
  for (const f of d.flags) {
    const text = (await p.textContent(`${T('rev-item')} ${T(`rev-flag-${f}`)}`)).trim();
    check(!text.includes(f), `${d.article_id}: flag ${f} shown as its code: ${text}`);
    if (WORDS[lang][f]) check(text.startsWith(WORDS[lang][f]), `${d.article_id}: flag ${f} reads "${text}", want "${WORDS[lang][f]}…"`);
  }
  const otp = (await p.textContent(`${T('rev-item')} ${T('rev-otp')}`)).trim();
  const cod = (await p.textContent(`${T('rev-item')} ${T('rev-cod')}`)).trim();
  if (lang === 'en' && d.flags.includes('otp_bypassed')) check(otp.includes('1234') && otp.includes('Neighbour'), `${d.article_id}: code status "${otp}"`);
  if (lang === 'en' && d.otp_given) check(otp.startsWith('Verified'), `${d.article_id}: a good code reads "${otp}"`);
  if (lang === 'en' && d.flags.includes('upi_unconfirmed')) check(cod.includes('without UTR'), `${d.article_id}: UPI without UTR reads "${cod}"`);
  if (lang === 'en' && d.cod?.mode === 'cash') check(cod.startsWith('Cash ₹'), `${d.article_id}: cash reads "${cod}"`);
  if (d.flags.includes('far_from_address')) {
    const m = Number(await p.getAttribute(`${T('rev-item')} ${T('rev-distance')}`, 'data-metres'));
    check(m > 250, `${d.article_id}: far from the address but the map says ${m} m`);
    await p.waitForSelector(`${T('rev-item')} ${T('rev-map')}`);
  }
}

const current = (p) => p.getAttribute(T('rev-item'), 'data-delivery');
async function key(p, k) {
  await p.keyboard.press(k);
  log(`key ${k}`);
}

const result = { approved: [], rejected: [], seen: [], admin_seen: [] };
let page;
try {
  const sup = (await api('POST', '/api/v1/auth/login', '', { username: 'supervisor1', password: 'dakiya-demo' })).json.access_token;
  const all = (await api('GET', `/api/v1/dcs/${DC}/deliveries`, sup)).json.items;
  check(all.length >= 4, `only ${all.length} outcomes to review`);
  const round = { date: all[0].date, slot: all[0].slot };
  const list = all.filter((d) => d.date === round.date && d.slot === round.slot);
  const flaggedN = list.filter((d) => d.flags.length).length;
  check(flaggedN >= 2 && flaggedN < list.length, `want flagged and unflagged outcomes, have ${flaggedN} of ${list.length}`);

  // ---- supervisor1: the queue, flagged first, in English ----
  page = await open('supervisor1');
  await toReview(page, round);
  const rows = await page.$$eval(`${T('rev-list')} button`, (bs) => bs.map((b) => ({ id: b.dataset.testid.replace('rev-row-', ''), flagged: b.hasAttribute('data-flagged') })));
  check(rows.length === list.length, `the list has ${rows.length} rows, the server ${list.length} outcomes`);
  const firstClean = rows.findIndex((r) => !r.flagged);
  check(firstClean === flaggedN && rows.slice(firstClean).every((r) => !r.flagged), `flagged outcomes are not first: ${JSON.stringify(rows)}`);
  const byID = new Map(list.map((d) => [d.id, d]));
  log(`queue: ${rows.length} outcomes, ${flaggedN} flagged first`);

  // Walk the queue with the keyboard: j through all, checking each item.
  const seen = new Set();
  for (let i = 0; i < rows.length; i += 1) {
    const d = byID.get(await current(page));
    check(d.id === rows[i].id, `item ${i + 1} shows ${d.id}, want ${rows[i].id}`);
    (await shown(page, d)).forEach((id) => seen.add(id));
    await flagsInWords(page, d, 'en');
    if (i === 0) {
      await page.waitForSelector(`${T('rev-item')} ${T('rev-view')}`);
      const who = await page.textContent(`${T('rev-item')} ${T('rev-views')}`);
      check(who.includes('supervisor'), `the views do not name the supervisor: ${who}`);
      await page.screenshot({ path: join(shots, 'console-review.png') });
    }
    const live = await page.textContent(T('rev-live'));
    check(live.includes(d.article_id) && live.startsWith(`${i + 1} of ${rows.length}`), `the live region says "${live}"`);
    if (i < rows.length - 1) await key(page, 'j');
  }
  log(`walked ${rows.length} outcomes with j: every flag in words, ${seen.size} images loaded`);
  await key(page, 'j'); // past the end: stays
  check(await current(page) === rows[rows.length - 1].id, 'j past the last item moved');
  for (let i = rows.length - 1; i > 0; i -= 1) await key(page, 'k');
  check(await current(page) === rows[0].id, 'k did not come back to the first item');

  // ? shows the keys; ? again hides them.
  await key(page, '?');
  await page.waitForSelector(`${T('rev-keys-dialog')}[open]`);
  await key(page, '?');
  await page.waitForSelector(`${T('rev-keys-dialog')}:not([open])`, { state: 'attached' });

  // a approves the first; the next is shown at once.
  await key(page, 'a');
  await page.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('approved'), rows[0].id);
  check(await current(page) === rows[1].id, 'after a, the next item is not shown');
  result.approved.push(rows[0].id);
  // r focuses the note; typing there is not a shortcut; Enter rejects.
  await key(page, 'r');
  check(await page.evaluate(() => document.activeElement?.dataset.testid) === 'rev-note', 'r did not focus the note');
  const note = 'Photo does not show the door; ask Ravi';
  await page.keyboard.type(note);
  check(await current(page) === rows[1].id, 'typing the note moved the queue');
  await key(page, 'Enter');
  await page.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('rejected'), rows[1].id);
  result.rejected.push({ id: rows[1].id, note });
  check(await current(page) === rows[2].id, 'after the rejection, the next item is not shown');
  // r then Enter with no note: not sent, the note asks for a reason.
  await key(page, 'r');
  await key(page, 'Enter');
  check(await current(page) === rows[2].id, 'an empty rejection moved on');
  check((await page.textContent(T('rev-live'))).includes('reject'), 'an empty rejection was not explained');
  await key(page, 'Escape');
  await key(page, 'k');
  check(await current(page) === rows[1].id, 'k from the third did not show the second');
  check((await page.textContent(`${T('rev-item')} ${T('rev-history')}`)).includes(note), 'the rejection note is not in the history');
  await key(page, 'j');
  await key(page, 'a');
  result.approved.push(rows[2].id);
  await page.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('approved'), rows[2].id);
  log('approved, rejected with a note and moved with the keyboard alone');

  // A decision that cannot be saved: the row goes back, a problem box
  // explains, and its button returns to the item.
  check(await current(page) === rows[3].id, 'after three decisions the fourth item is not shown');
  await network('refuse');
  await key(page, 'a');
  await page.waitForSelector(`${T('rev-problem')} ${T('problem')}`);
  await page.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('pending'), rows[3].id);
  await network('pass');
  await page.click(T('rev-back'));
  check(await current(page) === rows[3].id, 'Back did not return to the item whose decision failed');
  await shown(page, byID.get(rows[3].id));
  log('a decision refused by the network: the row went back and the problem box led back to it');

  // ---- in Hindi: the queue of what is left to review ----
  await setLang(page, 'hi');
  await page.waitForSelector(`${T('rev-list')} button`);
  const left = await page.$$eval(`${T('rev-list')} button`, (bs) => bs.map((b) => b.dataset.testid.replace('rev-row-', '')));
  check(left.length === rows.length - 3 && !left.includes(rows[0].id), `in Hindi the queue holds ${left.length} outcomes`);
  const dh = byID.get(await current(page));
  await shown(page, dh);
  await flagsInWords(page, dh, 'hi');
  const hiFlagged = left.map((id) => byID.get(id)).find((x) => x.flags.some((f) => WORDS.hi[f]));
  if (hiFlagged && hiFlagged.id !== dh.id) {
    while (await current(page) !== hiFlagged.id) await key(page, 'j');
    await shown(page, hiFlagged);
    await flagsInWords(page, hiFlagged, 'hi');
    while (await current(page) !== left[0]) await key(page, 'k');
  }
  check((await page.textContent(`${T('rev-item')} ${T('rev-approve')}`)).includes('स्वीकार'), 'the approve button is not in Hindi');
  await page.waitForSelector(`${T('rev-item')} ${T('rev-view')}`);
  await page.screenshot({ path: join(shots, 'console-review-hi.png') });
  await key(page, 'r');
  const noteHi = 'फ़ोटो में दरवाज़ा नहीं दिखता';
  await page.keyboard.type(noteHi);
  await key(page, 'Enter');
  await page.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('rejected'), left[0]);
  result.rejected.push({ id: left[0], note: noteHi });
  await key(page, 'a');
  await page.waitForFunction((id) => document.querySelector(`[data-testid="rev-row-state-${id}"]`)?.classList.contains('approved'), left[1]);
  result.approved.push(left[1]);
  log('in Hindi: flags in words, rejected with a Hindi note and approved with the keyboard');
  await setLang(page, 'en');
  result.seen = [...seen];

  // ---- the admin sees the proofs too, the list fetched two at a time ----
  const admin = await open('admin');
  await toReview(admin, round, 'all&limit=2');
  const adminSeen = new Set();
  const rowsNow = () => admin.$$eval(`${T('rev-list')} button`, (bs) => bs.map((b) => b.dataset.testid.replace('rev-row-', '')));
  check((await rowsNow()).length <= 4, `with pages of 2 the admin's list drew ${(await rowsNow()).length} rows at once`);
  for (let i = 0; i < list.length; i += 1) {
    const d = byID.get(await current(admin));
    check(d.id === rows[i].id, `the admin's item ${i + 1} is ${d.id}, want ${rows[i].id}`);
    (await shown(admin, d)).forEach((id) => adminSeen.add(id));
    if (i < list.length - 1) {
      await admin.waitForSelector(T(`rev-row-${rows[i + 1].id}`));
      await key(admin, 'j');
    }
  }
  check((await rowsNow()).join() === rows.map((r) => r.id).join(), 'the pages fetched with the cursor do not make the whole queue');
  check(await admin.isHidden(T('rev-more')), 'after the last page, Load more is still offered');
  result.admin_seen = [...adminSeen];
  await admin.screenshot({ path: join(shots, 'console-review-admin.png') });
  log(`the admin saw ${adminSeen.size} proof images`);
  noPageErrors();
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  console.error(err instanceof Check ? `CHECK FAILED: ${err.message}` : err);
  if (page) await page.screenshot({ path: join(shots, 'console-review-failure.png') }).catch(() => {});
  clearTimeout(watchdog);
  await browser.close();
  process.exit(1);
}
clearTimeout(watchdog);
await browser.close();
