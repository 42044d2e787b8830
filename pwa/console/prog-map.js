// The progress screen's map of the centre's beats: every stop of the slot
// (delivered, not delivered, to deliver, overdue: each its own colour AND
// shape, with a legend) and each postman's last position with their name
// and the time. A plain SVG drawing shows at once and is all there is
// offline; Leaflet (vendored, loaded on demand as the app's map.js does)
// with OpenStreetMap tiles goes over it once a tile has loaded. update()
// redraws both with new states without loading anything again.
import { h } from '../ui.js';
import { t, time, distance } from '../i18n.js';
import { svg } from '../icons.js';

const LEAFLET_JS = '/vendor/leaflet/leaflet.js';
const LEAFLET_CSS = '/vendor/leaflet/leaflet.css';
const TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const WAIT_MS = 8000; // for Leaflet, then for its first tile
const W = 720;
const H = 440;
export const STATES = ['delivered', 'failed', 'pending', 'overdue'];

// shape draws a state's marker centred on (x, y): a circle, a square, a
// diamond or a triangle, so colour is never the only difference.
export function shape(state, x, y, r = 8) {
  const f = (n) => n.toFixed(1);
  switch (state) {
    case 'delivered': return svg('circle', { cx: f(x), cy: f(y), r });
    case 'failed': return svg('rect', { x: f(x - r * 0.85), y: f(y - r * 0.85), width: f(r * 1.7), height: f(r * 1.7) });
    case 'overdue': return svg('path', { d: `M${f(x)} ${f(y - r * 1.25)}L${f(x + r * 1.2)} ${f(y + r * 0.9)}H${f(x - r * 1.2)}Z` });
    default: return svg('path', { d: `M${f(x)} ${f(y - r)}L${f(x + r)} ${f(y)}L${f(x)} ${f(y + r)}L${f(x - r)} ${f(y)}Z` });
  }
}

// glyph is a state's marker as a small picture (for the legend and Leaflet).
export const glyph = (state, size = 20) => svg('svg', { class: `pg ${state}`, viewBox: '0 0 20 20', width: size, height: size,
  'aria-hidden': 'true', focusable: 'false' }, shape(state, 10, 10.5, 7));

// legend names the four states and the postman's marker.
export function legend() {
  return h('ul', { class: 'legend plain row prog-legend', testid: 'prog-legend' },
    STATES.map((s) => h('li', {}, glyph(s), t(`prog.state.${s}`))),
    h('li', {}, svg('svg', { class: 'pg postman', viewBox: '0 0 20 20', width: 20, height: 20, 'aria-hidden': 'true' },
      svg('circle', { cx: 10, cy: 10, r: 8 }), svg('circle', { cx: 10, cy: 10, r: 3, class: 'dot' })), t('prog.map.postman')));
}

// progressMap returns { el, update(points) }. points: { stops: [{key, lat,
// lon, state, label}], postmen: [{key, lat, lon, name, at}] }.
export function progressMap(points) {
  const note = h('p', { role: 'status', testid: 'prog-map-status' }, t('prog.map.loading'));
  const box = h('div', { class: 'mapbox prog-mapbox', testid: 'prog-map', 'data-map': 'drawing' });
  let street = null;
  let last = points;
  const update = (p) => {
    last = p;
    box.querySelector('svg.drawing')?.remove();
    box.prepend(drawing(p));
    street?.draw(p);
  };
  update(points);
  const placed = [...points.stops, ...points.postmen];
  const fallback = (why) => { box.dataset.map = 'drawing'; note.textContent = t(`prog.map.${why}`); };
  if (!placed.length) fallback('none');
  else if (!navigator.onLine) fallback('offline');
  else {
    streetMap(box, () => last).then((s) => {
      if (s) { street = s; box.dataset.map = 'tiles'; note.textContent = ''; } else fallback('noTiles');
    }, () => fallback('noLeaflet'));
  }
  return { el: h('div', { class: 'stack' }, note, box, legend()), update, close: () => street?.remove() };
}

// drawing is the points as a plain SVG, north up, with a scale bar.
function drawing({ stops, postmen }) {
  const all = [...stops, ...postmen];
  if (!all.length) return svg('svg', { viewBox: `0 0 ${W} 60`, class: 'drawing', role: 'img', 'aria-label': t('prog.map.none') });
  const { xy, metresPerUnit } = fit(all, W, H, 40);
  const dots = stops.map((s, i) => svg('g', { class: `pst ${s.state}`, testid: `prog-pt-${s.key}` },
    svg('title', {}, s.label), shape(s.state, xy[i].x, xy[i].y, s.state === 'overdue' ? 10 : 8)));
  const men = postmen.map((p, j) => {
    const { x, y } = xy[stops.length + j];
    const text = `${p.name} · ${time(p.at)}`;
    return svg('g', { class: 'pman', testid: `prog-man-${p.key}` }, svg('title', {}, text),
      svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 11 }), svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 4, class: 'dot' }),
      svg('text', { x: (x + 15).toFixed(1), y: (y + 5).toFixed(1) }, text));
  });
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'drawing', role: 'img', testid: 'prog-drawing',
    'aria-label': t('prog.map.drawing', { n: stops.length, m: postmen.length }) },
  svg('rect', { x: 0, y: 0, width: W, height: H, class: 'ground' }), dots, men, scaleBar(metresPerUnit));
}

