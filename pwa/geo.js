// Distances between stops, for the stop list and the map.
// The distances are great-circle ("as the crow flies") from the stops'
// coordinates; the manifest's own total follows the roads' circuity.
import { t, distance } from './i18n.js';

const R = 6_371_008.8; // mean Earth radius, metres
const rad = (d) => (d * Math.PI) / 180;

// placed tells whether a stop (or the centre) has coordinates.
export const placed = (p) => p != null && p.lat != null && p.lon != null;

// metres is the great-circle distance between two points (haversine).
export function metres(a, b) {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

// legs gives, for each stop in route order, the distance from the stop
// before it (the first from the centre), or null where either end has no
// position. The key is the stop's id.
export function legs(stops, centre) {
  const out = new Map();
  let prev = placed(centre) ? { ...centre, seq: 0 } : null;
  for (const s of stops) {
    out.set(s.stop_id, placed(s) && prev ? { m: metres(prev, s), from: prev.seq } : null);
    if (placed(s)) prev = s;
  }
  return out;
}

// far writes a distance: metres up to a kilometre, then kilometres.
export const far = (m) => (m < 1000 ? t('list.m', { m: Math.round(m / 10) * 10 }) : distance(m));
