package route

// This file reads Solomon's VRPTW instances and verifies solutions to them
// independently of the solver.
//
// The instances used with it come from VROOM-Project/vroom-scripts
// (benchmarks/VRPTW/solomon), under this licence:
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
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// SolomonScale is the factor between Solomon's real distances and times
// and the solver's integers. Costs are the Euclidean distance ×10⁴
// rounded to nearest; travel times are rounded up, and windows and service
// times are exact (Solomon's are integers), so a schedule that is feasible
// in the solver's integers is feasible in real numbers too.
const SolomonScale = 10000

// SolomonCustomer is one line of the CUSTOMER section; number 0 is the
// depot, whose due date closes every route.
type SolomonCustomer struct {
	No         int
	X, Y       float64
	Demand     int64
	Ready, Due int64
	Service    int64
	Line       int // line number in the file, for messages
}

// Solomon is a parsed Solomon instance.
type Solomon struct {
	Name      string
	Vehicles  int
	Capacity  int64
	Depot     SolomonCustomer
	Customers []SolomonCustomer // in file order, depot excluded
}

// ParseSolomon reads an instance in Solomon's format: a name line, a
// VEHICLE section (NUMBER CAPACITY), and a CUSTOMER section of seven
// integer columns (CUST NO., XCOORD., YCOORD., DEMAND, READY TIME, DUE
// DATE, SERVICE TIME) whose first row is the depot. Errors name the line.
func ParseSolomon(r io.Reader) (*Solomon, error) {
	in, err := parseSolomon(r)
	if err != nil {
		return nil, fmt.Errorf("solomon: %w", err)
	}
	return in, nil
}

// parseSolomon is ParseSolomon without the error prefix.
func parseSolomon(r io.Reader) (*Solomon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	in := &Solomon{}
	line, section := 0, ""
	seen := map[int]int{}
	haveVehicle, haveDepot := false, false
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		upper := strings.ToUpper(text)
		switch {
		case upper == "VEHICLE":
			section = "vehicle"
			continue
		case in.Name == "" && section == "":
			in.Name = text
			section = "name"
			continue
		case upper == "CUSTOMER":
			section = "customer"
			continue
		case strings.HasPrefix(upper, "NUMBER") || strings.HasPrefix(upper, "CUST"):
			continue // column headings
		}
		f := strings.Fields(text)
		switch section {
		case "vehicle":
			if haveVehicle {
				return nil, fmt.Errorf("line %d: a second vehicle line %q", line, text)
			}
			if len(f) != 2 {
				return nil, fmt.Errorf("line %d: want NUMBER CAPACITY, got %q", line, text)
			}
			k, err1 := strconv.Atoi(f[0])
			c, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 != nil || err2 != nil || k <= 0 || c <= 0 {
				return nil, fmt.Errorf("line %d: vehicle number and capacity must be positive integers, got %q", line, text)
			}
			in.Vehicles, in.Capacity, haveVehicle = k, c, true
		case "customer":
			c, err := parseCustomer(f, line)
			if err != nil {
				return nil, err
			}
			if prev, dup := seen[c.No]; dup {
				return nil, fmt.Errorf("line %d: customer %d already given on line %d", line, c.No, prev)
			}
			seen[c.No] = line
			if !haveDepot {
				in.Depot, haveDepot = c, true
				continue
			}
			in.Customers = append(in.Customers, c)
		default:
			return nil, fmt.Errorf("line %d: unexpected %q before the VEHICLE section", line, text)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line, err)
	}
	switch {
	case !haveVehicle:
		return nil, errors.New("no VEHICLE section")
	case !haveDepot:
		return nil, errors.New("no CUSTOMER section (or it is empty)")
	}
	return in, nil
}

// parseCustomer parses one row of seven integers.
func parseCustomer(f []string, line int) (SolomonCustomer, error) {
	if len(f) != 7 {
		return SolomonCustomer{}, fmt.Errorf("line %d: want 7 columns, got %d", line, len(f))
	}
	var v [7]int64
	for i, s := range f {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || x != math.Trunc(x) || math.Abs(x) > 1e12 {
			return SolomonCustomer{}, fmt.Errorf("line %d: column %d: %q is not an integer", line, i+1, s)
		}
		v[i] = int64(x)
	}
	c := SolomonCustomer{No: int(v[0]), X: float64(v[1]), Y: float64(v[2]), Demand: v[3],
		Ready: v[4], Due: v[5], Service: v[6], Line: line}
	switch {
	case c.No < 0:
		return c, fmt.Errorf("line %d: negative customer number %d", line, c.No)
	case c.Demand < 0 || c.Service < 0 || c.Ready < 0:
		return c, fmt.Errorf("line %d: negative demand, ready time or service time", line)
	case c.Due < c.Ready:
		return c, fmt.Errorf("line %d: due date %d before ready time %d", line, c.Due, c.Ready)
	}
	return c, nil
}

