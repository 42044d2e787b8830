// The console's review queue: the centre's outcomes of the chosen date and
// slot, flagged ones first, each shown with the reasons for its flags, its
// photo and signature, the distance from the address, the code, the money,
// who delivered it and who has seen its proofs; approved or rejected with
// a note. Built for speed: j/k move, a approves, r rejects (the note, then
// Enter), ? shows the keys; moving redraws only the item pane and marks two
// rows, the next items' images are fetched ahead, and a decision is shown
// at once while it is saved.
import { h, button } from '../ui.js';
import { t } from '../i18n.js';
import { section, getJSON, getAll, send, problemBox, status, field } from './kit.js';
import { loader, flagList, flagWords, stateWord, proofs, place, facts, reviews, views } from './rev-item.js';

const PAGE = 100; // outcomes fetched at a time (?limit= in the address for another size)
const AHEAD = 3; // items fetched ahead of the one shown
const SHOWS = ['pending', 'flagged', 'all'];

// query is the list's address for the screen's scope and choice, and a
// page's cursor.
function query(ctx, show, next) {
  const size = Math.min(Math.max(Number(ctx.query.get('limit')) || PAGE, 1), 1000);
  const q = new URLSearchParams({ date: ctx.date, slot: ctx.slot, limit: size });
  if (show === 'flagged') q.set('flagged', 'true');
  if (show === 'pending') q.set('review', 'pending');
  if (next) q.set('next', next);
  return `/api/v1/dcs/${encodeURIComponent(ctx.dc)}/deliveries?${q}`;
}

// staffNames maps user ids to names (ids when the list cannot be read).
async function staffNames(ctx) {
  const path = ctx.admin ? `/api/v1/users?dc_id=${encodeURIComponent(ctx.dc)}` : '/api/v1/users';
  const list = await getAll(path).catch(() => null);
  const byID = new Map([[ctx.user.id, ctx.user.name || ctx.user.username], ...(list?.items || []).map((u) => [u.id, u.name || u.username])]);
  return (id) => byID.get(id) || id;
}

// screen draws the review queue.
export async function screen(ctx) {
  const show = SHOWS.includes(ctx.query.get('show')) ? ctx.query.get('show') : 'pending';
  const [list, names] = await Promise.all([getJSON(query(ctx, show)), staffNames(ctx)]);
  const items = list?.items || [];
  const picker = field(t('rev.show'), h('select', { testid: 'rev-show', onchange: (e) => ctx.go(`#/review?show=${e.target.value}`) },
    SHOWS.map((s) => h('option', { value: s, selected: s === show }, t(`rev.show.${s}`)))));
  const count = h('p', { testid: 'rev-count' });
  const head = h('div', { class: 'row rev-bar' }, picker, count);
  if (!items.length) return section('screen-review', t('con.nav.review'), head, h('p', { testid: 'rev-empty' }, t('rev.empty')));
  const queue = new Queue(ctx, items, names, { next: list.next, more: (next) => getJSON(query(ctx, show, next)), count });
  head.append(button('rev-keys', t('rev.keys'), () => queue.help()));
  return section('screen-review', t('con.nav.review'), head, queue.el);
}

// Queue is the list and the pane, and the keys that drive them.
class Queue {
  constructor(ctx, items, names, paging) {
    Object.assign(this, { ctx, items: [], names, paging, at: -1, rows: new Map(), load: loader(), viewsFor: null, fetching: null });
    this.live = status('rev-live');
    this.problem = h('div', { testid: 'rev-problem', 'aria-live': 'assertive' });
    this.list = h('ol', { class: 'rev-list', testid: 'rev-list' });
    this.more = button('rev-more', t('rev.more'), () => this.fetchMore(), 'quiet');
    this.pane = h('article', { class: 'rev-pane', testid: 'rev-item', 'aria-labelledby': 'rev-item-h' });
    this.dialog = keysDialog();
    this.el = h('div', {}, this.live, this.problem, h('div', { class: 'rev-layout' },
      h('nav', { class: 'rev-side', 'aria-label': t('rev.list') }, this.list, this.more), this.pane), this.dialog);
    this.add(items);
    this.onKey = (e) => this.key(e);
    document.addEventListener('keydown', this.onKey);
    ctx.onLeave(() => { document.removeEventListener('keydown', this.onKey); this.load.clear(); clearTimeout(this.viewsFor); });
    this.show(0, false);
  }

