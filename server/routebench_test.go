package main

// The TSPLIB instances used here come from VROOM-Project/vroom-scripts
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
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dakiya/internal/testkit"
)

// sharedTSPLIB finds the shared TSPLIB data.
func sharedTSPLIB(t *testing.T) string { return testkit.TSPLIBDir(t) }

func runRoutebench(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	env := environment{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	err = routebench(context.Background(), env, args)
	return out.String(), errOut.String(), err
}

func TestRoutebench(t *testing.T) {
	dir := sharedTSPLIB(t)
	b, err := os.ReadFile(filepath.Join(dir, "optima.json"))
	if err != nil {
		t.Fatal(err)
	}
	var optima map[string]struct {
		N       int   `json:"n"`
		Optimum int64 `json:"optimum"`
	}
	if err := json.Unmarshal(b, &optima); err != nil {
		t.Fatal(err)
	}
	names := []string{"eil51", "berlin52", "kroA100"}
	args := []string{"-budget", "150ms", "-seed", "7"}
	for _, name := range names {
		args = append(args, filepath.Join(dir, name+".tsp"))
	}
	out, _, err := runRoutebench(args...)
	if err != nil {
		t.Fatalf("routebench: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for i := 0; sc.Scan(); i++ {
		var line struct {
			Name   string `json:"name"`
			N      int    `json:"n"`
			Length int64  `json:"length"`
			MS     *int64 `json:"ms"`
		}
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&line); err != nil || i >= len(names) {
			t.Fatalf("line %d %q: %v", i, sc.Text(), err)
		}
		want := optima[names[i]]
		if line.Name != names[i] || line.N != want.N || line.MS == nil || *line.MS < 0 {
			t.Errorf("line %d: %+v, want name %s and n %d", i, line, names[i], want.N)
		}
		if line.Length < want.Optimum || float64(line.Length) > 1.03*float64(want.Optimum) {
			t.Errorf("%s: length %d, optimum %d", names[i], line.Length, want.Optimum)
		}
	}
	if n := strings.Count(out, "\n"); n != len(names) {
		t.Errorf("%d lines, want %d:\n%s", n, len(names), out)
	}
}

func TestRoutebenchErrors(t *testing.T) {
	tmp := t.TempDir()
	bad := filepath.Join(tmp, "bad.tsp")
	if err := os.WriteFile(bad, []byte("NAME: bad\nTYPE: ATSP\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noName := filepath.Join(tmp, "tri.tsp")
	if err := os.WriteFile(noName, []byte("DIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 0\n3 0 4\nEOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no files", nil, "give one or more TSPLIB"},
		{"missing file", []string{noName, filepath.Join(tmp, "nope.tsp")}, "no such file"},
		{"invalid file", []string{bad}, `bad.tsp: tsplib: line 2: TYPE "ATSP" is not supported`},
		{"bad flag", []string{"-budget", "soon", noName}, "invalid value"},
		{"zero budget", []string{"-budget", "0s", noName}, "-budget must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runRoutebench(tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
			if out != "" {
				t.Errorf("printed %q before failing", out)
			}
		})
	}
	out, _, err := runRoutebench("-budget", "10ms", noName)
	if err != nil || out != `{"name":"tri","n":3,"length":12,"ms":0}`+"\n" {
		t.Errorf("unnamed instance: %v %q", err, out)
	}
}
