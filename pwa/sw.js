// The service worker. The server fills in VERSION (a hash of every file the
// binary embeds) and PRECACHE (the app's files), so each build gets its own
// cache and a new build replaces the old one whole.
const VERSION = "__VERSION__";
const PRECACHE = "__PRECACHE__";
const SHELL = `shell-${VERSION}`;
const DATA = 'data-v1'; // manifests, kept across builds

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(SHELL)
    .then((c) => c.addAll(PRECACHE.map((u) => new Request(u, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('shell-') && k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('message', (ev) => {
  if (ev.data === 'logout') ev.waitUntil(caches.delete(DATA));
});

// isManifest: the postman's manifests, network first with the last copy as
// the fallback.
const isManifest = (p) => p === '/api/v1/me/manifests' || p.startsWith('/api/v1/manifests/');

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin) return;
  if (isManifest(url.pathname)) {
    ev.respondWith(networkFirst(req));
  } else if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/slot/') || url.pathname.startsWith('/console')) {
    return; // the API, the slot page and the supervisor's console go to the network
  } else if (req.mode === 'navigate') {
    const page = url.pathname === '/track' ? '/track.html' : '/index.html';
    ev.respondWith(caches.match(page, { cacheName: SHELL }).then((r) => r || fetch(req)));
  } else {
    ev.respondWith(caches.match(req, { cacheName: SHELL, ignoreSearch: true }).then((r) => r || fetch(req)));
  }
});

async function networkFirst(req) {
  const cache = await caches.open(DATA);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(req, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(req);
    if (!hit) throw err;
    // Mark a cached answer, so the app does not take it for the network.
    const headers = new Headers(hit.headers);
    headers.set('X-Dakiya-Cached', '1');
    return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
  }
}
