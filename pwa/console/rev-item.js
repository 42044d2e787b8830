// One outcome under review: what it needs from the API (its article, its
// proof images fetched through the API and held as blob: URLs), fetched
// ahead for the next few so moving on is instant and released when far
// behind; and its drawing: flags in words, the photo and signature, the
// distance map, the code, the money, who and when, reviews and views.
import { h } from '../ui.js';
import { t, date, time, money } from '../i18n.js';
import { getJSON, getAll, fetchBlob, problemBox } from './kit.js';
import { distanceMap, metres, span } from './rev-map.js';

// FLAGS says each flag the server sets in words: a title and why.
const FLAGS = {
  otp_mismatch: () => [t('rev.flag.otp_mismatch'), t('rev.flag.otp_mismatch.why')],
  otp_bypassed: () => [t('rev.flag.otp_bypassed'), t('rev.flag.otp_bypassed.why')],
  far_from_address: () => [t('rev.flag.far_from_address'), t('rev.flag.far_from_address.why')],
  missing_proof: () => [t('rev.flag.missing_proof'), t('rev.flag.missing_proof.why')],
  clock_skew: () => [t('rev.flag.clock_skew'), t('rev.flag.clock_skew.why')],
  cod_short: () => [t('rev.flag.cod_short'), t('rev.flag.cod_short.why')],
  no_location: () => [t('rev.flag.no_location'), t('rev.flag.no_location.why')],
  upi_unconfirmed: () => [t('rev.flag.upi_unconfirmed'), t('rev.flag.upi_unconfirmed.why')],
  stale_fix: () => [t('rev.flag.stale_fix'), t('rev.flag.stale_fix.why')],
};

// flagWords is a flag's title and explanation (the code itself when the
// server sets one this console does not know yet).
export const flagWords = (code) => (FLAGS[code] ? FLAGS[code]() : [code, '']);

// stateWord is a review state in words.
export function stateWord(state) {
  return { pending: t('rev.state.pending'), approved: t('rev.state.approved'), rejected: t('rev.state.rejected'),
    saving: t('rev.state.saving') }[state] || state;
}

const when = (at) => `${date(at)} ${time(at)}`;

async function decoded(url) {
  const img = new Image();
  img.src = url;
  await img.decode().catch(() => {});
}

// loader fetches items ahead and keeps their images as blob: URLs until
// keep() no longer names them.
export function loader() {
  const cache = new Map();
  const manifests = new Map(); // manifest id → its articles' code groups, fetched once
  const groups = (id) => {
    if (!manifests.has(id)) {
      manifests.set(id, getJSON(`/api/v1/manifests/${encodeURIComponent(id)}`)
        .then((m) => new Map((m?.stops || []).flatMap((st) => st.articles.map((a) => [a.id, a.otp_group || '']))))
        .catch(() => new Map()));
    }
    return manifests.get(id);
  };
  async function fetchItem(d, e) {
    const [article, codes] = await Promise.all([
      getJSON(`/api/v1/articles/${encodeURIComponent(d.article_id)}`).catch((err) => ({ error: err })), groups(d.manifest_id)]);
    const group = codes.get(d.article_id);
    article.household = group ? [...codes.values()].filter((g) => g === group).length : 0;
    const kinds = new Map((article.proofs || []).map((p) => [p.id, p.kind]));
    const images = await Promise.all(d.proof_ids.map(async (id) => {
      const kind = kinds.get(id) || 'photo';
      try {
        const url = URL.createObjectURL(await fetchBlob(`/api/v1/proofs/${encodeURIComponent(id)}/content?stream=1`, 'image/*'));
        if (e.dropped) { URL.revokeObjectURL(url); return { id, kind }; }
        e.urls.push(url);
        await decoded(url);
        return { id, kind, url };
      } catch (error) {
        return { id, kind, error };
      }
    }));
    e.data = { article, images, failed: Boolean(article.error) || images.some((i) => i.error) };
    return e.data;
  }
  function drop(id, e) {
    e.dropped = true;
    e.urls.forEach((u) => URL.revokeObjectURL(u));
    cache.delete(id);
  }
  return {
    // load fetches (once) an outcome's article and images.
    load(d) {
      let e = cache.get(d.id);
      if (e?.data?.failed) { // a failure is shown once, then fetched again
        drop(d.id, e);
        e = null;
      }
      if (!e) {
        e = { urls: [] };
        e.done = fetchItem(d, e);
        cache.set(d.id, e);
      }
      return e.done;
    },
    // ready is an outcome's data when it has come whole, else null.
    ready: (id) => (cache.get(id)?.data?.failed ? null : cache.get(id)?.data || null),
    // keep releases every outcome not in ids.
    keep(ids) { for (const [id, e] of [...cache]) if (!ids.has(id)) drop(id, e); },
    // clear releases everything.
    clear() { for (const [id, e] of [...cache]) drop(id, e); },
  };
}

// flagList draws an outcome's flags, each with its reason in words.
export function flagList(d) {
  if (!d.flags.length) return h('p', { testid: 'rev-noflags', class: 'rev-ok' }, t('rev.noflags'));
  return h('ul', { class: 'rev-flags', testid: 'rev-flags' }, d.flags.map((f) => {
    const [title, why] = flagWords(f);
    if (!why) return h('li', { testid: `rev-flag-${f}` }, h('strong', {}, title));
    const [before, after] = t('rev.flag.line', { title: '\u0000', why }).split('\u0000');
    return h('li', { testid: `rev-flag-${f}` }, before, h('strong', {}, title), after);
  }));
}

