package article

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dakiya/internal/postal"
)

// csvColumns are the columns of a bulk booking in CSV, in the order a
// template lists them; the first six are required.
var csvColumns = []string{"id", "service", "name", "phone", "address", "pin", "lat", "lon", "cod_paise", "slot_preference"}

// csvRequired is how many of csvColumns a header must name.
const csvRequired = 6

// DecodeCSV reads a bulk booking in CSV: a header row naming the columns
// (any order; id, service, name, phone, address and pin required), then one
// article per row. As with DecodeBatch, a row that cannot be read is an
// ItemError of its own (Index counts data rows from 0) and the others go
// on; a file that is not CSV, or has a bad header, fails as a whole.
func DecodeCSV(body []byte) ([]Input, []ItemError, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1 // a short row is that row's error, not the file's
	records, err := r.ReadAll()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, nil, postal.Invalid(fmt.Sprintf("malformed CSV at line %d: %v", pe.Line, pe.Err))
	}
	if err != nil {
		return nil, nil, postal.Wrap(err, postal.CodeInvalid, "malformed CSV")
	}
	if len(records) == 0 {
		return nil, nil, postal.Invalid("the CSV is empty: send a header row and one article per row")
	}
	cols, err := csvHeader(records[0])
	if err != nil {
		return nil, nil, err
	}
	rows := records[1:]
	switch {
	case len(rows) == 0:
		return nil, nil, postal.Invalid("the CSV has a header and no articles")
	case len(rows) > MaxBatch:
		return nil, nil, postal.Errorf(postal.CodeTooLarge, "send at most %d articles per request", MaxBatch)
	}
	inputs := make([]Input, len(rows))
	var bad []ItemError
	for i, rec := range rows {
		in, fe := csvInput(cols, rec)
		if len(fe) > 0 {
			ie := ItemError{Index: i, Errors: fe}
			if postal.TextProblem(in.ID) == "" {
				ie.ID = strings.TrimSpace(in.ID)
			}
			bad = append(bad, ie)
			continue
		}
		inputs[i] = in
	}
	return inputs, bad, nil
}

// csvHeader maps each column of a header row to its name.
func csvHeader(head []string) ([]string, error) {
	return CSVHeader(head, csvColumns, csvColumns[:csvRequired])
}

// CSVHeader maps each column of a CSV header row to its name (trimmed,
// lower case): each must be one of known, at most once, and every one of
// required must be there. Bookings read their wider header with it too.
func CSVHeader(head, known, required []string) ([]string, error) {
	seen := map[string]bool{}
	cols := make([]string, len(head))
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(known, name) || seen[name] {
			return nil, postal.Invalid("bad CSV header", postal.FieldError{Field: "header",
				Message: fmt.Sprintf("column %d must be one of %s, each once", i+1, strings.Join(known, ","))})
		}
		seen[name], cols[i] = true, name
	}
	for _, c := range required {
		if !seen[c] {
			return nil, postal.Invalid("bad CSV header", postal.FieldError{Field: "header", Message: "no " + c + " column"})
		}
	}
	return cols, nil
}

// csvInput reads one data row into an article input, or says why it
// cannot; the input's own rules are checked later, with the JSON batch's.
func csvInput(cols, rec []string) (Input, []postal.FieldError) {
	var in Input
	if len(rec) != len(cols) {
		if len(rec) > 0 {
			in.ID = rec[0]
		}
		return in, []postal.FieldError{{Field: "", Message: fmt.Sprintf("has %d fields, the header %d", len(rec), len(cols))}}
	}
	var fe []postal.FieldError
	for i, v := range rec {
		field := csvField(cols[i])
		if msg := postal.TextProblem(v); msg != "" {
			fe = append(fe, postal.FieldError{Field: field, Message: msg})
			continue
		}
		if msg := setCSV(&in, cols[i], strings.TrimSpace(v)); msg != "" {
			fe = append(fe, postal.FieldError{Field: field, Message: msg})
		}
	}
	return in, fe
}

// csvField names a column as the JSON batch's errors name its field.
func csvField(col string) string {
	switch col {
	case "name", "phone", "address", "pin", "lat", "lon":
		return "recipient." + col
	}
	return col
}

// IsCSVColumn reports whether col is one of an article's CSV columns.
func IsCSVColumn(col string) bool {
	for _, c := range csvColumns {
		if c == col {
			return true
		}
	}
	return false
}

// SetCSV sets column col (one of an article's CSV columns) of in from v,
// or says why v cannot be it; CSVField names the column as JSON errors do.
func SetCSV(in *Input, col, v string) string { return setCSV(in, col, v) }

// CSVField names a column as the JSON batch's errors name its field.
func CSVField(col string) string { return csvField(col) }

// setCSV sets one column of in from v, or says why v cannot be it.
func setCSV(in *Input, col, v string) string {
	num := func(dst **float64) string {
		if v == "" {
			return ""
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "must be a number"
		}
		*dst = &f
		return ""
	}
	switch col {
	case "id":
		in.ID = v
	case "service":
		in.Service = postal.Service(v)
	case "name":
		in.Recipient.Name = v
	case "phone":
		in.Recipient.Phone = v
	case "address":
		in.Recipient.Address = v
	case "pin":
		in.Recipient.PIN = v
	case "lat":
		return num(&in.Recipient.Lat)
	case "lon":
		return num(&in.Recipient.Lon)
	case "cod_paise":
		if v == "" {
			return ""
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "must be a whole number of paise"
		}
		in.CODPaise = n
	case "slot_preference":
		in.SlotPreference = postal.Slot(v)
	}
	return ""
}

// NumberRows sets each error's Row: its data row's number in the CSV file,
// counting the header as row 1, as a spreadsheet shows it.
func (r *BatchResult) NumberRows() {
	for i := range r.Errors {
		r.Errors[i].Row = r.Errors[i].Index + 2
	}
}
