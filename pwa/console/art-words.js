// What the articles screens share: the API's vocabularies (statuses,
// flags, reason codes) with their words, which moves an article's status
// allows, a status badge, times and slots in words, and the list's last
// address (so an article's page leads back to the same search).
import { h } from '../ui.js';
import { t, date, time } from '../i18n.js';

export const STATUSES = ['booked', 'at_dc', 'scheduled', 'out_for_delivery', 'attempted', 'delivered', 'held', 'returned'];
export const FLAGS = ['otp_mismatch', 'otp_bypassed', 'far_from_address', 'missing_proof', 'clock_skew', 'cod_short',
  'no_location', 'upi_unconfirmed', 'stale_fix'];
export const SLOTS = ['morning', 'evening', 'sunday'];
export const SERVICES = ['speed_post', 'registered', 'parcel', 'letter'];
export const REASONS = ['01', '02', '03', '05', '06', '07', '08', '09', '12', '13', '14', '15', '18', '22', '29', '41'];

// The statuses each supervisor's action may start from (openapi: PUT
// /articles/{id}/schedule and POST /articles/{id}/events).
export const CAN = {
  schedule: ['at_dc', 'scheduled', 'attempted', 'held'],
  hold: ['at_dc', 'scheduled', 'out_for_delivery', 'attempted'],
  return: ['at_dc', 'scheduled', 'attempted', 'held'],
};

// statusWord is a status in words.
export const statusWord = (s) => t(`art.status.${s}`);

// flagWord is an outcome's flag in words.
export const flagWord = (f) => t(`art.flag.${f}`);

// reasonWord is a reason code with its words: "01 · Door locked".
export const reasonWord = (c) => `${c} · ${t(`reason.${c}`)}`;

// statusPill is a status as a coloured badge (the words carry the meaning).
export const statusPill = (s, testid) => h('span', { class: `art-pill art-st-${s}`, testid }, statusWord(s));

// when is a moment as day and time.
export const when = (at) => (at ? `${date(at)}, ${time(at)}` : '');

// slotText is a schedule ({date, slot}) in words, or "not scheduled".
export const slotText = (s) => (s?.date ? `${date(s.date)}, ${t(`slot.${s.slot}`)}` : t('art.unscheduled'));

let last = '#/articles';
// listAddress is the list's last address with its filters; remember sets it.
export const listAddress = () => last;
export const remember = (hash) => { last = hash; };

// back is the link from a sub-screen to the list as it was left.
export const back = () => h('a', { href: listAddress(), class: 'art-back', testid: 'art-back' }, t('art.back'));
