package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// Body size limits. A batch of 1000 articles is about 400 KB.
const (
	smallBody = 64 << 10
	batchBody = 2 << 20
)

// readJSON reads a JSON request body of at most limit bytes.
func readJSON(c echo.Context, limit int64) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return nil, postal.Errorf(postal.CodeUnsupported, "send the body as application/json")
	}
	return readBody(c, limit)
}

// isCSV reports whether a request's body is CSV in UTF-8.
func isCSV(c echo.Context) bool {
	mt, params, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	cs := strings.ToLower(params["charset"])
	return err == nil && mt == "text/csv" && (cs == "" || cs == "utf-8")
}

// readBody reads a request body of at most limit bytes, whatever its type.
func readBody(c echo.Context, limit int64) ([]byte, error) {
	r := http.MaxBytesReader(c.Response(), c.Request().Body, limit)
	b, err := io.ReadAll(r)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, postal.Errorf(postal.CodeTooLarge, "body is over the %d-byte limit", limit)
	}
	if err != nil {
		return nil, postal.Wrap(err, postal.CodeInvalid, "could not read the body")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, postal.Errorf(postal.CodeInvalid, "body is empty")
	}
	return b, nil
}

// bind reads a small JSON body into v strictly: unknown fields, wrong
// types and trailing data are refused.
func bind(c echo.Context, v any) error {
	b, err := readJSON(c, smallBody)
	if err != nil {
		return err
	}
	return strictJSON(b, v)
}

// strictJSON decodes a body refusing unknown fields, trailing data, and
// strings that are not text (see checkText).
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return postal.Wrap(err, postal.CodeInvalid, decodeMessage(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return postal.Errorf(postal.CodeInvalid, "malformed JSON: trailing data after the body")
	}
	return checkText(b)
}

// checkText refuses a JSON body with a string holding U+0000 or anything
// but UTF-8, naming each such field. encoding/json would pass the first to
// the database (PostgreSQL refuses it) and silently turn the second into
// U+FFFD, so the raw body is what is checked.
func checkText(b []byte) error {
	if fe := postal.JSONTextErrors(b); len(fe) > 0 {
		return postal.Invalid("the body holds text that is not valid UTF-8 or contains U+0000", fe...)
	}
	return nil
}

// decodeMessage says what was wrong with a JSON body without echoing it.
func decodeMessage(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends early"
	}
	return "malformed JSON"
}

// textParams refuses a request whose path parameters or query hold U+0000
// or anything but UTF-8, before any handler passes them to the database.
// It runs after routing, so the path's parameters are known by name.
func textParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var fe []postal.FieldError
		for i, name := range c.ParamNames() {
			v := c.ParamValues()[i]
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			if msg := postal.TextProblem(v); msg != "" {
				fe = append(fe, postal.FieldError{Field: paramField(name), Message: msg})
			}
		}
		for k, vs := range c.QueryParams() {
			for _, v := range append(vs, k) {
				if msg := postal.TextProblem(v); msg != "" {
					fe = append(fe, postal.FieldError{Field: paramField(k), Message: msg})
					break
				}
			}
		}
		if len(fe) > 0 {
			return postal.Invalid("the address holds text that is not valid UTF-8 or contains U+0000", fe...)
		}
		return next(c)
	}
}

// paramField names a parameter in a field error without repeating bad text.
func paramField(name string) string {
	switch {
	case name == "*":
		return "path"
	case postal.TextProblem(name) != "":
		return "query"
	}
	return name
}

// formText reads a text field of a form, refusing what checkText refuses.
func formText(name string, b []byte) (string, error) {
	if msg := postal.TextProblem(string(b)); msg != "" {
		return "", postal.Invalid("field "+strconv.Quote(name)+" is not text", postal.FieldError{Field: name, Message: msg})
	}
	return string(b), nil
}
