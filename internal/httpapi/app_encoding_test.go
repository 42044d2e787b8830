package httpapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"

	"dakiya/pwa"
)

// preparedApp is the real app, compressed once for every test here:
// brotli's best level is slow, the more so under -race.
var preparedApp = sync.OnceValues(func() (*App, error) { return NewApp(pwa.Files()) })

// appServer serves the prepared app the way routes does.
func appServer(t testing.TB) (*appShell, *echo.Echo) {
	t.Helper()
	app, err := preparedApp()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.GET("/sw.js", app.shell.serviceWorker)
	e.GET("/track", app.shell.page("track.html"))
	e.GET("/slot/:token", slotPage(app.shell))
	e.GET("/*", app.shell.serve)
	return app.shell, e
}

// decode undoes a Content-Encoding.
func decode(t testing.TB, coding string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return b
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = z
	default:
		t.Fatalf("unknown coding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

// TestAppEncodings: every file × Accept-Encoding × If-None-Match gets the
// right representation, headers and status.
func TestAppEncodings(t *testing.T) {
	s, e := appServer(t)
	files := []struct {
		url, name, ctype string
		packed           bool // large text: stored as br and gzip too
	}{
		{"/", "index.html", "text/html; charset=utf-8", true},
		{"/track", "track.html", "text/html; charset=utf-8", true},
		{"/slot/abc.def", "slot.html", "text/html; charset=utf-8", true},
		{"/app.js", "app.js", "text/javascript; charset=utf-8", true},
		{"/locales/hi.js", "locales/hi.js", "text/javascript; charset=utf-8", true},
		{"/app.css", "app.css", "text/css; charset=utf-8", true},
		{"/sw.js", "sw.js", "text/javascript; charset=utf-8", true},
		{"/manifest.webmanifest", "manifest.webmanifest", "application/manifest+json", false}, // < 1 KB
		{"/icons/icon-512.png", "icons/icon-512.png", "image/png", false},                     // compressed already
	}
	accepts := []struct {
		header, packed string // the coding chosen for a packed file
	}{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"BR;Q=1, GZIP", "br"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0.8, gzip;q=0.8", "br"},
		{"*", "br"},
		{"*;q=0", ""},
		{"gzip;q=0, br;q=0", ""},
		{"deflate", ""},
		{"br;q=bogus, gzip", "gzip"},
	}
	for _, f := range files {
		a := s.assets[f.name]
		etags := map[string]string{}
		for _, ac := range accepts {
			want := ac.packed
			if !f.packed {
				want = ""
			}
			r := get(t, e, f.url, "Accept-Encoding", ac.header)
			h := r.Header()
			ce := h.Get("Content-Encoding")
			switch {
			case r.Code != http.StatusOK || ce != want:
				t.Errorf("%s, Accept-Encoding %q: %d %q, want 200 %q", f.url, ac.header, r.Code, ce, want)
				continue
			case h.Get("Vary") != "Accept-Encoding" || h.Get("Content-Type") != f.ctype || h.Get("ETag") == "":
				t.Errorf("%s, %q: headers %v", f.url, ac.header, h)
			case h.Get("Content-Length") != strconv.Itoa(r.Body.Len()):
				t.Errorf("%s, %q: Content-Length %s for %d bytes", f.url, ac.header, h.Get("Content-Length"), r.Body.Len())
			case !bytes.Equal(decode(t, ce, r.Body.Bytes()), a.reps[0].body):
				t.Errorf("%s, %q: the body does not decode to the file", f.url, ac.header)
			}
			if old, seen := etags[ce]; seen && old != h.Get("ETag") {
				t.Errorf("%s: %q has two ETags %s, %s", f.url, ce, old, h.Get("ETag"))
			}
			etags[ce] = h.Get("ETag")
			revalidate(t, e, f.url, ac.header, h.Get("ETag"))
		}
		if n := len(etags); (f.packed && n != 3) || (!f.packed && n != 1) {
			t.Errorf("%s: representations %v", f.url, etags)
		}
		if f.packed {
			// A client holding the gzip copy that now takes brotli gets the brotli one.
			if r := get(t, e, f.url, "Accept-Encoding", "br", "If-None-Match", etags["gzip"]); r.Code != 200 || r.Header().Get("Content-Encoding") != "br" {
				t.Errorf("%s: br with the gzip ETag: %d %v", f.url, r.Code, r.Header())
			}
		}
		if len(etags) > 1 && (etags[""] == etags["br"] || etags["br"] == etags["gzip"] || etags[""] == etags["gzip"]) {
			t.Errorf("%s: representations share an ETag: %v", f.url, etags)
		}
	}
}

// revalidate checks If-None-Match against the ETag the client holds, and
// against others it might hold.
func revalidate(t *testing.T, e *echo.Echo, url, accept, etag string) {
	t.Helper()
	for _, c := range []struct {
		inm  string
		want int
	}{
		{etag, http.StatusNotModified},
		{"W/" + etag, http.StatusNotModified},
		{`"other", ` + etag, http.StatusNotModified},
		{"*", http.StatusNotModified},
		{`"other"`, http.StatusOK},
		{strings.TrimSuffix(etag, `"`) + `x"`, http.StatusOK},
	} {
		r := get(t, e, url, "Accept-Encoding", accept, "If-None-Match", c.inm)
		if r.Code != c.want {
			t.Errorf("%s, %q, If-None-Match %s: %d, want %d", url, accept, c.inm, r.Code, c.want)
		}
		if c.want == http.StatusNotModified && (r.Body.Len() != 0 || r.Header().Get("ETag") != etag || r.Header().Get("Vary") != "Accept-Encoding") {
			t.Errorf("%s, If-None-Match %s: 304 with %d bytes, headers %v", url, c.inm, r.Body.Len(), r.Header())
		}
	}
}

// TestAppEncodedBytesDecode: every stored encoding of every file decodes to
// the file as served, which is the embedded file (pages gain only their
// preload links; the worker its list and version).
func TestAppEncodedBytesDecode(t *testing.T) {
	s, _ := appServer(t)
	var raw, br int
	for name, a := range s.assets {
		orig, err := fs.ReadFile(pwa.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		id := a.reps[0].body
		if !strings.HasSuffix(name, ".html") && name != "sw.js" && !bytes.Equal(id, orig) {
			t.Errorf("%s is served changed", name)
		}
		for _, r := range a.reps[1:] {
			if got := decode(t, r.coding, r.body); !bytes.Equal(got, id) {
				t.Errorf("%s: %s decodes to %d bytes, not the %d of the file", name, r.coding, len(got), len(id))
			}
			if r.coding == "br" {
				raw, br = raw+len(id), br+len(r.body)
			}
		}
		if compressible(a.ctype) && len(id) >= minCompress && len(a.reps) != 3 {
			t.Errorf("%s (%d bytes) has %d representations", name, len(id), len(a.reps))
		}
	}
	t.Logf("brotli: %d bytes of text go as %d", raw, br)
}

// TestAppSlotPage: the recipient's page is compressed like the others but
// never stored, and sends no referrer (its address holds the token).
func TestAppSlotPage(t *testing.T) {
	_, e := appServer(t)
	r := get(t, e, "/slot/abc.def", "Accept-Encoding", "br")
	h := r.Header()
	if r.Code != 200 || h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" || h.Get("Content-Encoding") != "br" {
		t.Fatalf("slot page: %d %v", r.Code, h)
	}
	if !bytes.Contains(decode(t, "br", r.Body.Bytes()), []byte(`src="/slot.js"`)) {
		t.Fatal("the slot page does not load slot.js")
	}
}

// TestAppLazyCompression: a shell made without NewApp serves at once and
// compresses on its first request, once.
func TestAppLazyCompression(t *testing.T) {
	big := strings.Repeat("export const x = 'some text that compresses';\n", 100)
	s, e := shellServer(fstest.MapFS{"index.html": {Data: []byte("<p>")}, "a.js": {Data: []byte(big)}})
	if len(s.assets["a.js"].reps) != 1 {
		t.Fatal("compressed before any request")
	}
	r := get(t, e, "/a.js", "Accept-Encoding", "gzip, br")
	if r.Code != 200 || r.Header().Get("Content-Encoding") != "br" || string(decode(t, "br", r.Body.Bytes())) != big {
		t.Fatalf("first request: %d %v", r.Code, r.Header())
	}
}
