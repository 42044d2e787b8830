// Languages: every string the app shows comes from a locale file; the
// choice is remembered; numbers, money and dates follow the language.
import en from './locales/en.js';
import hi from './locales/hi.js';

const books = { en, hi };
const tags = { en: 'en-IN', hi: 'hi-IN' };
let lang = localStorage.getItem('dk.lang') || (navigator.language?.startsWith('hi') ? 'hi' : 'en');

export const current = () => lang;
export const languages = () => Object.keys(books);

export function setLang(l) {
  lang = books[l] ? l : 'en';
  localStorage.setItem('dk.lang', lang);
  document.documentElement.lang = lang;
}
setLang(lang);

// t looks a key up in the current language (falling back to English) and
// fills {name} placeholders.
export function t(key, vars = {}, l = lang) {
  const s = books[l][key] ?? en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (typeof vars[k] === 'number' ? num(vars[k], l) : vars[k] ?? ''));
}

// both gives a string in English and Hindi, for what the recipient reads.
export const both = (key, vars) => [t(key, vars, 'en'), t(key, vars, 'hi')];

export const num = (n, l = lang) => new Intl.NumberFormat(tags[l]).format(n);
export const money = (paise) => new Intl.NumberFormat(tags[lang], { style: 'currency', currency: 'INR' }).format(paise / 100);
export const date = (d) => new Date(typeof d === 'string' && d.length === 10 ? `${d}T12:00:00` : d)
  .toLocaleDateString(tags[lang], { weekday: 'short', day: 'numeric', month: 'short' });
export const time = (d) => new Date(d).toLocaleTimeString(tags[lang], { hour: '2-digit', minute: '2-digit' });
export const distance = (m) => t('km', { km: new Intl.NumberFormat(tags[lang], { maximumFractionDigits: 1 }).format(m / 1000) });
