// The console's partner pages in Debian's headless Chromium driven by
// playwright-core; server/e2e_console_partners_test.go starts the server
// with the demo data and runs it:
//
//   node e2e/console-partners.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// At 1280 × 800 the admin opens Partners and adds a partner (a wrong IFSC
// refused by the server on its field); makes an API key, sees its secret
// once (then only its prefix, and the secret nowhere in the page or the
// browser's storage); this script uses the key (a quote) and the admin
// sees its usage move after a reload; the partner subscribes a webhook
// receiver started here (node:http) with the key; the admin pings it,
// reads the delivery log and sends the ping again (the receiver gets it
// twice, signed); revokes the key (then refused); tops up the wallet and
// sees the balance and ledger; in Hindi, makes yesterday's remittance
// statement (nothing to pay), then for a partner whose COD the Go test
// had collected yesterday makes the statement and marks it paid with a
// UTR (a malformed one refused first); uploads a tariff (a wrong file
// refused row by row, then a good one listed). A supervisor sees no
// partner pages. Each change is checked through the API here, and again
// by the Go test.
import { join } from 'node:path';
import { createServer } from 'node:http';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, log, setLang, T, STEP_MS, shotAround } from './lib.mjs';

const { base, direct, shots } = args('console-partners', false);
const { api, token } = client(direct);

const PARTNER = { name: 'Kirana Kart Logistics Pvt Ltd', account: '001234567890', ifsc: 'HDFC0001234' };
const TOPUP = { rupees: '2500.50', paise: 250050, reference: 'NEFT-HDFCN52026120112345' };
const UTR = 'UTR2026120100042';
// SEEDED is the partner the Go test gave a UPI collection yesterday.
const SEEDED = process.env.PARTNERS_E2E;
check(SEEDED, 'PARTNERS_E2E (the seeded partner) is not set');
const TARIFF = { version: 'e2e-2027-04', from: '2027-04-01' };
const HEADER = 'service,zone,first_g,first_paise,slab_g,additional_paise,max_weight_g,volumetric_divisor,cod,gst_bp';
const GOOD = [HEADER, ...['local', 'within_state', 'metro', 'rest_of_india', 'special'].map((z, i) =>
  `speed_post,${z},500,${3500 + i * 1000},500,${1500 + i * 500},35000,5000,yes,1800`)].join('\n');
const BAD = [HEADER, 'speed_post,local,0,3500,500,1500,35000,5000,maybe,1800', 'speed_post,moon,500,3500,500,1500,35000,5000,yes,1800'].join('\n');

const browser = await launch();
const watchdog = deadline(170_000);
const contexts = [];

// open signs username in at / in a fresh context and returns the page.
async function open(username, who) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'en-IN',
    timezoneId: 'Asia/Kolkata', serviceWorkers: 'allow' });
  contexts.push(ctx);
  const page = watch(await ctx.newPage(), who);
  await signInAt(page, base, username);
  await page.waitForURL(/\/console/, { timeout: STEP_MS });
  return page;
}

const text = async (page, id) => (await page.textContent(T(id)))?.trim() ?? '';

// shot saves what the window shows around the element named by focus.
async function shot(page, name, focus) {
  await shotAround(page, join(shots, `console-partners-${name}.png`), focus);
}

