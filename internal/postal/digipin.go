package postal

import (
	"math"
	"strings"
)

// DIGIPINLevels is the number of symbols in a DIGIPIN, one per level of
// subdivision; the last level's cells are about 3.8 m square.
const DIGIPINLevels = 10

// digipinSymbols is the 4 × 4 symbol grid read row by row, the first row
// northernmost and the first column westernmost.
const digipinSymbols = "FC98J327K456LMPT"

// The DIGIPIN bounding box (EPSG:4326, degrees).
const (
	digipinMinLat = 2.5
	digipinMaxLat = 38.5
	digipinMinLon = 63.5
	digipinMaxLon = 99.5
)

// geoBox is a latitude/longitude rectangle: one DIGIPIN cell at some level.
type geoBox struct {
	minLat, maxLat, minLon, maxLon float64
}

// digipinRoot returns the whole DIGIPIN bounding box.
func digipinRoot() geoBox {
	return geoBox{digipinMinLat, digipinMaxLat, digipinMinLon, digipinMaxLon}
}

// EncodeDIGIPIN returns the DIGIPIN of the ~3.8 m cell holding the point, in
// the form "XXX-XXX-XXXX". A point on a grid line belongs to the cell east
// or north of it; a point on the box's northern or eastern edge to the
// outermost cell. A point outside the box, NaN or infinite, is CodeInvalid.
func EncodeDIGIPIN(lat, lon float64) (string, error) {
	if err := checkDIGIPINPoint(lat, lon); err != nil {
		return "", err
	}
	var code [DIGIPINLevels]byte
	b := digipinRoot()
	for i := range code {
		row, col := b.cellOf(lat, lon)
		code[i] = digipinSymbols[row*4+col]
		b = b.child(row, col)
	}
	return hyphenateDIGIPIN(code[:]), nil
}

// DecodeDIGIPIN returns the centre of the cell that code names. The code
// may be written with or without its two hyphens, in either case.
func DecodeDIGIPIN(code string) (lat, lon float64, err error) {
	b, err := digipinCell(code)
	if err != nil {
		return 0, 0, err
	}
	return (b.minLat + b.maxLat) / 2, (b.minLon + b.maxLon) / 2, nil
}

// NormalizeDIGIPIN validates code and returns it upper-case and hyphenated,
// "XXX-XXX-XXXX".
func NormalizeDIGIPIN(code string) (string, error) {
	symbols, err := digipinSymbolsOf(code)
	if err != nil {
		return "", err
	}
	return hyphenateDIGIPIN(symbols), nil
}

// checkDIGIPINPoint rejects points that have no DIGIPIN. The comparisons
// are written so that NaN fails them.
func checkDIGIPINPoint(lat, lon float64) error {
	if !(lat >= digipinMinLat && lat <= digipinMaxLat) {
		return Errorf(CodeInvalid, "latitude must be between 2.5 and 38.5 degrees for a DIGIPIN")
	}
	if !(lon >= digipinMinLon && lon <= digipinMaxLon) {
		return Errorf(CodeInvalid, "longitude must be between 63.5 and 99.5 degrees for a DIGIPIN")
	}
	return nil
}

// digipinCell walks code down from the bounding box and returns its cell.
func digipinCell(code string) (geoBox, error) {
	symbols, err := digipinSymbolsOf(code)
	if err != nil {
		return geoBox{}, err
	}
	b := digipinRoot()
	for _, s := range symbols {
		i := strings.IndexByte(digipinSymbols, s)
		b = b.child(i/4, i%4)
	}
	return b, nil
}

// digipinSymbolsOf returns the ten upper-case symbols of code, which may
// carry its hyphens after the third and sixth symbols or none at all.
func digipinSymbolsOf(code string) ([]byte, error) {
	s := upperASCII(strings.TrimSpace(code))
	if len(s) == DIGIPINLevels+2 && s[3] == '-' && s[7] == '-' {
		s = s[:3] + s[4:7] + s[8:]
	}
	if len(s) != DIGIPINLevels {
		return nil, Errorf(CodeInvalid, "DIGIPIN must be 10 symbols, written XXX-XXX-XXXX")
	}
	for i := range len(s) {
		if strings.IndexByte(digipinSymbols, s[i]) < 0 {
			return nil, Errorf(CodeInvalid,
				"DIGIPIN symbol %d is not one of 2-9, C, F, J, K, L, M, P, T", i+1)
		}
	}
	return []byte(s), nil
}

// hyphenateDIGIPIN writes ten symbols as "XXX-XXX-XXXX".
func hyphenateDIGIPIN(symbols []byte) string {
	return string(symbols[:3]) + "-" + string(symbols[3:6]) + "-" + string(symbols[6:])
}

// cellOf returns the grid row (0 = north) and column (0 = west) of the
// sub-cell of b that holds the point.
func (b geoBox) cellOf(lat, lon float64) (row, col int) {
	return 3 - quarterOf(lat, b.minLat, b.maxLat), quarterOf(lon, b.minLon, b.maxLon)
}

// child returns the sub-cell of b at the given grid row and column.
func (b geoBox) child(row, col int) geoBox {
	var c geoBox
	c.minLat, c.maxLat = quarter(b.minLat, b.maxLat, 3-row)
	c.minLon, c.maxLon = quarter(b.minLon, b.maxLon, col)
	return c
}

// quarterOf returns which quarter of [lo, hi], counted from lo, holds v: the
// DIGIPIN formula floor((v − lo) / step), clamped to 0..3. On a line between
// quarters (v − lo) / step is a whole number k, so v falls in quarter k, the
// upper one: east, or north once cellOf turns it into a row.
//
// The formula agrees exactly with the bounds child computes. Every cell
// bound is 2.5 or 63.5 plus a multiple of 36·2⁻²⁰, an exact binary fraction,
// so the lines and v − lo are computed without rounding; the one rounding,
// of the quotient, cannot lift a v below a line up to the line's whole
// number, because v > k·step makes the gap at least an ulp of v divided by
// step, more than half an ulp of k. TestDIGIPINGridLines checks this.
func quarterOf(v, lo, hi float64) int {
	step := (hi - lo) / 4
	return int(math.Max(0, math.Min(3, math.Floor((v-lo)/step))))
}

// quarter returns the bounds of quarter k (0..3) of [lo, hi].
func quarter(lo, hi float64, k int) (float64, float64) {
	return quarterLine(lo, hi, k), quarterLine(lo, hi, k+1)
}

// quarterLine returns the k-th line (0..4) dividing [lo, hi] into quarters.
// The outer lines are lo and hi themselves, so that cells tile their parent
// exactly.
func quarterLine(lo, hi float64, k int) float64 {
	if k == 4 {
		return hi
	}
	return lo + (hi-lo)/4*float64(k)
}
