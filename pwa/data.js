// The postman's data: manifests (kept in IndexedDB, refreshed with ETags
// when online), each article's local outcome and the UPI links for cash on
// delivery, fetched while online and rebuilt offline from the payee.
import * as db from './db.js';
import { getJSON, AuthError } from './api.js';
import { upiPayee, upiURI } from './check.js';

// today is the phone's date, YYYY-MM-DD.
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// refresh asks the server for the postman's manifests; offline it keeps
// what is stored. It reports whether the network answered.
export async function refresh() {
  let list;
  try {
    const got = await getJSON('/api/v1/me/manifests');
    if (got.cached) return false; // the service worker answered: we are offline
    list = got.body;
  } catch (err) {
    if (err instanceof AuthError) throw err;
    return false;
  }
  list = list.filter((m) => m.date >= today());
  await db.put('kv', list, 'summaries');
  for (const s of list) {
    const kept = await db.get('kv', `m:${s.id}`);
    if (kept && kept.body.version === s.version) continue;
    const got = await getJSON(`/api/v1/manifests/${s.id}`, kept ? { 'If-None-Match': kept.etag } : {});
    if (got) await db.put('kv', got, `m:${s.id}`);
  }
  await fetchUPI(list);
  await db.put('kv', Date.now(), 'manifestsAt');
  return true;
}

async function fetchUPI(list) {
  for (const s of list) {
    const m = await manifest(s.id);
    for (const a of (m?.stops || []).flatMap((st) => st.articles)) {
      if (a.cod_paise <= 0 || a.upi_uri || (await db.get('kv', `upi:${a.id}`))) continue;
      try {
        const got = await getJSON(`/api/v1/articles/${a.id}/upi`);
        await db.put('kv', got.body.uri, `upi:${a.id}`);
        await db.put('kv', upiPayee(got.body.uri), 'payee');
      } catch (err) {
        if (err instanceof AuthError) throw err;
      }
    }
  }
}

export const summaries = async () => (await db.get('kv', 'summaries')) || [];
export const manifest = async (id) => (await db.get('kv', `m:${id}`))?.body || null;

// upiLink is the article's link from the server, or one built here from
// the centre's payee when only another article's link was fetched.
export async function upiLink(a) {
  if (a.upi_uri) return a.upi_uri;
  const kept = await db.get('kv', `upi:${a.id}`);
  if (kept) return kept;
  const p = await db.get('kv', 'payee');
  return p ? upiURI(p.vpa, p.name, a.cod_paise, `COD ${a.id}`, a.id) : '';
}

// doneMap maps article ids to their local outcome.
export async function doneMap() {
  return new Map((await db.all('done')).map((d) => [d.article_id, d]));
}

// progress counts a manifest's articles by local outcome.
export function progress(m, done) {
  const c = { delivered: 0, failed: 0, pending: 0 };
  for (const a of (m?.stops || []).flatMap((s) => s.articles)) c[done.get(a.id)?.outcome || 'pending'] += 1;
  return c;
}

// forget clears the signed-out postman's data, keeping unsent work.
export async function forget() {
  await db.clear('kv');
}
