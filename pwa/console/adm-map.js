// The map of a centre's beats: each beat's DIGIPIN prefixes drawn as the
// cells they name (adm-digipin.js), in the beat's colour, each cell with
// its prefix and each beat with its name. A plain SVG drawing shows at once
// and works offline; Leaflet (vendored, loaded on demand like the
// postman's map in ../map.js) with OpenStreetMap tiles replaces it once a
// tile has loaded, and the drawing stays when Leaflet or the tiles cannot.
import { h } from '../ui.js';
import { t } from '../i18n.js';
import { svg } from '../icons.js';
import { box } from './adm-digipin.js';

const LEAFLET_JS = '/vendor/leaflet/leaflet.js';
const LEAFLET_CSS = '/vendor/leaflet/leaflet.css';
const TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const WAIT_MS = 8000; // for Leaflet to load, then for its first tile
const W = 720;
const H = 560;

// COLOURS tell beats apart; each keeps 4.5:1 against white for its label
// (console.css repeats them as .adm-c0… for the street map's labels).
export const COLOURS = ['#0b5fa5', '#b3261e', '#1b7a3a', '#7b3fa0', '#8a5200', '#00727a', '#a8285f', '#4d5a00'];

// colour is the i-th beat's colour.
export const colour = (i) => COLOURS[i % COLOURS.length];

// cellsOf lists each beat's prefix cells: [{beat, i, prefix, b}].
function cellsOf(beats) {
  return beats.flatMap((beat, i) => beat.digipin_prefixes.map((p) => ({ beat, i, prefix: p, b: box(p) })).filter((c) => c.b));
}

// beatsMap shows the beats' prefixes (and the centre) and returns at once;
// the street map comes later if it can. onLeave takes its clean-up.
export function beatsMap(beats, centre, onLeave) {
  const cells = cellsOf(beats);
  const note = h('p', { role: 'status', testid: 'adm-map-status' }, t('adm.map.loading'));
  const box = h('div', { class: 'mapbox adm-map', testid: 'adm-map', 'data-map': 'loading' }, drawing(beats, cells, centre));
  const out = h('div', { class: 'stack' }, note, box);
  const fallback = (why) => { box.dataset.map = 'drawing'; note.textContent = t(`adm.map.${why}`); };
  if (!cells.length) fallback('none');
  else if (!navigator.onLine) fallback('offline');
  else {
    street(beats, cells, centre, box, onLeave).then((ok) => {
      if (ok) { box.dataset.map = 'tiles'; note.textContent = t('adm.map.tiles'); } else fallback('noTiles');
    }, () => fallback('noLeaflet'));
  }
  return out;
}

// fit projects boxes into the drawing, north up, the same scale both ways.
function fit(cells, centre) {
  const lats = cells.flatMap((c) => [c.b.minLat, c.b.maxLat]).concat(centre ? [centre.lat] : []);
  const lons = cells.flatMap((c) => [c.b.minLon, c.b.maxLon]).concat(centre ? [centre.lon] : []);
  const k = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI / 180);
  const [x0, x1, y0, y1] = [Math.min(...lons) * k, Math.max(...lons) * k, -Math.max(...lats), -Math.min(...lats)];
  const m = 24;
  const s = Math.min((W - 2 * m) / Math.max(x1 - x0, 1e-4), (H - 2 * m) / Math.max(y1 - y0, 1e-4));
  const ox = (W - (x1 - x0) * s) / 2;
  const oy = (H - (y1 - y0) * s) / 2;
  return (lat, lon) => ({ x: ox + (lon * k - x0) * s, y: oy + (-lat - y0) * s });
}