function scaleBar(mpu) {
  const len = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000].filter((d) => d / mpu <= W / 4).at(-1) || 20;
  const x = 12;
  const y = H - 14;
  return svg('g', { class: 'scale' }, svg('path', { d: `M${x} ${y - 6}v6h${(len / mpu).toFixed(1)}v-6` }),
    svg('text', { x: x + len / mpu + 6, y }, len >= 1000 ? distance(len) : t('prog.map.m', { n: len })));
}

// fit projects points (lat, lon) into a w × h box with a margin, north up,
// the same scale both ways (as the app's map.js does).
function fit(points, w, h, margin) {
  const lat0 = points.reduce((n, p) => n + p.lat, 0) / points.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = points.map((p) => p.lon * k);
  const ys = points.map((p) => -p.lat);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((w - 2 * margin) / Math.max(x1 - x0, 0.002), (h - 2 * margin) / Math.max(y1 - y0, 0.002));
  const ox = (w - (x1 - x0) * scale) / 2;
  const oy = (h - (y1 - y0) * scale) / 2;
  return { xy: points.map((_, i) => ({ x: ox + (xs[i] - x0) * scale, y: oy + (ys[i] - y0) * scale })),
    metresPerUnit: (Math.PI / 180) * 6_371_008.8 / scale };
}

let leaflet = null;

// loadLeaflet adds Leaflet's style and script once (the app's map.js may
// already have: window.L), or fails within WAIT_MS.
function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  leaflet ||= new Promise((resolve, reject) => {
    if (!document.querySelector(`link[href="${LEAFLET_CSS}"]`)) document.head.append(h('link', { rel: 'stylesheet', href: LEAFLET_CSS }));
    const el = h('script', { src: LEAFLET_JS, onload: () => resolve(window.L), onerror: () => { el.remove(); reject(new Error('leaflet')); } });
    document.head.append(el);
    setTimeout(() => reject(new Error('leaflet: timeout')), WAIT_MS);
  }).catch((err) => { leaflet = null; throw err; });
  return leaflet;
}

// streetMap puts Leaflet over the drawing; it resolves to { draw, remove }
// at the first tile, or null (the map taken away) when none loads.
async function streetMap(box, points) {
  const L = await loadLeaflet();
  if (!(await attached(box))) return null;
  const el = h('div', { class: 'street', testid: 'prog-leaflet' });
  box.append(el);
  const map = L.map(el, { zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  const layer = L.layerGroup().addTo(map);
  const draw = ({ stops, postmen }) => {
    layer.clearLayers();
    for (const s of stops) {
      L.marker([s.lat, s.lon], { icon: L.divIcon({ html: glyph(s.state, 22), className: 'ppin', iconSize: [22, 22] }), title: s.label })
        .addTo(layer);
    }
    for (const p of postmen) {
      const text = `${p.name} · ${time(p.at)}`;
      L.marker([p.lat, p.lon], { icon: L.divIcon({ html: h('span', {}, text), className: 'pman-pin', iconSize: null }), title: text,
        zIndexOffset: 1000 }).addTo(layer);
    }
  };
  const now = points();
  draw(now);
  map.fitBounds(L.latLngBounds([...now.stops, ...now.postmen].map((p) => [p.lat, p.lon])), { padding: [28, 28], maxZoom: 17 });
  const ok = await tiles(L, map);
  if (!ok || !box.isConnected) { map.remove(); el.remove(); return null; }
  return { draw, remove: () => map.remove() };
}

// attached waits (up to 5 s) for the screen to be on the page: Leaflet
// measures its box.
async function attached(el) {
  for (let i = 0; i < 50 && !el.isConnected; i++) await new Promise((r) => setTimeout(r, 100));
  return el.isConnected;
}

function tiles(L, map) {
  const layer = L.tileLayer(TILES, { maxZoom: 19, referrerPolicy: 'strict-origin',
    attribution: `© <a href="https://www.openstreetmap.org/copyright">${t('list.map.osm')}</a>` });
  return new Promise((resolve) => {
    let loaded = 0;
    const timer = setTimeout(() => resolve(loaded > 0), WAIT_MS);
    layer.on('tileload', () => { loaded += 1; clearTimeout(timer); resolve(true); });
    layer.on('load', () => { if (!loaded) { clearTimeout(timer); resolve(false); } });
    layer.addTo(map);
  });
}
