package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"path"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// An app file is compressed once, when the server starts, and each request
// picks one of the stored representations: a slow phone gets the smallest
// bytes and the server spends no CPU per request.

// Content codings the shell stores, in order of preference.
const (
	codingBrotli   = "br"
	codingGzip     = "gzip"
	codingIdentity = "identity"
)

// minCompress is the smallest file worth compressing: below it the saving
// is lost in the headers, so it goes as it is.
const minCompress = 1024

// representation is one stored encoding of a file.
type representation struct {
	coding string // codingBrotli, codingGzip or codingIdentity
	body   []byte
	etag   string // strong, distinct per representation
}

// asset is a file as the shell serves it: its type and its representations,
// identity first.
type asset struct {
	ctype string
	reps  []representation
}

// rep returns the representation in coding, if stored.
func (a *asset) rep(coding string) (representation, bool) {
	for _, r := range a.reps {
		if r.coding == coding {
			return r, true
		}
	}
	return representation{}, false
}

// newAsset stores b as it is, under a strong ETag made from its hash.
func newAsset(name string, b []byte) *asset {
	sum := sha256.Sum256(b)
	return &asset{ctype: contentType(name), reps: []representation{{codingIdentity, b, `"` + hex.EncodeToString(sum[:16]) + `"`}}}
}

// compress adds the gzip and brotli encodings where they are worth it; each
// gets the identity's ETag with the coding appended, so every
// representation has its own.
func (a *asset) compress(name string) error {
	id := a.reps[0]
	if len(id.body) < minCompress || !compressible(a.ctype) {
		return nil
	}
	for _, c := range []string{codingBrotli, codingGzip} {
		z, err := encode(c, id.body)
		if err != nil {
			return fmt.Errorf("httpapi: compress %s: %w", name, err)
		}
		if len(z) < len(id.body) {
			a.reps = append(a.reps, representation{c, z, strings.TrimSuffix(id.etag, `"`) + "-" + c + `"`})
		}
	}
	return nil
}

// encode encodes b at the highest level each coding has: it runs once per
// file, so the time is spent once.
func encode(coding string, b []byte) ([]byte, error) {
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch coding {
	case codingBrotli:
		w = brotli.NewWriterLevel(&buf, brotli.BestCompression)
	case codingGzip:
		gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w = gz
	default:
		return nil, fmt.Errorf("unknown coding %q", coding)
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// contentType names a file's media type by its extension.
func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".webmanifest":
		return "application/manifest+json"
	case ".LICENSE":
		return "text/plain; charset=utf-8"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// compressible reports whether a media type is text, which compresses;
// images such as PNG are compressed already.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "javascript") || strings.HasPrefix(ctype, "image/svg")
}

// acceptable parses an Accept-Encoding header into each coding's q-value
// (RFC 9110 §12.5.3). Codings it does not name get "*"'s value, else 0.
func acceptable(header string) func(coding string) float64 {
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		v := 1.0
		for _, p := range strings.Split(params, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				v = f
			}
		}
		if name == "x-gzip" {
			name = codingGzip
		}
		q[name] = v
	}
	return func(coding string) float64 {
		if v, ok := q[coding]; ok {
			return v
		}
		return q["*"]
	}
}

// choose picks the representation for an Accept-Encoding header: of the
// compressed ones the client accepts (q > 0), the one with the highest
// q-value, brotli before gzip on a tie; else the file as it is. Identity is
// only the fallback, even when refused: RFC 9110 allows that rather than a
// 406, and a page is better than an error.
func (a *asset) choose(header string) representation {
	q := acceptable(header)
	best, bestQ := a.reps[0], 0.0
	for _, coding := range []string{codingBrotli, codingGzip} {
		r, ok := a.rep(coding)
		if v := q(coding); ok && v > bestQ {
			best, bestQ = r, v
		}
	}
	return best
}

// etagMatch reports whether an If-None-Match header names etag; the
// comparison is weak (RFC 9110 §13.1.2), so W/"x" matches "x".
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
