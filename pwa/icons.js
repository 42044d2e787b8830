// Inline SVG icons (no icon font): article kinds and stop states. Each is
// drawn in currentColor and always shown beside its word, never alone.
const NS = 'http://www.w3.org/2000/svg';

// svg builds an SVG element, as h() builds HTML ones.
export function svg(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) continue;
    if (k === 'testid') el.dataset.testid = v;
    else el.setAttribute(k, String(v));
  }
  for (const kid of kids.flat()) {
    if (kid != null) el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

const shapes = {
  letter: ['M3 6h18v12H3z', 'M3 7l9 6 9-6'],
  registered: ['M12 2l3 3h4v4l3 3-3 3v4h-4l-3 3-3-3H5v-4l-3-3 3-3V5h4z', 'M8 12l3 3 5-6'],
  speed_post: ['M13 2L4 14h7l-1 8 9-12h-7z'],
  parcel: ['M3 7l9-4 9 4v10l-9 4-9-4z', 'M3 7l9 4 9-4', 'M12 11v10'],
  cod: ['M6 4h12', 'M6 9h12', 'M9 4c7 0 7 10 0 10H7l8 7'],
  delivered: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20z', 'M7 12l3 3 7-7'],
  failed: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20z', 'M8 8l8 8', 'M16 8l-8 8'],
  pending: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20z', 'M12 6v6l4 2'],
  mixed: ['M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20z', 'M12 2v20'],
};

// icon is a kind's or a state's picture, hidden from screen readers (the
// word beside it is what they read).
export function icon(name) {
  return svg('svg', { class: `icon icon-${name}`, viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    (shapes[name] || shapes.letter).map((d) => svg('path', { d })));
}
