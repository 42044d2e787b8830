package httpapi_test

// The OpenAPI contract check: every server the tests of this package start
// through the harness serves through contract.check, which holds every
// response (and, where the server accepted it, every request) against
// assets/openapi.yaml, fails the test that made the request when they
// differ, and records which documented operations were answered; TestMain
// fails the run when a documented operation was never exercised.

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"dakiya/assets"
)

// maxRecorded bounds the bytes of a request or response body kept for
// validation; a larger body (an oversized upload, a never-ending stream) is
// checked for its status and headers only.
const maxRecorded = 8 << 20

// apiContract is the document every test server of this package answers
// by; TestMain loads it before any test runs.
var apiContract *contract

// TestMain loads the OpenAPI document, runs the tests, and then, on a run
// of the whole package that passed, fails if a documented operation was
// never answered with a response that matched the document.
func TestMain(m *testing.M) {
	c, err := loadContract(assets.OpenAPI())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	apiContract = c
	code := m.Run()
	if code == 0 && wholeRun() && c.anyChecked() {
		if missing := c.unexercised(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: openapi: %d documented operations were never answered with a 1xx-3xx response "+
				"that matched assets/openapi.yaml by any test of this package; add a test that calls each:\n\t%s\n",
				len(missing), strings.Join(missing, "\n\t"))
			code = 1
		}
	}
	os.Exit(code)
}

// wholeRun reports whether every test of the package ran (no -run, -skip
// or -short), so that unexercised operations mean a missing test.
func wholeRun() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// operation is one documented method on one path template.
type operation struct {
	method   string
	template string   // as in the document: /api/v1/partners/{id}
	segments []string // the template split at '/'
	id       string   // operationId
	// items: x-dakiya-item-results, a batch answered 200 with an error per
	// item, so a request the schema refuses may still be answered 200
	items bool
	// views: x-dakiya-views, an answer that is one of several views by
	// caller (a oneOf), which strict mode cannot follow: its answers are
	// checked against the schema without the strict "not declared" rule
	views bool
	// beckn: x-dakiya-beckn, a request whose message is ONDC's, described
	// by ONDC's own document (the ONDC tests validate every request and
	// callback against it), so this document does not judge its body
	beckn bool
}

func (o operation) String() string { return o.method + " " + o.template + " (" + o.id + ")" }

// contract is the parsed document, its validator, and what was exercised.
type contract struct {
	v     validator.Validator
	heads validator.Validator // status and headers only, for bodies too large to keep
	loose validator.Validator // not strict, for x-dakiya-views operations
	ops   []operation

	mu      sync.Mutex
	checked map[string]bool // operation → answered at all
	passed  map[string]bool // operation → answered 1xx-3xx, matching
}

// loadContract parses and checks the document and lists its operations.
func loadContract(spec []byte) (*contract, error) {
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse assets/openapi.yaml: %w", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("openapi: build the model of assets/openapi.yaml: %w", err)
	}
	v, errs := validator.NewValidator(doc, strict()...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi: validator for assets/openapi.yaml: %v", errs)
	}
	heads, errs := validator.NewValidator(doc, append(strict(), config.WithoutResponseBodyValidation())...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi: validator for assets/openapi.yaml: %v", errs)
	}
	loose, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi: validator for assets/openapi.yaml: %v", errs)
	}
	c := &contract{v: v, heads: heads, loose: loose, checked: map[string]bool{}, passed: map[string]bool{}}
	for path, item := range m.Model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			_, items := op.Extensions.Get("x-dakiya-item-results")
			_, views := op.Extensions.Get("x-dakiya-views")
			_, beckn := op.Extensions.Get("x-dakiya-beckn")
			c.ops = append(c.ops, operation{method: strings.ToUpper(method), template: path,
				segments: strings.Split(path, "/"), id: op.OperationId, items: items, views: views, beckn: beckn})
		}
	}
	return c, nil
}

// strict makes the validator report what the document does not declare: a
// property of a JSON body its schema does not name (even where
// additionalProperties would allow it), a query parameter, and a header of
// a response that lists its headers, save the headers info.description
// and the apiKey scheme say every answer carries, and the Idempotency-Key
// the console sends with every write (only the operations that declare it
// read it).
func strict() []config.Option {
	return []config.Option{config.WithStrictMode(), config.WithStrictIgnoredHeadersExtra(
		"content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options",
		"permissions-policy", "cross-origin-opener-policy", "content-encoding",
		"x-ratelimit-limit", "x-ratelimit-remaining", "idempotency-key")}
}

// documentErrors validates the document against the OpenAPI 3.1 schema.
func (c *contract) documentErrors() []string {
	ok, errs := c.v.ValidateDocument()
	if ok {
		return nil
	}
	var out []string
	for _, e := range errs {
		out = append(out, describe(e))
	}
	return out
}

// match finds the documented path template a request path falls under (a
// literal segment beats a parameter, as in the router) and the operation
// of the method on it; op is nil when the path has no such method.
func (c *contract) match(method, path string) (template string, op *operation) {
	segs := strings.Split(path, "/")
	best := -1
	for i := range c.ops {
		o := &c.ops[i]
		score, ok := segmentsMatch(o.segments, segs)
		if !ok || score < best {
			continue
		}
		if score > best || template != o.template {
			template, op = o.template, nil
		}
		best = score
		if o.method == method {
			op = o
		}
	}
	return template, op
}

// segmentsMatch reports whether a path's segments fit a template's, and
// how many of them are literal.
func segmentsMatch(template, path []string) (int, bool) {
	if len(template) != len(path) {
		return 0, false
	}
	literal := 0
	for i, t := range template {
		switch {
		case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			if path[i] == "" {
				return 0, false
			}
		case t == path[i]:
			literal++
		default:
			return 0, false
		}
	}
	return literal, true
}