// receiver is a webhook receiver on a free loopback port: what it got.
async function receiver() {
  const got = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { got.push({ headers: req.headers, body: JSON.parse(body) }); res.writeHead(204).end(); });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}/dakiya-hook`, got, close: () => srv.close() };
}

// waitFor polls fn (async, truthy when done) every 300 ms for ms at most.
async function waitFor(fn, what, ms = STEP_MS) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    check(Date.now() < until, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

// addPartner adds the partner through the form (a wrong IFSC first) and
// returns it as the API holds it.
async function addPartner(page, adm) {
  await page.click(T('nav-partners'));
  await page.waitForSelector(T('ptn-new-form'));
  await page.fill(T('ptn-new-name'), PARTNER.name);
  await page.fill(T('ptn-new-discount_bp'), '250');
  await page.fill(T('ptn-new-remittance.account'), PARTNER.account);
  await page.fill(T('ptn-new-remittance.ifsc'), 'HDFC1234');
  await page.click(T('ptn-new-form-submit'));
  await page.waitForSelector(`${T('ptn-new-form-problem')} ${T('problem')}`);
  check(await page.getAttribute(T('ptn-new-remittance.ifsc'), 'aria-invalid') === 'true', 'the wrong IFSC is not marked');
  check(/IFSC/.test(await text(page, 'ptn-new-form-problem')), 'the refusal does not name the IFSC');
  check(!(await api('GET', '/api/v1/partners', adm)).json.items.some((x) => x.name === PARTNER.name), 'a refused partner was added');
  await page.fill(T('ptn-new-remittance.ifsc'), PARTNER.ifsc);
  await page.click(T('ptn-new-form-submit'));
  await page.waitForSelector(T('ptn-keys'));
  const p = (await api('GET', '/api/v1/partners', adm)).json.items.find((x) => x.name === PARTNER.name);
  check(p && p.discount_bp === 250 && p.remittance?.ifsc === PARTNER.ifsc, `the partner is ${JSON.stringify(p)}`);
  check((await text(page, 'ptn-fact-id')) === p.id, 'the page shows another partner');
  log(`partner ${p.id} added (a wrong IFSC refused first)`);
  return p;
}

// makeKey makes a key with book, track and webhooks, reads its secret from
// the one-time box, closes the box and checks the secret is gone.
async function makeKey(page, p, adm) {
  await page.check(T('ptn-key-scope-webhooks'));
  await page.click(T('ptn-key-form-submit'));
  await page.waitForSelector(T('ptn-secret-key'));
  const secret = await text(page, 'ptn-secret-key');
  const k = (await api('GET', `/api/v1/partners/${p.id}/keys`, adm)).json.items[0];
  check(secret.startsWith('dk_live_') && secret.startsWith(k.prefix), `the secret ${secret.slice(0, 10)}… is not the key ${k.prefix}`);
  check(k.scopes.join() === 'book,track,webhooks', `the key's scopes are ${k.scopes}`);
  check((await text(page, `ptn-key-prefix-${k.id}`)) === `${k.prefix}…`, 'the table does not show the prefix');
  check(/0/.test(await text(page, `ptn-key-uses-${k.id}`)), 'a new key shows uses');
  await page.click(T('ptn-secret-copy'));
  await shot(page, 'key', 'ptn-secret');
  await page.click(T('ptn-secret-done'));
  await page.waitForSelector(T('ptn-secret-key'), { state: 'detached' });
  const kept = await page.evaluate((s) => [document.body.innerHTML, JSON.stringify(localStorage), JSON.stringify(sessionStorage)]
    .some((x) => x.includes(s)), secret);
  check(!kept, 'the secret is still in the page or the browser storage');
  await page.reload();
  await page.waitForSelector(T(`ptn-key-${k.id}`));
  check(!(await page.evaluate((s) => document.body.innerHTML.includes(s), secret)), 'the secret is shown again after a reload');
  log(`key ${k.prefix}… made and shown once`);
  return { k, secret };
}

// useKey asks for a quote with the key and sees the usage move after a reload.
async function useKey(page, k, secret) {
  const q = await api('POST', '/api/v1/quotes', secret, { service: 'speed_post', weight_g: 750, from_pin: '560034', to_pin: '302001' });
  check(q.status === 200, `a quote with the key: ${q.status} ${q.text}`);
  await page.reload();
  await page.waitForSelector(T(`ptn-key-${k.id}`));
  const uses = await text(page, `ptn-key-uses-${k.id}`);
  const last = await text(page, `ptn-key-last-${k.id}`);
  check(uses === '1' && last !== 'Not yet', `after one use the key shows uses ${uses}, last used ${last}`);
  await shot(page, 'keys', 'ptn-keys-table');
  log(`the key was used: uses ${uses}, last ${last}`);
}

