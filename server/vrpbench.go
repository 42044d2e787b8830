package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dakiya/internal/route"
)

// vrpLine is what vrpbench prints for each file.
type vrpLine struct {
	Name     string  `json:"name"`
	N        int     `json:"n"`
	Vehicles int     `json:"vehicles"`
	Distance float64 `json:"distance"`
	MS       int64   `json:"ms"`
	Routes   [][]int `json:"routes"`
}

// vrpbench solves Solomon VRPTW instances with the VRP solver (vehicles
// first, then distance, as in the literature) and prints one JSON line per
// file. Each solution is checked by route.VerifySolomon, which recomputes
// everything in float64 without the solver's code; an infeasible or
// incomplete solution fails the command. Every file is read before the
// first is solved, and the solver runs on this goroutine, so it uses one
// core.
func vrpbench(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("vrpbench", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dakiya vrpbench [-budget 10s] [-seed N] FILE.txt…")
		fs.PrintDefaults()
	}
	budget := fs.Duration("budget", 10*time.Second, "time to spend on each instance")
	seed := fs.Uint64("seed", 1, "random seed; the same seed and budget give comparable runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("vrpbench: give one or more Solomon instance files")
	}
	if *budget <= 0 {
		return fmt.Errorf("vrpbench: -budget must be positive, got %v", *budget)
	}
	instances := make([]*route.Solomon, fs.NArg())
	for i, path := range fs.Args() {
		in, err := readSolomon(path)
		if err != nil {
			return fmt.Errorf("vrpbench: %w", err)
		}
		instances[i] = in
	}
	enc := json.NewEncoder(env.stdout)
	for _, in := range instances {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("vrpbench: %w", err)
		}
		line, err := solveSolomon(ctx, in, route.VRPOptions{Budget: *budget, Seed: *seed, FewerVehicles: true})
		if err != nil {
			return fmt.Errorf("vrpbench: %s: %w", in.Name, err)
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("vrpbench: write: %w", err)
		}
	}
	return nil
}

// solveSolomon solves one instance and verifies the answer.
func solveSolomon(ctx context.Context, in *route.Solomon, opt route.VRPOptions) (vrpLine, error) {
	start := time.Now()
	res := route.SolveVRP(ctx, in.VRP(), opt)
	ms := time.Since(start).Milliseconds()
	if len(res.Unassigned) > 0 {
		return vrpLine{}, fmt.Errorf("%d customers left unassigned", len(res.Unassigned))
	}
	routes := in.CustomerRoutes(res.Routes)
	dist, err := route.VerifySolomon(in, routes)
	if err != nil {
		return vrpLine{}, fmt.Errorf("infeasible solution: %w", err)
	}
	return vrpLine{Name: in.Name, N: len(in.Customers), Vehicles: len(routes),
		Distance: math.Round(dist*100) / 100, MS: ms, Routes: routes}, nil
}

// readSolomon parses one Solomon file; an instance without a name is named
// after its file.
func readSolomon(path string) (*route.Solomon, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := route.ParseSolomon(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if in.Name == "" {
		in.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return in, nil
}
