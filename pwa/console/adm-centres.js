// Admin › centres: every centre (a supervisor sees their own), and for an
// admin a form to add one (POST /dcs: id, name, address, PIN, location,
// time zone, UPI address). A new centre joins the scope bar's list at once.
import { h } from '../ui.js';
import { t, num } from '../i18n.js';
import { getAll, send, table, field, forgetCentres } from './kit.js';
import { sub, form, value, invalid, flash, flashed } from './adm-kit.js';

// view draws the list of centres and, for an admin, the form to add one.
export async function view(ctx) {
  const dcs = (await getAll('/api/v1/dcs'))?.items || [];
  const list = table([
    { label: t('adm.dc.id'), value: (d) => h('code', {}, d.id) },
    { label: t('adm.dc.name'), value: (d) => d.name },
    { label: t('adm.dc.address'), value: (d) => d.address },
    { label: t('adm.dc.pin'), value: (d) => d.pin },
    { label: t('adm.dc.digipin'), value: (d) => h('code', {}, d.digipin) },
    { label: t('adm.dc.tz'), value: (d) => d.time_zone },
    { label: t('adm.dc.upi'), value: (d) => d.upi_vpa || '—' },
    { label: t('adm.dc.beats'), num: true, value: (d) => num(d.beats.length) },
    ...(ctx.admin ? [{ label: t('adm.staff.actions'), value: (d) => choose(ctx, d) }] : []),
  ], dcs, { testid: 'adm-dcs', rowid: (d) => `adm-dc-row-${d.id}`, caption: t('adm.dc.caption', { n: dcs.length }), empty: t('adm.dc.none') });
  return h('div', { class: 'stack' },
    flashed(),
    sub('adm-centres', t('adm.tab.centres'), list),
    ctx.admin ? sub('adm-dc-new', t('adm.dc.new'), newCentre(ctx)) : null);
}

// choose makes d the centre worked on and opens its beats.
function choose(ctx, d) {
  if (d.id === ctx.dc) return h('span', { testid: `adm-dc-current-${d.id}` }, t('adm.dc.current'));
  return h('button', { type: 'button', class: 'quiet', testid: `adm-dc-choose-${d.id}`, 'aria-label': t('adm.dc.chooseOne', { name: d.name }),
    onclick: () => { ctx.scope({ dc: d.id }); ctx.go('#/admin/beats'); } }, t('adm.dc.choose'));
}

// newCentre is the form that adds a centre and then lists it (and puts it in the scope bar).
function newCentre(ctx) {
  const input = (name, attrs = {}) => h('input', { name, testid: `adm-dc-${name}`, ...attrs });
  const kids = h('div', { class: 'adm-grid' },
    field(t('adm.dc.id'), input('id', { required: true, pattern: '[a-z0-9-]{2,40}', autocomplete: 'off' }), t('adm.dc.idHint')),
    field(t('adm.dc.name'), input('name', { required: true, maxLength: 100 })),
    field(t('adm.dc.address'), input('address', { required: true, maxLength: 300 })),
    field(t('adm.dc.pin'), input('pin', { required: true, inputMode: 'numeric', pattern: '[1-9][0-9]{5}' })),
    field(t('adm.dc.lat'), input('lat', { required: true, inputMode: 'decimal' })),
    field(t('adm.dc.lon'), input('lon', { required: true, inputMode: 'decimal' })),
    field(t('adm.dc.tz'), input('time_zone', { value: 'Asia/Kolkata' })),
    field(t('adm.dc.upi'), input('upi_vpa', { autocomplete: 'off' })));
  return form('adm-dc-form', t('adm.dc.add'), kids, async (f) => {
    const body = { id: value(f, 'id'), name: value(f, 'name'), address: value(f, 'address'), pin: value(f, 'pin'),
      lat: Number(value(f, 'lat')), lon: Number(value(f, 'lon')), time_zone: value(f, 'time_zone') || 'Asia/Kolkata' };
    if (value(f, 'upi_vpa')) body.upi_vpa = value(f, 'upi_vpa');
    check(body);
    const dc = await send('POST', '/api/v1/dcs', body);
    forgetCentres();
    flash(t('adm.dc.added', { id: dc.id }));
    ctx.scope({}); // draws again, keeping the centre worked on (not the list's new first)
    return '';
  });
}

// check refuses what the server would, before sending.
function check(b) {
  const errors = [];
  const need = (ok, f, key) => { if (!ok) errors.push({ field: f, message: t(key) }); };
  need(/^[a-z0-9-]{2,40}$/.test(b.id), 'id', 'adm.dc.idHint');
  need(b.name, 'name', 'adm.err.required');
  need(b.address, 'address', 'adm.err.required');
  need(/^[1-9]\d{5}$/.test(b.pin), 'pin', 'adm.err.pin');
  need(b.lat >= 2.5 && b.lat <= 38.5, 'lat', 'adm.err.lat');
  need(b.lon >= 63.5 && b.lon <= 99.5, 'lon', 'adm.err.lon');
  if (errors.length) throw invalid(errors);
}
