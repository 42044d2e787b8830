package httpapi

import (
	"math"
	"math/rand/v2"
	"os/exec"
	"testing"

	"dakiya/internal/postal"
)

// digipinRunner checks the console's DIGIPIN code (adm-digipin.js) against
// the cases Go wrote: each point's code, the centre of each code's cell,
// and every prefix's box holding the point and the next prefix's box.
const digipinRunner = `import { readFileSync } from 'node:fs';
import { encode, box, symbols } from './digipin.mjs';
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bad = [];
const inside = (o, i) => o.minLat <= i.minLat && i.maxLat <= o.maxLat && o.minLon <= i.minLon && i.maxLon <= o.maxLon;
for (const x of cases) {
  const code = encode(x.lat, x.lon);
  if (code !== x.code) { bad.push(['encode', x, code]); continue; }
  if (code === null) continue;
  const b = box(code);
  if ((b.minLat + b.maxLat) / 2 !== x.clat || (b.minLon + b.maxLon) / 2 !== x.clon) bad.push(['centre', x, b]);
  const s = symbols(code);
  let outer = box(s[0]);
  for (let k = 1; k <= 10; k++) {
    const p = box(s.slice(0, k));
    if (!(p.minLat <= x.lat && x.lat <= p.maxLat && p.minLon <= x.lon && x.lon <= p.maxLon) || !inside(outer, p)) { bad.push(['prefix', x, k, p]); break; }
    outer = p;
  }
}
for (const p of ['', '-', 'A', '4P3J4T0', '4P3J4T4P3J4']) if (box(p) !== null) bad.push(['refuse', p]);
if (JSON.stringify(box(' 4p3-j ')) !== JSON.stringify(box('4P3J'))) bad.push(['hyphens', box(' 4p3-j ')]);
console.log(JSON.stringify({ n: cases.length, bad: bad.slice(0, 5), nbad: bad.length }));
`

type digipinCase struct {
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
	Code *string `json:"code"`
	CLat float64 `json:"clat"`
	CLon float64 `json:"clon"`
}

// TestDIGIPINAgreesWithGo runs the console's DIGIPIN decoder and encoder
// (pwa/console/adm-digipin.js) in node over thousands of points, random
// and on grid lines of every level and outside the grid, and compares each
// answer with internal/postal.
func TestDIGIPINAgreesWithGo(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	r := rand.New(rand.NewPCG(11, 7))
	var cases []digipinCase
	add := func(lat, lon float64) {
		c := digipinCase{Lat: lat, Lon: lon}
		if code, err := postal.EncodeDIGIPIN(lat, lon); err == nil {
			c.Code = &code
			if c.CLat, c.CLon, err = postal.DecodeDIGIPIN(code); err != nil {
				t.Fatal(err)
			}
		}
		cases = append(cases, c)
	}
	onLine := func(lo float64) float64 {
		level := 1 + r.IntN(postal.DIGIPINLevels)
		step := 36 / math.Pow(4, float64(level))
		return lo + step*float64(r.IntN(int(36/step)+1))
	}
	for range 3000 {
		add(2.5+36*r.Float64(), 63.5+36*r.Float64())
		add(onLine(2.5), onLine(63.5))
		add(onLine(2.5), 63.5+36*r.Float64())
		add(12.9+0.1*r.Float64(), 77.5+0.2*r.Float64())
	}
	for _, p := range [][2]float64{{28.622788, 77.213033}, {2.5, 63.5}, {38.5, 99.5}, {2.4, 70}, {20, 99.6}, {math.NaN(), 70}} {
		add(p[0], p[1])
	}
	cases = cases[:len(cases)-1] // NaN has no JSON; Go refuses it (TestDIGIPIN covers that)
	res := runInNode(t, node, "console/adm-digipin.js", "digipin.mjs", digipinRunner, cases)
	if res.N != len(cases) || res.NBad != 0 {
		t.Fatalf("the console disagrees with Go on %d of %d cases, e.g. %v", res.NBad, res.N, res.Bad)
	}
	t.Logf("console and Go agree on %d DIGIPIN cases", res.N)
}
