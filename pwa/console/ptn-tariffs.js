// The tariffs (#/partners/tariffs): every version with the one in force
// today marked, each version's CSV, and the form that uploads a new
// version (its name, the day it comes into force, the CSV); the server
// checks every row at once and any problem refuses the whole file, shown
// here row by row as the server named them (row N: column).
import { h } from '../ui.js';
import { t, num, date } from '../i18n.js';
import { getAll, send, table, field, problemBox } from './kit.js';
import { sub, flash } from './adm-kit.js';
import { when, fileButton, enc } from './ptn-kit.js';

const HEADER = 'service,zone,first_g,first_paise,slab_g,additional_paise,max_weight_g,volumetric_divisor,cod,gst_bp';

// view draws the tariff versions and the upload form.
export async function view(ctx) {
  const got = await getAll('/api/v1/tariffs');
  const out = h('div', { 'aria-live': 'polite', testid: 'ptn-tariff-out' });
  return h('div', { class: 'stack' },
    sub('ptn-tariffs', t('ptn.tariffs.title'), h('p', { testid: 'ptn-in-force' },
      got.in_force ? t('ptn.tariffs.inForce', { version: got.in_force, today: date(got.today) }) : t('ptn.tariffs.noneInForce')),
    versions(got.items || [], got.in_force, out)),
    sub('ptn-tariff-new', t('ptn.tariffs.upload'), upload(ctx, out), out));
}

// versions is every version, latest first, each with its CSV.
function versions(items, inForce, out) {
  return table([
    { label: t('ptn.tariffs.version'), value: (v) => h('code', {}, v.version) },
    { label: t('ptn.tariffs.from'), value: (v) => date(v.effective_from) },
    { label: t('ptn.tariffs.rows'), num: true, value: (v) => num(v.rows) },
    { label: t('ptn.tariffs.state'), value: (v) => (v.version === inForce
      ? h('strong', { class: 'ptn-state ptn-active', testid: `ptn-tariff-current-${v.version}` }, t('ptn.tariffs.current')) : '') },
    { label: t('ptn.tariffs.uploaded'), value: (v) => when(v.created_at) },
    { label: t('ptn.actions'), value: (v) => fileButton(`ptn-tariff-csv-${v.version}`, t('ptn.tariffs.csv'), `/api/v1/tariffs/${enc(v.version)}`,
      'text/csv', `tariff-${v.version}.csv`, (err) => out.replaceChildren(problemBox(err))) },
  ], items, { testid: 'ptn-tariffs-table', rowid: (v) => `ptn-tariff-${v.version}`, empty: t('ptn.tariffs.none') });
}

// upload is the form that sends a new version as text/csv.
function upload(ctx, out) {
  const version = h('input', { name: 'version', testid: 'ptn-tariff-version', autocomplete: 'off', maxLength: 40 });
  const from = h('input', { name: 'effective_from', type: 'date', testid: 'ptn-tariff-from' });
  const text = h('textarea', { name: 'csv', rows: 8, wrap: 'off', spellcheck: false, testid: 'ptn-tariff-text', class: 'art-csv' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', testid: 'ptn-tariff-file', onchange: async () => {
    if (file.files[0]) text.value = await file.files[0].text();
  } });
  const go = h('button', { type: 'submit', class: 'primary', testid: 'ptn-tariff-send' }, t('ptn.tariffs.send'));
  return h('form', { testid: 'ptn-tariff-form', class: 'adm-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!version.value.trim() || !from.value || !text.value.trim()) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert', testid: 'ptn-tariff-missing' }, t('ptn.tariffs.missing')));
      return;
    }
    go.disabled = true;
    out.replaceChildren(h('p', { role: 'status' }, t('ptn.tariffs.sending')));
    try {
      const q = `version=${enc(version.value.trim())}&effective_from=${enc(from.value)}`;
      const v = await send('POST', `/api/v1/tariffs?${q}`, text.value, { type: 'text/csv', ms: 60_000 });
      flash(t('ptn.tariffs.stored', { version: v.version, n: v.rows, from: date(v.effective_from) }));
      ctx.render();
    } catch (err) {
      out.replaceChildren(refusal(err));
    }
    go.disabled = false;
  } },
  h('p', {}, t('ptn.tariffs.explain')),
  h('pre', { class: 'art-header', testid: 'ptn-tariff-header' }, HEADER),
  h('div', { class: 'adm-grid' }, field(t('ptn.tariffs.version'), version, t('ptn.tariffs.versionHint')),
    field(t('ptn.tariffs.from'), from)),
  field(t('ptn.tariffs.file'), file),
  field(t('ptn.tariffs.paste'), text),
  go);
}

// refusal is the server's refusal: its detail and, row by row, each problem.
function refusal(err) {
  const errs = (err?.problem?.errors || []).map((e) => {
    const m = /^row (\d+): (.*)$/.exec(e.field || '');
    return { row: m ? Number(m[1]) : null, column: m ? m[2] : e.field, message: e.message };
  });
  if (!errs.length) return problemBox(err);
  return h('div', { class: 'problem', role: 'alert', testid: 'ptn-tariff-refused' },
    h('p', {}, err.problem.detail || err.problem.title),
    table([
      { label: t('ptn.tariffs.row'), num: true, value: (e) => (e.row == null ? '—' : String(e.row)) },
      { label: t('ptn.tariffs.column'), value: (e) => h('code', {}, e.column || '—') },
      { label: t('ptn.tariffs.message'), value: (e) => e.message },
    ], errs, { testid: 'ptn-tariff-errors', caption: t('ptn.tariffs.errors', { n: errs.length }), rowid: (e) => `ptn-tariff-err-${e.row}-${e.column}` }));
}