// check serves h, holding each exchange to the document; a mismatch fails t.
func (c *contract) check(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := &teeBody{ReadCloser: r.Body}
		r.Body = in
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if problems := c.verify(r, in.rest(), rec); len(problems) > 0 {
			t.Errorf("openapi: %s %s answered %d %s, which assets/openapi.yaml does not describe:\n\t%s",
				r.Method, r.URL.RequestURI(), rec.code(), rec.Header().Get("Content-Type"), strings.Join(problems, "\n\t"))
		}
	})
}

// verify checks one exchange and records it; it returns what is wrong.
func (c *contract) verify(r *http.Request, reqBody []byte, rec *recorder) []string {
	status := rec.code()
	template, op := c.match(r.Method, r.URL.EscapedPath())
	if op == nil {
		return c.unrouted(r, template, rec)
	}
	var problems []string
	v := c.v
	switch {
	case rec.truncated:
		v = c.heads
	case op.views:
		v = c.loose
	}
	res, err := rec.response(r)
	if err != nil {
		problems = append(problems, "response: "+err.Error())
	} else if _, errs := v.ValidateHttpResponse(clone(r, reqBody), res); len(errs) > 0 {
		for _, e := range errs {
			problems = append(problems, "response: "+describe(e))
		}
	}
	if status < 400 && reqBody != nil && !op.items && !op.beckn {
		// the server took it, so the document must accept it too
		if _, errs := c.v.ValidateHttpRequestSync(clone(r, reqBody)); len(errs) > 0 {
			for _, e := range errs {
				problems = append(problems, "request (the server accepted it, the document refuses it): "+describe(e))
			}
		}
	}
	c.record(op, status, len(problems) == 0)
	return problems
}

// unrouted checks an exchange no documented operation describes: under
// /api/v1 it must be the 404 problem of an unknown route (a documented
// path with another method, or no such path); elsewhere (the app's pages
// and files) there is nothing to check.
func (c *contract) unrouted(r *http.Request, template string, rec *recorder) []string {
	if !strings.HasPrefix(r.URL.Path, "/api/v1/") && template == "" {
		return nil
	}
	what := "no documented path matches it"
	if template != "" {
		what = "the document has no " + r.Method + " on " + template
	}
	if rec.code() != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		return []string{what + ", so it must be the 404 problem of an unknown route; a route the document " +
			"does not describe is served (document it in assets/openapi.yaml)"}
	}
	return nil
}

// record notes an answered operation.
func (c *contract) record(op *operation, status int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checked[op.String()] = true
	if ok && status < 400 {
		c.passed[op.String()] = true
	}
}

func (c *contract) anyChecked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.checked) > 0
}

// unexercised lists the operations never answered 1xx-3xx as documented.
func (c *contract) unexercised() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, o := range c.ops {
		if !c.passed[o.String()] {
			out = append(out, o.String())
		}
	}
	slices.Sort(out)
	return out
}

// describe renders a validation error with the places it names.
func describe(e *verrors.ValidationError) string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Reason != "" && e.Reason != e.Message {
		b.WriteString(": " + e.Reason)
	}
	var fails []string
	for _, s := range e.SchemaValidationErrors {
		where := s.FieldPath
		if where == "" {
			where = "/" + strings.Join(s.InstancePath, "/")
		}
		fails = append(fails, fmt.Sprintf("at %s: %s (schema %s)", where, s.Reason, s.KeywordLocation))
	}
	slices.Sort(fails)
	const shown = 6
	for i, f := range fails {
		if i == shown {
			fmt.Fprintf(&b, "\n\t\t… and %d more", len(fails)-shown)
			break
		}
		b.WriteString("\n\t\t" + f)
	}
	if e.SpecLine > 0 {
		fmt.Fprintf(&b, " [assets/openapi.yaml line %d]", e.SpecLine)
	}
	return b.String()
}

// clone copies a request with its body, for the validator to read.
func clone(r *http.Request, body []byte) *http.Request {
	req := r.Clone(r.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	if req.URL.Host == "" {
		req.URL.Scheme, req.URL.Host = "http", r.Host
	}
	return req
}

// teeBody keeps what the handler reads of a request body.
type teeBody struct {
	io.ReadCloser
	buf  bytes.Buffer
	over bool
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if !b.over && b.buf.Len()+n <= maxRecorded {
		b.buf.Write(p[:n])
	} else {
		b.over = true
	}
	return n, err
}

// rest reads what the handler left of the body and returns the whole, or
// nil when there was none or it was too large to keep.
func (b *teeBody) rest() []byte {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, maxRecorded+1))
	if b.over || b.buf.Len() == 0 {
		return nil
	}
	return b.buf.Bytes()
}

// recorder passes a response through and keeps its status and body.
type recorder struct {
	http.ResponseWriter
	status    int
	body      bytes.Buffer
	truncated bool
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.body.Len()+len(p) <= maxRecorded {
		w.body.Write(p)
	} else {
		w.truncated = true
	}
	return w.ResponseWriter.Write(p)
}

// Flush lets streams (server-sent events) through as they are written.
func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// response is the recorded answer as a client would have read it, gzip
// undone.
func (w *recorder) response(r *http.Request) (*http.Response, error) {
	body := w.body.Bytes()
	h := w.Header().Clone()
	if strings.EqualFold(h.Get("Content-Encoding"), "gzip") && !w.truncated && len(body) > 0 {
		z, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("the gzip body does not open: %w", err)
		}
		if body, err = io.ReadAll(z); err != nil {
			return nil, fmt.Errorf("the gzip body does not open: %w", err)
		}
		h.Del("Content-Encoding")
	}
	return &http.Response{StatusCode: w.code(), Header: h, Request: r,
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}, nil
}
