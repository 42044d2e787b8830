package route

// The instances used here come from VROOM-Project/vroom-scripts
// (benchmarks/TSP), under this licence:
//
// Copyright (c) 2016, Julien Coupey
// All rights reserved.
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are
// met:
//
// 1. Redistributions of source code must retain the above copyright
// notice, this list of conditions and the following disclaimer.
//
// 2. Redistributions in binary form must reproduce the above copyright
// notice, this list of conditions and the following disclaimer in the
// documentation and/or other materials provided with the distribution.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
// "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
// LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
// A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
// HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
// SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
// LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
// DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
// THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
// (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
// OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// optimum is one entry of the shared optima.json.
type optimum struct {
	N       int   `json:"n"`
	Optimum int64 `json:"optimum"`
	Proven  bool  `json:"proven_optimal"`
}

// tsplibDir finds $DAKIYA_TSPLIB or ../shared/data/tsplib beside the module
// root (the folder holding go.mod), or skips the test loudly (fails under
// DAKIYA_REQUIRE_SHARED=1). It cannot use testkit, which imports this
// package through the store.
func tsplibDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Skip("SKIPPED: no go.mod above the test's directory, so no shared TSPLIB data")
		}
		dir = up
	}
	data := os.Getenv("DAKIYA_TSPLIB")
	if data == "" {
		data = filepath.Join(dir, "..", "shared", "data", "tsplib")
	}
	if _, err := os.Stat(filepath.Join(data, "optima.json")); err != nil {
		if os.Getenv("DAKIYA_REQUIRE_SHARED") == "1" {
			t.Fatalf("TSPLIB data not found at %s but DAKIYA_REQUIRE_SHARED=1: %v", data, err)
		}
		t.Skipf("SHARED DATA SUITE SKIPPED: TSPLIB data not found at %s (set DAKIYA_TSPLIB): %v", data, err)
	}
	return data
}

func loadOptima(t testing.TB, dir string) map[string]optimum {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "optima.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]optimum
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func loadInstance(t testing.TB, dir, name string) *Instance {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name+".tsp"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := ParseTSPLIB(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return in
}

// namesBetween lists the instances with lo to hi cities, smallest first.
func namesBetween(opt map[string]optimum, lo, hi int) []string {
	var names []string
	for name, o := range opt {
		if o.N >= lo && o.N <= hi {
			names = append(names, name)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := opt[names[i]], opt[names[j]]
		if a.N != b.N {
			return a.N < b.N
		}
		return names[i] < names[j]
	})
	return names
}

// transformed returns a copy of in with its nodes in a random order and its
// coordinates mirrored and turned by quarter turns, which keeps every
// distance exactly. Node 0 of the copy is a random node of the original.
func transformed(in *Instance, seed uint64, mirror bool, quarterTurns int) *Instance {
	rng := rand.New(rand.NewPCG(seed, 1))
	n := in.Len()
	perm := rng.Perm(n)
	out := &Instance{Name: in.Name, EdgeWeightType: in.EdgeWeightType, X: make([]float64, n), Y: make([]float64, n)}
	for i, p := range perm {
		x, y := in.X[p], in.Y[p]
		if mirror {
			x = -x
		}
		for range quarterTurns % 4 {
			x, y = -y, x
		}
		out.X[i], out.Y[i] = x, y
	}
	return out
}
