package postal

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// digipinCellSize is the side of a level-10 cell in degrees: 36° / 4¹⁰, an
// exact binary fraction.
const digipinCellSize = 36.0 / (1 << 20)

func TestEncodeDIGIPINDakBhawan(t *testing.T) {
	const lat, lon = 28.622788, 77.213033
	got, err := EncodeDIGIPIN(lat, lon)
	if err != nil || got != "39J-49L-L8T4" {
		t.Fatalf("EncodeDIGIPIN(%v, %v) = %q, %v; want 39J-49L-L8T4", lat, lon, got, err)
	}
	dLat, dLon, err := DecodeDIGIPIN(got)
	if err != nil {
		t.Fatalf("DecodeDIGIPIN(%q): %v", got, err)
	}
	wantNear(t, dLat, dLon, lat, lon)
}

// TestDIGIPINRoundTrip encodes random points in the box and checks that the
// decoded centre is within half a cell of the point and encodes back to the
// same code.
func TestDIGIPINRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 6))
	for range 100_000 {
		lat := digipinMinLat + r.Float64()*(digipinMaxLat-digipinMinLat)
		lon := digipinMinLon + r.Float64()*(digipinMaxLon-digipinMinLon)
		code := mustEncode(t, lat, lon)
		dLat, dLon, err := DecodeDIGIPIN(code)
		if err != nil {
			t.Fatalf("DecodeDIGIPIN(%q): %v", code, err)
		}
		wantNear(t, dLat, dLon, lat, lon)
		if again := mustEncode(t, dLat, dLon); again != code {
			t.Fatalf("(%v, %v) → %q → (%v, %v) → %q", lat, lon, code, dLat, dLon, again)
		}
	}
}

// TestEncodeDIGIPINOnLines checks the level-1 lines lat 20.5 and lon 81.5,
// and the points one ulp south and west of them: a point on a horizontal
// line belongs to the cell north of it, on a vertical line to the cell east.
func TestEncodeDIGIPINOnLines(t *testing.T) {
	south := math.Nextafter(20.5, math.Inf(-1))
	west := math.Nextafter(81.5, math.Inf(-1))
	tests := []struct {
		name     string
		lat, lon float64
		first    byte // row, col
	}{
		{"on horizontal line", 20.5, 70, 'J'},             // 1, 0
		{"just south of horizontal line", south, 70, 'K'}, // 2, 0
		{"on vertical line", 25, 81.5, '2'},               // 1, 2
		{"just west of vertical line", 25, west, '3'},     // 1, 1
		{"on both lines", 20.5, 81.5, '2'},                // 1, 2
		{"south of crossing", south, 81.5, '5'},           // 2, 2
		{"west of crossing", 20.5, west, '3'},             // 1, 1
		{"south-west of crossing", south, west, '4'},      // 2, 1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustEncode(t, tt.lat, tt.lon); got[0] != tt.first {
				t.Errorf("EncodeDIGIPIN(%v, %v) = %q, want it to start with %c", tt.lat, tt.lon, got, tt.first)
			}
		})
	}
}

// TestDIGIPINGridLines checks the line rules at every level: for random
// cells, the south-west corner lies in the cell (its southern and western
// lines belong to it) and the points an ulp south or west of it do not,
// while the northern and eastern lines belong to the neighbours and the
// points an ulp inside them to the cell.
func TestDIGIPINGridLines(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 16))
	for range 3000 {
		code := randomDIGIPIN(r)
		for level := 1; level <= DIGIPINLevels; level++ {
			checkCellLines(t, code[:level])
		}
	}
}

