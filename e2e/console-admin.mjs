// The console's admin screen in Debian's headless Chromium driven by
// playwright-core; server/e2e_console_admin_test.go starts the server with
// the demo data and runs it:
//
//   node e2e/console-admin.mjs <browser URL> <direct URL> <network control URL> <screenshot folder>
//
// At 1280 × 800 the admin signs in at / and is sent to the console; adds
// a postman (a wrong username refused by the form), who then signs in at /
// and sees the postman's app; adds a beat for them (a wrong prefix refused
// by the form, a prefix of another beat by the server) and sees its
// DIGIPIN prefixes on the map, in English and Hindi; disables and enables
// a postman (who cannot sign in meanwhile); resets a password; changes a
// role and back; adds a holiday to the calendar (a wrong capacity refused
// by the form), checked in Hindi too; adds a centre (an unknown time zone
// refused by the server, on its field), which the scope bar then offers.
// Then a supervisor of another centre, in Hindi, sees only their centre
// and staff and no admin-only action, disables and enables their postman,
// sees the street map (Leaflet over stand-in tiles) and the server's
// refusal of a beat whose prefix another covers. Each change is checked
// through the API here, and again by the Go test.
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { args, client, launch, deadline, watch, signInAt, noPageErrors, failed, end, check, log, T, STEP_MS, shotAround } from './lib.mjs';

const { base, direct, control, shots } = args('console-admin');
const { api, signIn, token } = client(direct);

// GREY is a one-pixel light grey PNG: the stand-in for OpenStreetMap's tiles.
const GREY = (() => {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]); // 1 × 1, 8-bit RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0xe4, 0xe1, 0xd8]))), chunk('IEND', Buffer.alloc(0))]);
})();
const DC = 'blr-koramangala';
const NEW = { username: 'postman9', name: 'Kavya Nair', password: 'kavya-first-pass' };
const BEAT = { id: 'blr-koramangala-north', name: 'Koramangala North (Ejipura Main Road)', prefixes: ['4P3J3M', '4P3J3P', '4P3J3T', '4P3J2L'] };
const RESET = { username: 'postman2', password: 'ravi-new-pass-2026' };
const HOLIDAY = '2026-12-25';
const CENTRE = { id: 'blr-hsr', name: 'HSR Layout Delivery Centre, Bengaluru', address: '27th Main, Sector 1, HSR Layout', pin: '560102', lat: '12.9116', lon: '77.6474' };

const browser = await launch();
const newContext = (locale = 'en-IN') => browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale,
  timezoneId: 'Asia/Kolkata', serviceWorkers: 'allow' });
const watchdog = deadline(170_000);
const contexts = [];

// open signs username in at / in a fresh context and returns the page.
async function open(username, password, who, want = /\/console/) {
  const ctx = await newContext();
  contexts.push(ctx);
  const page = watch(await ctx.newPage(), who);
  await signInAt(page, base, username, password);
  await page.waitForURL(want, { timeout: STEP_MS });
  return page;
}

const text = async (page, id) => (await page.textContent(T(id)))?.trim() ?? '';
// shot saves what the 1280 × 800 window shows: the top of the screen, or
// the part around the element named by focus.
async function shot(page, name, focus) {
  await shotAround(page, join(shots, `console-admin-${name}.png`), focus);
}

// tab opens an admin tab by clicking it and waits for its section.
async function tab(page, name, section) {
  await page.click(T(`adm-tab-${name}`));
  await page.waitForSelector(T(section));
  check(await page.getAttribute(T(`adm-tab-${name}`), 'aria-current') === 'page', `the ${name} tab is not marked current`);
}

// toggleLang switches the language and waits for the admin screen again.
async function toggleLang(page, want) {
  await page.click(T('lang-toggle'));
  const tabName = want === 'hi' ? 'केंद्र' : 'Centres';
  await page.waitForFunction(([w, name]) => document.documentElement.lang === w
    && document.querySelector('[data-testid=adm-tab-centres]')?.textContent === name, [want, tabName]);
}

// mapDrawn waits until the beats' map is the street map or the drawing.
async function mapDrawn(page) {
  await page.waitForFunction(() => ['tiles', 'drawing'].includes(document.querySelector('[data-testid=adm-map]')?.dataset.map), null, { timeout: 20_000 });
  return page.getAttribute(T('adm-map'), 'data-map');
}

