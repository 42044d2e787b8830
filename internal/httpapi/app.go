package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// appShell serves the embedded PWA. Every file gets a strong ETag and
// "no-cache", so a browser revalidates cheaply; the service worker, filled
// in here with the precache list and a hash of every embedded file, is what
// makes repeat loads instant and offline: a new build changes the hash, so
// the new worker installs a new cache and drops the old one whole.
type appShell struct {
	files    fs.FS
	etags    map[string]string // file name → strong ETag
	precache []string          // URLs the worker caches at install
	version  string            // hash of every embedded file
	sw       []byte            // the filled-in service worker
	err      error
}

// swTemplate is the embedded service worker; its placeholders are filled
// in by newAppShell.
const swTemplate = "sw.js"

// notPrecached are files the postman's app never needs offline: the
// recipient's slot page, licence texts and notes, the worker itself, and
// Leaflet, which is only any use with the network (offline there are no
// tiles and the map draws the route itself), so its 160 KB stay out of
// the worker's install on a slow line.
func notPrecached(name string) bool {
	return name == swTemplate || strings.HasPrefix(name, "slot.") || strings.HasSuffix(name, ".LICENSE") ||
		strings.HasSuffix(name, ".md") || strings.HasPrefix(name, "vendor/leaflet/")
}

// newAppShell reads every embedded file once, hashing each and all of them.
func newAppShell(files fs.FS) *appShell {
	s := &appShell{files: files, etags: map[string]string{}}
	s.err = s.load()
	return s
}

func (s *appShell) load() error {
	var names []string
	err := fs.WalkDir(s.files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("httpapi: list app files: %w", err)
	}
	sort.Strings(names)
	all := sha256.New()
	var tmpl []byte
	for _, name := range names {
		b, err := fs.ReadFile(s.files, name)
		if err != nil {
			return fmt.Errorf("httpapi: read app file %s: %w", name, err)
		}
		sum := sha256.Sum256(b)
		s.etags[name] = `"` + hex.EncodeToString(sum[:16]) + `"`
		fmt.Fprintf(all, "%s\x00%x\x00", name, sum)
		if name == swTemplate {
			tmpl = b
		}
		if !notPrecached(name) {
			s.precache = append(s.precache, "/"+name)
		}
	}
	s.version = hex.EncodeToString(all.Sum(nil))[:16]
	list, _ := json.Marshal(s.precache)
	ver, _ := json.Marshal(s.version)
	s.sw = bytes.Replace(bytes.Replace(tmpl, []byte(`"__VERSION__"`), ver, 1), []byte(`"__PRECACHE__"`), list, 1)
	return nil
}

// serve serves an app file; paths that are not files get index.html so the
// app can route them itself.
func (s *appShell) serve(c echo.Context) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if name == swTemplate {
		return s.serviceWorker(c)
	}
	if _, ok := s.etags[name]; !ok {
		name = "index.html"
	}
	return s.file(c, name)
}

// page serves one named file, for routes such as /track.
func (s *appShell) page(name string) echo.HandlerFunc {
	return func(c echo.Context) error { return s.file(c, name) }
}

// file serves one embedded file with its ETag, answering If-None-Match.
func (s *appShell) file(c echo.Context, name string) error {
	if s.err != nil {
		return s.err
	}
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		return postal.Errorf(postal.CodeNotFound, "not found")
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", s.etags[name])
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasSuffix(name, ".webmanifest") {
		h.Set("Content-Type", "application/manifest+json")
	}
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, bytes.NewReader(b))
	return nil
}

// serviceWorker serves the worker with this build's precache list and hash.
func (s *appShell) serviceWorker(c echo.Context) error {
	if s.err != nil {
		return s.err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+s.version+`"`)
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	http.ServeContent(c.Response(), c.Request(), "sw.js", time.Time{}, bytes.NewReader(s.sw))
	return nil
}