// checkCellLines checks the line rules around the cell named by prefix.
func checkCellLines(t testing.TB, prefix string) {
	t.Helper()
	b := prefixCell(prefix)
	down := func(v float64) float64 { return math.Nextafter(v, math.Inf(-1)) }
	in := func(lat, lon float64) bool { return strings.HasPrefix(unhyphen(mustEncode(t, lat, lon)), prefix) }
	pad := func(c string) string { return prefix + strings.Repeat(c, DIGIPINLevels-len(prefix)) }

	if got := unhyphen(mustEncode(t, b.minLat, b.minLon)); got != pad("L") {
		t.Fatalf("south-west corner of %s: got %s, want %s", prefix, got, pad("L"))
	}
	if got := unhyphen(mustEncode(t, down(b.maxLat), down(b.maxLon))); got != pad("8") {
		t.Fatalf("an ulp inside the north-east corner of %s: got %s, want %s", prefix, got, pad("8"))
	}
	if b.minLat > digipinMinLat && in(down(b.minLat), b.minLon) {
		t.Fatalf("an ulp south of %s's southern line is in it", prefix)
	}
	if b.minLon > digipinMinLon && in(b.minLat, down(b.minLon)) {
		t.Fatalf("an ulp west of %s's western line is in it", prefix)
	}
	if b.maxLat < digipinMaxLat && in(b.maxLat, b.minLon) {
		t.Fatalf("%s's northern line is in it", prefix)
	}
	if b.maxLon < digipinMaxLon && in(b.minLat, b.maxLon) {
		t.Fatalf("%s's eastern line is in it", prefix)
	}
}

// TestEncodeDIGIPINBoxEdges checks that the corners and edges of the box
// encode, the northern and eastern ones clamped into the outermost cells.
func TestEncodeDIGIPINBoxEdges(t *testing.T) {
	tests := []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"north-east corner", 38.5, 99.5, "888-888-8888"},
		{"north-west corner", 38.5, 63.5, "FFF-FFF-FFFF"},
		{"south-west corner", 2.5, 63.5, "LLL-LLL-LLLL"},
		{"south-east corner", 2.5, 99.5, "TTT-TTT-TTTT"},
		{"north edge on a line", 38.5, 81.5, "9FF-FFF-FFFF"},
		{"east edge on a line", 20.5, 99.5, "7TT-TTT-TTTT"},
		{"south edge on a line", 2.5, 81.5, "PLL-LLL-LLLL"},
		{"west edge on a line", 20.5, 63.5, "JLL-LLL-LLLL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustEncode(t, tt.lat, tt.lon)
			if got != tt.want {
				t.Fatalf("EncodeDIGIPIN(%v, %v) = %q, want %q", tt.lat, tt.lon, got, tt.want)
			}
			lat, lon, err := DecodeDIGIPIN(got)
			if err != nil {
				t.Fatalf("DecodeDIGIPIN(%q): %v", got, err)
			}
			wantNear(t, lat, lon, tt.lat, tt.lon)
		})
	}
}

func TestEncodeDIGIPINOutside(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name     string
		lat, lon float64
		msg      string
	}{
		{"an ulp south", math.Nextafter(2.5, 0), 80, "latitude"},
		{"an ulp north", math.Nextafter(38.5, 90), 80, "latitude"},
		{"an ulp west", 20, math.Nextafter(63.5, 0), "longitude"},
		{"an ulp east", 20, math.Nextafter(99.5, 180), "longitude"},
		{"null island", 0, 0, "latitude"},
		{"southern hemisphere", -28.6, 77.2, "latitude"},
		{"lat and lon swapped", 77.2, 28.6, "latitude"},
		{"NaN latitude", nan, 80, "latitude"},
		{"NaN longitude", 20, nan, "longitude"},
		{"+Inf latitude", inf, 80, "latitude"},
		{"-Inf latitude", -inf, 80, "latitude"},
		{"+Inf longitude", 20, inf, "longitude"},
		{"-Inf longitude", 20, -inf, "longitude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeDIGIPIN(tt.lat, tt.lon)
			if err == nil {
				t.Fatalf("EncodeDIGIPIN(%v, %v) = %q, want an error", tt.lat, tt.lon, got)
			}
			wantInvalid(t, err, tt.msg)
		})
	}
}

func TestDecodeDIGIPINForms(t *testing.T) {
	wantLat, wantLon, err := DecodeDIGIPIN("39J-49L-L8T4")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"39J-49L-L8T4", "39J49LL8T4", "39j-49l-l8t4", "39j49ll8t4", " 39J-49L-L8T4\n"} {
		t.Run(code, func(t *testing.T) {
			lat, lon, err := DecodeDIGIPIN(code)
			if err != nil || lat != wantLat || lon != wantLon {
				t.Errorf("DecodeDIGIPIN(%q) = %v, %v, %v; want %v, %v", code, lat, lon, err, wantLat, wantLon)
			}
			if got, err := NormalizeDIGIPIN(code); err != nil || got != "39J-49L-L8T4" {
				t.Errorf("NormalizeDIGIPIN(%q) = %q, %v; want 39J-49L-L8T4", code, got, err)
			}
		})
	}
}