// addPostman adds NEW at the centre (a wrong username refused by the form
// first) and returns the user the server holds.
async function addPostman(admin, adm) {
  await tab(admin, 'staff', 'adm-staff');
  await admin.selectOption(T('adm-user-role'), 'postman');
  await admin.selectOption(T('adm-user-dc_id'), DC);
  await admin.fill(T('adm-user-name'), NEW.name);
  await admin.fill(T('adm-user-username'), 'X'); // refused by the form
  await admin.fill(T('adm-user-password'), NEW.password);
  await admin.click(T('adm-user-form-submit'));
  await admin.waitForSelector(`${T('adm-user-form-problem')} ${T('problem')}`);
  check(await admin.getAttribute(T('adm-user-username'), 'aria-invalid') === 'true', 'the wrong username is not marked');
  await admin.fill(T('adm-user-username'), NEW.username);
  await admin.click(T('adm-user-form-submit'));
  await admin.waitForSelector(T(`adm-user-row-${NEW.username}`));
  const added = await text(admin, 'adm-user-form-status');
  check(added.includes(NEW.username) && added.includes(NEW.password), `after adding: "${added}"`);
  const np = (await api('GET', `/api/v1/users?dc_id=${DC}`, adm)).json.items.find((u) => u.username === NEW.username);
  check(np && np.role === 'postman' && np.dc_id === DC && !np.disabled, `the server holds ${JSON.stringify(np)}`);
  log(`added postman ${NEW.username} (${np.id})`);
  return np;
}

// addBeat adds BEAT walked by np (a wrong prefix refused by the form, one
// of another beat by the server), sees it on the map in English and
// Hindi and returns how the map was drawn.
async function addBeat(admin, adm, np) {
  await tab(admin, 'beats', 'adm-beats');
  check(await mapDrawn(admin), 'no map');
  await admin.fill(T('adm-beat-id'), BEAT.id);
  await admin.fill(T('adm-beat-name'), BEAT.name);
  await admin.selectOption(T('adm-beat-postman_id'), np.id);
  await admin.fill(T('adm-beat-digipin_prefixes'), '4P3J3M 4P3J3A'); // A is no DIGIPIN symbol
  await admin.click(T('adm-beat-form-submit'));
  await admin.waitForSelector(`${T('adm-beat-form-problem')} ${T('problem')}`);
  check((await text(admin, 'adm-beat-form-problem')).includes('4P3J3A'), 'the form does not name the wrong prefix');
  await admin.fill(T('adm-beat-digipin_prefixes'), '4P3J3M, 4P3J46'); // 4P3J46 is Koramangala East's
  await admin.click(T('adm-beat-form-submit'));
  await admin.waitForFunction(() => /already covers/.test(document.querySelector('[data-testid=adm-beat-form-problem]')?.textContent || ''));
  log(`the server refused a prefix of another beat: "${await text(admin, 'adm-beat-form-problem')}"`);
  await admin.fill(T('adm-beat-digipin_prefixes'), '4P3-J3M, 4p3j3p 4P3J3T,4P3J2L');
  await admin.fill(T('adm-beat-pins'), '560102');
  await admin.click(T('adm-beat-form-submit'));
  await admin.waitForSelector(T(`adm-beat-row-${BEAT.id}`));
  check((await text(admin, `adm-beat-row-${BEAT.id}`)).includes(NEW.name), 'the new beat does not name its postman');
  const how = await mapDrawn(admin);
  if (how === 'drawing') {
    for (const p of BEAT.prefixes) await admin.waitForSelector(T(`adm-map-cell-${p}`));
    check(await admin.isVisible(T(`adm-map-label-${BEAT.id}`)), 'the new beat has no label on the map');
  }
  const nb = (await api('GET', `/api/v1/dcs/${DC}/beats`, adm)).json.items.find((b) => b.id === BEAT.id);
  check(nb && nb.postman_id === np.id && JSON.stringify(nb.digipin_prefixes) === JSON.stringify(BEAT.prefixes), `the server holds ${JSON.stringify(nb)}`);
  await shot(admin, 'beats', 'adm-map');
  await toggleLang(admin, 'hi');
  await admin.waitForSelector(T(`adm-beat-row-${BEAT.id}`));
  check((await text(admin, 'adm-tab-beats')) === 'बीट', `the beats tab in Hindi reads "${await text(admin, 'adm-tab-beats')}"`);
  check((await text(admin, 'adm-beat-form-submit')) === 'बीट जोड़ें', 'the beat form is not in Hindi');
  await mapDrawn(admin);
  await shot(admin, 'beats-hi', 'adm-map');
  await toggleLang(admin, 'en');
  log(`added beat ${BEAT.id} with ${BEAT.prefixes.length} prefixes; the map is ${how}`);
  return how;
}

