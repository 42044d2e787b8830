// The map of a beat, loaded only when the postman opens it. A drawing of
// the stops in route order (numbered, the centre, a scale and north) shows
// at once and works offline; Leaflet (vendored, loaded here on demand as a
// classic script) with OpenStreetMap tiles replaces it once a tile has
// loaded. If Leaflet or the tiles cannot load (offline, no signal, tiles
// failing or too slow) the drawing stays and the postman is told why.
import { h } from './ui.js';
import { t } from './i18n.js';
import { svg, icon } from './icons.js';
import { placed, far } from './geo.js';

const LEAFLET_JS = '/vendor/leaflet/leaflet.js';
const LEAFLET_CSS = '/vendor/leaflet/leaflet.css';
const TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const SCRIPT_MS = 8000; // for Leaflet itself to load
const TILES_MS = 8000; // for the first tile to load
const W = 360; // the drawing's box
const H = 440;

// beatMap shows the manifest's stops (in route order, with their states
// in st) and returns at once; the street map comes later if it can.
// opts.link(stop) is where a stop's point leads (default: the postman's
// stop screen; null: nowhere); opts.legend false leaves out the states'
// legend (the console's drafts have no states yet); opts.leave(fn), when
// given, is told how to take the street map away (besides a hashchange).
export function beatMap(m, stops, st, opts = {}) {
  const o = { link: (s) => `#/m/${m.id}/s/${s.stop_id}`, legend: true, ...opts };
  const pts = stops.filter(placed);
  const next = stops.find((s) => st.get(s.stop_id).pending);
  const note = h('p', { role: 'status', testid: 'map-status' }, t('list.map.loading'));
  const box = h('div', { class: 'mapbox', testid: 'map-box', 'data-map': 'loading' }, drawing(m, pts, st, next, o.link));
  const away = stops.filter((s) => !placed(s));
  const out = h('div', { class: 'stack' }, note, box, o.legend ? legend() : null,
    away.length ? h('p', { testid: 'map-unplaced' }, t('list.map.unplaced', { n: away.length, list: away.map((s) => s.seq).join(', ') })) : null);
  const fallback = (why) => { box.dataset.map = 'drawing'; note.textContent = t(`list.map.${why}`); };
  if (!pts.length) fallback('none');
  else if (!navigator.onLine) fallback('offline');
  else {
    street(m, pts, st, next, box, o).then((ok) => {
      if (ok) { box.dataset.map = 'tiles'; note.textContent = ''; } else fallback('noTiles');
    }, () => fallback('noLeaflet'));
  }
  return out;
}

function legend() {
  return h('ul', { class: 'legend plain row', testid: 'map-legend' },
    ['pending', 'delivered', 'failed', 'mixed'].map((s) => h('li', { class: `state ${s}` }, icon(s), t(`list.map.${s}`))));
}

// drawing is the route as a plain SVG: numbered stops joined in route
// order from the centre, the way back dashed, a scale bar and north. Each
// stop opens where link says.
function drawing(m, pts, st, next, link) {
  if (!pts.length) return h('p', { testid: 'map-drawing-empty' }, t('list.map.none'));
  const centre = placed(m.centre) ? m.centre : null;
  const { xy, metresPerUnit } = fit(centre ? [...pts, centre] : pts, W, H, 30);
  const c = centre ? xy[pts.length] : null;
  const line = (c ? [c] : []).concat(xy.slice(0, pts.length));
  const dot = (s, i) => {
    const p = xy[i];
    const href = link(s);
    return svg(href ? 'a' : 'g', { href, class: `pt ${st.get(s.stop_id).state}${s === next ? ' next' : ''}`,
      testid: `map-point-${s.stop_id}`, 'aria-label': href ? `${s.seq}. ${s.recipient_name}` : null },
    svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: s === next ? 14 : 11 }),
    svg('text', { x: p.x.toFixed(1), y: (p.y + 4.5).toFixed(1), 'text-anchor': 'middle' }, String(s.seq)));
  };
  const dots = pts.map(dot);
  const top = pts.indexOf(next);
  if (top >= 0) dots.push(dots.splice(top, 1)[0]); // the next stop drawn last, on top
  return svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'drawing', role: 'img', testid: 'map-drawing',
    'aria-label': t('list.map.drawing', { n: pts.length }) },
  svg('rect', { x: 0, y: 0, width: W, height: H, class: 'ground' }),
  svg('polyline', { points: line.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '), class: 'route' }),
  c ? svg('line', { x1: line.at(-1).x, y1: line.at(-1).y, x2: c.x, y2: c.y, class: 'route back' }) : null,
  c ? svg('g', { class: 'centre', testid: 'map-centre' },
    svg('rect', { x: c.x - 9, y: c.y - 9, width: 18, height: 18 }),
    svg('text', { x: c.x, y: c.y - 14, 'text-anchor': 'middle' }, t('list.map.centre'))) : null,
  dots, scaleBar(metresPerUnit), north());
}

