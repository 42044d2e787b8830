// The forecast's band chart, inline SVG like charts-svg.js: for each date
// the expected articles as a line with points, the 80 % and 95 % prediction
// intervals as shaded bands behind it. role="img" with the summary given;
// each point is a circle of class "fc-pt" with a <title> of its numbers.
// Colours come from console.css (the strict CSP allows no inline style).
import { s, ticks } from './charts-svg.js';

const W = 860;

// band draws points [{label, expected, lo80, hi80, lo95, hi95, title}] in
// date order; fmt writes an axis number, axis names the vertical axis.
export function band(points, { label, testid, fmt = String, axis = '', height = 260 }) {
  const ml = 56; const mr = 8; const mt = 24; const mb = 40;
  const pw = W - ml - mr; const ph = height - mt - mb;
  const ys = ticks(Math.max(0, ...points.map((p) => p.hi95)));
  const top = ys[ys.length - 1];
  const step = pw / Math.max(1, points.length);
  const x = (i) => ml + step * i + step / 2;
  const y = (v) => mt + ph - (v / top) * ph;
  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label, class: 'chart-svg', 'data-testid': testid,
    preserveAspectRatio: 'xMinYMin meet', focusable: 'false' });
  svg.append(s('text', { x: 4, y: 14, class: 'chart-axis-title' }, axis));
  for (const v of ys) {
    svg.append(s('line', { x1: ml, x2: W - mr, y1: y(v), y2: y(v), class: 'chart-grid' }),
      s('text', { x: ml - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, fmt(v)));
  }
  const area = (lo, hi) => {
    const up = points.map((p, i) => `${x(i)},${y(p[hi])}`);
    const down = points.map((p, i) => `${x(i)},${y(p[lo])}`).reverse();
    return [...up, ...down].join(' ');
  };
  if (points.length) {
    svg.append(s('polygon', { points: area('lo95', 'hi95'), class: 'fc-b95' }),
      s('polygon', { points: area('lo80', 'hi80'), class: 'fc-b80' }),
      s('polyline', { points: points.map((p, i) => `${x(i)},${y(p.expected)}`).join(' '), class: 'fc-line' }));
  }
  points.forEach((p, i) => {
    svg.append(s('circle', { cx: x(i), cy: y(p.expected), r: 4, class: `fc-pt${p.short ? ' fc-short' : ''}` }, s('title', {}, p.title)),
      s('text', { x: x(i), y: mt + ph + 18, 'text-anchor': 'middle', class: 'chart-tick' }, p.label));
  });
  svg.append(s('line', { x1: ml, x2: W - mr, y1: y(0), y2: y(0), class: 'chart-axis' }),
    s('line', { x1: ml, x2: ml, y1: mt, y2: y(0), class: 'chart-axis' }));
  return svg;
}
