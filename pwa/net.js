// The one network state the app shows (online, slow or offline), set by
// every request's outcome and the browser's online/offline events: what
// Today and the sync screen say is what the last request found.
let now = navigator.onLine ? 'online' : 'offline';
const seen = new Set();

export const state = () => now;
export const onChange = (fn) => seen.add(fn);

// report records what a request found: 'online' (the server answered),
// 'slow' (it did not answer in time) or 'offline' (no route to it).
export function report(s) {
  if (s === now) return;
  now = s;
  seen.forEach((fn) => fn(s));
}

// timed is fetch with a deadline (ms), reporting what it found. A
// service worker's cached answer (X-Dakiya-Cached) means the network failed.
export async function timed(url, opts = {}, ms = 4000) {
  try {
    const res = await fetch(url, { ...opts, signal: AbortSignal.timeout(ms) });
    report(res.headers.get('X-Dakiya-Cached') === '1' ? 'offline' : 'online');
    return res;
  } catch (err) {
    report(err.name === 'TimeoutError' || err.name === 'AbortError' ? 'slow' : 'offline');
    throw err;
  }
}

addEventListener('offline', () => report('offline'));
// "online" only says a link is up; the server decides.
addEventListener('online', () => timed('/healthz').catch(() => {}));
