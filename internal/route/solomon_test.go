package route

// The Solomon instances used here come from VROOM-Project/vroom-scripts
// (benchmarks/VRPTW/solomon); their BSD-2 licence is in solomon.go and in
// ../shared/data/LICENSE.vroom-scripts.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// solomonDir finds $DAKIYA_SOLOMON or ../shared/data/solomon beside the
// module root, or skips the test loudly (fails under
// DAKIYA_REQUIRE_SHARED=1), as tsplibDir does.
func solomonDir(t testing.TB) string {
	t.Helper()
	data := os.Getenv("DAKIYA_SOLOMON")
	if data == "" {
		data = filepath.Join(filepath.Dir(tsplibDirQuiet(t)), "solomon")
	}
	if _, err := os.Stat(filepath.Join(data, "best_known.json")); err != nil {
		if os.Getenv("DAKIYA_REQUIRE_SHARED") == "1" {
			t.Fatalf("Solomon data not found at %s but DAKIYA_REQUIRE_SHARED=1: %v", data, err)
		}
		t.Skipf("SHARED DATA SUITE SKIPPED: Solomon data not found at %s (set DAKIYA_SOLOMON): %v", data, err)
	}
	return data
}

// tsplibDirQuiet is ../shared/data/tsplib beside the module root, found or
// not.
func tsplibDirQuiet(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "data", "tsplib")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return filepath.Join("..", "shared", "data", "tsplib")
		}
		dir = up
	}
}

const tinySolomon = `TINY

VEHICLE
NUMBER     CAPACITY
  2         10

CUSTOMER
CUST NO.   XCOORD.   YCOORD.    DEMAND   READY TIME   DUE DATE   SERVICE TIME

    0          0       0           0       0         100           0
    1          3       4           5       0          10           2
    2          6       8           5      10          20           2
    3          0      10           6       0          50           1
`

