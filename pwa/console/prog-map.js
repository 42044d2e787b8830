// The progress screen's map of the centre's beats: every stop of the slot
// (delivered, not delivered, to deliver, overdue: each its own colour AND
// shape, with a legend) and each postman's last position with their name
// and the time. A plain SVG drawing shows at once and is all there is
// offline; Leaflet (vendored, loaded on demand by ../leaflet.js)
// with OpenStreetMap tiles goes over it once a tile has loaded. update()
// redraws both with new states without loading anything again.
import { h } from '../ui.js';
import { t, time, distance } from '../i18n.js';
import { svg } from '../icons.js';
import { loadLeaflet, mount, tilesLoaded, fit } from '../leaflet.js';

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

// streetMap puts Leaflet over the drawing; it resolves to { draw, remove }
// at the first tile, or null (the map taken away) when none loads.
async function streetMap(box, points) {
  const L = await loadLeaflet(WAIT_MS);
  if (!(await attached(box))) return null;
  const { el, map } = mount(L, box, 'prog-leaflet');
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
  const ok = await tilesLoaded(L, map, WAIT_MS, t('list.map.osm'));
  if (!ok || !box.isConnected) { map.remove(); el.remove(); return null; }
  return { draw, remove: () => map.remove() };
}

// attached waits (up to 5 s) for the screen to be on the page: Leaflet
// measures its box.
async function attached(el) {
  for (let i = 0; i < 50 && !el.isConnected; i++) await new Promise((r) => setTimeout(r, 100));
  return el.isConnected;
}
