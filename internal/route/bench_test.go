package route

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// randomEuclidean returns n random points in a 10,000 square with EUC_2D
// distances.
func randomEuclidean(n int, seed uint64) *Instance {
	rng := rand.New(rand.NewPCG(seed, 2))
	in := &Instance{Name: fmt.Sprintf("rand%d", n), EdgeWeightType: "EUC_2D", X: make([]float64, n), Y: make([]float64, n)}
	for i := range n {
		in.X[i], in.Y[i] = rng.Float64()*10000, rng.Float64()*10000
	}
	return in
}

// BenchmarkSolve200 measures a fixed amount of work (an iteration cap, no
// time limit) on a random 200-city instance.
func BenchmarkSolve200(b *testing.B) {
	m := randomEuclidean(200, 1).Matrix()
	opt := Options{Seed: 1, MaxIterations: 2000}
	var length int64
	for b.Loop() {
		length = Solve(context.Background(), m, opt).Length
	}
	b.ReportMetric(float64(length), "length")
}

// TestRouteQualityTable solves every shared instance of 51 to 318 cities
// with a one-second budget and prints the gaps to the proven optima as a
// Markdown table. It takes about 40 s, so it runs only when
// DAKIYA_ROUTE_TABLE=1; DAKIYA_ROUTE_SEED picks the seed (default 1),
// DAKIYA_ROUTE_BUDGET the budget, and DAKIYA_ROUTE_VARIANT=k > 0 solves
// copies with the nodes shuffled by seed k, mirrored when k is odd and
// turned k quarter turns, to show the result does not depend on them.
func TestRouteQualityTable(t *testing.T) {
	if os.Getenv("DAKIYA_ROUTE_TABLE") != "1" {
		t.Skip("set DAKIYA_ROUTE_TABLE=1 to run (about 40 s)")
	}
	seed, budget, variant := tableSettings(t)
	dir := tsplibDir(t)
	optima := loadOptima(t, dir)
	var out strings.Builder
	fmt.Fprintf(&out, "seed %d, budget %v, variant %d\n\n| instance | n | optimum | ours | gap %% | ms |\n|---|---:|---:|---:|---:|---:|\n", seed, budget, variant)
	var sum, worst float64
	names := namesBetween(optima, 51, 318)
	hits, small := 0, 0
	for _, name := range names {
		o := optima[name]
		length, gap := tableRow(t, &out, dir, name, o, seed, budget, variant)
		sum, worst = sum+gap, max(worst, gap)
		if o.N <= 200 {
			small++
			if length == o.Optimum {
				hits++
			}
		}
	}
	mean := sum / float64(len(names))
	fmt.Fprintf(&out, "\nmean gap %.3f %%, worst %.2f %%; optimum reached on %d of %d instances with ≤ 200 cities\n", mean, worst, hits, small)
	t.Log("\n" + out.String())
	if worst > 1 || mean > 0.5 {
		t.Errorf("worst gap %.2f %% (limit 1 %%), mean %.3f %% (limit 0.5 %%)", worst, mean)
	}
}

// tableRow solves one shared instance (a transformed copy when variant >
// 0) for the tables above, writes its Markdown row to out, fails the test
// below the proven optimum, and returns the length and the gap in per cent.
func tableRow(t *testing.T, out *strings.Builder, dir, name string, o optimum, seed uint64, budget time.Duration, variant uint64) (int64, float64) {
	t.Helper()
	in := loadInstance(t, dir, name)
	if variant > 0 {
		in = transformed(in, variant, variant%2 == 1, int(variant%4))
	}
	res := Solve(context.Background(), in.Matrix(), Options{Budget: budget, Seed: seed})
	gap := 100 * float64(res.Length-o.Optimum) / float64(o.Optimum)
	fmt.Fprintf(out, "| %s | %d | %d | %d | %.2f | %d |\n", name, o.N, o.Optimum, res.Length, gap, res.Elapsed.Milliseconds())
	if res.Length < o.Optimum {
		t.Errorf("%s: length %d below the proven optimum %d", name, res.Length, o.Optimum)
	}
	return res.Length, gap
}

func tableSettings(t *testing.T) (seed uint64, budget time.Duration, variant uint64) {
	t.Helper()
	seed, budget = 1, time.Second
	var err error
	if v := os.Getenv("DAKIYA_ROUTE_SEED"); v != "" {
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("DAKIYA_ROUTE_SEED: %v", err)
		}
	}
	if v := os.Getenv("DAKIYA_ROUTE_BUDGET"); v != "" {
		if budget, err = time.ParseDuration(v); err != nil {
			t.Fatalf("DAKIYA_ROUTE_BUDGET: %v", err)
		}
	}
	if v := os.Getenv("DAKIYA_ROUTE_VARIANT"); v != "" {
		if variant, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("DAKIYA_ROUTE_VARIANT: %v", err)
		}
	}
	return seed, budget, variant
}

// largeNames are the shared instances of 400 to 1002 cities.
func largeNames(t *testing.T, optima map[string]optimum) []string {
	t.Helper()
	names := namesBetween(optima, 400, 1002)
	if len(names) == 0 {
		t.Fatal("no shared instances of 400 to 1002 cities")
	}
	return names
}

// TestRouteLargeTable solves every shared instance of 400 to 1002 cities
// with a two-second budget (DAKIYA_ROUTE_BUDGET, DAKIYA_ROUTE_SEED and
// DAKIYA_ROUTE_VARIANT as for TestRouteQualityTable) and prints the gaps
// to the optima as a Markdown table, failing above 1 %. It takes about
// 25 s, so it runs only when DAKIYA_ROUTE_LARGE=1.
func TestRouteLargeTable(t *testing.T) {
	if os.Getenv("DAKIYA_ROUTE_LARGE") != "1" {
		t.Skip("set DAKIYA_ROUTE_LARGE=1 to run (about 25 s)")
	}
	seed, budget, variant := tableSettings(t)
	if os.Getenv("DAKIYA_ROUTE_BUDGET") == "" {
		budget = 2 * time.Second
	}
	dir := tsplibDir(t)
	optima := loadOptima(t, dir)
	var out strings.Builder
	fmt.Fprintf(&out, "seed %d, budget %v, variant %d\n\n| instance | n | optimum | length | gap %% | ms |\n|---|---:|---:|---:|---:|---:|\n", seed, budget, variant)
	var sum, worst float64
	names := largeNames(t, optima)
	for _, name := range names {
		_, gap := tableRow(t, &out, dir, name, optima[name], seed, budget, variant)
		sum, worst = sum+gap, max(worst, gap)
	}
	mean := sum / float64(len(names))
	fmt.Fprintf(&out, "\nmean gap %.3f %%, max %.2f %% over %d instances\n", mean, worst, len(names))
	t.Log("\n" + out.String())
	if worst > 1 {
		t.Errorf("max gap %.2f %% (limit 1 %%)", worst)
	}
}