func parseTiny(t *testing.T) *Solomon {
	t.Helper()
	in, err := ParseSolomon(strings.NewReader(tinySolomon))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestParseSolomon(t *testing.T) {
	in := parseTiny(t)
	if in.Name != "TINY" || in.Vehicles != 2 || in.Capacity != 10 || in.Depot.Due != 100 || len(in.Customers) != 3 {
		t.Fatalf("%+v", in)
	}
	if c := in.Customers[1]; c.No != 2 || c.X != 6 || c.Y != 8 || c.Demand != 5 || c.Ready != 10 || c.Due != 20 || c.Service != 2 || c.Line != 12 {
		t.Fatalf("customer 2: %+v", c)
	}
	p := in.VRP()
	if len(p.Jobs) != 3 || len(p.Vehicles) != 2 || p.Cost.Dist(0, 1) != 5*SolomonScale || p.Vehicles[0].End != 100*SolomonScale {
		t.Fatalf("VRP: %+v", p)
	}
	// √(3²+6²)·10⁴ = 67082.039…: cost rounds, travel rounds up.
	if p.Cost.Dist(1, 3) != 67082 || p.Travel.Dist(1, 3) != 67083 {
		t.Fatalf("cost %d travel %d", p.Cost.Dist(1, 3), p.Travel.Dist(1, 3))
	}
}

func TestParseSolomonErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "no VEHICLE section"},
		{"no customers", "X\nVEHICLE\nNUMBER CAPACITY\n2 10\n", "no CUSTOMER section"},
		{"bad vehicle", "X\nVEHICLE\n2 ten\n", "line 3: vehicle number and capacity must be positive"},
		{"vehicle columns", "X\nVEHICLE\n2 10 3\n", "line 3: want NUMBER CAPACITY"},
		{"two vehicle lines", "X\nVEHICLE\n2 10\n3 10\n", "line 4: a second vehicle line"},
		{"before vehicle", "X\n1 2 3\n", `line 2: unexpected "1 2 3"`},
		{"short row", strings.Replace(tinySolomon, "3       4           5       0          10           2", "3 4 5", 1), "line 11: want 7 columns, got 4"},
		{"not a number", strings.Replace(tinySolomon, "6       8", "6       eight", 1), `line 12: column 3: "eight" is not an integer`},
		{"fraction", strings.Replace(tinySolomon, "6       8", "6       8.5", 1), `line 12: column 3: "8.5" is not an integer`},
		{"window", strings.Replace(tinySolomon, "10          20", "30          20", 1), "line 12: due date 20 before ready time 30"},
		{"negative", strings.Replace(tinySolomon, "0          50", "-1          50", 1), "line 13: negative demand"},
		{"duplicate", strings.Replace(tinySolomon, "    3          0      10", "    2          0      10", 1), "line 13: customer 2 already given on line 12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSolomon(strings.NewReader(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestVerifySolomon(t *testing.T) {
	in := parseTiny(t)
	// 0→1 (t=5, serve to 7) →2 (t=12, serve to 14) →0 (t=24): load 10.
	// 0→3 (t=10, serve to 11) →0 (t=21): load 6.
	d, err := VerifySolomon(in, [][]int{{1, 2}, {3}})
	if err != nil || d != 5+5+10+10+10 {
		t.Fatalf("valid solution: %v %v", d, err)
	}
	tight := *in
	tight.Depot.Due = 23
	tests := []struct {
		name   string
		in     *Solomon
		routes [][]int
		want   string
	}{
		{"missing", in, [][]int{{1, 2}}, "customer 3 not visited"},
		{"twice", in, [][]int{{1, 2}, {3, 1}}, "customer 1 already visited on route 1"},
		{"unknown", in, [][]int{{1, 2}, {3, 9}}, "no customer 9"},
		{"depot as customer", in, [][]int{{1, 2}, {0, 3}}, "no customer 0"},
		{"capacity", in, [][]int{{1, 2, 3}}, "over capacity 10"},
		{"window", in, [][]int{{2, 1}, {3}}, "customer 1 served at"},
		{"depot due", &tight, [][]int{{1, 2}, {3}}, "back at the depot at 24.0000 after its due date 23"},
		{"too many routes", in, [][]int{{1}, {2}, {3}}, "3 routes for 2 vehicles"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifySolomon(tc.in, tc.routes)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSolveVRPSolomon(t *testing.T) {
	dir := solomonDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "best_known.json"))
	if err != nil {
		t.Fatal(err)
	}
	var known map[string]struct {
		Cost     float64 `json:"best_known_cost"`
		Vehicles int     `json:"solved_with_vehicles"`
	}
	if err := json.Unmarshal(b, &known); err != nil {
		t.Fatal(err)
	}
	// A few hundred iterations keep this quick under -race; the gaps are
	// loose sanity bounds, the benchmark measures quality.
	for _, name := range []string{"C101", "R101", "RC201"} {
		f, err := os.Open(filepath.Join(dir, name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		in, err := ParseSolomon(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res := SolveVRP(context.Background(), in.VRP(), VRPOptions{MaxIterations: 1000, Seed: 1, FewerVehicles: true})
		if len(res.Unassigned) != 0 {
			t.Fatalf("%s: unassigned %v", name, res.Unassigned)
		}
		routes := in.CustomerRoutes(res.Routes)
		d, err := VerifySolomon(in, routes)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		k := known[name]
		if gap := (d - k.Cost) / k.Cost; gap > 0.15 || len(routes) > k.Vehicles+3 {
			t.Errorf("%s: %d vehicles, distance %.2f; best known %d and %.2f", name, len(routes), d, k.Vehicles, k.Cost)
		}
		if got := float64(res.Distance) / SolomonScale; got-d > 0.01*float64(len(in.Customers)) || d-got > 0.01*float64(len(in.Customers)) {
			t.Errorf("%s: solver distance %.4f, verifier %.4f", name, got, d)
		}
		t.Logf("%s: %d vehicles, %.2f (best known %d, %.2f)", name, len(routes), d, k.Vehicles, k.Cost)
	}
}
