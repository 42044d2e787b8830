// Languages: every string the app shows comes from a locale file; the
// choice is remembered; numbers, money and dates follow the language.
// English is bundled; Hindi is fetched when chosen (or saved), or when a
// screen needs both languages.
import en from './locales/en.js';

const books = { en };
const more = []; // loaders of further Hindi books (the console's)
const tags = { en: 'en-IN', hi: 'hi-IN' };
let lang = localStorage.getItem('dk.lang') || (navigator.language?.startsWith('hi') ? 'hi' : 'en');

export const current = () => lang;
export const languages = () => Object.keys(tags);

// load fetches a language's book once.
export async function load(l) {
  if (l !== 'hi' || books.hi) return;
  const parts = await Promise.all([import('./locales/hi.js').then((m) => m.default), ...more.map((f) => f())]);
  books.hi = Object.assign({}, ...parts);
}

// addBooks adds a part of the app's strings (the console's): English at
// once, Hindi from hiLoader when Hindi loads (now, if it has already).
export async function addBooks(enBook, hiLoader) {
  books.en = { ...books.en, ...enBook };
  more.push(() => hiLoader().then((m) => m.default));
  if (books.hi) books.hi = { ...books.hi, ...(await hiLoader()).default };
}

// setLang switches language; a book that does not come within 3 s (a
// line that never answers) leaves the app in English rather than blank,
// without forgetting the choice.
export async function setLang(l) {
  l = tags[l] ? l : 'en';
  let got = true;
  await Promise.race([load(l), new Promise((r, no) => setTimeout(no, 3000))]).catch(() => { got = false; });
  lang = got ? l : 'en';
  if (got) localStorage.setItem('dk.lang', lang);
  document.documentElement.lang = lang;
}
await setLang(lang);

// t looks a key up in the current language (falling back to English) and
// fills {name} placeholders. An entry with plural forms ({one, other, …})
// takes the form Intl.PluralRules picks for vars.n.
export function t(key, vars = {}, l = lang) {
  let s = books[l]?.[key] ?? books.en[key] ?? key;
  if (typeof s === 'object') s = s[new Intl.PluralRules(tags[l]).select(vars.n)] ?? s.other;
  return s.replace(/\{(\w+)\}/g, (_, k) => (typeof vars[k] === 'number' ? num(vars[k], l) : vars[k] ?? ''));
}

// both gives a string in English and Hindi, for what the recipient reads
// (load('hi') first).
export const both = (key, vars) => [t(key, vars, 'en'), t(key, vars, 'hi')];

export const num = (n, l = lang) => new Intl.NumberFormat(tags[l]).format(n);
export const money = (paise) => new Intl.NumberFormat(tags[lang], { style: 'currency', currency: 'INR' }).format(paise / 100);
export const date = (d) => new Date(typeof d === 'string' && d.length === 10 ? `${d}T12:00:00` : d)
  .toLocaleDateString(tags[lang], { weekday: 'short', day: 'numeric', month: 'short' });
export const time = (d, timeZone) => new Date(d).toLocaleTimeString(tags[lang], { hour: '2-digit', minute: '2-digit', timeZone });
export const distance = (m) => t('km', { km: new Intl.NumberFormat(tags[lang], { maximumFractionDigits: 1 }).format(m / 1000) });
