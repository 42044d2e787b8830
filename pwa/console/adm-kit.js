// What the admin sub-screens share: a sub-screen's frame under the admin
// heading, and a form that sends itself, says what happened and shows the
// server's (or its own) refusal with each wrong field marked.
import { h } from '../ui.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { problemBox, status } from './kit.js';

// sub is a sub-screen: its h3 heading and content.
export const sub = (testid, title, ...kids) =>
  h('section', { testid, 'aria-labelledby': `${testid}-h`, class: 'adm-sub' }, h('h3', { id: `${testid}-h` }, title), ...kids);

// invalid is a refusal found before sending: errors [{field, message}]
// shown as the server's would be.
export function invalid(errors) {
  return new api.HTTPError(400, { detail: t('adm.err.form'), errors });
}

// refused explains a failure in a problem box; a session that has ended
// goes back to sign-in instead.
export function refused(err) {
  if (err instanceof api.AuthError) { location.replace('/#/login'); return null; }
  return problemBox(err);
}

// mark sets aria-invalid on the controls whose name a field error names
// (windows.morning marks windows.morning.start and .end too) and focuses the first.
function mark(form, errors) {
  const bad = [];
  for (const c of form.querySelectorAll('[name]')) {
    const wrong = errors.some((e) => c.name === e.field || c.name.startsWith(`${e.field}.`));
    if (wrong) c.setAttribute('aria-invalid', 'true'); else c.removeAttribute('aria-invalid');
    if (wrong) bad.push(c);
  }
  bad[0]?.focus();
}

// form builds a form of kids with a submit button; onsubmit(form) does the
// work and returns what to say (or throws a refusal, shown with the field
// errors marked). testid names the form, its button (-submit), its status
// (-status) and its problem box (-problem).
export function form(testid, label, kids, onsubmit) {
  const say = status(`${testid}-status`);
  const trouble = h('div', { testid: `${testid}-problem` });
  const submit = h('button', { type: 'submit', class: 'primary', testid: `${testid}-submit` }, label);
  const el = h('form', { testid, class: 'adm-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    trouble.replaceChildren();
    say.say('');
    submit.disabled = true;
    try {
      const msg = await onsubmit(el);
      mark(el, []);
      say.say(msg || '');
    } catch (err) {
      trouble.replaceChildren(refused(err) || '');
      mark(el, err?.problem?.errors || []);
    } finally {
      submit.disabled = false;
    }
  } }, kids, h('div', { class: 'row' }, submit), say, trouble);
  return el;
}

let said = '';

// flash keeps what to say after the screen is drawn again (ctx.render).
export const flash = (msg) => { said = msg; };

// flashed says, once, what flash kept (or is null).
export function flashed() {
  const msg = said;
  said = '';
  return msg ? h('p', { role: 'status', class: 'status', testid: 'adm-flash' }, msg) : null;
}

// value reads a named control of a form, trimmed.
export const value = (form, name) => (form.elements.namedItem(name)?.value ?? '').trim();
