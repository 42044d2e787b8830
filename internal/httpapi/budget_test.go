package httpapi

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"dakiya/pwa"
)

// The postman's first load: what index.html loads and everything those
// scripts import statically.
const (
	firstJSBudget  = 100 << 10
	firstCSSBudget = 30 << 10
)

// lazyCaps are the generous caps of what loads only when needed, by the
// file that starts it (a dynamic import, or a script the app adds itself).
var lazyCaps = map[string]int64{
	"map.js":                     24 << 10,  // the beat's map and its drawing
	"vendor/leaflet/leaflet.js":  160 << 10, // Leaflet 1.9.4, 147.5 KB
	"vendor/leaflet/leaflet.css": 20 << 10,
	"vendor/qrcode.min.js":       30 << 10, // the UPI QR code
	"locales/hi.js":              30 << 10, // the second language
	"locales/en.js":              30 << 10,
	"console/locales/hi.js":      80 << 10, // the console's Hindi book, once when chosen: Devanagari is 3 bytes a letter (59 KB with the partner pages, 66 KB with the roster and beat plan, 12.5 KB gzipped)
}

const lazyDefaultCap = 40 << 10

var (
	tagRE      = regexp.MustCompile(`(?is)<(script|link)\b[^>]*>`)
	attrRE     = regexp.MustCompile(`(?is)\s(src|href|rel)\s*=\s*["']?([^"'\s>]+)`)
	fromRE     = regexp.MustCompile(`(?:\bfrom|\bimport)\s*['"]([^'"]+\.m?js)['"]`)
	dynamicRE  = regexp.MustCompile(`\bimport\(\s*['"]([^'"]+\.m?js)['"]\s*\)`)
	namedURLRE = regexp.MustCompile(`['"](/[\w./-]+\.(?:m?js|css))['"]`)
)

// appGraph is how the app's files load one another.
type appGraph struct {
	files  fs.FS
	static map[string][]string // module → what it imports statically
	lazy   map[string][]string // module → what it imports dynamically or adds as a script or style
}

func refPath(from, ref string) string {
	if strings.HasPrefix(ref, "/") {
		return strings.TrimPrefix(path.Clean(ref), "/")
	}
	return path.Join(path.Dir(from), ref)
}

func (g *appGraph) exists(name string) bool {
	_, err := fs.Stat(g.files, name)
	return err == nil
}

// module reads one script's edges once.
func (g *appGraph) module(name string) error {
	if _, ok := g.static[name]; ok || !strings.HasSuffix(name, "js") {
		return nil
	}
	b, err := fs.ReadFile(g.files, name)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	src := string(b)
	g.static[name] = nil
	for _, m := range fromRE.FindAllStringSubmatch(src, -1) {
		g.static[name] = append(g.static[name], refPath(name, m[1]))
	}
	for _, m := range dynamicRE.FindAllStringSubmatch(src, -1) {
		g.lazy[name] = append(g.lazy[name], refPath(name, m[1]))
	}
	for _, m := range namedURLRE.FindAllStringSubmatch(src, -1) {
		if ref := refPath(name, m[1]); ref != swTemplate && g.exists(ref) && !slices.Contains(g.static[name], ref) {
			g.lazy[name] = append(g.lazy[name], ref)
		}
	}
	for _, dep := range append(slices.Clone(g.static[name]), g.lazy[name]...) {
		if err := g.module(dep); err != nil {
			return fmt.Errorf("%s imports %w", name, err)
		}
	}
	return nil
}

