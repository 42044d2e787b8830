// What the partner pages share: tabs drawn as links, a moment as date and
// time, a partner's path in the API, a download of a file the API answers
// and a short confirmation step before an action that cannot be undone.
import { h } from '../ui.js';
import { t, date, time } from '../i18n.js';
import { fetchBlob, download } from './kit.js';

// enc is a path segment, escaped.
export const enc = encodeURIComponent;

// partnerPath is the API path of partner id, with more after it.
export const partnerPath = (id, more = '') => `/api/v1/partners/${enc(id)}${more}`;

// when is a moment as its date and time, or — when there is none.
export const when = (ts) => (ts ? `${date(ts)} ${time(ts)}` : '—');

// tabs is a navigation of links [{name, href, label}], the current one marked.
export function tabs(label, items, current, testid) {
  return h('nav', { class: 'adm-tabs', 'aria-label': label }, h('ul', { class: 'plain row' },
    items.map((x) => h('li', {}, h('a', { href: x.href, testid: `${testid}-${x.name}`,
      'aria-current': x.name === current ? 'page' : null }, x.label)))));
}

// fileButton is a button that downloads path (answered as type) as name.
export function fileButton(testid, label, path, type, name, onError) {
  return h('button', { type: 'button', class: 'quiet', testid, onclick: async () => {
    try { download(name, await fetchBlob(path, type)); } catch (err) { onError(err); }
  } }, label);
}

// confirmButton is a button that asks once more (with sure, and a way
// back) before it runs act; act's failure is handed to onError.
export function confirmButton(testid, label, sure, act, onError) {
  const box = h('span', { class: 'ptn-confirm' });
  const reset = () => box.replaceChildren(h('button', { type: 'button', class: 'quiet', testid, onclick: ask }, label));
  function ask() {
    box.replaceChildren(
      h('button', { type: 'button', class: 'primary', testid: `${testid}-sure`, onclick: go }, sure),
      h('button', { type: 'button', class: 'quiet', testid: `${testid}-cancel`, onclick: reset }, t('ptn.cancel')));
    box.firstChild.focus();
  }
  async function go(e) {
    e.target.disabled = true;
    try { await act(); } catch (err) { reset(); onError(err); }
  }
  reset();
  return box;
}
