// DIGIPIN, India Post's addressing grid, as far as the console needs it:
// the latitude/longitude box a code or a prefix of one names, and the code
// of a point. It walks the grid exactly as internal/postal/digipin.go does
// (TestDIGIPINAgreesWithGo checks that it agrees with the server).

const SYMBOLS = 'FC98J327K456LMPT'; // the 4 × 4 grid row by row, north-west first
const ROOT = { minLat: 2.5, maxLat: 38.5, minLon: 63.5, maxLon: 99.5 };
const LEVELS = 10;

// symbols returns a prefix's symbols upper-case without hyphens, or null
// when it is not 1–10 DIGIPIN symbols.
export function symbols(prefix) {
  const s = String(prefix).trim().toUpperCase().replaceAll('-', '');
  if (!s.length || s.length > LEVELS) return null;
  for (const c of s) if (!SYMBOLS.includes(c)) return null;
  return s;
}

// line is the k-th of the lines (0..4) dividing [lo, hi] into quarters; the
// outer ones are lo and hi themselves, so cells tile their parent exactly.
const line = (lo, hi, k) => (k === 4 ? hi : lo + ((hi - lo) / 4) * k);

function child(b, row, col) {
  return {
    minLat: line(b.minLat, b.maxLat, 3 - row), maxLat: line(b.minLat, b.maxLat, 4 - row),
    minLon: line(b.minLon, b.maxLon, col), maxLon: line(b.minLon, b.maxLon, col + 1),
  };
}

// box returns the cell a DIGIPIN or a prefix of one names, as {minLat,
// maxLat, minLon, maxLon}, or null when it is not one.
export function box(prefix) {
  const s = symbols(prefix);
  if (!s) return null;
  let b = ROOT;
  for (const c of s) {
    const i = SYMBOLS.indexOf(c);
    b = child(b, Math.floor(i / 4), i % 4);
  }
  return b;
}

// quarterOf is which quarter of [lo, hi] holds v, clamped to 0..3 (a point
// on a line between quarters is in the upper one).
function quarterOf(v, lo, hi) {
  return Math.max(0, Math.min(3, Math.floor((v - lo) / ((hi - lo) / 4))));
}

// encode returns the DIGIPIN (XXX-XXX-XXXX) of a point, or null outside the grid.
export function encode(lat, lon) {
  if (!(lat >= ROOT.minLat && lat <= ROOT.maxLat && lon >= ROOT.minLon && lon <= ROOT.maxLon)) return null;
  let b = ROOT;
  let code = '';
  for (let i = 0; i < LEVELS; i++) {
    const row = 3 - quarterOf(lat, b.minLat, b.maxLat);
    const col = quarterOf(lon, b.minLon, b.maxLon);
    code += SYMBOLS[row * 4 + col];
    b = child(b, row, col);
  }
  return `${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6)}`;
}