// webhooks subscribes the receiver with the key; in the console the admin
// pings it, reads the log and sends the ping again.
async function webhooks(page, p, secret, hook) {
  const sub = await api('POST', '/api/v1/webhooks', secret, { url: hook.url, events: ['*'] });
  check(sub.status === 201, `subscribing: ${sub.status} ${sub.text}`);
  const w = sub.json;
  await page.click(T('ptn-ptab-webhooks'));
  await page.waitForSelector(T(`ptn-hook-${w.id}`));
  await page.click(T(`ptn-hook-ping-${w.id}`));
  await page.waitForSelector(T('ptn-log-table'));
  const first = await waitFor(() => hook.got.find((m) => m.body.type === 'ping'), 'the ping at the receiver');
  check(first.headers['dakiya-signature'], `the ping came unsigned: ${Object.keys(first.headers)}`);
  const id = first.body.id;
  await waitFor(async () => {
    await page.click(T('ptn-log-refresh'));
    await page.waitForSelector(T(`ptn-dlv-${id}`));
    return /Delivered/.test(await text(page, `ptn-dlv-state-${id}`));
  }, 'the ping shown delivered');
  await page.click(T(`ptn-redeliver-${id}`));
  await page.waitForSelector(T(`ptn-redeliver-${id}`), { state: 'detached' });
  await waitFor(() => hook.got.filter((m) => m.body.id === id).length === 2, 'the ping sent again');
  await waitFor(async () => {
    await page.click(T('ptn-log-refresh'));
    await page.waitForSelector(T(`ptn-dlv-${id}`));
    return /Delivered/.test(await text(page, `ptn-dlv-state-${id}`)) && Number(await text(page, `ptn-dlv-attempts-${id}`)) >= 2;
  }, 'the log showing the second delivery');
  await shot(page, 'webhooks', 'ptn-log');
  log(`webhook ${w.id}: ping ${id} delivered, sent again, received twice`);
  return { w, ping: id };
}

// revoke revokes the key after the second click; the key is then refused.
async function revoke(page, p, k, secret) {
  await page.click(T('ptn-ptab-keys'));
  await page.waitForSelector(T(`ptn-revoke-${k.id}`));
  await page.click(T(`ptn-revoke-${k.id}`));
  await page.click(T(`ptn-revoke-${k.id}-sure`));
  await waitFor(async () => (await text(page, `ptn-key-state-${k.id}`)) === 'Revoked', 'the key shown revoked');
  check(/revoked/.test(await text(page, 'ptn-keys-status')), 'no word that the key was revoked');
  const q = await api('POST', '/api/v1/quotes', secret, { service: 'speed_post', weight_g: 750, from_pin: '560034', to_pin: '302001' });
  check(q.status === 401, `the revoked key is answered ${q.status}`);
  log('key revoked and refused');
}

// topUp records a top-up and sees the balance and the ledger.
async function topUp(page, p, adm) {
  await page.click(T('ptn-ptab-wallet'));
  await page.waitForSelector(T('ptn-topup-form'));
  check(/0\.00/.test(await text(page, 'ptn-balance')), 'a new wallet is not empty');
  await page.fill(T('ptn-topup-amount'), 'lots');
  await page.fill(T('ptn-topup-reference'), TOPUP.reference);
  await page.click(T('ptn-topup-form-submit'));
  await page.waitForSelector(`${T('ptn-topup-form-problem')} ${T('problem')}`);
  await page.fill(T('ptn-topup-amount'), TOPUP.rupees);
  await page.click(T('ptn-topup-form-submit'));
  await waitFor(async () => /2,500\.50/.test(await text(page, 'ptn-balance')), 'the balance after the top-up');
  check(/2,500\.50/.test(await text(page, 'adm-flash')), 'no word of the top-up');
  check(/NEFT-HDFCN52026120112345/.test(await text(page, 'ptn-ledger-table')), 'the ledger has no top-up');
  const w = (await api('GET', `/api/v1/partners/${p.id}/wallet`, adm)).json;
  check(w.balance_paise === TOPUP.paise, `the wallet holds ${w.balance_paise}`);
  await shot(page, 'wallet');
  log(`wallet topped up: ${await text(page, 'ptn-balance')}`);
}

