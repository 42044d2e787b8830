package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dakiya/internal/route"
)

// benchLine is what routebench prints for each file.
type benchLine struct {
	Name   string `json:"name"`
	N      int    `json:"n"`
	Length int64  `json:"length"`
	MS     int64  `json:"ms"`
}

// routebench solves TSPLIB instances with the route optimiser and prints
// one JSON line per file. Every file is read and checked before the first
// is solved, so a typo in the last name does not cost the whole run. The
// solver runs on this goroutine, one instance after another, so it uses one
// core.
func routebench(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("routebench", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dakiya routebench [-budget 1s] [-seed N] FILE.tsp…")
		fs.PrintDefaults()
	}
	budget := fs.Duration("budget", time.Second, "time to spend on each instance")
	seed := fs.Uint64("seed", 1, "random seed; the same seed and budget give comparable runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("routebench: give one or more TSPLIB .tsp files")
	}
	if *budget <= 0 {
		return fmt.Errorf("routebench: -budget must be positive, got %v", *budget)
	}
	instances, err := readInstances(fs.Args())
	if err != nil {
		return fmt.Errorf("routebench: %w", err)
	}
	enc := json.NewEncoder(env.stdout)
	for _, in := range instances {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("routebench: %w", err)
		}
		m := in.Matrix()
		start := time.Now()
		res := route.Solve(ctx, m, route.Options{Budget: *budget, Seed: *seed})
		line := benchLine{Name: in.Name, N: m.Len(), Length: res.Length, MS: time.Since(start).Milliseconds()}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("routebench: write: %w", err)
		}
	}
	return nil
}

// readInstances parses every file before any is solved.
func readInstances(paths []string) ([]*route.Instance, error) {
	out := make([]*route.Instance, len(paths))
	for i, path := range paths {
		in, err := readInstance(path)
		if err != nil {
			return nil, err
		}
		out[i] = in
	}
	return out, nil
}

// readInstance parses one TSPLIB file; an instance without a NAME is named
// after its file.
func readInstance(path string) (*route.Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := route.ParseTSPLIB(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if in.Name == "" {
		in.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return in, nil
}
