// The outbox: every action at the door is saved here (IndexedDB) before
// anything else, then sent in order with its UUID as the Idempotency-Key —
// proofs first, then the outcome that names them. Retries back off and
// resume on `online`, at start, when the app becomes visible and on a
// timer. A final refusal (a 4xx, 423 locked, or a 409 saying the action
// already happened) stays, with what the server said, until the postman
// fixes or discards it; anything else is tried again.
import * as db from './db.js';
import { call, problem, AuthError, postman } from './api.js';
import { final, ALREADY_DONE } from './check.js';

const listeners = new Set();
let running = false;
let needLogin = false;

export const onChange = (fn) => listeners.add(fn);
const changed = () => listeners.forEach((fn) => fn());

// final and ALREADY_DONE (check.js) decide which refusals stop retrying.
export { final, ALREADY_DONE };

export async function items() {
  return (await db.all('outbox')).sort((a, b) => a.seq - b.seq);
}

// blocked lists the outcomes that wait on a refused proof: they cannot go
// until the postman retries or discards that proof.
export function blocked(list) {
  const refused = new Set(list.filter((i) => i.state === 'error').map((i) => i.id));
  return new Set(list.filter((i) => i.state === 'pending' && i.deps.some((d) => refused.has(d))).map((i) => i.id));
}

// stats counts what waits, what needs the postman (refused, or blocked by
// a refusal), the articles synced, and when the last sync was.
export async function stats() {
  const list = await items();
  const stuck = blocked(list);
  return {
    pending: list.filter((i) => i.state === 'pending' && !stuck.has(i.id)).length,
    errors: list.filter((i) => i.state === 'error' || stuck.has(i.id)).length,
    done: (await db.all('done')).filter((d) => d.synced).length,
    lastSync: (await db.get('kv', 'lastSync')) || null,
    needLogin,
  };
}

// stopOf names the stop an item was captured at, from its manifest, so
// the sync screen can say where even after the article left the manifest.
async function stopOf(it) {
  const m = (await db.get('kv', `m:${it.manifest_id}`))?.body;
  const s = m?.stops.find((x) => x.articles.some((a) => a.id === it.article_id));
  return s ? { id: s.stop_id, name: s.recipient_name, address: s.address } : null;
}

// save stores a delivery's or attempt's items and its done marks at once.
export async function save(list, marks) {
  for (const it of list) it.stop ||= await stopOf(it);
  await db.putAll(list, marks);
  changed();
  drain();
}

// retry sends a refused item again; for an outcome blocked by a refused
// proof, that proof.
export async function retry(id) {
  const list = await items();
  const it = list.find((i) => i.id === id);
  if (!it) return;
  for (const x of [it, ...list.filter((i) => it.deps.includes(i.id))]) {
    if (x.state !== 'error') continue;
    Object.assign(x, { state: 'pending', next_at: 0, error: null });
    await db.put('outbox', x);
  }
  changed();
  drain();
}

// discard drops an item; an outcome also drops its proofs, a proof also
// the outcome waiting on it, and a discarded outcome's article is pending
// again, unless the server said it already has its outcome.
export async function discard(id) {
  const it = await db.get('outbox', id);
  if (!it) return;
  if (it.type === 'proof') {
    for (const o of (await items()).filter((i) => i.deps.includes(id))) await discard(o.id);
  }
  if (it.type === 'outcome') {
    for (const d of it.deps) await db.del('outbox', d);
    if (it.error?.type !== ALREADY_DONE) await db.del('done', it.article_id);
  }
  await db.del('outbox', id);
  changed();
}

const backoff = (tries) => Math.min(300_000, 2000 * 2 ** tries) * (0.75 + Math.random() / 2);

// drain sends what is due; one pass at a time.
export async function drain(now = false) {
  if (running || !postman()) return;
  running = true;
  try {
    const list = await items();
    if (now) list.forEach((i) => { i.next_at = 0; });
    const byID = new Map(list.map((i) => [i.id, i]));
    for (const it of list) {
      if (it.state !== 'pending' || it.next_at > Date.now()) continue;
      const deps = it.deps.map((d) => byID.get(d)).filter(Boolean);
      if (deps.some((d) => d.state !== 'sent')) continue; // proofs first
      if (!(await send(it, deps))) break;
    }
    needLogin = false;
  } catch (err) {
    if (err instanceof AuthError) needLogin = true;
  } finally {
    running = false;
    changed();
  }
}

// send sends one item; false stops the pass (no network).
async function send(it, deps) {
  let res;
  try {
    res = await call(it.type === 'proof' ? '/api/v1/proofs' : '/api/v1/deliveries', request(it, deps), 30_000);
  } catch (err) {
    if (err instanceof AuthError) throw err;
    it.tries += 1;
    it.next_at = Date.now() + backoff(it.tries);
    await db.put('outbox', it);
    return false;
  }
  if (res.ok) {
    it.state = 'sent';
    it.result = await res.json();
    await db.put('outbox', it);
    await db.put('kv', Date.now(), 'lastSync');
    if (it.type === 'outcome') {
      await db.put('done', { article_id: it.article_id, outcome: it.body.outcome, synced: true, flags: it.result.flags || [] });
      for (const d of deps) await db.del('outbox', d.id);
      await db.del('outbox', it.id);
    }
    return true;
  }
  const p = await problem(res);
  if (final(res.status, p?.type)) {
    Object.assign(it, { state: 'error', error: { status: res.status, type: p?.type || '', detail: p?.detail || p?.title || '',
      errors: p?.errors || [], outcome: p?.outcome ?? null, reason: p?.reason || '', at: p?.at || '', tz: p?.time_zone || '' } });
  } else {
    it.tries += 1;
    const after = Number(res.headers.get('Retry-After')) * 1000;
    it.next_at = Date.now() + Math.max(after || 0, backoff(it.tries));
  }
  await db.put('outbox', it);
  return true;
}

function request(it, deps) {
  const headers = { 'Idempotency-Key': it.id, 'Dakiya-Device-Time': new Date().toISOString() };
  if (it.type === 'proof') {
    const f = new FormData();
    f.append('article_id', it.article_id);
    f.append('kind', it.kind);
    f.append('file', it.blob, it.kind === 'signature' ? 'signature.png' : 'photo.jpg');
    return { method: 'POST', headers, body: f };
  }
  const body = { ...it.body, proof_ids: deps.map((d) => d.result.id) };
  return { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

// start resumes sending at start, when back online, when visible and on a
// timer.
export function start() {
  addEventListener('online', () => drain(true));
  document.addEventListener('visibilitychange', () => { if (!document.hidden) drain(); });
  setInterval(drain, 20_000);
  drain();
}