// scaleBar is a round distance no longer than a third of the drawing.
function scaleBar(mpu) {
  const len = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000].filter((d) => d / mpu <= W / 3).at(-1) || 20;
  const x = 12;
  const y = H - 14;
  const w = len / mpu;
  return svg('g', { class: 'scale', testid: 'map-scale' },
    svg('path', { d: `M${x} ${y - 6}v6h${w.toFixed(1)}v-6` }),
    svg('text', { x: x + w + 6, y }, far(len)));
}

function north() {
  return svg('g', { class: 'north' }, svg('path', { d: `M${W - 22} 34l8-24 8 24-8-6z` }),
    svg('text', { x: W - 14, y: 50, 'text-anchor': 'middle' }, t('list.map.north')));
}

let leaflet = null;

// loadLeaflet adds Leaflet's style and script once, or fails within SCRIPT_MS.
function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  leaflet ||= new Promise((resolve, reject) => {
    if (!document.querySelector(`link[href="${LEAFLET_CSS}"]`)) document.head.append(h('link', { rel: 'stylesheet', href: LEAFLET_CSS }));
    const el = h('script', { src: LEAFLET_JS, onload: () => resolve(window.L), onerror: () => { el.remove(); reject(new Error('leaflet')); } });
    document.head.append(el);
    setTimeout(() => reject(new Error('leaflet: timeout')), SCRIPT_MS);
  }).catch((err) => { leaflet = null; throw err; });
  return leaflet;
}

// street puts Leaflet over the drawing and reports whether its tiles load:
// true at the first tile, false when every tile of the view failed or none
// came within TILES_MS (the map is then taken away again).
async function street(m, pts, st, next, box, { link, leave }) {
  const L = await loadLeaflet();
  const el = h('div', { class: 'street', testid: 'map-leaflet' });
  box.append(el);
  const map = L.map(el, { zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  const ll = pts.map((s) => [s.lat, s.lon]);
  const ring = placed(m.centre) ? [[m.centre.lat, m.centre.lon], ...ll, [m.centre.lat, m.centre.lon]] : ll;
  L.polyline(ring, { color: '#b3261e', weight: 4, opacity: 0.8 }).addTo(map);
  if (placed(m.centre)) L.marker(ring[0], { icon: pin('centre', t('list.map.po')), title: t('list.map.centre'), keyboard: false }).addTo(map);
  for (const s of pts) {
    const href = link(s);
    const mk = L.marker([s.lat, s.lon], { icon: pin(`${st.get(s.stop_id).state}${s === next ? ' next' : ''}`, String(s.seq)),
      title: `${s.seq}. ${s.recipient_name}`, zIndexOffset: s === next ? 1000 : 0, keyboard: Boolean(href) });
    if (href) mk.on('click', () => { location.hash = href; });
    mk.addTo(map);
  }
  map.fitBounds(L.latLngBounds(ring), { padding: [28, 28], maxZoom: 17 });
  // The map goes with the screen (Leaflet listens on the window), once.
  let gone = false;
  const drop = () => {
    if (gone) return;
    gone = true;
    removeEventListener('hashchange', drop);
    map.remove();
  };
  addEventListener('hashchange', drop);
  leave?.(drop);
  const ok = await tiles(L, map);
  if (!ok) { drop(); el.remove(); }
  return ok;
}

function tiles(L, map) {
  const layer = L.tileLayer(TILES, { maxZoom: 19, referrerPolicy: 'strict-origin',
    attribution: `© <a href="https://www.openstreetmap.org/copyright">${t('list.map.osm')}</a>` });
  return new Promise((resolve) => {
    let loaded = 0;
    const timer = setTimeout(() => resolve(loaded > 0), TILES_MS);
    layer.on('tileload', () => { loaded += 1; clearTimeout(timer); resolve(true); });
    layer.on('load', () => { if (!loaded) { clearTimeout(timer); resolve(false); } });
    layer.addTo(map);
  });
}

// pin is a numbered marker drawn by the app's own style (no marker images).
function pin(cls, label) {
  return window.L.divIcon({ html: h('span', {}, label), className: `pin ${cls}`, iconSize: [30, 30], iconAnchor: [15, 15] });
}

// fit projects points (lat, lon) into a w × h box with a margin, north up,
// keeping the scale the same both ways. It returns the projected points and
// how many metres one unit is.
function fit(points, w, h, margin) {
  const lat0 = points.reduce((n, p) => n + p.lat, 0) / points.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = points.map((p) => p.lon * k);
  const ys = points.map((p) => -p.lat);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const least = 0.002; // about 200 m: one stop, or a tight cluster, is not blown up
  const scale = Math.min((w - 2 * margin) / Math.max(x1 - x0, least), (h - 2 * margin) / Math.max(y1 - y0, least));
  const ox = (w - (x1 - x0) * scale) / 2;
  const oy = (h - (y1 - y0) * scale) / 2;
  return {
    xy: points.map((_, i) => ({ x: ox + (xs[i] - x0) * scale, y: oy + (ys[i] - y0) * scale })),
    metresPerUnit: (Math.PI / 180) * 6_371_008.8 / scale,
  };
}
