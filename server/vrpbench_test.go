package main

// The Solomon instances used here come from VROOM-Project/vroom-scripts
// (benchmarks/VRPTW/solomon), under the BSD-2 licence kept in
// ../shared/data/LICENSE.vroom-scripts and in internal/route/solomon.go.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dakiya/internal/route"
	"dakiya/internal/testkit"
)

// sharedSolomon finds $DAKIYA_SOLOMON or ../shared/data/solomon beside the
// repository, or skips loudly (fails under DAKIYA_REQUIRE_SHARED=1).
func sharedSolomon(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DAKIYA_SOLOMON")
	if dir == "" {
		dir = filepath.Join(testkit.RepoRoot(t), "..", "shared", "data", "solomon")
	}
	if _, err := os.Stat(filepath.Join(dir, "best_known.json")); err != nil {
		if os.Getenv("DAKIYA_REQUIRE_SHARED") == "1" {
			t.Fatalf("Solomon data not found at %s but DAKIYA_REQUIRE_SHARED=1: %v", dir, err)
		}
		t.Skipf("SHARED DATA SUITE SKIPPED: Solomon data not found at %s (set DAKIYA_SOLOMON)", dir)
	}
	return dir
}

func runVrpbench(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	env := environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	err = vrpbench(context.Background(), env, args)
	return out.String(), errOut.String(), err
}

func TestVrpbench(t *testing.T) {
	dir := sharedSolomon(t)
	names := []string{"C101", "R201"}
	args := []string{"-budget", "150ms", "-seed", "3"}
	for _, name := range names {
		args = append(args, filepath.Join(dir, name+".txt"))
	}
	out, _, err := runVrpbench(args...)
	if err != nil {
		t.Fatalf("vrpbench: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for i := 0; sc.Scan(); i++ {
		var line struct {
			Name     string  `json:"name"`
			N        int     `json:"n"`
			Vehicles int     `json:"vehicles"`
			Distance float64 `json:"distance"`
			MS       *int64  `json:"ms"`
			Routes   [][]int `json:"routes"`
		}
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&line); err != nil || i >= len(names) {
			t.Fatalf("line %d %q: %v", i, sc.Text(), err)
		}
		if line.Name != names[i] || line.N != 100 || line.MS == nil || line.Vehicles != len(line.Routes) {
			t.Errorf("line %d: %+v", i, line)
		}
		// The printed routes are checked again here, through the file.
		in, err := readSolomon(filepath.Join(dir, names[i]+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := route.VerifySolomon(in, line.Routes)
		if err != nil || d-line.Distance > 0.006 || line.Distance-d > 0.006 {
			t.Errorf("%s: printed distance %.2f, verified %.4f: %v", names[i], line.Distance, d, err)
		}
	}
	if n := strings.Count(out, "\n"); n != len(names) {
		t.Errorf("%d lines, want %d:\n%s", n, len(names), out)
	}
}

func TestVrpbenchErrors(t *testing.T) {
	tmp := t.TempDir()
	bad := filepath.Join(tmp, "bad.txt")
	if err := os.WriteFile(bad, []byte("BAD\n\nVEHICLE\nNUMBER CAPACITY\n2 10\n\nCUSTOMER\n0 0 0 0 0 100 0\n1 3 4 5 zero 10 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(tmp, "tiny.txt")
	if err := os.WriteFile(good, []byte("\n\nVEHICLE\n2 10\nCUSTOMER\n0 0 0 0 0 100 0\n1 3 4 5 0 10 2\n2 6 8 5 10 20 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	heavy := filepath.Join(tmp, "heavy.txt")
	if err := os.WriteFile(heavy, []byte("HEAVY\nVEHICLE\n2 10\nCUSTOMER\n0 0 0 0 0 100 0\n1 3 4 50 0 10 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no files", nil, "give one or more Solomon"},
		{"missing file", []string{good, filepath.Join(tmp, "nope.txt")}, "no such file"},
		{"malformed file", []string{good, bad}, `bad.txt: solomon: line 9: column 5: "zero" is not an integer`},
		{"bad flag", []string{"-budget", "soon", good}, "invalid value"},
		{"unknown flag", []string{"-fast", good}, "flag provided but not defined"},
		{"zero budget", []string{"-budget", "0s", good}, "-budget must be positive"},
		{"unservable", []string{"-budget", "10ms", heavy}, "HEAVY: 1 customers left unassigned"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runVrpbench(tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if out != "" {
				t.Errorf("printed %q before failing", out)
			}
		})
	}
	out, _, err := runVrpbench("-budget", "10ms", good)
	if err != nil || !strings.HasPrefix(out, `{"name":"tiny","n":2,"vehicles":1,"distance":20,"ms":`) || !strings.HasSuffix(out, `"routes":[[1,2]]}`+"\n") {
		t.Errorf("unnamed instance: %v %q", err, out)
	}
}

func TestVrpbenchCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	if err := run(context.Background(), []string{"dakiya", "help"}, getenv, strings.NewReader(""), &out, &errOut); err != nil ||
		!strings.Contains(out.String(), "vrpbench    [-budget 10s]") {
		t.Fatalf("help: %v %q", err, out.String())
	}
	err := run(context.Background(), []string{"dakiya", "vrpbench"}, getenv, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "give one or more Solomon") {
		t.Fatalf("vrpbench without files: %v", err)
	}
}
