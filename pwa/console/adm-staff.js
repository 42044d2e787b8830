// Admin › staff: who works where, in which role, and who is disabled. An
// admin sees everyone (or one centre's staff), adds staff, disables and
// enables them, resets a password and changes a role; a supervisor sees
// their centre's staff and may only disable or enable its postmen.
import { h } from '../ui.js';
import { t } from '../i18n.js';
import { getAll, send, table, field, status } from './kit.js';
import { sub, form, value, invalid, refused } from './adm-kit.js';

const ROLES = ['postman', 'supervisor', 'sorter', 'admin'];

// view draws the staff list and, for an admin, the form to add someone.
export async function view(ctx) {
  const only = ctx.admin ? ctx.query.get('dc') || '' : '';
  const say = status('adm-staff-status');
  const trouble = h('div', { testid: 'adm-staff-problem' });
  const holder = h('div');
  const refresh = async () => {
    const users = (await getAll(`/api/v1/users${only ? `?dc_id=${encodeURIComponent(only)}` : ''}`))?.items || [];
    holder.replaceChildren(staffTable(ctx, users, act));
  };
  // act runs one change, says how it went and draws the list again.
  const act = async (fn) => {
    trouble.replaceChildren();
    say.say('');
    try {
      const msg = await fn();
      await refresh();
      say.say(msg);
      return true;
    } catch (err) {
      trouble.replaceChildren(refused(err) || '');
      return false;
    }
  };
  await refresh();
  return h('div', { class: 'stack' },
    sub('adm-staff', t('adm.tab.staff'), ctx.admin ? filter(ctx, only) : null, say, trouble, holder),
    ctx.admin ? sub('adm-staff-new', t('adm.staff.new'), newUser(ctx, refresh)) : null);
}

// filter narrows an admin's list to one centre.
function filter(ctx, only) {
  return field(t('adm.staff.filter'), h('select', { testid: 'adm-staff-filter', class: 'adm-auto',
    onchange: (e) => ctx.go(`#/admin/staff${e.target.value ? `?dc=${encodeURIComponent(e.target.value)}` : ''}`) },
  h('option', { value: '' }, t('adm.staff.everyone')),
  ctx.dcs.map((d) => h('option', { value: d.id, selected: d.id === only }, `${d.id} · ${d.name}`))));
}

function staffTable(ctx, users, act) {
  return table([
    { label: t('adm.staff.name'), value: (u) => u.name },
    { label: t('adm.staff.username'), value: (u) => h('code', {}, u.username) },
    { label: t('adm.staff.role'), value: (u) => h('span', { testid: `adm-user-role-${u.username}` }, t(`adm.role.${u.role}`)) },
    { label: t('adm.staff.dc'), value: (u) => u.dc_id || '—' },
    { label: t('adm.staff.state'), value: (u) => h('span', { testid: `adm-user-state-${u.username}`, class: u.disabled ? 'adm-off' : null },
      t(u.disabled ? 'adm.staff.off' : 'adm.staff.on')) },
    { label: t('adm.staff.actions'), value: (u) => actions(ctx, u, act) },
  ], users, { testid: 'adm-staff-table', rowid: (u) => `adm-user-row-${u.username}`, rowclass: (u) => (u.disabled ? 'adm-disabled' : null),
    caption: t('adm.staff.caption', { n: users.length }), empty: t('adm.staff.none') });
}

const patch = (u, body) => send('PATCH', `/api/v1/users/${encodeURIComponent(u.id)}`, body);

// actions are what the signed-in user may do to u: nothing to themselves;
// a supervisor only disables or enables a postman.
function actions(ctx, u, act) {
  if (u.id === ctx.user.id) return h('span', {}, t('adm.staff.you'));
  if (!ctx.admin && u.role !== 'postman') return '—';
  const toggle = h('button', { type: 'button', class: 'quiet', testid: `adm-user-toggle-${u.username}`, onclick: async () => {
    toggle.disabled = true;
    const ok = await act(async () => {
      await patch(u, { disabled: !u.disabled });
      return t(u.disabled ? 'adm.staff.enabled' : 'adm.staff.disabled', { name: u.name });
    });
    if (!ok) toggle.disabled = false;
  } }, t(u.disabled ? 'adm.staff.enable' : 'adm.staff.disable'));
  if (!ctx.admin) return toggle;
  return h('div', { class: 'adm-actions' }, toggle, manage(ctx, u, act));
}

// password makes a 12-letter password without look-alike letters.
function password() {
  const abc = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...crypto.getRandomValues(new Uint8Array(12))].map((b) => abc[b % abc.length]).join('');
}

