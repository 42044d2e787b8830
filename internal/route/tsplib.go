package route

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Instance is a symmetric TSP read from a TSPLIB file: nodes with
// coordinates and the rule that turns two nodes' coordinates into an
// integer distance. It is a Matrix (node i is the file's node i+1).
type Instance struct {
	// Name is the file's NAME.
	Name string
	// Comment joins the file's COMMENT lines.
	Comment string
	// EdgeWeightType is EUC_2D, CEIL_2D, ATT or GEO.
	EdgeWeightType string
	// X and Y are the node coordinates; for GEO, X is the latitude and Y
	// the longitude, both as DDD.MM (degrees and minutes).
	X, Y []float64
}

// Len returns the number of nodes.
func (in *Instance) Len() int { return len(in.X) }

// Dist returns the TSPLIB distance between nodes i and j.
func (in *Instance) Dist(i, j int) int64 {
	if i == j {
		return 0
	}
	dx, dy := in.X[i]-in.X[j], in.Y[i]-in.Y[j]
	switch in.EdgeWeightType {
	case "CEIL_2D":
		return int64(math.Ceil(math.Sqrt(dx*dx + dy*dy)))
	case "ATT":
		return attDist(dx, dy)
	case "GEO":
		return geoDist(in.X[i], in.Y[i], in.X[j], in.Y[j])
	}
	return nint(math.Sqrt(dx*dx + dy*dy))
}

// Matrix returns the instance's distances as a Dense matrix.
func (in *Instance) Matrix() *Dense { return DenseOf(in) }

// nint rounds a non-negative x to the nearest integer as TSPLIB does.
func nint(x float64) int64 { return int64(x + 0.5) }

// attDist is TSPLIB's pseudo-Euclidean distance: the Euclidean distance
// divided by √10, rounded up unless it is already a whole number.
func attDist(dx, dy float64) int64 {
	r := math.Sqrt((dx*dx + dy*dy) / 10)
	t := nint(r)
	if float64(t) < r {
		t++
	}
	return t
}

// geoRadians converts a TSPLIB DDD.MM coordinate to radians. TSPLIB
// defines π as 3.141592 here, and the reference distances depend on it.
// The whole degrees are the coordinate truncated towards zero: the TSPLIB95
// document writes nint, but its maintainer's FAQ corrects that to (int),
// the rule the published optima use (nint would turn 16.53, 16°53′, into
// 17° − 0.47 "minutes").
func geoRadians(x float64) float64 {
	const pi = 3.141592
	deg := math.Trunc(x)
	minutes := x - deg
	return pi * (deg + 5*minutes/3) / 180
}

// geoDist is TSPLIB's GEO distance in whole kilometres on a sphere of
// radius 6378.388 km, rounded the way TSPLIB rounds it (truncated after
// adding one).
func geoDist(xi, yi, xj, yj float64) int64 {
	const rrr = 6378.388
	lati, loni := geoRadians(xi), geoRadians(yi)
	latj, lonj := geoRadians(xj), geoRadians(yj)
	q1 := math.Cos(loni - lonj)
	q2 := math.Cos(lati - latj)
	q3 := math.Cos(lati + latj)
	c := 0.5 * ((1+q1)*q2 - (1-q1)*q3)
	return int64(rrr*math.Acos(max(-1, min(1, c))) + 1)
}

// ParseTSPLIB reads a TSPLIB file of TYPE TSP with a NODE_COORD_SECTION and
// one of the edge weight types Instance supports. Both "KEY: value" and
// "KEY : value" are accepted; EOF is optional.
func ParseTSPLIB(r io.Reader) (*Instance, error) {
	p := &tsplibParser{sc: bufio.NewScanner(r), dim: -1}
	p.sc.Buffer(make([]byte, 64*1024), 1<<20)
	in, err := p.parse()
	if err != nil {
		return nil, fmt.Errorf("tsplib: %w", err)
	}
	return in, nil
}

type tsplibParser struct {
	sc     *bufio.Scanner
	line   int
	dim    int
	in     Instance
	coords bool
}

// errAt prefixes an error with the line it was found on.
func (p *tsplibParser) errAt(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line, fmt.Sprintf(format, args...))
}

func (p *tsplibParser) parse() (*Instance, error) {
	for p.sc.Scan() {
		p.line++
		text := strings.TrimSpace(p.sc.Text())
		if text == "" {
			continue
		}
		key, value, _ := strings.Cut(text, ":")
		key, value = strings.ToUpper(strings.TrimSpace(key)), strings.TrimSpace(value)
		if key == "EOF" {
			break
		}
		if err := p.keyword(key, value); err != nil {
			return nil, err
		}
	}
	if err := p.sc.Err(); err != nil {
		return nil, err
	}
	return p.finish()
}