// remittance, in Hindi: yesterday's statement of the new partner has
// nothing to pay; the partner seeded with a UPI collection yesterday
// (PARTNERS_E2E) has it pending, and its statement is made and paid.
async function remittance(page, p, adm) {
  await setLang(page, 'hi');
  check(/2,500\.50/.test(await text(page, 'ptn-balance')), 'the Hindi wallet shows another balance');
  await shot(page, 'wallet-hi');
  await page.click(T('ptn-ptab-remittances'));
  await page.waitForSelector(T('ptn-remit-form'));
  check((await text(page, 'ptn-ptab-remittances')) === 'प्रेषण', 'the tab is not in Hindi');
  await page.click(T('ptn-remit-form-submit'));
  const empty = await waitFor(async () => (await api('GET', `/api/v1/remittances?partner_id=${p.id}`, adm)).json.items[0], 'the empty statement');
  await page.waitForSelector(T(`ptn-remit-nothing-${empty.id}`));
  check(empty.totals.lines === 0 && !(await page.$(T(`ptn-pay-${empty.id}`))), 'an empty statement is offered a payment');
  await page.click(T('ptn-back'));
  await page.click(T(`ptn-open-${SEEDED}`));
  await page.waitForSelector(T('ptn-keys'));
  await page.click(T('ptn-ptab-remittances'));
  await page.waitForSelector(T('ptn-pending-totals'));
  const pending = (await api('GET', `/api/v1/remittances/pending?partner_id=${SEEDED}`, adm)).json;
  check(pending.collected.length === 1, `the seeded partner has ${pending.collected.length} collected lines`);
  check((await text(page, 'ptn-pending-totals')).startsWith('1 डिलीवरी'), 'the pending line is not shown in Hindi');
  await page.click(T('ptn-remit-form-submit'));
  const r = await waitFor(async () => (await api('GET', `/api/v1/remittances?partner_id=${SEEDED}`, adm)).json.items[0], 'the statement');
  check(r.totals.lines === 1 && r.totals.net_paise > 0, `the statement is ${JSON.stringify(r.totals)}`);
  await page.waitForSelector(T(`ptn-remit-state-${r.id}`));
  check((await text(page, `ptn-remit-state-${r.id}`)) === 'भुगतान बाक़ी', 'the statement is not shown open in Hindi');
  await page.fill(T(`ptn-pay-ref-${r.id}`), 'UTR 42');
  await page.click(T(`ptn-pay-${r.id}-submit`));
  await page.waitForSelector(`${T(`ptn-pay-${r.id}-problem`)} ${T('problem')}`);
  await page.fill(T(`ptn-pay-ref-${r.id}`), UTR);
  await page.click(T(`ptn-pay-${r.id}-submit`));
  await page.waitForSelector(T(`ptn-remit-paid-${r.id}`));
  check((await text(page, `ptn-remit-state-${r.id}`)) === 'भुगतान हुआ', 'the statement is not shown paid in Hindi');
  check((await text(page, `ptn-remit-paid-${r.id}`)).includes(UTR), 'the UTR is not shown');
  const got = (await api('GET', `/api/v1/remittances/${r.id}`, adm)).json;
  check(got.state === 'paid' && got.bank_ref === UTR, `the statement is ${got.state} ${got.bank_ref}`);
  await shot(page, 'remittances-hi', 'ptn-remits');
  log(`statement ${r.id} for ${r.date} (${r.totals.lines} line, ${r.totals.net_paise} paise) made and paid (${UTR}) in Hindi; the empty one has nothing to pay`);
  return r;
}