function proofFigure(d, img) {
  const label = img.kind === 'signature' ? t('rev.signature') : t('rev.photo');
  const alt = img.kind === 'signature' ? t('rev.signature.alt', { article: d.article_id }) : t('rev.photo.alt', { article: d.article_id });
  return h('figure', { class: `rev-proof rev-${img.kind}` },
    img.url ? h('img', { src: img.url, alt, testid: `rev-${img.kind}`, 'data-proof': img.id }) : problemBox(img.error),
    h('figcaption', {}, label));
}

// proofs draws the photo and signature (photos first).
export function proofs(d, data) {
  if (!data.images.length) return h('p', { testid: 'rev-noproof' }, t('rev.noproof'));
  const order = [...data.images].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'photo' ? -1 : 1));
  return h('div', { class: 'rev-proofs' }, order.map((img) => proofFigure(d, img)));
}

// place draws where the outcome was recorded against the address.
export function place(d, article) {
  const r = article.recipient || {};
  const fix = d.location;
  if (!fix) return h('p', { testid: 'rev-distance' }, t('rev.nofix'));
  if (r.lat == null) return h('p', { testid: 'rev-distance' }, t('rev.nohome', { lat: fix.lat.toFixed(5), lon: fix.lon.toFixed(5) }));
  const home = { lat: r.lat, lon: r.lon };
  const m = metres(home, fix);
  return h('figure', { class: 'rev-place' }, distanceMap(home, fix),
    h('figcaption', { testid: 'rev-distance', 'data-metres': Math.round(m) },
      t('rev.map.label', { d: span(m) }), fix.accuracy_m ? ` · ${t('rev.accuracy', { d: span(fix.accuracy_m) })}` : ''));
}

// otpStatus says how the recipient was identified (household: how many
// articles shared the code).
export function otpStatus(d, household = 0) {
  if (d.outcome === 'failed') return t('rev.otp.failed');
  if (d.flags.includes('otp_mismatch')) return t('rev.otp.mismatch');
  const ev = d.id_evidence;
  if (ev) return t('rev.otp.fallback', { type: ev.type, last4: ev.last4, name: ev.received_by });
  if (d.otp_given && household > 1) return t('rev.otp.group', { n: household });
  return d.otp_given ? t('rev.otp.verified') : t('rev.otp.none');
}

// moneyText says what was collected against what was due.
export function moneyText(d, article) {
  const due = money(article.cod_paise || 0);
  const c = d.cod;
  if (!c) return article.cod_paise > 0 && d.outcome === 'delivered' ? t('rev.money.none', { due }) : t('rev.money.prepaid');
  const amount = money(c.amount_paise || 0);
  if (c.mode === 'cash') return t('rev.money.cash', { amount, due });
  return c.upi_ref ? t('rev.money.upi', { amount, due, ref: c.upi_ref }) : t('rev.money.upiNoRef', { amount, due });
}

function fact(label, value, testid) {
  return [h('dt', {}, label), h('dd', { testid }, value)];
}

// facts lists the outcome, the code, the money, who and when.
export function facts(d, article, names) {
  const outcome = d.outcome === 'delivered' ? t('rev.outcome.delivered') : t('rev.outcome.failed', { reason: t(`reason.${d.reason_code}`) });
  const r = article.recipient || {};
  return h('dl', { class: 'rev-facts' },
    fact(t('rev.outcome'), outcome, 'rev-outcome'),
    fact(t('rev.recipient'), `${r.name || ''} · ${r.address || ''} ${r.pin || ''}`, 'rev-recipient'),
    fact(t('rev.otp'), otpStatus(d, article.household), 'rev-otp'),
    fact(t('rev.money'), moneyText(d, article), 'rev-cod'),
    fact(t('rev.who'), t('rev.who.value', { name: names(d.postman_id), when: when(d.captured_at) }), 'rev-who'),
    d.opened_at ? fact(t('rev.opened'), when(d.opened_at), 'rev-opened') : null,
    fact(t('rev.round'), `${date(d.date)} · ${t(`slot.${d.slot}`)}`, 'rev-round'));
}

// reviews lists every decision taken on the outcome so far.
export function reviews(d, names) {
  if (!d.reviews.length) return null;
  return h('ol', { class: 'rev-history', testid: 'rev-history' }, d.reviews.map((r) => h('li', {},
    t('rev.review.line', { decision: stateWord(r.decision), name: names(r.reviewer_id), when: when(r.at) }),
    r.note ? h('q', {}, r.note) : null)));
}

// views fetches and lists who has seen the outcome's proofs, newest first
// (kindOf names a proof's kind: photo or signature).
export async function views(d, kindOf) {
  const lists = await Promise.all(d.proof_ids.map((id) => getAll(`/api/v1/proofs/${encodeURIComponent(id)}/views`)));
  const all = lists.flatMap((l) => l?.items || []).sort((a, b) => (a.at < b.at ? 1 : -1));
  if (!all.length) return h('p', { testid: 'rev-views' }, t('rev.views.none'));
  const shown = all.slice(0, 5);
  return h('div', { testid: 'rev-views', 'data-count': all.length },
    h('ul', { class: 'rev-views' }, shown.map((v) => h('li', { testid: 'rev-view' },
      t('rev.views.line', { name: v.viewer.name, role: roleWord(v.viewer.role), when: when(v.at),
        what: v.what !== 'content' ? t('rev.what.metadata') : kindOf(v.proof_id) === 'signature' ? t('rev.signature') : t('rev.photo') })))),
    all.length > shown.length ? h('p', {}, t('rev.views.more', { n: all.length - shown.length })) : null);
}

function roleWord(role) {
  return { postman: t('rev.role.postman'), supervisor: t('rev.role.supervisor'), admin: t('rev.role.admin') }[role] || role;
}
