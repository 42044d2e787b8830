// Pure checks the phone makes without the network, each the twin of a Go
// function (tests run both over the same inputs): otp_check
// (internal/otp/check.go), the S10 check digit (internal/postal/s10.go),
// the UPI link (internal/cod/cod.go) and which refusals are final
// (internal/idem/idem.go).

// otpPasses reports whether a typed six-digit code could be the article's
// code, given the manifest's otp_check "v1:<36 digits>:<2 digits>". A
// missing or unreadable check passes every well-formed code: the server
// judges it at sync.
export function otpPasses(check, code) {
  if (!/^[0-9]{6}$/.test(code)) return false;
  const m = /^v1:([0-9]{36}):([0-9]{2})$/.exec(check || '');
  if (!m) return true;
  const coef = [];
  for (let i = 0; i < 12; i++) coef.push(Number(m[1].slice(3 * i, 3 * i + 3)));
  const v = Number(code);
  let l = Math.floor(v / 1000);
  let r = v % 1000;
  for (let i = 0; i < 4; i++) {
    const [a, b, k] = coef.slice(3 * i, 3 * i + 3);
    const f = ((((a * r) % 997) * r) + b * r + k) % 997;
    [l, r] = [r, (l + f) % 1000];
  }
  return (l * 1000 + r) % 100 === Number(m[2]);
}

// s10CheckDigit is the UPU check digit of an eight-digit serial.
export function s10CheckDigit(serial) {
  const w = '86423597';
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * Number(w[i]);
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

// parseS10 returns the canonical id, or '' with why in reason:
// 'layout' or 'check'.
export function parseS10(raw) {
  const id = String(raw).trim().replace(/[a-z]/g, (c) => c.toUpperCase());
  if (!/^[A-Z]{2}[0-9]{9}[A-Z]{2}$/.test(id)) return { id: '', reason: 'layout' };
  if (s10CheckDigit(id.slice(2, 10)) !== Number(id[10])) return { id: '', reason: 'check' };
  return { id, reason: '' };
}

// rupees writes paise as rupees with two decimals, as postal.Paise.Rupees.
export function rupees(paise) {
  const p = Math.abs(paise);
  return `${paise < 0 ? '-' : ''}${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
}

// upiURI builds a upi://pay link exactly as cod.UPIURI does.
export function upiURI(vpa, name, paise, note, ref) {
  const esc = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%40/g, '@');
  return `upi://pay?pa=${esc(vpa)}&pn=${esc(name)}&am=${rupees(paise)}&cu=INR&tn=${esc(note)}&tr=${esc(ref)}`;
}

// upiPayee reads the payee (pa, pn) from a link the server made, so the
// phone can build links for other articles offline.
export function upiPayee(uri) {
  const q = new URLSearchParams(String(uri).split('?')[1] || '');
  return q.get('pa') ? { vpa: q.get('pa'), name: q.get('pn') || '' } : null;
}

// ALREADY_DONE is the problem type of an action that already happened
// (an outcome for an article that has its outcome): a final 409.
export const ALREADY_DONE = 'urn:dakiya:problem:already_done';

// final reports whether an answer will not change by retrying, as the
// server decides what to store for a key (idem.Final): a refusal (4xx, 423
// locked included) but not a timeout, a rate limit or a conflict that may
// pass (a key still in flight, a state that changed meanwhile); a 409
// that says the action already happened is final.
export const final = (status, type) =>
  (status === 409 ? type === ALREADY_DONE : status >= 400 && status < 500 && ![408, 429].includes(status));
