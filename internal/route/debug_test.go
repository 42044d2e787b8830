package route

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDebugOne(t *testing.T) {
	names := os.Getenv("DBG")
	if names == "" {
		t.Skip()
	}
	dir := tsplibDir(t)
	opt := loadOptima(t, dir)
	budget, _ := time.ParseDuration(os.Getenv("DBG_BUDGET"))
	for _, name := range strings.Split(names, ",") {
		m := loadInstance(t, dir, name).Matrix()
		for seed := uint64(1); seed <= 3; seed++ {
			res := Solve(context.Background(), m, Options{Budget: budget, Seed: seed})
			t.Logf("%s seed %d: %d (opt %d, gap %.2f%%) iters %d", name, seed, res.Length, opt[name].Optimum, 100*float64(res.Length-opt[name].Optimum)/float64(opt[name].Optimum), res.Iterations)
		}
	}
}