// postmanSignsIn: the new postman signs in at / and gets the postman's app.
async function postmanSignsIn() {
  const pm = await open(NEW.username, NEW.password, NEW.username, (u) => !/console/.test(u.pathname) && !/login/.test(u.hash));
  await pm.waitForSelector(T('screen-today'));
  check(!pm.url().includes('/console'), `the new postman landed on ${pm.url()}`);
  log(`${NEW.username} signed in and sees the postman's app`);
}

const userOf = async (adm, username) => (await api('GET', `/api/v1/users?dc_id=${DC}`, adm)).json.items.find((u) => u.username === username);
const stateIs = (page, username, want) => page.waitForFunction(([u, w]) =>
  document.querySelector(`[data-testid=adm-user-state-${u}]`)?.textContent === w, [username, want]);

// staffChanges disables and enables postman1, resets a password and
// changes a role.
async function staffChanges(admin, adm) {
  await tab(admin, 'staff', 'adm-staff');
  await admin.click(T('adm-user-toggle-postman1'));
  await stateIs(admin, 'postman1', 'Disabled');
  check((await signIn('postman1')).status === 401, 'a disabled postman can still sign in');
  check((await userOf(adm, 'postman1')).disabled === true, 'the server does not hold postman1 disabled');
  await admin.click(T('adm-user-toggle-postman1'));
  await stateIs(admin, 'postman1', 'Active');
  check((await signIn('postman1')).status === 200, 'an enabled postman cannot sign in');
  check((await userOf(adm, 'postman1')).disabled === false, 'the server does not hold postman1 enabled');
  log('disabled postman1 (refused sign-in), enabled again (signed in)');
  await admin.click(`${T(`adm-user-manage-${RESET.username}`)} summary`);
  await admin.fill(T(`adm-user-pw-${RESET.username}`), RESET.password);
  await admin.click(T(`adm-user-reset-${RESET.username}`));
  await admin.waitForFunction((pw) => document.querySelector('[data-testid=adm-staff-status]')?.textContent.includes(pw), RESET.password);
  check((await signIn(RESET.username, RESET.password)).status === 200, 'the new password does not sign in');
  check((await signIn(RESET.username)).status === 401, 'the old password still signs in');
  log(`reset the password of ${RESET.username}`);
  await shot(admin, 'staff');
  // postman3 walks a beat: another role waits until the beat has another postman.
  const manage = T('adm-user-manage-postman3');
  if (await admin.getAttribute(manage, 'open') === null) await admin.click(`${manage} summary`);
  await admin.selectOption(T('adm-user-newrole-postman3'), 'supervisor');
  await admin.click(T('adm-user-setrole-postman3'));
  await admin.waitForSelector(`${T('adm-staff-problem')} ${T('problem')}`);
  const why = await text(admin, 'adm-staff-problem');
  check(/walks beat/.test(why) && (await userOf(adm, 'postman3')).role === 'postman', `re-role of a postman walking a beat: "${why}"`);
  const walked = await giveBeat(admin, adm, 'postman3', NEW.username);
  await tab(admin, 'staff', 'adm-staff');
  await roleOf(admin, adm, 'postman3', 'supervisor');
  await roleOf(admin, adm, 'postman3', 'postman');
  await giveBeat(admin, adm, NEW.username, 'postman3', walked);
  log(`postman3's new role refused while walking ${walked} ("${why}"); the beat given to ${NEW.username}, the role changed and back, the beat returned`);
}

