// Admin › beats of the chosen centre: each beat with its postman, DIGIPIN
// prefixes and PIN codes, the prefixes on a map (adm-map.js), and a form
// to add a beat whose postman is chosen from the centre's postmen; each
// beat's postman can be changed in its row (one on leave, one moved).
import { h } from '../ui.js';
import { t } from '../i18n.js';
import { svg } from '../icons.js';
import { getJSON, getAll, send, table, field } from './kit.js';
import { sub, form, value, invalid, flash, flashed } from './adm-kit.js';
import { beatsMap, colour } from './adm-map.js';
import { symbols } from './adm-digipin.js';

// view draws the centre's beats, their map and the form to add one.
export async function view(ctx) {
  if (!ctx.dc) return h('p', { testid: 'adm-beats-nodc' }, t('adm.dc.none'));
  const dc = encodeURIComponent(ctx.dc);
  const staffURL = ctx.admin ? `/api/v1/users?dc_id=${dc}` : '/api/v1/users';
  const [beats, users, centre] = await Promise.all([
    getAll(`/api/v1/dcs/${dc}/beats`).then((r) => r?.items || []),
    getAll(staffURL).then((r) => r?.items || []),
    getJSON(`/api/v1/dcs/${dc}`),
  ]);
  const postmen = users.filter((u) => u.role === 'postman');
  return h('div', { class: 'stack' }, flashed(),
    sub('adm-beats', t('adm.beat.title', { dc: centre?.name || ctx.dc }), beatTable(ctx, beats, users, postmen),
      h('h4', {}, t('adm.map.title')), beatsMap(beats, centre, ctx.onLeave), legend(beats)),
    sub('adm-beat-new', t('adm.beat.new'), newBeat(ctx, postmen)));
}

const swatch = (i) => svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', class: 'adm-swatch' },
  svg('rect', { x: 1, y: 1, width: 14, height: 14, fill: colour(i) }));

function beatTable(ctx, beats, users, postmen) {
  const who = new Map(users.map((u) => [u.id, u]));
  const idx = new Map(beats.map((b, i) => [b.id, i]));
  return table([
    { label: t('adm.beat.id'), value: (b) => h('span', { class: 'adm-key' }, swatch(idx.get(b.id)), h('code', {}, b.id)) },
    { label: t('adm.beat.name'), value: (b) => b.name },
    { label: t('adm.beat.postman'), value: (b) => h('div', {},
      h('span', { testid: `adm-beat-walker-${b.id}` }, b.postman_id ? (who.has(b.postman_id)
        ? `${who.get(b.postman_id).name} (${who.get(b.postman_id).username})` : b.postman_id) : t('adm.beat.nobody')),
      givePostman(ctx, b, postmen)) },
    { label: t('adm.beat.prefixes'), value: (b) => h('span', { class: 'adm-codes' }, b.digipin_prefixes.map((p) => h('code', {}, p))) },
    { label: t('adm.beat.pins'), value: (b) => (b.pins || []).join(', ') || '—' },
  ], beats, { testid: 'adm-beats-table', rowid: (b) => `adm-beat-row-${b.id}`, caption: t('adm.beat.caption', { n: beats.length }), empty: t('adm.beat.none') });
}

function legend(beats) {
  return h('ul', { class: 'legend plain row', testid: 'adm-map-legend' },
    beats.map((b, i) => h('li', {}, swatch(i), ' ', b.name, ' · ', t('adm.map.cells', { n: b.digipin_prefixes.length }))));
}

// givePostman is a beat row's small form that gives the beat another
// postman of the centre, or none.
function givePostman(ctx, b, postmen) {
  const pick = field(t('adm.beat.give', { id: b.id }), h('select', { name: 'postman_id', testid: `adm-beat-give-${b.id}` },
    h('option', { value: '', selected: !b.postman_id }, t('adm.beat.nobody')),
    postmen.map((u) => h('option', { value: u.id, selected: u.id === b.postman_id },
      `${u.name} (${u.username})${u.disabled ? ` · ${t('adm.staff.off')}` : ''}`))));
  return form(`adm-beat-set-${b.id}`, t('adm.beat.set'), pick, async (f) => {
    const got = await send('PATCH', `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/beats/${encodeURIComponent(b.id)}`,
      { postman_id: value(f, 'postman_id') });
    flash(t('adm.beat.given', { id: got.id }));
    ctx.render();
    return '';
  });
}

// list splits what was typed at commas and spaces.
const list = (s) => s.split(/[\s,;]+/).filter(Boolean);

// newBeat is the form that adds a beat, then shows the centre's beats again.
function newBeat(ctx, postmen) {
  const input = (name, attrs = {}) => h('input', { name, testid: `adm-beat-${name}`, autocomplete: 'off', ...attrs });
  const kids = h('div', { class: 'adm-grid' },
    field(t('adm.beat.id'), input('id'), t('adm.beat.idHint')),
    field(t('adm.beat.name'), input('name', { required: true, maxLength: 100 })),
    field(t('adm.beat.postman'), h('select', { name: 'postman_id', testid: 'adm-beat-postman_id' },
      h('option', { value: '' }, t('adm.beat.nobody')),
      postmen.map((u) => h('option', { value: u.id }, `${u.name} (${u.username})${u.disabled ? ` · ${t('adm.staff.off')}` : ''}`)))),
    field(t('adm.beat.prefixes'), input('digipin_prefixes', { spellcheck: false }), t('adm.beat.prefixHint')),
    field(t('adm.beat.pins'), input('pins', { inputMode: 'numeric' }), t('adm.beat.pinHint')));
  return form('adm-beat-form', t('adm.beat.add'), kids, async (f) => {
    const body = { name: value(f, 'name'), digipin_prefixes: list(value(f, 'digipin_prefixes')), pins: list(value(f, 'pins')) };
    if (value(f, 'id')) body.id = value(f, 'id');
    if (value(f, 'postman_id')) body.postman_id = value(f, 'postman_id');
    check(body);
    const b = await send('POST', `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/beats`, body);
    flash(t('adm.beat.added', { id: b.id }));
    ctx.render();
    return '';
  });
}

// check refuses what the server would, before sending.
function check(b) {
  const errors = [];
  if (!b.name) errors.push({ field: 'name', message: t('adm.err.required') });
  const bad = b.digipin_prefixes.filter((p) => !symbols(p));
  if (bad.length) errors.push({ field: 'digipin_prefixes', message: t('adm.err.prefix', { list: bad.join(', ') }) });
  const badPins = b.pins.filter((p) => !/^[1-9]\d{5}$/.test(p));
  if (badPins.length) errors.push({ field: 'pins', message: t('adm.err.pins', { list: badPins.join(', ') }) });
  if (!b.digipin_prefixes.length && !b.pins.length) errors.push({ field: 'digipin_prefixes', message: t('adm.err.area') });
  if (errors.length) throw invalid(errors);
}