// manage opens an admin's password reset and change of role for u.
function manage(ctx, u, act) {
  const pw = h('input', { name: 'password', testid: `adm-user-pw-${u.username}`, value: password(), autocomplete: 'off', spellcheck: false, minLength: 10 });
  const dc = h('select', { name: 'dc_id', testid: `adm-user-newdc-${u.username}`, disabled: u.role === 'admin' },
    ctx.dcs.map((d) => h('option', { value: d.id, selected: d.id === (u.dc_id || ctx.dc) }, d.id)));
  const role = h('select', { name: 'role', testid: `adm-user-newrole-${u.username}`, onchange: () => { dc.disabled = role.value === 'admin'; } },
    ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`adm.role.${r}`))));
  const reset = async () => {
    if (pw.value.length < 10) { pw.setAttribute('aria-invalid', 'true'); return act(() => { throw invalid([{ field: 'password', message: t('adm.err.password') }]); }); }
    const secret = pw.value;
    return act(async () => { await patch(u, { password: secret }); return t('adm.staff.pwDone', { name: u.name, pw: secret }); });
  };
  const change = async () => {
    const body = role.value === 'admin' ? { role: 'admin' } : { role: role.value, dc_id: dc.value };
    await act(async () => { await patch(u, body); return t('adm.staff.roleDone', { name: u.name }); });
  };
  return h('details', { class: 'adm-manage', testid: `adm-user-manage-${u.username}` },
    h('summary', {}, t('adm.staff.manage')),
    h('div', { class: 'stack' },
      field(t('adm.staff.newPw'), pw, t('adm.staff.pwHint')),
      h('button', { type: 'button', testid: `adm-user-reset-${u.username}`, onclick: reset }, t('adm.staff.reset')),
      field(t('adm.staff.role'), role), field(t('adm.staff.dc'), dc, t('adm.staff.dcHint')),
      h('button', { type: 'button', testid: `adm-user-setrole-${u.username}`, onclick: change }, t('adm.staff.setRole'))));
}

// newUser is the admin's form to add a member of staff.
function newUser(ctx, refresh) {
  const input = (name, attrs = {}) => h('input', { name, testid: `adm-user-${name}`, autocomplete: 'off', ...attrs });
  const dc = h('select', { name: 'dc_id', testid: 'adm-user-dc_id' }, ctx.dcs.map((d) => h('option', { value: d.id, selected: d.id === ctx.dc }, `${d.id} · ${d.name}`)));
  const role = h('select', { name: 'role', testid: 'adm-user-role', onchange: () => { dc.disabled = role.value === 'admin'; } },
    ROLES.map((r) => h('option', { value: r }, t(`adm.role.${r}`))));
  const kids = h('div', { class: 'adm-grid' },
    field(t('adm.staff.role'), role), field(t('adm.staff.dc'), dc),
    field(t('adm.staff.name'), input('name', { required: true, maxLength: 100 })),
    field(t('adm.staff.username'), input('username', { required: true, spellcheck: false }), t('adm.staff.userHint')),
    field(t('adm.staff.password'), input('password', { required: true, minLength: 10, value: password(), spellcheck: false }), t('adm.staff.pwHint')),
    field(t('adm.staff.locale'), h('select', { name: 'locale', testid: 'adm-user-locale' },
      h('option', { value: 'en' }, 'English'), h('option', { value: 'hi', lang: 'hi' }, 'हिंदी'))));
  return form('adm-user-form', t('adm.staff.add'), kids, async (f) => {
    const body = { role: value(f, 'role'), name: value(f, 'name'), username: value(f, 'username').toLowerCase(),
      password: f.elements.namedItem('password').value, locale: value(f, 'locale') };
    if (body.role !== 'admin') body.dc_id = value(f, 'dc_id');
    check(body);
    const u = await send('POST', '/api/v1/users', body);
    await refresh();
    for (const k of ['name', 'username']) f.elements.namedItem(k).value = '';
    f.elements.namedItem('password').value = password();
    return t('adm.staff.added', { name: u.name, username: u.username, pw: body.password });
  });
}

// check refuses what the server would, before sending.
function check(b) {
  const errors = [];
  if (!b.name) errors.push({ field: 'name', message: t('adm.err.required') });
  if (!/^[a-z][a-z0-9._-]{2,39}$/.test(b.username)) errors.push({ field: 'username', message: t('adm.staff.userHint') });
  if (b.password.length < 10 || b.password.length > 256) errors.push({ field: 'password', message: t('adm.err.password') });
  if (b.role !== 'admin' && !b.dc_id) errors.push({ field: 'dc_id', message: t('adm.err.required') });
  if (errors.length) throw invalid(errors);
}