// tariffs uploads a wrong file (refused row by row), then a good one.
async function tariffs(page, adm) {
  await page.click(T('ptn-back'));
  await page.click(T('ptn-tab-tariffs'));
  await page.waitForSelector(T('ptn-tariff-form'));
  await setLang(page, 'en');
  await page.fill(T('ptn-tariff-version'), TARIFF.version);
  await page.fill(T('ptn-tariff-from'), TARIFF.from);
  await page.fill(T('ptn-tariff-text'), BAD);
  await page.click(T('ptn-tariff-send'));
  await page.waitForSelector(T('ptn-tariff-errors'));
  const rows = await page.$$eval(`${T('ptn-tariff-errors')} tbody tr`, (trs) => trs.map((tr) => tr.textContent));
  check(rows.some((r) => r.startsWith('2')) && rows.some((r) => r.startsWith('3')), `the refusal's rows: ${rows.join(' | ')}`);
  check(!(await api('GET', '/api/v1/tariffs', adm)).json.items.some((v) => v.version === TARIFF.version), 'a refused tariff was stored');
  await shot(page, 'tariff-refused', 'ptn-tariff-refused');
  await page.fill(T('ptn-tariff-text'), GOOD);
  await page.click(T('ptn-tariff-send'));
  await page.waitForSelector(T(`ptn-tariff-${TARIFF.version}`));
  const listed = (await api('GET', '/api/v1/tariffs', adm)).json;
  check(listed.items.some((v) => v.version === TARIFF.version && v.rows === 5), `the tariffs are ${JSON.stringify(listed.items)}`);
  check(await page.$(T(`ptn-tariff-current-${listed.in_force}`)), `the version in force (${listed.in_force}) is not marked`);
  await shot(page, 'tariffs');
  log(`tariff ${TARIFF.version} refused row by row (${rows.length} problems), then stored; in force: ${listed.in_force}`);
  return rows.length;
}

// supervisor sees no partner pages: no link, and a word at the address.
async function supervisor() {
  const sup = await open('supervisor1', 'supervisor1');
  await sup.waitForSelector(T('nav-articles'));
  check(!(await sup.$(T('nav-partners'))), 'a supervisor is offered the partner pages');
  await sup.goto(`${base}/console#/partners`);
  await sup.waitForSelector(T('ptn-admins-only'));
  log('supervisor1 has no partner pages');
}

try {
  const hook = await receiver();
  const admin = await open('admin', 'admin');
  const adm = await token('admin');
  const p = await addPartner(admin, adm);
  await shot(admin, 'partner');
  const { k, secret } = await makeKey(admin, p, adm);
  await useKey(admin, k, secret);
  const { w, ping } = await webhooks(admin, p, secret, hook);
  await revoke(admin, p, k, secret);
  await topUp(admin, p, adm);
  const r = await remittance(admin, p, adm);
  const problems = await tariffs(admin, adm);
  await admin.click(T('ptn-tab-all'));
  await admin.waitForSelector(T(`ptn-row-${p.id}`));
  await shot(admin, 'list');
  await supervisor();
  hook.close();
  noPageErrors();
  const result = { partner: p.id, key: k.id, prefix: k.prefix, webhook: w.id, ping, pings: hook.got.filter((m) => m.body.id === ping).length,
    topup: TOPUP, cod_partner: SEEDED, remittance: r.id, utr: UTR, tariff: TARIFF.version, problems };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  failed(err);
  for (const ctx of contexts) {
    for (const pg of ctx.pages()) {
      await pg.screenshot({ path: join(shots, `fail-console-partners-${contexts.indexOf(ctx)}.png`), timeout: 3_000, fullPage: true }).catch(() => {});
      console.error(await pg.evaluate(() => `${location.href}\n${document.body.innerText}`).catch(() => '(no answer)'));
    }
  }
} finally {
  await end(browser, watchdog);
}
