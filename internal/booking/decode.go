package booking

import (
	"bytes"
	"dakiya/internal/tariff"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// DecodeJSON reads a booking sent as JSON: {"articles":[…], "quote_id":…}.
// Each article is decoded on its own, strictly, so one bad item is that
// item's refusal and the others go on; a body that is not such an object,
// or holds no articles, fails as a whole (invalid), and more than
// MaxItems is too large.
func DecodeJSON(body []byte) (Request, error) {
	var env struct {
		Articles *[]json.RawMessage `json:"articles"`
		QuoteID  string             `json:"quote_id"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return Request{}, postal.Invalid("malformed booking: send {\"articles\": [...], \"quote_id\": optional}")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Request{}, postal.Invalid("malformed booking: trailing data after the object")
	}
	if env.Articles == nil || len(*env.Articles) == 0 {
		return Request{}, postal.Invalid("the booking has no articles", postal.FieldError{Field: "articles", Message: "1 to 1000 articles"})
	}
	raws := *env.Articles
	if len(raws) > MaxItems {
		return Request{}, postal.Errorf(postal.CodeTooLarge, "send at most %d articles per booking (this one has %d)", MaxItems, len(raws))
	}
	if msg := postal.TextProblem(env.QuoteID); msg != "" || len(env.QuoteID) > 100 {
		return Request{}, postal.Invalid("invalid quote_id", postal.FieldError{Field: "quote_id", Message: "a quote id from POST /api/v1/quotes"})
	}
	req := Request{QuoteID: strings.TrimSpace(env.QuoteID), Items: make([]Item, len(raws))}
	for i, raw := range raws {
		if ie := article.DecodeItem(i, raw, &req.Items[i], &req.Items[i].ID); ie != nil {
			req.Bad, req.Items[i] = append(req.Bad, *ie), Item{}
		}
	}
	return req, nil
}

// extraColumns are the CSV columns a booking adds to an article's (see
// article.DecodeCSV): weight in grams, dimensions in cm, origin PIN, the
// partner's reference.
var extraColumns = []string{"weight_g", "l_cm", "b_cm", "h_cm", "from_pin", "reference"}

// CSVColumns lists every column a booking's CSV may have; service, name,
// phone, address, pin and weight_g are required, id may be empty (Dakiya
// allocates one).
func CSVColumns() []string {
	return append([]string{"id", "service", "name", "phone", "address", "pin", "lat", "lon", "cod_paise", "slot_preference"}, extraColumns...)
}

var requiredColumns = []string{"service", "name", "phone", "address", "pin", "weight_g"}

// DecodeCSV reads a booking sent as CSV: a header row naming the columns
// (any order, see CSVColumns), then one article per row. A row that cannot
// be read is that row's refusal; a file that is not CSV or has a bad header
// fails as a whole.
func DecodeCSV(body []byte, quoteID string) (Request, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Request{}, postal.Invalid(fmt.Sprintf("malformed CSV at line %d: %v", pe.Line, pe.Err))
	}
	if err != nil || len(records) == 0 {
		return Request{}, postal.Invalid("malformed CSV: send a header row and one article per row")
	}
	cols, err := article.CSVHeader(records[0], CSVColumns(), requiredColumns)
	if err != nil {
		return Request{}, err
	}
	rows := records[1:]
	switch {
	case len(rows) == 0:
		return Request{}, postal.Invalid("the CSV has a header and no articles")
	case len(rows) > MaxItems:
		return Request{}, postal.Errorf(postal.CodeTooLarge, "send at most %d articles per booking (this one has %d)", MaxItems, len(rows))
	}
	req := Request{QuoteID: quoteID, Items: make([]Item, len(rows)), CSV: true}
	for i, rec := range rows {
		if fe := readRow(cols, rec, &req.Items[i]); len(fe) > 0 {
			ie := article.ItemError{Index: i, Row: i + 2, Errors: fe}
			if postal.TextProblem(req.Items[i].ID) == "" {
				ie.ID = strings.TrimSpace(req.Items[i].ID)
			}
			req.Bad, req.Items[i] = append(req.Bad, ie), Item{Reference: req.Items[i].Reference}
		}
	}
	return req, nil
}

// readRow reads one data row into it, or says why it cannot.
func readRow(cols, rec []string, it *Item) []postal.FieldError {
	if len(rec) != len(cols) {
		return []postal.FieldError{{Field: "", Message: fmt.Sprintf("has %d fields, the header %d", len(rec), len(cols))}}
	}
	var fe []postal.FieldError
	for i, v := range rec {
		col := cols[i]
		field := article.CSVField(col)
		if msg := postal.TextProblem(v); msg != "" {
			fe = append(fe, postal.FieldError{Field: field, Message: msg})
			continue
		}
		v = strings.TrimSpace(v)
		msg := ""
		if article.IsCSVColumn(col) {
			msg = article.SetCSV(&it.Input, col, v)
		} else {
			msg = setExtra(it, col, v)
		}
		if msg != "" {
			fe = append(fe, postal.FieldError{Field: field, Message: msg})
		}
	}
	return fe
}

// setExtra sets one of a booking's own columns.
func setExtra(it *Item, col, v string) string {
	num := func(dst *int) string {
		if v == "" {
			return ""
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return "must be a whole number"
		}
		*dst = n
		return ""
	}
	dim := func(dst func(*tariff.Dims) *int) string {
		if v == "" {
			return ""
		}
		if it.Dims == nil {
			it.Dims = &tariff.Dims{}
		}
		return num(dst(it.Dims))
	}
	switch col {
	case "weight_g":
		return num(&it.WeightG)
	case "l_cm":
		return dim(func(d *tariff.Dims) *int { return &d.L })
	case "b_cm":
		return dim(func(d *tariff.Dims) *int { return &d.B })
	case "h_cm":
		return dim(func(d *tariff.Dims) *int { return &d.H })
	case "from_pin":
		it.FromPIN = v
	case "reference":
		it.Reference = v
	}
	return ""
}
