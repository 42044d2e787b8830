// Distances and a flat projection for the stop list and the route drawing.
// The distances are great-circle ("as the crow flies") from the stops'
// coordinates; the manifest's own total follows the roads' circuity.

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

// fit projects points (lat, lon) into a w × h box with a margin, north up,
// keeping the scale the same both ways. It returns the projected points and
// how many metres one unit is.
export function fit(points, w, h, margin) {
  const lat0 = points.reduce((n, p) => n + p.lat, 0) / points.length;
  const k = Math.cos(rad(lat0));
  const xs = points.map((p) => p.lon * k);
  const ys = points.map((p) => -p.lat);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const least = 0.002; // about 200 m: one stop, or a tight cluster, is not blown up
  const scale = Math.min((w - 2 * margin) / Math.max(x1 - x0, least), (h - 2 * margin) / Math.max(y1 - y0, least));
  const ox = (w - (x1 - x0) * scale) / 2;
  const oy = (h - (y1 - y0) * scale) / 2;
  return {
    xy: points.map((_, i) => ({ x: ox + (xs[i] - x0) * scale, y: oy + (ys[i] - y0) * scale })),
    metresPerUnit: rad(1) * R / scale,
  };
}
