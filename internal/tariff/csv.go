package tariff

// This file reads a tariff from the CSV an admin uploads.
//
// The format (documented for admins in assets/openapi.yaml and shown by
// assets/tariffs/default.csv): a header line naming the columns, in any
// order, then one line per service and zone. Lines starting with # are
// comments; blank lines are skipped.
//
//	service            speed_post | registered | parcel | letter
//	zone               local | within_state | metro | rest_of_india | special
//	first_g            the first slab's weight in grams (1..100000)
//	first_paise        the price of the first slab, paise (0..10000000)
//	slab_g             each further slab's weight in grams (1..100000)
//	additional_paise   the price of each further slab, paise (0..10000000)
//	max_weight_g       the heaviest article the service takes (first_g..100000)
//	volumetric_divisor cm³ per kg for volumetric weight; 0: not applied
//	                   (0 or 1000..10000)
//	cod                yes | no: whether the service takes cash on delivery
//	gst_bp             GST on the freight in basis points (0..2800; 1800 is 18 %)
//
// max_weight_g, volumetric_divisor, cod and gst_bp belong to the service:
// every zone's row of a service must agree on them. A service that is
// listed must be priced in every zone, once.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// Limits on an uploaded tariff.
const (
	maxRows      = 200
	maxErrors    = 50
	maxGrams     = 100_000
	maxRatePaise = 10_000_000
)

// Columns lists a tariff CSV's columns in the order Dakiya writes them.
func Columns() []string {
	return []string{"service", "zone", "first_g", "first_paise", "slab_g", "additional_paise",
		"max_weight_g", "volumetric_divisor", "cod", "gst_bp"}
}

// Rate is one row of a tariff: a service's prices in one zone.
type Rate struct {
	Service           postal.Service `json:"service"`
	Zone              Zone           `json:"zone"`
	FirstG            int            `json:"first_g"`
	FirstPaise        postal.Paise   `json:"first_paise"`
	SlabG             int            `json:"slab_g"`
	AdditionalPaise   postal.Paise   `json:"additional_paise"`
	MaxWeightG        int            `json:"max_weight_g"`
	VolumetricDivisor int            `json:"volumetric_divisor"`
	COD               bool           `json:"cod"`
	GSTBP             int            `json:"gst_bp"`
	line              int
}

// Table is a parsed tariff: its rates in file order and by service and zone.
type Table struct {
	Rates []Rate
	by    map[postal.Service]map[Zone]Rate
}

// rate returns the rate of a service in a zone.
func (t *Table) rate(s postal.Service, z Zone) (Rate, bool) {
	r, ok := t.by[s][z]
	return r, ok
}

// service returns a service's first rate in the file (its zones agree on
// the service's own columns).
func (t *Table) service(s postal.Service) (Rate, bool) {
	for _, r := range t.Rates {
		if r.Service == s {
			return r, true
		}
	}
	return Rate{}, false
}

// rowErrors collects a CSV's errors as "row N: column" fields.
type rowErrors []postal.FieldError

func (e *rowErrors) add(line int, column, format string, args ...any) {
	if len(*e) < maxErrors {
		*e = append(*e, postal.FieldError{Field: fmt.Sprintf("row %d: %s", line, column), Message: fmt.Sprintf(format, args...)})
	}
}

// Parse reads a tariff CSV. Every problem is reported as a field error
// named "row N: column" (N is the line in the file), and any problem
// refuses the whole file.
func Parse(b []byte) (*Table, error) {
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, postal.Invalid("the tariff is not UTF-8 text")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comment, r.FieldsPerRecord, r.TrimLeadingSpace, r.ReuseRecord = '#', -1, true, false
	var errs rowErrors
	header, line, err := next(r)
	if err != nil {
		return nil, csvError(err, line)
	}
	cols := columns(header, line, &errs)
	t := &Table{by: map[postal.Service]map[Zone]Rate{}}
	for {
		rec, line, err := next(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs.add(line, "csv", "%s", csvMessage(err))
			break
		}
		if len(t.Rates) == maxRows {
			errs.add(line, "service", "a tariff has at most %d rows", maxRows)
			break
		}
		if cols != nil {
			t.add(readRate(rec, line, cols, &errs), &errs)
		}
	}
	if len(t.Rates) == 0 && len(errs) == 0 {
		return nil, postal.Invalid("the tariff has no rows")
	}
	if len(errs) == 0 {
		t.complete(&errs) // a refused row would show as a missing zone
	}
	if len(errs) > 0 {
		return nil, postal.Invalid("the tariff has errors; nothing was stored", errs...)
	}
	return t, nil
}

// next reads one record with the line it starts on.
func next(r *csv.Reader) ([]string, int, error) {
	rec, err := r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, pe.StartLine, err
	}
	if err != nil {
		return nil, 0, err
	}
	line, _ := r.FieldPos(0)
	return rec, line, nil
}