  // add appends a page of outcomes to the list, drawing only their rows.
  add(items) {
    const from = this.items.length;
    this.items.push(...items);
    this.list.append(...items.map((d, i) => this.row(d, from + i)));
    this.more.hidden = !this.paging.next;
    const f = this.items.filter((d) => d.flags.length).length;
    this.paging.count.textContent = [t('rev.count', { n: this.items.length, f }), this.paging.next ? t('rev.count.more') : ''].join(' ').trim();
  }

  // fetchMore fetches the next page with the list's cursor (once at a time).
  fetchMore() {
    if (!this.paging.next) return Promise.resolve();
    this.fetching ||= this.paging.more(this.paging.next).then((page) => {
      this.paging.next = page?.next || '';
      this.add(page?.items || []);
    }).catch((err) => this.problem.replaceChildren(problemBox(err))).finally(() => { this.fetching = null; });
    return this.fetching;
  }

  row(d, i) {
    const state = h('span', { class: `rev-state ${d.review}`, testid: `rev-row-state-${d.id}` }, stateWord(d.review));
    const b = h('button', { type: 'button', class: 'rev-row', testid: `rev-row-${d.id}`, 'data-flagged': d.flags.length > 0,
      onclick: () => this.show(i, false) },
    h('span', { class: 'mono' }, d.article_id),
    d.flags.length ? h('span', { class: 'rev-flagmark' }, flagWords(d.flags[0])[0], d.flags.length > 1 ? ` +${d.flags.length - 1}` : '') : null,
    state);
    const li = h('li', {}, b);
    this.rows.set(d.id, { li, b, state });
    return li;
  }

  // show makes item i the one under review; focus moves to its heading
  // when asked (keys), and the live region says which one it is.
  show(i, focus = true) {
    if (i >= this.items.length - AHEAD - 1) this.fetchMore();
    if (i < 0 || i >= this.items.length) return;
    const was = this.items[this.at];
    if (was) this.rows.get(was.id).b.removeAttribute('aria-current');
    this.at = i;
    const d = this.items[i];
    const row = this.rows.get(d.id);
    row.b.setAttribute('aria-current', 'true');
    row.li.scrollIntoView({ block: 'nearest' });
    this.draw(d, focus);
    this.live.say(t('rev.shown', { i: i + 1, n: this.items.length, article: d.article_id,
      flags: d.flags.length ? d.flags.map((f) => flagWords(f)[0]).join(', ') : t('rev.noflags'), state: stateWord(d.review) }));
    const keep = new Set(this.items.slice(Math.max(0, i - 1), i + AHEAD + 1).map((x) => x.id));
    this.load.keep(keep);
    this.items.slice(i + 1, i + AHEAD + 1).forEach((x) => this.load.load(x));
  }

  // draw fills the pane with item d: what the list knows at once, the
  // rest when its article and images have come.
  draw(d, focus) {
    const heading = h('h3', { id: 'rev-item-h', tabindex: -1, testid: 'rev-item-title' }, d.article_id, ' ',
      h('span', { class: `rev-state ${d.review}`, testid: 'rev-state' }, stateWord(d.review)));
    const body = h('div', { class: 'rev-body', testid: 'rev-body' }, h('p', {}, t('rev.loading')));
    const seen = h('section', { 'aria-labelledby': 'rev-views-h' }, h('h4', { id: 'rev-views-h' }, t('rev.views')));
    this.note = h('input', { type: 'text', testid: 'rev-note', maxlength: 1000, autocomplete: 'off',
      onkeydown: (e) => this.noteKey(e) });
    const form = h('div', { class: 'rev-decide' },
      field(t('rev.note'), this.note, t('rev.note.hint')),
      h('div', { class: 'row' },
        button('rev-approve', t('rev.approve'), () => this.decide('approved'), 'primary'),
        button('rev-reject', t('rev.reject'), () => this.decide('rejected'))));
    this.pane.replaceChildren(heading, flagList(d), body, form, reviews(d, this.names), seen);
    this.pane.dataset.delivery = d.id;
    if (focus) heading.focus();
    const fill = (data) => {
      if (this.items[this.at] !== d) return;
      body.replaceChildren(...(data.article.error ? [problemBox(data.article.error)] : [
        h('div', { class: 'rev-media' }, proofs(d, data), place(d, data.article)), facts(d, data.article, this.names)]));
      body.dataset.ready = 'true';
      clearTimeout(this.viewsFor);
      this.viewsFor = setTimeout(() => this.seen(d, seen), 250);
    };
    const ready = this.load.ready(d.id);
    if (ready) fill(ready); else this.load.load(d).then(fill);
  }

