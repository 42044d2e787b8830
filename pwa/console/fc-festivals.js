// The festival calendar's editor on the forecast screen (admins only):
// every festival with a delete button, and a form that adds one. The
// forecast treats each festival's window as a known peak.
import { h } from '../ui.js';
import { t, num } from '../i18n.js';
import { getAll, send, table, field } from './kit.js';
import { sub, form, value, invalid, flash, flashed, refused } from './adm-kit.js';

// editor lists the calendar and the form that adds to it.
export async function editor(ctx) {
  const fs = (await getAll('/api/v1/festivals'))?.items || [];
  const trouble = h('div', { testid: 'fc-fest-problem' });
  const remove = async (f) => {
    try {
      await send('DELETE', `/api/v1/festivals/${encodeURIComponent(f.id)}`);
      flash(t('fc.fest.deleted', { name: f.name, date: f.date }));
      ctx.render();
    } catch (err) { trouble.replaceChildren(refused(err) || ''); }
  };
  const list = table([
    { label: t('fc.fest.date'), value: (f) => f.date },
    { label: t('fc.fest.name'), value: (f) => f.name },
    { label: t('fc.fest.region'), value: (f) => f.region || t('fc.fest.allIndia') },
    { label: t('fc.fest.window'), value: (f) => t('fc.fest.windowText', { before: num(f.before_days), after: num(f.after_days) }) },
    { label: '', value: (f) => h('button', { type: 'button', class: 'quiet', testid: `fc-fest-delete-${f.id}`,
      'aria-label': t('fc.fest.deleteOne', { name: f.name, date: f.date }), onclick: () => remove(f) }, t('fc.fest.delete')) },
  ], fs, { testid: 'fc-fest-list', rowid: (f) => `fc-fest-${f.id}`, caption: t('fc.fest.caption', { n: fs.length }), empty: t('fc.fest.none') });
  return sub('fc-festivals', t('fc.fest.h'), flashed(), trouble, list, addForm(ctx));
}

function addForm(ctx) {
  const input = (name, attrs = {}) => h('input', { name, testid: `fc-fest-new-${name}`, autocomplete: 'off', ...attrs });
  const kids = h('div', { class: 'adm-grid' },
    field(t('fc.fest.date'), input('date', { type: 'date', required: true })),
    field(t('fc.fest.name'), input('name', { required: true, maxLength: 60 })),
    field(t('fc.fest.region'), input('region', { maxLength: 60 }), t('fc.fest.regionHint')),
    field(t('fc.fest.before'), input('before_days', { inputMode: 'numeric', value: '7' }), t('fc.fest.daysHint')),
    field(t('fc.fest.after'), input('after_days', { inputMode: 'numeric', value: '1' }), t('fc.fest.daysHint')));
  return form('fc-fest-new', t('fc.fest.add'), kids, async (f) => {
    const body = { date: value(f, 'date'), name: value(f, 'name'), region: value(f, 'region'),
      before_days: Number(value(f, 'before_days')), after_days: Number(value(f, 'after_days')) };
    const errors = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(body.date)) errors.push({ field: 'date', message: t('fc.fest.dateHint') });
    if (!body.name) errors.push({ field: 'name', message: t('adm.err.required') });
    for (const k of ['before_days', 'after_days']) {
      if (!Number.isInteger(body[k]) || body[k] < 0 || body[k] > 30) errors.push({ field: k, message: t('fc.fest.daysHint') });
    }
    if (errors.length) throw invalid(errors);
    const made = await send('POST', '/api/v1/festivals', body);
    flash(t('fc.fest.added', { name: made.name, date: made.date }));
    ctx.render();
    return '';
  });
}
