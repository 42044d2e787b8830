// The CSV import of a bulk booking (#/articles/import): the columns the
// server reads, with a sample file to download; a file chosen or text
// pasted is sent as text/csv to the centre's articles; the answer shows how
// many were saved and every bad row's errors (row, field, message) as the
// server gave them. The valid rows are saved whatever the others hold.
import { h } from '../ui.js';
import { t } from '../i18n.js';
import { section, send, field, problemBox, table, download } from './kit.js';
import { back } from './art-words.js';

const HEADER = 'id,service,name,phone,address,pin,lat,lon,cod_paise,slot_preference';
const SAMPLE = `${HEADER}\r\nRR287043775IN,speed_post,Asha Rao,+919876543210,"12, 4th Cross, Koramangala, Bengaluru",560034,12.9352,77.6245,0,morning\r\n`;
const COLUMNS = [
  ['id', true, 'RR287043775IN'], ['service', true, 'speed_post · registered · parcel · letter'],
  ['name', true, 'Asha Rao'], ['phone', true, '+919876543210'], ['address', true, '12, 4th Cross, Koramangala'],
  ['pin', true, '560034'], ['lat', false, '12.9352'], ['lon', false, '77.6245'], ['cod_paise', false, '49900'],
  ['slot_preference', false, 'morning · evening · sunday'],
];

// screen draws the import form and, once sent, the server's answer.
export async function screen(ctx) {
  const out = h('div', { 'aria-live': 'polite', testid: 'art-import-out' });
  return section('screen-art-import', t('art.import.title'), back(),
    h('div', { class: 'grid2' }, importForm(ctx, out), columnsHelp()), out, columnsTable());
}

// columnsHelp explains the columns and offers the sample file.
function columnsHelp() {
  return h('section', { 'aria-labelledby': 'art-cols-h' }, h('h3', { id: 'art-cols-h' }, t('art.import.columns')),
    h('p', {}, t('art.import.explain')),
    h('pre', { class: 'art-header', testid: 'art-import-header' }, HEADER),
    h('button', { type: 'button', testid: 'art-import-sample',
      onclick: () => download('dakiya-booking-sample.csv', new Blob([SAMPLE], { type: 'text/csv' })) }, t('art.import.sample')));
}

// columnsTable is each column with whether it is needed and an example,
// folded away until asked for.
function columnsTable() {
  return h('details', { class: 'art-colhelp', testid: 'art-import-colhelp' }, h('summary', {}, t('art.import.each')),
    table([
      { label: t('art.import.col'), value: ([c]) => h('code', {}, c) },
      { label: t('art.import.needed'), value: ([, need]) => t(need ? 'art.import.required' : 'art.import.optional') },
      { label: t('art.import.example'), value: ([, , ex]) => ex },
    ], COLUMNS, { testid: 'art-import-cols' }));
}

// importForm reads a chosen file into the text box and sends the text.
function importForm(ctx, out) {
  const text = h('textarea', { name: 'csv', rows: 10, wrap: 'off', spellcheck: false, testid: 'art-import-text', class: 'art-csv' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', testid: 'art-import-file', onchange: async () => {
    const f = file.files[0];
    if (f) text.value = await f.text();
  } });
  const go = h('button', { type: 'submit', class: 'primary', testid: 'art-import-send' }, t('art.import.send'));
  const form = h('form', { testid: 'art-import-form', onsubmit: async (e) => {
    e.preventDefault();
    if (!text.value.trim()) { out.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('art.import.empty'))); return; }
    go.disabled = true;
    out.replaceChildren(h('p', { role: 'status' }, t('art.import.sending')));
    try {
      const res = await send('POST', `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/articles`, text.value, { type: 'text/csv', ms: 60_000 });
      out.replaceChildren(answer(res));
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
    go.disabled = false;
  } },
  h('h3', {}, t('art.import.send.h')),
  field(t('art.import.file'), file),
  field(t('art.import.paste'), text),
  go);
  return form;
}

// answer is what the server did: counts, the saved ids and the bad rows.
function answer(res) {
  const errs = res.errors.flatMap((e) => e.errors.map((fe) => ({ row: e.row, id: e.id || '', ...fe })));
  return h('section', { 'aria-labelledby': 'art-res-h', testid: 'art-import-result' },
    h('h3', { id: 'art-res-h' }, t('art.import.result')),
    h('ul', { class: 'art-counts' },
      h('li', { testid: 'art-import-created' }, t('art.import.created', { n: res.created.length })),
      h('li', { testid: 'art-import-unchanged' }, t('art.import.unchanged', { n: res.unchanged.length })),
      h('li', { testid: 'art-import-bad' }, t('art.import.bad', { n: res.errors.length }))),
    res.created.length ? h('p', { testid: 'art-import-ids' },
      res.created.flatMap((id, i) => [i ? ', ' : '', h('a', { href: `#/articles/${id}` }, id)])) : null,
    errs.length ? table([
      { label: t('art.import.row'), value: (e) => String(e.row), num: true },
      { label: t('art.col.id'), value: (e) => e.id || '—' },
      { label: t('art.import.field'), value: (e) => h('code', {}, e.field || t('art.import.whole')) },
      { label: t('art.import.message'), value: (e) => e.message },
    ], errs, { testid: 'art-import-errors', caption: t('art.import.errors'), rowid: (e) => `art-err-${e.row}` }) : null);
}