// page is what an HTML page loads at once: its scripts, module preloads
// and stylesheets.
func (g *appGraph) page(name string) ([]string, error) {
	b, err := fs.ReadFile(g.files, name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, tag := range tagRE.FindAllString(string(b), -1) {
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(tag, -1) {
			attrs[strings.ToLower(a[1])] = a[2]
		}
		ref := attrs["src"]
		if rel := attrs["rel"]; rel == "stylesheet" || rel == "modulepreload" || rel == "preload" {
			ref = attrs["href"]
		}
		if ref == "" || strings.Contains(ref, "//") {
			continue
		}
		out = append(out, refPath(name, ref))
		if err := g.module(refPath(name, ref)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// closure is roots and everything they import statically.
func (g *appGraph) closure(roots ...string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, d := range g.static[n] {
			walk(d)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return seen
}

func (g *appGraph) size(names map[string]bool, ext string) (n int64) {
	for name := range names {
		if info, err := fs.Stat(g.files, name); err == nil && strings.HasSuffix(name, ext) {
			n += info.Size()
		}
	}
	return n
}

// budget is the app's first load and its lazy groups (each lazy root and
// its static imports not already loaded first), plus the scripts no page
// loads at all.
type budget struct {
	firstJS, firstCSS int64
	first             map[string]bool
	lazy              map[string]int64 // lazy root → bytes it adds
	unaccounted       []string
}

// reach is every file the roots load, statically or on demand.
func (g *appGraph) reach(roots ...string) map[string]bool {
	seen := g.closure(roots...)
	for changed := true; changed; {
		changed = false
		for mod := range seen {
			for _, r := range g.lazy[mod] {
				for n := range g.closure(r) {
					if !seen[n] {
						seen[n], changed = true, true
					}
				}
			}
		}
	}
	return seen
}

func measure(files fs.FS, entry string, otherPages ...string) (budget, error) {
	g := &appGraph{files: files, static: map[string][]string{}, lazy: map[string][]string{}}
	roots, err := g.page(entry)
	if err != nil {
		return budget{}, err
	}
	b := budget{first: g.closure(roots...), lazy: map[string]int64{}}
	b.firstJS, b.firstCSS = g.size(b.first, "js"), g.size(b.first, ".css")
	loaded := g.closure(roots...)
	for changed := true; changed; { // every lazy root reachable from the page
		changed = false
		for mod := range loaded {
			for _, r := range g.lazy[mod] {
				if _, ok := b.lazy[r]; ok || b.first[r] {
					continue
				}
				group := g.closure(r)
				for n := range group {
					if b.first[n] {
						delete(group, n)
					}
					loaded[n] = true
				}
				b.lazy[r] = g.size(group, "")
				changed = true
			}
		}
	}
	for _, p := range otherPages {
		more, err := g.page(p)
		if err != nil {
			return budget{}, err
		}
		for n := range g.reach(more...) {
			loaded[n] = true
		}
	}
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(name, ".js") && name != swTemplate && !loaded[name] {
			b.unaccounted = append(b.unaccounted, name)
		}
		return err
	})
	return b, err
}

// TestAppBudget keeps the postman's first load small enough for a slow
// phone: the scripts index.html loads and everything they import
// statically ≤ 100 KB, its stylesheets ≤ 30 KB. What loads only when
// needed (the map and Leaflet, the QR library, the second language) is
// listed apart, each under its own cap; every script of the app must be in
// one or the other (or on another page), so nothing escapes the count.
func TestAppBudget(t *testing.T) {
	b, err := measure(pwa.Files(), "index.html", "track.html", "slot.html", "console.html")
	if err != nil {
		t.Fatal(err)
	}
	for n := range b.first {
		if strings.HasPrefix(n, "console") {
			t.Errorf("the postman's first load holds the console's %s", n)
		}
	}
	var first []string
	for n := range b.first {
		first = append(first, n)
	}
	sort.Strings(first)
	t.Logf("first load: JavaScript %d bytes, CSS %d bytes: %v", b.firstJS, b.firstCSS, first)
	if b.firstJS > firstJSBudget || b.firstCSS > firstCSSBudget {
		t.Errorf("first load over budget: JavaScript %d of %d bytes, CSS %d of %d", b.firstJS, firstJSBudget, b.firstCSS, firstCSSBudget)
	}
	for _, n := range []string{"map.js", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css"} {
		if b.first[n] {
			t.Errorf("%s is in the first load; it must load only when the map is opened", n)
		}
		if _, ok := b.lazy[n]; !ok {
			t.Errorf("%s is not loaded on demand by any script", n)
		}
	}
	for r, n := range b.lazy {
		limit, ok := lazyCaps[r]
		if !ok {
			limit = lazyDefaultCap
		}
		t.Logf("on demand: %s adds %d bytes (cap %d)", r, n, limit)
		if n > limit {
			t.Errorf("on demand: %s adds %d bytes, over its cap of %d", r, n, limit)
		}
	}
	if len(b.unaccounted) > 0 {
		t.Errorf("scripts no page loads, statically or on demand (dead, or missed by this test): %v", b.unaccounted)
	}
}

// consoleFirstJSBudget is the console's first load: its shell, the shared
// API client and the English books. Each screen loads when opened, under
// lazyDefaultCap (or its own cap).
const consoleFirstJSBudget = 100 << 10

// TestConsoleBudget keeps the console quick to open on a centre's line: its
// first load within its budget and each screen loaded only when opened.
func TestConsoleBudget(t *testing.T) {
	b, err := measure(pwa.Files(), "console.html", "index.html", "track.html", "slot.html")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("console first load: JavaScript %d bytes, CSS %d bytes", b.firstJS, b.firstCSS)
	if b.firstJS > consoleFirstJSBudget || b.firstCSS > firstCSSBudget {
		t.Errorf("console first load over budget: JavaScript %d of %d bytes, CSS %d of %d", b.firstJS, consoleFirstJSBudget, b.firstCSS, firstCSSBudget)
	}
	screens := 0
	for r, n := range b.lazy {
		limit, ok := lazyCaps[r]
		if !ok {
			limit = lazyDefaultCap
		}
		if strings.HasPrefix(r, "console/") {
			screens++
		}
		t.Logf("on demand: %s adds %d bytes (cap %d)", r, n, limit)
		if n > limit {
			t.Errorf("on demand: %s adds %d bytes, over its cap of %d", r, n, limit)
		}
	}
	if screens < 7 {
		t.Errorf("only %d of the console's modules load on demand; each screen should", screens)
	}
	if len(b.unaccounted) > 0 {
		t.Errorf("scripts no page loads: %v", b.unaccounted)
	}
}

// TestAppBudgetCountsWhatLoads keeps the measure above honest on a small
// made-up app.
func TestAppBudgetCountsWhatLoads(t *testing.T) {
	js := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	app := fstest.MapFS{
		"index.html":     {Data: []byte(`<link rel="stylesheet" href="/a.css"><link rel="modulepreload" href="/app.js"><script type="module" src="/app.js"></script>`)},
		"a.css":          js("body{}"),
		"app.js":         js(`import { x } from './b.js'; import './side.js'; const m = () => import('./lazy.js'); navigator.serviceWorker.register('/sw.js');`),
		"b.js":           js(`export * from './sub/c.js';`),
		"sub/c.js":       js(`export const c = 1;`),
		"side.js":        js(`1`),
		"lazy.js":        js(`import { x } from './b.js'; import y from './lazy2.js'; const s = '/vendor/big.js'; const c = '/vendor/big.css';`),
		"lazy2.js":       js(`export default 2`),
		"vendor/big.js":  js(strings.Repeat("x", 1000)),
		"vendor/big.css": js("p{}"),
		"dead.js":        js(`1`),
		"sw.js":          js(`1`),
	}
	b, err := measure(app, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.css", "app.js", "b.js", "side.js", "sub/c.js"}
	var got []string
	for n := range b.first {
		got = append(got, n)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("first load %v, want %v", got, want)
	}
	if wantJS := int64(len(app["app.js"].Data) + len(app["b.js"].Data) + len(app["sub/c.js"].Data) + len(app["side.js"].Data)); b.firstJS != wantJS || b.firstCSS != 6 {
		t.Errorf("first load JS %d CSS %d, want %d and 6", b.firstJS, b.firstCSS, wantJS)
	}
	if b.lazy["lazy.js"] != int64(len(app["lazy.js"].Data)+len(app["lazy2.js"].Data)) || b.lazy["vendor/big.js"] != 1000 || b.lazy["vendor/big.css"] != 3 {
		t.Errorf("lazy groups %v", b.lazy)
	}
	if !slices.Equal(b.unaccounted, []string{"dead.js"}) {
		t.Errorf("unaccounted %v, want [dead.js]", b.unaccounted)
	}
}
