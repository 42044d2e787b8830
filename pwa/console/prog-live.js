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
// with its query) and tells onMode('connecting' | 'stream' | 'poll' |
// 'ended', err) how it is fed. It returns the feed; stop() ends it.
export function follow(path, { onData, onMode }) {
  const feed = new Feed(path, onData, onMode);
  feed.open();
  return feed;
}

// Feed is one screen's subscription: at most one stream, one poll timer
// and one retry timer at a time.
class Feed {
  constructor(path, onData, onMode) {
    Object.assign(this, { path, onData, onMode, stopped: false, mode: '', said: '', reader: null, cut: false,
      pollTimer: 0, retryTimer: 0, quietTimer: 0 });
  }

  // say tells the screen the mode, and whether its last request failed,
  // when either changes.
  say(mode, err) {
    const said = `${mode}${err ? '!' : ''}`;
    if (this.stopped || said === this.said) return;
    this.mode = mode;
    this.said = said;
    this.onMode(mode, err);
  }

  // open reads the stream until it ends; a failure falls back to polling,
  // a clean end (the server's 10 minutes) opens it again.
  async open() {
    if (this.stopped) return;
    if (this.mode !== 'poll') this.say('connecting');
    try {
      const res = await api.call(this.path.replace('?', '/stream?'), { headers: { Accept: 'text/event-stream' } }, STREAM_MS);
      if (!res.ok) throw new api.HTTPError(res.status, await api.problem(res));
      this.reader = res.body.getReader();
      this.cut = false;
      if (this.stopped) { this.close(); return; }
      this.quiet();
      await readEvents(this.reader, (name, data) => this.event(name, data), () => this.quiet());
      if (this.stopped) return;
      if (this.mode === 'stream' && !this.cut) this.retryTimer = setTimeout(() => this.open(), 3000);
      else this.poll();
    } catch (err) {
      if (err instanceof api.AuthError) { this.say('ended', err); this.stop(); return; }
      this.poll();
    } finally {
      clearTimeout(this.quietTimer);
      this.reader = null;
    }
  }

  event(name, data) {
    if (name !== 'progress' || this.stopped) return;
    clearInterval(this.pollTimer);
    this.pollTimer = 0;
    this.say('stream');
    this.onData(JSON.parse(data));
  }

  // quiet cuts a stream that has sent nothing for QUIET_MS.
  quiet() {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => { this.cut = true; this.close(); }, QUIET_MS);
  }

  // poll falls back to polling (what the polls find is what the status
  // says) and tries the stream again in RETRY_MS.
  poll() {
    if (this.stopped) return;
    if (this.mode !== 'poll') this.say('poll');
    if (!this.pollTimer) {
      this.fetch();
      this.pollTimer = setInterval(() => this.fetch(), POLL_MS);
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), RETRY_MS);
  }

  async fetch() {
    try {
      const got = await api.getJSON(this.path);
      if (!this.stopped && got) this.onData(got.body);
      if (this.mode === 'poll') this.say('poll');
    } catch (err) {
      if (this.mode === 'poll') this.say('poll', err);
    }
  }

  close() { this.reader?.cancel().catch(() => {}); }

  // stop ends the feed: no stream, no timer.
  stop() {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.quietTimer);
    this.close();
  }
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