// drawing is the beats as an SVG: a rectangle per prefix, a label per beat.
function drawing(beats, cells, centre) {
  if (!cells.length) return h('p', { testid: 'adm-map-empty' }, t('adm.map.none'));
  const at = fit(cells, centre);
  const rects = cells.map((c) => {
    const a = at(c.b.maxLat, c.b.minLon);
    const z = at(c.b.minLat, c.b.maxLon);
    const w = z.x - a.x;
    return svg('g', { class: 'adm-cell', testid: `adm-map-cell-${c.prefix}` }, svg('title', {}, `${c.beat.name}: ${c.prefix}`),
      svg('rect', { x: a.x.toFixed(1), y: a.y.toFixed(1), width: w.toFixed(1), height: (z.y - a.y).toFixed(1),
        fill: colour(c.i), 'fill-opacity': 0.28, stroke: colour(c.i), 'stroke-width': 1.5 }),
      w > 40 ? svg('text', { x: (a.x + w / 2).toFixed(1), y: (z.y - 5).toFixed(1), 'text-anchor': 'middle', class: 'adm-prefix' }, c.prefix) : null);
  });
  const labels = beats.map((beat, i) => {
    const mine = cells.filter((c) => c.i === i);
    if (!mine.length) return null;
    const p = at(...middle(mine));
    return svg('text', { x: p.x.toFixed(1), y: (p.y + 2).toFixed(1), 'text-anchor': 'middle', class: 'adm-beat-label',
      testid: `adm-map-label-${beat.id}` }, beat.name.split(' (')[0]);
  });
  const c = centre ? at(centre.lat, centre.lon) : null;
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'drawing', role: 'img', testid: 'adm-map-drawing',
    'aria-label': t('adm.map.drawing', { n: beats.filter((b, i) => cells.some((x) => x.i === i)).length, cells: cells.length }) },
  svg('rect', { x: 0, y: 0, width: W, height: H, class: 'ground' }), rects, labels,
  c ? svg('g', { class: 'centre', testid: 'adm-map-centre' }, svg('rect', { x: c.x - 7, y: c.y - 7, width: 14, height: 14 }),
    svg('text', { x: c.x, y: c.y - 12, 'text-anchor': 'middle' }, t('adm.map.centre'))) : null);
}

// middle is the mean of the cells' centres: where a beat's name goes.
function middle(cells) {
  const lat = cells.reduce((n, c) => n + (c.b.minLat + c.b.maxLat) / 2, 0) / cells.length;
  const lon = cells.reduce((n, c) => n + (c.b.minLon + c.b.maxLon) / 2, 0) / cells.length;
  return [lat, lon];
}

let leaflet = null;

// loadLeaflet adds Leaflet's style and script once, or fails within WAIT_MS.
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

// street puts Leaflet over the drawing and reports whether its tiles load
// (the map is taken away again when they do not).
async function street(beats, cells, centre, box, onLeave) {
  const L = await loadLeaflet();
  for (let i = 0; !box.isConnected && i < 60; i++) await new Promise((r) => requestAnimationFrame(r));
  if (!box.isConnected) return false;
  const el = h('div', { class: 'street', testid: 'adm-map-leaflet' });
  box.append(el);
  const map = L.map(el, { zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  const all = [];
  for (const c of cells) {
    const b = [[c.b.minLat, c.b.minLon], [c.b.maxLat, c.b.maxLon]];
    all.push(...b);
    L.rectangle(b, { color: colour(c.i), weight: 1.5, fillOpacity: 0.25 })
      .bindTooltip(h('span', {}, `${c.beat.name}: ${c.prefix}`), { sticky: true }).addTo(map);
  }
  beats.forEach((beat, i) => {
    const mine = cells.filter((c) => c.i === i);
    if (!mine.length) return;
    const span = h('span', { class: `adm-c${i % COLOURS.length}` }, beat.name.split(' (')[0]);
    L.marker(middle(mine), { icon: L.divIcon({ html: span, className: 'adm-leaflet-label', iconSize: null }), keyboard: false, interactive: false,
      zIndexOffset: 1000 }).addTo(map);
  });
  if (centre) L.marker([centre.lat, centre.lon], { icon: L.divIcon({ html: h('span', {}, t('adm.map.po')), className: 'pin centre', iconSize: [22, 22] }),
    title: t('adm.map.centre'), keyboard: false }).addTo(map);
  map.fitBounds(L.latLngBounds(all), { padding: [20, 20] });
  let gone = false;
  const drop = () => { if (!gone) { gone = true; map.remove(); } };
  onLeave(drop);
  const ok = await tiles(L, map);
  if (!ok) { drop(); el.remove(); }
  return ok;
}

function tiles(L, map) {
  const layer = L.tileLayer(TILES, { maxZoom: 19, referrerPolicy: 'strict-origin',
    attribution: `© <a href="https://www.openstreetmap.org/copyright">${t('list.map.osm')}</a>` });
  return new Promise((resolve) => {
    let loaded = 0;
    const timer = setTimeout(() => resolve(loaded > 0), WAIT_MS);
    layer.on('tileload', () => { loaded += 1; clearTimeout(timer); resolve(true); });
    layer.on('load', () => { if (!loaded) { clearTimeout(timer); resolve(false); } });
    layer.on('tileerror', () => { /* 'load' still follows when every tile has ended */ });
    layer.addTo(map);
  });
}