// csvError turns a failure to read the header into an error.
func csvError(err error, line int) error {
	if errors.Is(err, io.EOF) {
		return postal.Invalid("the tariff is empty: it needs a header line and rows")
	}
	return postal.Invalid("the tariff is not valid CSV; nothing was stored",
		postal.FieldError{Field: fmt.Sprintf("row %d: csv", line), Message: csvMessage(err)})
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// columns maps each known column to its index in the header, or reports
// what is wrong with the header and returns nil.
func columns(header []string, line int, errs *rowErrors) map[string]int {
	cols := map[string]int{}
	known := map[string]bool{}
	for _, c := range Columns() {
		known[c] = true
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch _, dup := cols[h]; {
		case !known[h]:
			errs.add(line, h, "unknown column (the columns are %s)", strings.Join(Columns(), ", "))
		case dup:
			errs.add(line, h, "column named twice")
		}
		cols[h] = i
	}
	for _, c := range Columns() {
		if _, ok := cols[c]; !ok {
			errs.add(line, c, "missing column")
		}
	}
	if len(*errs) > 0 {
		return nil
	}
	return cols
}

// readRate reads one row's fields, reporting each bad one.
func readRate(rec []string, line int, cols map[string]int, errs *rowErrors) *Rate {
	before := len(*errs)
	get := func(c string) string {
		if i := cols[c]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	num := func(c string, lo, hi int) int {
		v, err := strconv.Atoi(get(c))
		if err != nil || v < lo || v > hi {
			errs.add(line, c, "must be a whole number from %d to %d, not %q", lo, hi, get(c))
		}
		return v
	}
	r := Rate{Service: postal.Service(get("service")), Zone: Zone(get("zone")), line: line}
	if !r.Service.Valid() {
		errs.add(line, "service", "unknown service %q (speed_post, registered, parcel, letter)", get("service"))
	}
	if !r.Zone.Valid() {
		errs.add(line, "zone", "unknown zone %q (local, within_state, metro, rest_of_india, special)", get("zone"))
	}
	r.FirstG = num("first_g", 1, maxGrams)
	r.FirstPaise = postal.Paise(num("first_paise", 0, maxRatePaise))
	r.SlabG = num("slab_g", 1, maxGrams)
	r.AdditionalPaise = postal.Paise(num("additional_paise", 0, maxRatePaise))
	r.MaxWeightG = num("max_weight_g", 1, maxGrams)
	if r.MaxWeightG < r.FirstG {
		errs.add(line, "max_weight_g", "must be at least first_g (%d)", r.FirstG)
	}
	if r.VolumetricDivisor = num("volumetric_divisor", 0, 10_000); r.VolumetricDivisor != 0 && r.VolumetricDivisor < 1000 {
		errs.add(line, "volumetric_divisor", "must be 0 (no volumetric weight) or from 1000 to 10000 cm³ per kg")
	}
	switch strings.ToLower(get("cod")) {
	case "yes":
		r.COD = true
	case "no":
	default:
		errs.add(line, "cod", "must be yes or no, not %q", get("cod"))
	}
	r.GSTBP = num("gst_bp", 0, 2800)
	if len(rec) > len(cols) {
		errs.add(line, "csv", "%d fields, but the header names %d", len(rec), len(cols))
	}
	if len(*errs) > before {
		return nil
	}
	return &r
}

// add keeps a good row, refusing a second row for the same service and
// zone, and a row that disagrees with its service's first on the
// service's own columns.
func (t *Table) add(r *Rate, errs *rowErrors) {
	if r == nil {
		return
	}
	zones := t.by[r.Service]
	if zones == nil {
		zones = map[Zone]Rate{}
		t.by[r.Service] = zones
	}
	if prev, dup := zones[r.Zone]; dup {
		errs.add(r.line, "zone", "%s is already priced for %s on row %d", r.Service, r.Zone, prev.line)
		return
	}
	if first, ok := t.service(r.Service); ok {
		for _, d := range []struct {
			col       string
			got, want any
		}{
			{"max_weight_g", r.MaxWeightG, first.MaxWeightG},
			{"volumetric_divisor", r.VolumetricDivisor, first.VolumetricDivisor},
			{"cod", r.COD, first.COD},
			{"gst_bp", r.GSTBP, first.GSTBP},
		} {
			if d.got != d.want {
				errs.add(r.line, d.col, "differs from row %d: a service has one %s in every zone", first.line, d.col)
			}
		}
	}
	zones[r.Zone] = *r
	t.Rates = append(t.Rates, *r)
}

// complete reports each listed service that misses a zone.
func (t *Table) complete(errs *rowErrors) {
	for _, s := range services() {
		first, ok := t.service(s)
		if !ok {
			continue
		}
		for _, z := range Zones() {
			if _, ok := t.by[s][z]; !ok {
				errs.add(first.line, "zone", "%s has no row for zone %s: a listed service must be priced in every zone", s, z)
			}
		}
	}
}