// giveBeat gives the beat `from` walks (or the beat named) to `to`, in the
// beats table, and checks the server's; it returns the beat's id.
async function giveBeat(admin, adm, from, to, beatID) {
  await tab(admin, 'beats', 'adm-beats');
  const users = (await api('GET', `/api/v1/users?dc_id=${DC}`, adm)).json.items;
  const id = (u) => users.find((x) => x.username === u).id;
  const beats = (await api('GET', `/api/v1/dcs/${DC}/beats`, adm)).json.items;
  const beat = beatID || beats.find((b) => b.postman_id === id(from))?.id;
  check(beat, `${from} walks no beat`);
  await admin.selectOption(T(`adm-beat-give-${beat}`), id(to));
  await admin.click(T(`adm-beat-set-${beat}-submit`));
  await admin.waitForFunction(([b, u]) => document.querySelector(`[data-testid="adm-beat-walker-${b}"]`)?.textContent.includes(`(${u})`), [beat, to]);
  const now = (await api('GET', `/api/v1/dcs/${DC}/beats`, adm)).json.items.find((b) => b.id === beat);
  check(now.postman_id === id(to), `the server holds beat ${beat} walked by ${now.postman_id}, want ${to}`);
  return beat;
}

// roleOf changes username's role in the staff list and checks the server's.
async function roleOf(page, adm, username, role) {
  const manage = T(`adm-user-manage-${username}`);
  if (await page.getAttribute(manage, 'open') === null) await page.click(`${manage} summary`);
  await page.selectOption(T(`adm-user-newrole-${username}`), role);
  await page.selectOption(T(`adm-user-newdc-${username}`), DC);
  await page.click(T(`adm-user-setrole-${username}`));
  const shown = role === 'postman' ? 'Postman' : 'Supervisor';
  await page.waitForFunction(([u, r]) => document.querySelector(`[data-testid=adm-user-role-${u}]`)?.textContent === r, [username, shown]);
  const u = await userOf(adm, username);
  check(u.role === role && u.dc_id === DC, `the server holds ${username} as ${u.role} of ${u.dc_id}`);
}

// calendar adds HOLIDAY (a wrong capacity refused by the form first).
async function calendar(admin, adm) {
  await tab(admin, 'calendar', 'adm-cal');
  await admin.fill(T('adm-cal-day'), HOLIDAY);
  await admin.click(T('adm-cal-add'));
  await admin.waitForSelector(T(`adm-cal-holiday-${HOLIDAY}`));
  await admin.fill(T('adm-cal-capacity-morning'), '0');
  await admin.click(T('adm-cal-form-submit'));
  await admin.waitForSelector(`${T('adm-cal-form-problem')} ${T('problem')}`);
  check(await admin.getAttribute(T('adm-cal-capacity-morning'), 'aria-invalid') === 'true', 'the wrong capacity is not marked');
  check(!(await api('GET', `/api/v1/dcs/${DC}/calendar`, adm)).json.holidays.includes(HOLIDAY), 'a refused calendar was saved');
  await admin.fill(T('adm-cal-capacity-morning'), '60');
  await admin.click(T('adm-cal-form-submit'));
  await admin.waitForFunction(() => /saved/.test(document.querySelector('[data-testid=adm-cal-form-status]')?.textContent || ''));
  const cal = (await api('GET', `/api/v1/dcs/${DC}/calendar`, adm)).json;
  check(cal.holidays.includes(HOLIDAY) && cal.capacity.morning === 60 && cal.sunday_delivery === true, `the server holds ${JSON.stringify(cal)}`);
  await shot(admin, 'calendar');
  await toggleLang(admin, 'hi');
  await admin.waitForSelector(T(`adm-cal-holiday-${HOLIDAY}`));
  check((await text(admin, 'adm-cal-form-submit')) === 'कैलेंडर सहेजें', 'the calendar is not in Hindi');
  await shot(admin, 'calendar-hi');
  await toggleLang(admin, 'en');
  log(`added the holiday ${HOLIDAY}, capacity 60 in the morning`);
}

