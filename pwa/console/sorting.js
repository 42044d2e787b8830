// The console's sorting screen (#/sorting): for the centre, date and slot in
// the scope bar, the sort plan's beats (colour, postman, cases) with how far
// the sorters have got (sorted of expected), the articles that go to the
// problem case and why, the printed sort plan (a PDF, a page per postman)
// and the way to the app's sorting screen, where the scanning is done.
import { h } from '../ui.js';
import { t, date } from '../i18n.js';
import { section, getJSON, fetchBlob, download, problemBox, table } from './kit.js';

export async function screen(ctx) {
  if (!document.querySelector('link[href="/sort.css"]')) document.head.append(h('link', { rel: 'stylesheet', href: '/sort.css' }));
  const q = `date=${ctx.date}&slot=${ctx.slot}`;
  const dc = encodeURIComponent(ctx.dc);
  let body;
  try {
    const plan = await getJSON(`/api/v1/dcs/${dc}/sort-plan?${q}`);
    body = h('div', { class: 'stack' },
      table([
        { label: t('sortc.col.beat'), value: (b) => h('span', { class: `sortc-swatch sort-c${b.colour.index}` }, b.name) },
        { label: t('sortc.col.postman'), value: (b) => b.postman_name || b.postman_id },
        { label: t('sortc.col.cases'), num: true, value: (b) => String(b.cases) },
        { label: t('sortc.col.sorted'), num: true, value: (b) => h('span', { testid: `sortc-sorted-${b.id}` }, t('sortc.sorted', { n: b.sorted, of: b.expected })) },
      ], plan.beats, { testid: 'sortc-beats', rowid: (b) => `sortc-beat-${b.id}`, empty: t('sortc.empty') }),
      h('h3', {}, t('sortc.problems', { n: plan.problems.length })),
      table([
        { label: t('sortc.col.article'), value: (p) => h('code', {}, p.article_id) },
        { label: t('sortc.col.reason'), value: (p) => p.detail },
      ], plan.problems, { testid: 'sortc-problems', empty: t('sortc.noProblems') }),
      h('p', { class: 'steps' }, t('sortc.version', { v: plan.version })),
      h('div', { class: 'row' }, printButton(ctx, q),
        h('a', { href: '/#/sort', class: 'btn', testid: 'sortc-open' }, t('sortc.open'))));
  } catch (err) {
    body = problemBox(err);
  }
  return section('screen-sorting', t('sortc.title'),
    h('p', {}, t('sortc.scope', { dc: ctx.dc, date: date(ctx.date), slot: t(`slot.${ctx.slot}`) })), body);
}

function printButton(ctx, q) {
  const b = h('button', { type: 'button', testid: 'sortc-print', onclick: async () => {
    b.disabled = true;
    try {
      download(`sort-plan-${ctx.dc}-${ctx.date}-${ctx.slot}.pdf`,
        await fetchBlob(`/api/v1/dcs/${encodeURIComponent(ctx.dc)}/sort-plan.pdf?${q}`, 'application/pdf'));
    } catch (err) {
      b.after(problemBox(err));
    } finally { b.disabled = false; }
  } }, t('sortc.print'));
  return b;
}
