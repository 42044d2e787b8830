// The live feed of a slot's progress: server-sent events read with fetch()
// (the stream needs the bearer token, which EventSource cannot send), so
// the token is renewed through ../api.js like every other call; when the
// stream fails, is cut or goes quiet, the feed polls the progress every
// 10 s and tries the stream again 20 s later. stop() leaves no connection
// and no timer behind.
import * as api from '../api.js';

export const POLL_MS = 10_000; // the fallback's period
export const RETRY_MS = 20_000; // how long the fallback runs before the stream is tried again
const QUIET_MS = 40_000; // the server sends a comment every 15 s: silence this long is a dead stream
const STREAM_MS = 11 * 60_000; // longer than the server's 10 minutes per stream

// follow keeps onData(board) fed with the progress at path (the GET URL,
// with its query) and tells onMode('connecting' | 'stream' | 'poll', err)
// how it is fed. It returns { stop() }.
export function follow(path, { onData, onMode }) {
  const streamPath = path.replace('?', '/stream?');
  let stopped = false;
  let reader = null;
  let pollTimer = 0;
  let retryTimer = 0;
  let quietTimer = 0;
  let mode = '';
  const say = (m, err) => { if (!stopped && m !== mode) { mode = m; onMode(m, err); } };

  const poll = async () => {
    try {
      const got = await api.getJSON(path);
      if (!stopped && got) onData(got.body);
      if (!stopped && mode === 'poll') onMode('poll');
    } catch (err) {
      if (!stopped) onMode('poll', err);
    }
  };
  const startPolling = (err) => {
    if (stopped) return;
    say('poll', err);
    if (!pollTimer) { poll(); pollTimer = setInterval(poll, POLL_MS); }
    clearTimeout(retryTimer);
    retryTimer = setTimeout(openStream, RETRY_MS);
  };
  const stopPolling = () => { clearInterval(pollTimer); pollTimer = 0; clearTimeout(retryTimer); retryTimer = 0; };
  const quiet = () => { clearTimeout(quietTimer); quietTimer = setTimeout(() => reader?.cancel().catch(() => {}), QUIET_MS); };

  async function openStream() {
    if (stopped) return;
    if (mode !== 'poll') say('connecting');
    let clean = false;
    try {
      const res = await api.call(streamPath, { headers: { Accept: 'text/event-stream' } }, STREAM_MS);
      if (!res.ok) throw new api.HTTPError(res.status, await api.problem(res));
      reader = res.body.getReader();
      if (stopped) { reader.cancel().catch(() => {}); return; }
      quiet();
      await readEvents(reader, (name, data) => {
        quiet();
        if (name !== 'progress') return;
        stopPolling();
        say('stream');
        onData(JSON.parse(data));
      }, quiet);
      clean = true; // the server ended the stream (its 10 minutes are up)
    } catch (err) {
      if (err instanceof api.AuthError) { stopped = true; onMode('ended', err); return; }
      if (!stopped) startPolling(err);
    } finally {
      clearTimeout(quietTimer);
      reader = null;
    }
    if (clean && !stopped) {
      if (mode === 'stream') retryTimer = setTimeout(openStream, 3000);
      else startPolling();
    }
  }

  openStream();
  return {
    stop() {
      stopped = true;
      stopPolling();
      clearTimeout(quietTimer);
      reader?.cancel().catch(() => {});
      reader = null;
    },
  };
}

// readEvents reads server-sent events from a stream until it ends,
// calling onEvent(name, data) for each event and onBytes() for anything
// received (comments keep a quiet stream alive). A stream cut off midway
// throws.
export async function readEvents(reader, onEvent, onBytes = () => {}) {
  const text = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes();
    buf += text.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const ev = parseEvent(block);
      if (ev) onEvent(ev.name, ev.data);
    }
  }
}

// parseEvent reads one event block (its lines), or null for a block with
// no data (a comment, a retry).
export function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { name, data: data.join('\n') } : null;
}