// euclid is the unrounded distance between two customers.
func euclid(a, b SolomonCustomer) float64 {
	return math.Hypot(a.X-b.X, a.Y-b.Y)
}

// VRP returns the instance as a problem for SolveVRP, scaled by
// SolomonScale: job i is Customers[i-1], every vehicle has the capacity and
// the depot's window.
func (in *Solomon) VRP() VRP {
	nodes := append([]SolomonCustomer{in.Depot}, in.Customers...)
	n := len(nodes)
	cost, travel := NewDense(n), NewDense(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			d := euclid(nodes[i], nodes[j]) * SolomonScale
			cost.Set(i, j, int64(math.Round(d)))
			travel.Set(i, j, int64(math.Ceil(d)))
		}
	}
	p := VRP{Cost: cost, Travel: travel}
	for _, c := range in.Customers {
		p.Jobs = append(p.Jobs, Job{Demand: c.Demand, Service: c.Service * SolomonScale,
			Ready: c.Ready * SolomonScale, Due: c.Due * SolomonScale, Home: -1})
	}
	for range in.Vehicles {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: in.Capacity,
			Start: in.Depot.Ready * SolomonScale, End: in.Depot.Due * SolomonScale})
	}
	return p
}

// CustomerRoutes maps solver routes (job nodes) to the customer numbers of
// the file, dropping unused vehicles.
func (in *Solomon) CustomerRoutes(routes [][]int) [][]int {
	out := [][]int{}
	for _, r := range routes {
		if len(r) == 0 {
			continue
		}
		cr := make([]int, len(r))
		for k, u := range r {
			cr[k] = in.Customers[u-1].No
		}
		out = append(out, cr)
	}
	return out
}

// verifyEps absorbs float64 rounding when a schedule meets a deadline
// exactly; it is far below the data's integer resolution.
const verifyEps = 1e-6

// VerifySolomon checks routes (customer numbers as in the file, the depot
// implied at both ends) against the instance on its own terms, sharing no
// code with the solver: unrounded Euclidean distances in float64, every
// customer visited exactly once, at most Vehicles routes, capacity on each
// route, service starting by each due date (waiting when early) and the
// return to the depot by its due date. It returns the total distance.
func VerifySolomon(in *Solomon, routes [][]int) (float64, error) {
	byNo := make(map[int]SolomonCustomer, len(in.Customers))
	for _, c := range in.Customers {
		byNo[c.No] = c
	}
	if len(routes) > in.Vehicles {
		return 0, fmt.Errorf("%d routes for %d vehicles", len(routes), in.Vehicles)
	}
	visited := make(map[int]int, len(in.Customers))
	total := 0.0
	for ri, r := range routes {
		var load int64
		t := float64(in.Depot.Ready)
		at := in.Depot
		for _, no := range r {
			c, ok := byNo[no]
			if !ok {
				return 0, fmt.Errorf("route %d: no customer %d", ri+1, no)
			}
			if prev, dup := visited[no]; dup {
				return 0, fmt.Errorf("route %d: customer %d already visited on route %d", ri+1, no, prev+1)
			}
			visited[no] = ri
			d := euclid(at, c)
			total += d
			t = math.Max(t+float64(at.Service)+d, float64(c.Ready))
			if t > float64(c.Due)+verifyEps {
				return 0, fmt.Errorf("route %d: customer %d served at %.4f after its due date %d", ri+1, no, t, c.Due)
			}
			load += c.Demand
			at = c
		}
		if load > in.Capacity {
			return 0, fmt.Errorf("route %d: load %d over capacity %d", ri+1, load, in.Capacity)
		}
		if len(r) > 0 {
			d := euclid(at, in.Depot)
			total += d
			t += float64(at.Service) + d
			if t > float64(in.Depot.Due)+verifyEps {
				return 0, fmt.Errorf("route %d: back at the depot at %.4f after its due date %d", ri+1, t, in.Depot.Due)
			}
		}
	}
	if len(visited) != len(in.Customers) {
		for _, c := range in.Customers {
			if _, ok := visited[c.No]; !ok {
				return 0, fmt.Errorf("customer %d not visited (%d of %d visited)", c.No, len(visited), len(in.Customers))
			}
		}
	}
	return total, nil
}
