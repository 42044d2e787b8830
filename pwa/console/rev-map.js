// The review screen's small map: the address, the phone's position fix
// with its accuracy, the line between them and a scale, drawn as plain SVG
// (no tiles, no library), so a supervisor sees at a glance how far from the
// door an outcome was recorded.
import { t, distance } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 280;
const H = 180;

function svg(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  el.append(...kids);
  return el;
}

// metres is the distance between two points in metres (haversine).
export function metres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(s)));
}

// span says a distance in words: metres below a kilometre, else km.
export const span = (m) => (m < 1000 ? t('rev.metres', { n: Math.round(m) }) : distance(m));

// nice rounds a length down to 1, 2 or 5 times a power of ten.
function nice(m) {
  const p = 10 ** Math.floor(Math.log10(m));
  return [5, 2, 1].map((f) => f * p).find((v) => v <= m) || p;
}

// distanceMap draws the address (home) and the fix ({lat, lon,
// accuracy_m}) to scale, the address in the middle.
export function distanceMap(home, fix) {
  const d = metres(home, fix);
  const acc = fix.accuracy_m || 0;
  const reach = Math.max(d, acc, 25) * 1.2;
  const px = (Math.min(W, H) / 2 - 14) / reach;
  const cx = W / 2;
  const cy = H / 2;
  const dx = (fix.lon - home.lon) * Math.cos(home.lat * Math.PI / 180) * 111320 * px;
  const dy = -(fix.lat - home.lat) * 110574 * px;
  const fx = cx + dx;
  const fy = cy + dy;
  const bar = nice(reach / 1.5);
  const label = t('rev.map.label', { d: span(d) });
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label, class: 'rev-map', 'data-testid': 'rev-map' },
    svg('title', {}, label),
    svg('rect', { x: 0, y: 0, width: W, height: H, fill: '#eef3ea', stroke: '#767676' }),
    svg('circle', { cx: fx, cy: fy, r: Math.max(2, acc * px), fill: '#1a56db', 'fill-opacity': 0.15, stroke: '#1a56db', 'stroke-dasharray': '3 2' }),
    svg('line', { x1: cx, y1: cy, x2: fx, y2: fy, stroke: '#111', 'stroke-width': 2, 'stroke-dasharray': '6 4' }),
    svg('rect', { x: cx - 6, y: cy - 6, width: 12, height: 12, fill: '#b3261e', 'data-testid': 'rev-map-home' }),
    svg('circle', { cx: fx, cy: fy, r: 6, fill: '#1a56db', stroke: '#fff', 'stroke-width': 2, 'data-testid': 'rev-map-fix' }),
    svg('text', { x: cx + 10, y: cy - 8, 'font-size': 12, fill: '#111' }, t('rev.map.home')),
    svg('text', { x: Math.min(fx + 10, W - 60), y: Math.max(fy + 16, 14), 'font-size': 12, fill: '#0b3a9e' }, t('rev.map.fix')),
    svg('line', { x1: 10, y1: H - 12, x2: 10 + bar * px, y2: H - 12, stroke: '#111', 'stroke-width': 3 }),
    svg('text', { x: 10, y: H - 18, 'font-size': 11, fill: '#111', 'data-testid': 'rev-map-scale' }, span(bar)));
}