// addCentre adds CENTRE (an unknown time zone refused by the server, on its
// field, first); the scope bar then offers it.
async function addCentre(admin, adm) {
  await tab(admin, 'centres', 'adm-centres');
  for (const [k, v] of Object.entries(CENTRE)) await admin.fill(T(`adm-dc-${k}`), v);
  await admin.fill(T('adm-dc-time_zone'), 'Asia/Bangalore');
  await admin.click(T('adm-dc-form-submit'));
  await admin.waitForSelector(`${T('adm-dc-form-problem')} ${T('problem')} li`);
  check(await admin.getAttribute(T('adm-dc-time_zone'), 'aria-invalid') === 'true', 'the time zone the server refused is not marked');
  log(`the server refused the time zone: "${await text(admin, 'adm-dc-form-problem')}"`);
  await admin.fill(T('adm-dc-time_zone'), 'Asia/Kolkata');
  await admin.click(T('adm-dc-form-submit'));
  await admin.waitForSelector(T(`adm-dc-row-${CENTRE.id}`));
  await admin.waitForSelector(`${T('scope-dc')} option[value="${CENTRE.id}"]`, { state: 'attached' });
  const dcs = (await api('GET', '/api/v1/dcs', adm)).json.items;
  check(dcs.some((d) => d.id === CENTRE.id && d.pin === CENTRE.pin), 'the server does not hold the new centre');
  await admin.click(T(`adm-dc-choose-${CENTRE.id}`));
  await admin.waitForSelector(T('adm-beats-table-empty'));
  check(await admin.inputValue(T('scope-dc')) === CENTRE.id, 'choosing the new centre did not make it the scope');
  check((await text(admin, 'adm-map-status')).includes('No beat'), 'the new centre\'s map does not say it has nothing to draw');
  log(`added centre ${CENTRE.id}; the scope bar offers it, and chose it: no beats yet`);
}

// onlyTheirOwn: a supervisor sees their centre and its staff, and is
// offered no admin-only action.
async function onlyTheirOwn(sup) {
  await tab(sup, 'centres', 'adm-centres');
  const rows = await sup.$$eval('[data-testid^="adm-dc-row-"]', (els) => els.map((e) => e.dataset.testid));
  check(JSON.stringify(rows) === JSON.stringify(['adm-dc-row-jaipur-city']), `the supervisor sees centres ${rows}`);
  await tab(sup, 'staff', 'adm-staff');
  const people = await sup.$$eval('[data-testid^="adm-user-row-"]', (els) => els.map((e) => e.dataset.testid));
  check(people.sort().join() === 'adm-user-row-postman4,adm-user-row-postman6,adm-user-row-postman7,adm-user-row-sorter2,adm-user-row-supervisor2', `the supervisor sees staff ${people}`);
  for (const absent of ['adm-staff-new', 'adm-user-form', 'adm-dc-new', 'adm-staff-filter', 'adm-user-manage-postman4', 'adm-user-toggle-supervisor2']) {
    check(!(await sup.$(T(absent))), `the supervisor is offered ${absent}`);
  }
}

// toggleTheirPostman: a supervisor disables and enables their postman.
async function toggleTheirPostman(sup) {
  await sup.click(T('adm-user-toggle-postman4'));
  await stateIs(sup, 'postman4', 'बंद');
  check((await signIn('postman4')).status === 401, 'postman4, disabled by the supervisor, can sign in');
  await sup.click(T('adm-user-toggle-postman4'));
  await stateIs(sup, 'postman4', 'सक्रिय');
  check((await signIn('postman4')).status === 200, 'postman4, enabled again, cannot sign in');
}

// streetMap: with tiles, the beats are drawn by Leaflet, cell by cell,
// with the beat's name and each cell's prefix in a tooltip.
async function streetMap(sup, tok, asked) {
  await tab(sup, 'beats', 'adm-beats');
  check(await mapDrawn(sup) === 'tiles' && asked() > 0, `the street map did not come with tiles (${asked()} asked)`);
  const jb = (await api('GET', '/api/v1/dcs/jaipur-city/beats', tok)).json.items;
  const drawn = await sup.$$eval('[data-testid=adm-map-leaflet] .leaflet-overlay-pane path', (els) => els.length);
  check(drawn === jb[0].digipin_prefixes.length, `the street map draws ${drawn} cells, want ${jb[0].digipin_prefixes.length}`);
  check(await sup.isVisible('[data-testid=adm-map-leaflet] .adm-leaflet-label'), 'the street map has no beat label');
  await sup.hover('[data-testid=adm-map-leaflet] .leaflet-overlay-pane path >> nth=0');
  const tip = await sup.waitForSelector('.leaflet-tooltip');
  check(/^Jaipur City .*: 33C6[0-9A-Z]{2}$/.test((await tip.textContent()).trim()), `a cell's tooltip reads "${await tip.textContent()}"`);
  await sup.mouse.move(5, 5);
  await shot(sup, 'supervisor-beats-hi', 'adm-map');
  log(`the street map shows jaipur-city's ${drawn} prefixes over (stand-in) tiles`);
}