// keyword handles one specification line or the start of a section.
func (p *tsplibParser) keyword(key, value string) error {
	switch key {
	case "NAME":
		p.in.Name = value
	case "COMMENT":
		p.in.Comment = strings.TrimSpace(p.in.Comment + " " + value)
	case "TYPE":
		if value != "TSP" {
			return p.errAt("TYPE %q is not supported (only TSP)", value)
		}
	case "DIMENSION":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return p.errAt("bad DIMENSION %q", value)
		}
		p.dim = n
	case "EDGE_WEIGHT_TYPE":
		switch value {
		case "EUC_2D", "CEIL_2D", "ATT", "GEO":
			p.in.EdgeWeightType = value
		default:
			return p.errAt("EDGE_WEIGHT_TYPE %q is not supported (EUC_2D, CEIL_2D, ATT, GEO)", value)
		}
	case "NODE_COORD_TYPE":
		if value != "TWOD_COORDS" {
			return p.errAt("NODE_COORD_TYPE %q is not supported (only TWOD_COORDS)", value)
		}
	case "NODE_COORD_SECTION":
		return p.coordSection()
	default:
		return p.other(key, value)
	}
	return nil
}

// other accepts specification keys that do not change the distances
// (DISPLAY_DATA_TYPE, …) and refuses sections it cannot read and stray
// lines, such as a node beyond DIMENSION.
func (p *tsplibParser) other(key, value string) error {
	if strings.HasSuffix(key, "_SECTION") {
		return p.errAt("%s is not supported", key)
	}
	if f := strings.Fields(key); len(f) > 0 && p.coords {
		if _, err := strconv.Atoi(f[0]); err == nil {
			return p.errAt("more than DIMENSION (%d) nodes", p.dim)
		}
	}
	if value == "" {
		return p.errAt("unexpected line %q", strings.TrimSpace(p.sc.Text()))
	}
	return nil
}

// coordSection reads DIMENSION lines of "id x y", ids 1…DIMENSION each
// once, in any order.
func (p *tsplibParser) coordSection() error {
	if p.dim < 0 {
		return p.errAt("NODE_COORD_SECTION before DIMENSION")
	}
	if p.coords {
		return p.errAt("second NODE_COORD_SECTION")
	}
	p.coords = true
	p.in.X, p.in.Y = make([]float64, p.dim), make([]float64, p.dim)
	seen := make([]bool, p.dim)
	for read := 0; read < p.dim; {
		if !p.sc.Scan() {
			if err := p.sc.Err(); err != nil {
				return err
			}
			return p.errAt("NODE_COORD_SECTION has %d nodes, DIMENSION is %d", read, p.dim)
		}
		p.line++
		f := strings.Fields(p.sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) == 1 && f[0] == "EOF" {
			return p.errAt("NODE_COORD_SECTION has %d nodes, DIMENSION is %d", read, p.dim)
		}
		if err := p.node(f, seen); err != nil {
			return err
		}
		read++
	}
	return nil
}

// node parses one "id x y" line.
func (p *tsplibParser) node(f []string, seen []bool) error {
	if len(f) != 3 {
		return p.errAt("want \"id x y\", got %q", strings.Join(f, " "))
	}
	id, err := strconv.Atoi(f[0])
	if err != nil || id < 1 || id > p.dim {
		return p.errAt("bad node id %q (want 1 to %d)", f[0], p.dim)
	}
	if seen[id-1] {
		return p.errAt("node %d given twice", id)
	}
	seen[id-1] = true
	x, errX := strconv.ParseFloat(f[1], 64)
	y, errY := strconv.ParseFloat(f[2], 64)
	if err := errors.Join(errX, errY); err != nil || math.IsInf(x+y, 0) || math.IsNaN(x+y) {
		return p.errAt("bad coordinates %q %q for node %d", f[1], f[2], id)
	}
	p.in.X[id-1], p.in.Y[id-1] = x, y
	return nil
}

// finish checks that everything needed was given.
func (p *tsplibParser) finish() (*Instance, error) {
	switch {
	case p.dim < 0:
		return nil, errors.New("no DIMENSION")
	case p.in.EdgeWeightType == "":
		return nil, errors.New("no EDGE_WEIGHT_TYPE")
	case !p.coords:
		return nil, errors.New("no NODE_COORD_SECTION")
	}
	in := p.in
	return &in, nil
}
