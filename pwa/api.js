// The API client: the session (tokens in localStorage, so a reload keeps
// the postman signed in for the shift), renewal of the access token before
// it expires or after a 401, and JSON helpers. Every request has a
// deadline (net.js): reads give up after 4 s, uploads after 30 s.
import { timed } from './net.js';

const KEY = 'dk.session';
let session = JSON.parse(localStorage.getItem(KEY) || 'null');
let renewing = null;

// AuthError means the refresh token is gone or refused: sign in again.
export class AuthError extends Error {}

// HTTPError carries a refused request's status and problem detail.
export class HTTPError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const user = () => session?.user || null;
// postman: only a postman has a beat, manifests and an outbox.
export const postman = () => user()?.role === 'postman';
// signedIn: the session can still be renewed.
export const signedIn = () => Boolean(session?.refresh);

function keep(body) {
  session = { access: body.access_token, refresh: body.refresh_token, exp: Date.now() + body.expires_in * 1000, user: body.user };
  localStorage.setItem(KEY, JSON.stringify(session));
}

async function problem(res) {
  try { return await res.json(); } catch { return null; }
}

export async function login(username, password) {
  const res = await timed('/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  }, 10_000);
  if (!res.ok) throw new HTTPError(res.status, await problem(res));
  keep(await res.json());
  return session.user;
}

export async function logout() {
  const s = session;
  session = null;
  localStorage.removeItem(KEY);
  navigator.serviceWorker?.controller?.postMessage('logout');
  if (s) {
    timed('/api/v1/auth/logout', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: s.refresh }),
    }).catch(() => {});
  }
}

// renew trades the refresh token for new tokens, once at a time. A network
// failure is thrown as is (try later); a refusal ends the session.
function renew() {
  renewing ||= (async () => {
    if (!session) throw new AuthError('signed out');
    const res = await timed('/api/v1/auth/refresh', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: session.refresh }),
    }, 6000);
    if (res.status === 400 || res.status === 401) {
      session = { ...session, access: '', refresh: '' };
      localStorage.setItem(KEY, JSON.stringify(session));
      throw new AuthError('session ended');
    }
    if (!res.ok) throw new HTTPError(res.status, await problem(res));
    keep(await res.json());
  })().finally(() => { renewing = null; });
  return renewing;
}

// call sends an authorised request, renewing the access token first when
// it is about to expire and once more after a 401; it gives up after ms.
export async function call(path, opts = {}, ms = 4000) {
  if (!session?.refresh) throw new AuthError('signed out');
  if (Date.now() > session.exp - 30_000) await renew();
  const send = () => timed(path, { ...opts, headers: { ...opts.headers, Authorization: `Bearer ${session.access}` } }, ms);
  let res = await send();
  if (res.status === 401) {
    await renew();
    res = await send();
    if (res.status === 401) throw new AuthError('refused');
  }
  return res;
}

// getJSON fetches and decodes, throwing HTTPError on a refusal.
export async function getJSON(path, headers) {
  const res = await call(path, { headers });
  if (res.status === 304) return null;
  if (!res.ok) throw new HTTPError(res.status, await problem(res));
  return { body: await res.json(), etag: res.headers.get('ETag'), cached: res.headers.get('X-Dakiya-Cached') === '1' };
}

export { problem };
