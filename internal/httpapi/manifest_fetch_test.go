package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// rawGet GETs path with exactly the headers given (no Accept-Encoding of
// the client's own) and returns the answer as it came, undecoded.
func rawGet(t *testing.T, e *env, path, token string, headers ...string) resp {
	t.Helper()
	req, _ := http.NewRequest("GET", e.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	return answer(t, res, err)
}

// TestManifestGetRepresentations checks the stored representations a
// phone's fetch is answered with: plain JSON unless the client takes gzip,
// each with its Content-Length, its own ETag, Vary and Content-Encoding;
// and that each fetch, a 304 too, is one SQL statement (the token is
// checked from memory, the log and metrics read nothing).
func TestManifestGetRepresentations(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		path, token := benchManifest(t, e, 4)
		plain := rawGet(t, e, path, token)
		etag := plain.header.Get("ETag")
		if plain.status != 200 || plain.header.Get("Content-Encoding") != "" || !json.Valid(plain.body) ||
			plain.header.Get("Content-Length") != strconv.Itoa(len(plain.body)) || plain.header.Get("Vary") != "Accept-Encoding" ||
			plain.header.Get("Content-Type") != "application/json" || len(etag) < 3 {
			t.Fatalf("without Accept-Encoding: %d %v", plain.status, plain.header)
		}
		for _, ae := range []string{"identity", "gzip;q=0", "br", "deflate, gzip;q=0, br"} {
			r := rawGet(t, e, path, token, "Accept-Encoding", ae)
			if r.status != 200 || r.header.Get("Content-Encoding") != "" || !bytes.Equal(r.body, plain.body) || r.header.Get("ETag") != etag {
				t.Fatalf("Accept-Encoding %q: %d %v", ae, r.status, r.header)
			}
		}
		for _, ae := range []string{"gzip", "gzip, deflate, br, zstd", "*", "br;q=1, gzip;q=0.5", "x-gzip"} {
			r := rawGet(t, e, path, token, "Accept-Encoding", ae)
			if r.status != 200 || r.header.Get("Content-Encoding") != "gzip" || r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) ||
				r.header.Get("Vary") != "Accept-Encoding" || r.header.Get("ETag") == etag || len(r.body) >= len(plain.body) {
				t.Fatalf("Accept-Encoding %q: %d %v", ae, r.status, r.header)
			}
			zr, err := gzip.NewReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			if b, err := io.ReadAll(zr); err != nil || !bytes.Equal(b, plain.body) {
				t.Fatalf("Accept-Encoding %q: the gzipped body is not the JSON: %v", ae, err)
			}
		}
		gzEtag := rawGet(t, e, path, token, "Accept-Encoding", "gzip").header.Get("ETag")
		for _, h := range [][]string{{"If-None-Match", etag}, {"If-None-Match", gzEtag, "Accept-Encoding", "gzip"}, {"If-None-Match", `"x", ` + etag}} {
			if r := rawGet(t, e, path, token, h...); r.status != 304 || len(r.body) != 0 || r.header.Get("ETag") == "" {
				t.Fatalf("%v: %d %v", h, r.status, r.header)
			}
		}
		for _, h := range [][]string{nil, {"Accept-Encoding", "gzip"}, {"If-None-Match", gzEtag, "Accept-Encoding", "gzip"}, {"If-None-Match", `"old"`}} {
			before := e.db.SQLCount()
			r := rawGet(t, e, path, token, h...)
			if n := e.db.SQLCount() - before; n != 1 || r.status >= 400 {
				t.Fatalf("GET %v: %d, %d statements, want 1", h, r.status, n)
			}
		}
	})
}