func TestDecodeDIGIPINInvalid(t *testing.T) {
	tests := []struct {
		name, code, msg string
	}{
		{"empty", "", "10 symbols"},
		{"nine symbols", "39J-49L-L8T", "10 symbols"},
		{"eleven symbols", "39J49LL8T44", "10 symbols"},
		{"one hyphen", "39J49L-L8T4", "10 symbols"},
		{"misplaced hyphens", "39-J49-LL8T4", "10 symbols"},
		{"trailing hyphen", "39J-49L-L8T4-", "10 symbols"},
		{"spaces for hyphens", "39J 49L L8T4", "10 symbols"},
		{"zero", "39J-49L-L8T0", "symbol 10"},
		{"one", "19J-49L-L8T4", "symbol 1"},
		{"letter A", "39J-A9L-L8T4", "symbol 4"},
		{"letter O", "39J49LL8O4", "symbol 9"},
		{"non-ASCII", "39J-49L-L8Tё", "10 symbols"},
		{"hyphen as symbol", "39J49L-L8T", "symbol 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lat, lon, err := DecodeDIGIPIN(tt.code)
			if err == nil {
				t.Fatalf("DecodeDIGIPIN(%q) = %v, %v; want an error", tt.code, lat, lon)
			}
			wantInvalid(t, err, tt.msg)
			if got, err := NormalizeDIGIPIN(tt.code); err == nil {
				t.Errorf("NormalizeDIGIPIN(%q) = %q, want an error", tt.code, got)
			}
		})
	}
}

// FuzzDecodeDIGIPIN checks that DecodeDIGIPIN never panics, fails only with
// CodeInvalid, and that every code it accepts decodes to a point in the box
// that encodes back to the code's normal form.
func FuzzDecodeDIGIPIN(f *testing.F) {
	for _, s := range []string{"39J-49L-L8T4", "39j49ll8t4", "888-888-8888", "LLL-LLL-LLLL",
		"39J-49L-L8T0", "", "39J-49L-L8T", "39J49L-L8T4", "ёёё-ёёё-ёёёё"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		lat, lon, err := DecodeDIGIPIN(code)
		if err != nil {
			wantInvalid(t, err, "")
			return
		}
		norm, err := NormalizeDIGIPIN(code)
		if err != nil {
			t.Fatalf("DecodeDIGIPIN accepts %q but NormalizeDIGIPIN says %v", code, err)
		}
		if got := mustEncode(t, lat, lon); got != norm {
			t.Fatalf("%q → (%v, %v) → %q, want %q", code, lat, lon, got, norm)
		}
	})
}

// mustEncode encodes a point that must have a DIGIPIN.
func mustEncode(t testing.TB, lat, lon float64) string {
	t.Helper()
	code, err := EncodeDIGIPIN(lat, lon)
	if err != nil {
		t.Fatalf("EncodeDIGIPIN(%v, %v): %v", lat, lon, err)
	}
	return code
}

// wantNear fails t unless (lat, lon) is within half a level-10 cell of
// (wantLat, wantLon) on both axes.
func wantNear(t testing.TB, lat, lon, wantLat, wantLon float64) {
	t.Helper()
	if math.Abs(lat-wantLat) > digipinCellSize/2 || math.Abs(lon-wantLon) > digipinCellSize/2 {
		t.Fatalf("(%v, %v) is more than half a cell from (%v, %v)", lat, lon, wantLat, wantLon)
	}
}

// randomDIGIPIN returns ten random symbols, without hyphens.
func randomDIGIPIN(r *rand.Rand) string {
	var b [DIGIPINLevels]byte
	for i := range b {
		b[i] = digipinSymbols[r.IntN(len(digipinSymbols))]
	}
	return string(b[:])
}

// prefixCell returns the cell named by the first symbols of a code.
func prefixCell(prefix string) geoBox {
	b := digipinRoot()
	for i := range len(prefix) {
		k := strings.IndexByte(digipinSymbols, prefix[i])
		b = b.child(k/4, k%4)
	}
	return b
}

// unhyphen removes a code's hyphens.
func unhyphen(code string) string { return strings.ReplaceAll(code, "-", "") }
