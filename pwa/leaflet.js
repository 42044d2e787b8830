// What the maps share (the postman's beat map in map.js, the console's
// progress and beats maps): loading the vendored Leaflet on demand, the
// OpenStreetMap tile layer that says whether any tile came, and the
// projection of points into a plain drawing, north up. Loaded only with a
// map (map.js is a lazy group of its own), never in the first load.
import { h } from './ui.js';

const LEAFLET_JS = '/vendor/leaflet/leaflet.js';
const LEAFLET_CSS = '/vendor/leaflet/leaflet.css';
const TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

let leaflet = null;

// loadLeaflet adds Leaflet's style and script once (window.L when it is
// there already) and resolves to L, or fails within ms (and may be tried
// again then).
export function loadLeaflet(ms) {
  if (window.L) return Promise.resolve(window.L);
  leaflet ||= new Promise((resolve, reject) => {
    if (!document.querySelector(`link[href="${LEAFLET_CSS}"]`)) document.head.append(h('link', { rel: 'stylesheet', href: LEAFLET_CSS }));
    const el = h('script', { src: LEAFLET_JS, onload: () => resolve(window.L), onerror: () => { el.remove(); reject(new Error('leaflet')); } });
    document.head.append(el);
    setTimeout(() => reject(new Error('leaflet: timeout')), ms);
  }).catch((err) => { leaflet = null; throw err; });
  return leaflet;
}

// mount puts a Leaflet map in a new div.street (with testid) at the end of
// box and returns { el, map }; no attribution prefix, half zoom steps.
export function mount(L, box, testid) {
  const el = h('div', { class: 'street', testid });
  box.append(el);
  const map = L.map(el, { zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  return { el, map };
}

// tilesLoaded adds the OpenStreetMap tiles to map (attributed to osm, the
// words for "OpenStreetMap contributors") and resolves to true at the
// first tile, false when every tile of the view failed or none came
// within ms.
export function tilesLoaded(L, map, ms, osm) {
  const layer = L.tileLayer(TILES, { maxZoom: 19, referrerPolicy: 'strict-origin',
    attribution: `© <a href="https://www.openstreetmap.org/copyright">${osm}</a>` });
  return new Promise((resolve) => {
    let loaded = 0;
    const timer = setTimeout(() => resolve(loaded > 0), ms);
    layer.on('tileload', () => { loaded += 1; clearTimeout(timer); resolve(true); });
    layer.on('load', () => { if (!loaded) { clearTimeout(timer); resolve(false); } });
    layer.addTo(map);
  });
}

// fit projects points ({lat, lon}) into a w × h box with a margin, north
// up, keeping the scale the same both ways; a spread under least degrees
// (about 200 m by default) is not blown up further. It returns the
// projected points (xy), how many metres one unit is, and at(lat, lon),
// the same projection for any other point.
export function fit(points, w, h, margin, least = 0.002) {
  const lat0 = points.reduce((n, p) => n + p.lat, 0) / points.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = points.map((p) => p.lon * k);
  const ys = points.map((p) => -p.lat);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((w - 2 * margin) / Math.max(x1 - x0, least), (h - 2 * margin) / Math.max(y1 - y0, least));
  const ox = (w - (x1 - x0) * scale) / 2;
  const oy = (h - (y1 - y0) * scale) / 2;
  const at = (lat, lon) => ({ x: ox + (lon * k - x0) * scale, y: oy + (-lat - y0) * scale });
  return { xy: points.map((p) => at(p.lat, p.lon)), metresPerUnit: (Math.PI / 180) * 6_371_008.8 / scale, at };
}
