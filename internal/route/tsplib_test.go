package route

import (
	"fmt"
	"strings"
	"testing"
)

func parseString(t *testing.T, s string) *Instance {
	t.Helper()
	in, err := ParseTSPLIB(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return in
}

// instance builds a small file of the given edge weight type.
func instance(kind string, coords ...string) string {
	var b strings.Builder
	b.WriteString("NAME : tiny\nCOMMENT: made by hand\nTYPE: TSP\n")
	fmt.Fprintf(&b, "DIMENSION : %d\n", len(coords))
	b.WriteString("EDGE_WEIGHT_TYPE: " + kind + "\nNODE_COORD_SECTION\n")
	for i, c := range coords {
		fmt.Fprintf(&b, "%d %s\n", i+1, c)
	}
	b.WriteString("EOF\n")
	return b.String()
}

// TestTSPLIBDistances checks each edge weight type against values worked
// out by hand from the TSPLIB95 definitions.
func TestTSPLIBDistances(t *testing.T) {
	tests := []struct {
		name   string
		kind   string
		a, b   string
		want   int64
		reason string
	}{
		{"euc 3-4-5", "EUC_2D", "0 0", "3 4", 5, "exact"},
		{"euc rounds down", "EUC_2D", "0 0", "1 1", 1, "√2 = 1.41"},
		{"euc rounds half up", "EUC_2D", "0 0", "1.5 2", 3, "2.5 rounds to 3"},
		{"euc exponent", "EUC_2D", "1.0e+01 0", "-2.0e+00 5.0e+00", 13, "5-12-13"},
		{"ceil", "CEIL_2D", "0 0", "1 1", 2, "⌈1.41⌉"},
		{"ceil exact", "CEIL_2D", "0 0", "3 4", 5, "already whole"},
		{"att up", "ATT", "0 0", "10 0", 4, "√(100/10) = 3.16: nint 3 < 3.16, so 4"},
		{"att nint", "ATT", "0 0", "30 40", 16, "√250 = 15.81: nint 16 ≥ 15.81"},
		{"att whole", "ATT", "0 0", "10 30", 10, "√(1000/10) = 10"},
		{"geo meridian", "GEO", "0.00 0.00", "0.30 0.00", 56, "30′ of latitude: 6378.388·π·0.5/180 = 55.66, +1, truncated"},
		{"geo equator", "GEO", "0.00 10.30", "0.00 10.00", 56, "30′ of longitude on the equator"},
		{"geo south", "GEO", "-0.30 0.00", "0.30 0.00", 112, "−0°30′ to 0°30′ is 1°: 111.32 + 1"},
		{"geo minutes truncate", "GEO", "16.53 97.38", "16.47 97.38", 12, "16°53′ to 16°47′ is 6′: 11.13 + 1 (nint degrees would give 64)"},
		{"geo delhi mumbai", "GEO", "28.37 77.12", "19.04 72.52", 1151, "law of cosines on the TSPLIB sphere: 1150.75 + 1"},
		{"geo sydney london", "GEO", "-33.52 151.13", "51.30 -0.07", 17014, "west longitude: 17013.63 + 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := parseString(t, instance(tc.kind, tc.a, tc.b))
			if got := in.Dist(0, 1); got != tc.want {
				t.Errorf("%s: got %d, want %d (%s)", tc.kind, got, tc.want, tc.reason)
			}
			if in.Dist(1, 0) != in.Dist(0, 1) || in.Dist(0, 0) != 0 {
				t.Errorf("not symmetric with a zero diagonal")
			}
		})
	}
}

func TestParseTSPLIB(t *testing.T) {
	in := parseString(t, `NAME: spaced
TYPE : TSP
COMMENT : first
COMMENT: second
DIMENSION:3
EDGE_WEIGHT_TYPE :EUC_2D
DISPLAY_DATA_TYPE : COORD_DISPLAY
NODE_COORD_SECTION
  3   6.0e+00  8.0e+00

  1 0 0
2 3 4
`)
	if in.Name != "spaced" || in.Comment != "first second" || in.EdgeWeightType != "EUC_2D" || in.Len() != 3 {
		t.Fatalf("got %+v", in)
	}
	if in.Dist(0, 1) != 5 || in.Dist(0, 2) != 10 || in.Dist(1, 2) != 5 {
		t.Errorf("distances %d %d %d, want 5 10 5", in.Dist(0, 1), in.Dist(0, 2), in.Dist(1, 2))
	}
	if m := in.Matrix(); m.Dist(2, 0) != 10 {
		t.Errorf("matrix d(2,0) = %d, want 10", m.Dist(2, 0))
	}
}

func TestParseTSPLIBErrors(t *testing.T) {
	head := "NAME: bad\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\n"
	tests := []struct {
		name, file, want string
	}{
		{"atsp", "TYPE: ATSP\nDIMENSION: 2\n", `TYPE "ATSP" is not supported`},
		{"explicit", "DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\n", `EDGE_WEIGHT_TYPE "EXPLICIT" is not supported`},
		{"3-d", head + "NODE_COORD_TYPE: THREED_COORDS\n", "NODE_COORD_TYPE"},
		{"no coordinates", head + "EOF\n", "no NODE_COORD_SECTION"},
		{"no dimension", "EDGE_WEIGHT_TYPE: EUC_2D\nEOF\n", "no DIMENSION"},
		{"section first", "EDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n", "before DIMENSION"},
		{"no weight type", "DIMENSION: 2\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n", "no EDGE_WEIGHT_TYPE"},
		{"bad dimension", "DIMENSION: two\n", `bad DIMENSION "two"`},
		{"zero dimension", "DIMENSION: 0\n", "bad DIMENSION"},
		{"too few", head + "NODE_COORD_SECTION\n1 0 0\nEOF\n", "has 1 nodes, DIMENSION is 2"},
		{"too few at end", head + "NODE_COORD_SECTION\n1 0 0\n", "has 1 nodes, DIMENSION is 2"},
		{"too many", head + "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nEOF\n", "more than DIMENSION (2) nodes"},
		{"bad number", head + "NODE_COORD_SECTION\n1 0 zero\n2 1 1\n", `line 6: bad coordinates "0" "zero"`},
		{"bad id", head + "NODE_COORD_SECTION\n1 0 0\n7 1 1\n", `bad node id "7"`},
		{"twice", head + "NODE_COORD_SECTION\n1 0 0\n1 1 1\n", "node 1 given twice"},
		{"short line", head + "NODE_COORD_SECTION\n1 0\n2 1 1\n", `want "id x y"`},
		{"weights", head + "EDGE_WEIGHT_SECTION\n", "EDGE_WEIGHT_SECTION is not supported"},
		{"junk", head + "hello\n", `unexpected line "hello"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTSPLIB(strings.NewReader(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "tsplib: ") {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
