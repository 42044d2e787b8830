package httpapi

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// appShell serves the embedded PWA. Every file is read, its pages given
// their modulepreload lists and everything compressed once, at start-up;
// each representation has its own strong ETag and "no-cache", so a browser
// revalidates cheaply. The service worker, filled in here with the precache
// list and a hash of every file, is what makes repeat loads instant and
// offline: a new build changes the hash, so the new worker installs a new
// cache and drops the old one whole.
type appShell struct {
	assets   map[string]*asset // file name → what is served
	precache []string          // URLs the worker caches at install
	version  string            // hash of every file as served
	err      error
	packed   sync.Once // every file compressed
}

// App is the embedded app made ready to serve: its pages given their
// preload lists and every file compressed. NewApp does that work once, when
// the server starts, so no request waits for it.
type App struct{ shell *appShell }

// NewApp prepares the app's files for serving.
func NewApp(files fs.FS) (*App, error) {
	s := newAppShell(files)
	s.packed.Do(s.compress)
	return &App{s}, s.err
}

// swTemplate is the embedded service worker; its placeholders are filled
// in by newAppShell.
const swTemplate = "sw.js"

// notPrecached are files the postman's app never needs offline: the
// recipient's slot page, licence texts and notes, the worker itself, and
// Leaflet, which is only any use with the network (offline there are no
// tiles and the map draws the route itself), so its 160 KB stay out of
// the worker's install on a slow line. The supervisor's console is not the
// postman's either: it is an online tool, loaded only by those who use it.
func notPrecached(name string) bool {
	return name == swTemplate || strings.HasPrefix(name, "console") || strings.HasPrefix(name, "slot.") || strings.HasSuffix(name, ".LICENSE") ||
		strings.HasSuffix(name, ".md") || strings.HasPrefix(name, "vendor/leaflet/")
}

// newAppShell reads and prepares every embedded file; they are compressed
// on the first request for one unless NewApp has done it already.
func newAppShell(files fs.FS) *appShell {
	s := &appShell{assets: map[string]*asset{}}
	s.err = s.load(files)
	return s
}

func (s *appShell) load(files fs.FS) error {
	raw, names, err := readAll(files)
	if err != nil {
		return err
	}
	source := func(name string) ([]byte, bool) { b, ok := raw[name]; return b, ok }
	all := sha256.New()
	for _, name := range names {
		b := raw[name]
		if path.Ext(name) == ".html" {
			if b, err = withPreloads(b, source); err != nil {
				return fmt.Errorf("httpapi: %s: %w", name, err)
			}
		}
		if name == swTemplate {
			continue // filled in last, with the hash of everything else
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(all, "%s\x00%x\x00", name, sum)
		s.assets[name] = newAsset(name, b)
		if !notPrecached(name) {
			s.precache = append(s.precache, "/"+name)
		}
	}
	s.version = hex.EncodeToString(all.Sum(nil))[:16]
	if tmpl, ok := raw[swTemplate]; ok {
		list, _ := json.Marshal(s.precache)
		ver, _ := json.Marshal(s.version)
		sw := bytes.Replace(bytes.Replace(tmpl, []byte(`"__VERSION__"`), ver, 1), []byte(`"__PRECACHE__"`), list, 1)
		s.assets[swTemplate] = newAsset(swTemplate, sw)
	}
	return nil
}

// compress adds each file's gzip and brotli encodings, a few files at a
// time: brotli's best level is slow, and this runs once.
func (s *appShell) compress() {
	if s.err != nil {
		return
	}
	names := make(chan string)
	errs := make(chan error, len(s.assets))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for name := range names {
				errs <- s.assets[name].compress(name)
			}
		})
	}
	for name := range s.assets {
		names <- name
	}
	close(names)
	wg.Wait()
	close(errs)
	for err := range errs {
		s.err = cmp.Or(s.err, err)
	}
}

// readAll reads every file of the app, with their names sorted.
func readAll(files fs.FS) (map[string][]byte, []string, error) {
	raw := map[string][]byte{}
	var names []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		raw[name] = b
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("httpapi: read app files: %w", err)
	}
	sort.Strings(names)
	return raw, names, nil
}

// serve serves an app file; other paths get index.html so the app can
// route them itself, except those naming a file (an extension), which are
// a 404: a missing script answered with a page would fail in the browser
// far from its cause, and a worker would cache the page under its name.
func (s *appShell) serve(c echo.Context) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if _, ok := s.assets[name]; !ok {
		if path.Ext(name) != "" {
			return postal.Errorf(postal.CodeNotFound, "no such file")
		}
		name = "index.html"
	}
	return s.file(c, name)
}

// page serves one named file, for routes such as /track.
func (s *appShell) page(name string) echo.HandlerFunc {
	return func(c echo.Context) error { return s.file(c, name) }
}

// serviceWorker serves the worker with this build's precache list and hash.
func (s *appShell) serviceWorker(c echo.Context) error { return s.file(c, swTemplate) }

// file serves one file for a browser to revalidate on every use.
func (s *appShell) file(c echo.Context, name string) error { return s.send(c, name, "no-cache") }

// send serves one file in the representation the client accepts best,
// answering If-None-Match with 304 when it already has that one.
func (s *appShell) send(c echo.Context, name, cacheControl string) error {
	if s.packed.Do(s.compress); s.err != nil {
		return s.err
	}
	a, ok := s.assets[name]
	if !ok {
		return postal.Errorf(postal.CodeNotFound, "not found")
	}
	req := c.Request()
	r := a.choose(req.Header.Get("Accept-Encoding"))
	h := c.Response().Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", r.etag)
	if inm := req.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, r.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set("Content-Type", a.ctype)
	if r.coding != codingIdentity {
		h.Set("Content-Encoding", r.coding)
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	c.Response().WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(r.body)
	return err
}