// supervisor: supervisor2 (Jaipur), in Hindi, sees their own centre and
// staff only, no admin-only action; disables and enables their postman;
// sees the street map; is refused a beat whose prefix another covers.
async function supervisor() {
  const sup = await open('supervisor2', 'dakiya-demo', 'supervisor2');
  const tok = await token('supervisor2');
  // OpenStreetMap is out of reach here: its tiles are answered with a grey
  // pixel, so that the street map (Leaflet) is drawn instead of the drawing.
  let tilesAsked = 0;
  await sup.route('https://tile.openstreetmap.org/**', (r) => { tilesAsked += 1; return r.fulfill({ contentType: 'image/png', body: GREY }); });
  await sup.waitForSelector(T('nav-admin'));
  await sup.click(T('lang-toggle'));
  await sup.waitForFunction(() => document.querySelector('[data-testid=nav-admin]')?.textContent === 'प्रशासन');
  await sup.click(T('nav-admin'));
  await sup.waitForSelector(T('adm-beats'));
  check(await sup.isVisible(T('scope-dc-fixed')) && !(await sup.$(T('scope-dc'))), 'the supervisor can choose a centre');
  await onlyTheirOwn(sup);
  await toggleTheirPostman(sup);
  await streetMap(sup, tok, () => tilesAsked);
  await sup.fill(T('adm-beat-name'), 'जयपुर दोहरी');
  await sup.fill(T('adm-beat-digipin_prefixes'), '33C622');
  await sup.click(T('adm-beat-form-submit'));
  await sup.waitForSelector(`${T('adm-beat-form-problem')} ${T('problem')}`);
  const refusal = await text(sup, 'adm-beat-form-problem');
  check(/already covers/.test(refusal), `the refusal says "${refusal}"`);
  const jaipur = (await api('GET', '/api/v1/dcs/jaipur-city/beats', tok)).json.items;
  check(jaipur.length === 1, `the refused beat was added: ${jaipur.map((b) => b.id)}`);
  await tab(sup, 'calendar', 'adm-cal');
  check(await sup.isVisible(T('adm-cal-form-submit')), 'the supervisor cannot edit the calendar');
  log(`supervisor2 (Hindi) sees jaipur-city only, disabled and enabled postman4, was refused a covered prefix: "${refusal}"`);
}

try {
  const admin = await open('admin', 'dakiya-demo', 'admin');
  await admin.waitForSelector(T('nav-admin'));
  await admin.click(T('nav-admin'));
  await admin.waitForSelector(T('adm-centres'));
  log('admin signed in, console open at the admin screen');
  const adm = await token('admin');
  const np = await addPostman(admin, adm);
  const how = await addBeat(admin, adm, np);
  await postmanSignsIn();
  await staffChanges(admin, adm);
  await calendar(admin, adm);
  await addCentre(admin, adm);
  await supervisor();
  noPageErrors();
  const result = { postman: NEW.username, postman_id: np.id, beat: BEAT.id, prefixes: BEAT.prefixes, reset: RESET, holiday: HOLIDAY,
    centre: CENTRE.id, map: how };
  console.log(`E2E RESULT ${JSON.stringify(result)}`);
} catch (err) {
  failed(err);
  for (const ctx of contexts) {
    for (const p of ctx.pages()) {
      await p.screenshot({ path: join(shots, `fail-console-admin-${contexts.indexOf(ctx)}.png`), timeout: 3_000, fullPage: true }).catch(() => {});
      console.error(await p.evaluate(() => `${location.href}\n${document.body.innerText}`).catch(() => '(no answer)'));
    }
  }
} finally {
  await end(browser, watchdog);
}
