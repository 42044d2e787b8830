// Small bar charts drawn as inline SVG, no library: columns (vertical bars,
// grouped, for counts over days or minutes) and rows (horizontal bars with
// the label above each, so long Hindi labels have the whole width). Every
// chart is role="img" with the aria-label given (its summary in words);
// only bars with a value above zero are drawn, each a rect of class "chart-bar"
// (so a test can count them) with a <title> saying its number. Colours
// come from classes in console.css (the strict CSP allows no inline style).
const NS = 'http://www.w3.org/2000/svg';
const W = 860;

// s makes an SVG element with attributes and children.
export function s(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const kid of kids.flat()) if (kid != null) el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  return el;
}

// ticks gives round axis steps from 0 to at least max (about four steps).
export function ticks(max) {
  if (!(max > 0)) return [0, 1];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((v) => v >= raw));
  const out = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

function frame(label, height, testid) {
  return s('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label, class: 'chart-svg', 'data-testid': testid,
    preserveAspectRatio: 'xMinYMin meet', focusable: 'false' });
}

// columns draws groups of vertical bars. groups: [{label, bars: [{value,
// cls, title}]}], label written under the group; fmt(n) writes an axis
// number; opts.every shows every n-th group's label; opts.axis names the
// vertical axis.
export function columns(groups, { label, testid, fmt = String, axis = '', every = 1, height = 300 }) {
  const ml = 56; const mr = 8; const mt = 24; const mb = 48;
  const pw = W - ml - mr; const ph = height - mt - mb;
  const max = Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.value)));
  const ys = ticks(max);
  const top = ys[ys.length - 1];
  const y = (v) => mt + ph - (v / top) * ph;
  const svg = frame(label, height, testid);
  svg.append(s('text', { x: 4, y: 14, class: 'chart-axis-title' }, axis));
  for (const v of ys) {
    svg.append(s('line', { x1: ml, x2: W - mr, y1: y(v), y2: y(v), class: 'chart-grid' }),
      s('text', { x: ml - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, fmt(v)));
  }
  const gw = pw / Math.max(1, groups.length);
  groups.forEach((g, gi) => {
    const bw = Math.min(26, (gw * 0.8) / Math.max(1, g.bars.length));
    const x0 = ml + gi * gw + (gw - bw * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      if (!(b.value > 0)) return;
      svg.append(s('rect', { x: x0 + bi * bw, y: y(b.value), width: Math.max(1, bw - 2), height: y(0) - y(b.value), class: `chart-bar ${b.cls || ''}` },
        s('title', {}, b.title)));
    });
    if (gi % every === 0) svg.append(s('text', { x: ml + gi * gw + gw / 2, y: mt + ph + 18, 'text-anchor': 'middle', class: 'chart-tick' }, g.label));
  });
  svg.append(s('line', { x1: ml, x2: W - mr, y1: y(0), y2: y(0), class: 'chart-axis' }),
    s('line', { x1: ml, x2: ml, y1: mt, y2: y(0), class: 'chart-axis' }));
  return svg;
}

// rows draws one horizontal bar per item: [{label, value, text, cls}],
// its label above it and text (the value in words) after it; max is the
// scale's end (1 for a rate); fmt writes the axis numbers.
export function rows(items, { label, testid, max, fmt = String }) {
  const ml = 24; const mr = 150; const rh = 46; const mt = 8; const axis = 28;
  const pw = W - ml - mr;
  const end = max ?? ticks(Math.max(0, ...items.map((i) => i.value))).at(-1);
  const xs = max === 1 ? [0, 0.25, 0.5, 0.75, 1] : ticks(end);
  const top = xs[xs.length - 1];
  const x = (v) => ml + (v / top) * pw;
  const height = mt + items.length * rh + axis;
  const svg = frame(label, height, testid);
  for (const v of xs) {
    svg.append(s('line', { x1: x(v), x2: x(v), y1: mt, y2: height - axis, class: 'chart-grid' }),
      s('text', { x: x(v), y: height - 8, 'text-anchor': 'middle', class: 'chart-tick' }, fmt(v)));
  }
  items.forEach((it, i) => {
    const y0 = mt + i * rh;
    svg.append(s('text', { x: ml + 6, y: y0 + 16, class: 'chart-label' }, it.label));
    if (it.value > 0) {
      svg.append(s('rect', { x: ml, y: y0 + 22, width: Math.max(1, x(it.value) - ml), height: 18, class: `chart-bar ${it.cls || ''}` },
        s('title', {}, `${it.label}: ${it.text}`)));
    }
    svg.append(s('text', { x: x(it.value) + 6, y: y0 + 36, class: 'chart-value' }, it.text));
  });
  svg.append(s('line', { x1: ml, x2: ml, y1: mt, y2: height - axis, class: 'chart-axis' }));
  return svg;
}