  // seen lists the proof's views once the supervisor has stayed on it.
  async seen(d, box) {
    if (this.items[this.at] !== d || !d.proof_ids.length) return;
    const kinds = new Map((this.load.ready(d.id)?.images || []).map((i) => [i.id, i.kind]));
    const got = await views(d, (id) => kinds.get(id)).catch((err) => problemBox(err));
    if (this.items[this.at] === d) box.replaceChildren(box.firstChild, got);
  }

  // decide records a decision on the item shown: shown at once, saved in
  // the background; a refusal puts the row back and explains.
  decide(decision) {
    const d = this.items[this.at];
    if (!d) return;
    const note = this.note.value.trim();
    if (decision === 'rejected' && !note) {
      this.note.focus();
      this.live.say(t('rev.needNote'), true);
      return;
    }
    const row = this.rows.get(d.id);
    const before = d.review;
    this.mark(d, 'saving');
    this.problem.replaceChildren();
    send('POST', `/api/v1/deliveries/${encodeURIComponent(d.id)}/review`, { decision, note })
      .then((got) => {
        Object.assign(d, got);
        this.mark(d, got.review);
        if (this.items[this.at] === d) this.draw(d, this.pane.contains(document.activeElement));
      })
      .catch((err) => {
        this.mark(d, before);
        const i = this.items.indexOf(d);
        this.problem.replaceChildren(h('div', {}, h('p', { class: 'error' }, t('rev.failed', { article: d.article_id })), problemBox(err),
          button('rev-back', t('rev.back', { article: d.article_id }), () => this.show(i))));
      });
    row.b.dataset.decided = decision;
    const next = this.at + 1;
    if (next < this.items.length) this.show(next);
    else this.pane.querySelector('h3').focus();
    this.live.say(`${t(decision === 'approved' ? 'rev.done.approved' : 'rev.done.rejected', { article: d.article_id })} ${next < this.items.length ? this.live.textContent : t('rev.end')}`);
  }

  mark(d, state) {
    const row = this.rows.get(d.id);
    row.state.className = `rev-state ${state}`;
    row.state.textContent = stateWord(state);
    if (this.items[this.at] === d) {
      const pill = this.pane.querySelector('[data-testid=rev-state]');
      pill.className = `rev-state ${state}`;
      pill.textContent = stateWord(state);
    }
  }

  noteKey(e) {
    if (e.key === 'Enter') { e.preventDefault(); this.decide('rejected'); }
    if (e.key === 'Escape') { e.preventDefault(); this.pane.querySelector('h3').focus(); }
  }

  help() {
    if (this.dialog.open) this.dialog.close(); else this.dialog.showModal();
  }

  // key runs a shortcut, never while typing in a field or with a modifier.
  key(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || !this.pane.isConnected) return;
    const tag = e.target?.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.target?.isContentEditable) return;
    if (this.dialog.open && e.key !== '?') return;
    const run = { j: () => this.show(this.at + 1), k: () => this.show(this.at - 1), a: () => this.decide('approved'),
      r: () => this.note.focus(), '?': () => this.help() }[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  }
}

// keysDialog lists the shortcuts.
function keysDialog() {
  const dlg = h('dialog', { class: 'rev-keys', testid: 'rev-keys-dialog', 'aria-labelledby': 'rev-keys-h' });
  const keys = [['j', t('rev.keys.j')], ['k', t('rev.keys.k')], ['a', t('rev.keys.a')], ['r', t('rev.keys.r')],
    ['Esc', t('rev.keys.esc')], ['?', t('rev.keys.help')]];
  dlg.append(h('h3', { id: 'rev-keys-h' }, t('rev.keys.title')),
    h('dl', {}, keys.map(([k, what]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)])),
    button('rev-keys-close', t('rev.keys.close'), () => dlg.close(), 'primary'));
  return dlg;
}
