// The recipients' pages (tracking, slot choice) in English or Hindi: the
// choice is made on the page and remembered (as in the postman's app),
// else taken from the phone's language. Times are shown as the centre's
// clock reads them, without seconds, whatever zone the phone is in.
import en from './locales/en.js';
import hi from './locales/hi.js';

const books = { en, hi };
const tags = { en: 'en-IN', hi: 'hi-IN' };
let lang = localStorage.getItem('dk.lang') || (navigator.language?.startsWith('hi') ? 'hi' : 'en');
if (!books[lang]) lang = 'en';

// t looks a key up in the page's language and fills {name} placeholders.
export const t = (key, vars = {}) => (books[lang][key] ?? en[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

// wall reads an RFC 3339 time (2026-11-25T17:00:00+05:30) as the clock in
// its own offset shows it; a date alone is noon that day.
function wall(s) {
  const [y, mo, d, h = 12, mi = 0] = s.match(/\d+/g).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi));
}
const fmt = (s, o) => new Intl.DateTimeFormat(tags[lang], { timeZone: 'UTC', ...o }).format(wall(s));
export const day = (s) => fmt(s, { weekday: 'short', day: 'numeric', month: 'short' });
export const hm = (s) => fmt(s, { hour: 'numeric', minute: '2-digit' });
export const when = (s) => fmt(s, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });

// slotWhen says a slot's day and hours: "Wed, 25 Nov, Evening, 5:00 pm–8:00 pm".
export const slotWhen = (w) => t('static.when', { day: day(w.date), slot: t(`slot.${w.slot}`), start: hm(w.start), end: hm(w.end) });

// page translates the page's fixed text (data-t) and title, and wires the
// language button; render redraws what the page has fetched.
export function page(titleKey, render) {
  const apply = () => {
    document.documentElement.lang = lang;
    document.title = `${t(titleKey)} · ${t('app.title')}`;
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    render();
  };
  document.getElementById('lang').addEventListener('click', () => {
    lang = lang === 'hi' ? 'en' : 'hi';
    localStorage.setItem('dk.lang', lang);
    apply();
  });
  apply();
}

// say shows one message in el, marked as an error or not.
export function say(el, text, error = false) {
  el.replaceChildren(text);
  el.classList.toggle('error', error);
}
