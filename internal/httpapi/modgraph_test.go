package httpapi

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestModuleGraph(t *testing.T) {
	src := map[string]string{
		"app.js": `// import nothing from './commented.js';
import { a, b as c } from './a.js';
import * as d from "./d.js";
import {
  e,
  f,
} from './dir/e.js';
import './side.js';
const s = "import x from './in-string.js'";
export { z } from './z.js';
export * from '/abs.js';
const later = () => import('./lazy.js');
import x from 'https://cdn.example/x.js';
`,
		"min.js":     `import{a as b}from"./a.js";import"./side.js";export*from"./z.js";const q=1;`,
		"a.js":       `import { e } from './dir/e.js';`,
		"d.js":       ``,
		"dir/e.js":   `import { up } from '../up.js'; import { d } from '../d.js';`,
		"side.js":    ``,
		"z.js":       ``,
		"abs.js":     ``,
		"up.js":      ``,
		"lazy.js":    `import './never.js';`,
		"unused.js":  ``,
		"broken.js":  `import { gone } from './gone.js';`,
		"escapes.js": `import '../../etc/passwd.js';`,
	}
	source := func(n string) ([]byte, bool) { s, ok := src[n]; return []byte(s), ok }
	got, err := moduleGraph("app.js", source)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"app.js", "a.js", "d.js", "dir/e.js", "side.js", "z.js", "abs.js", "up.js"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("graph (-want +got):\n%s", diff)
	}
	if g, err := moduleGraph("min.js", source); err != nil || !slices.Equal(g, []string{"min.js", "a.js", "side.js", "z.js", "dir/e.js", "up.js", "d.js"}) {
		t.Fatalf("minified imports: %v %v", g, err)
	}
	if _, err := moduleGraph("broken.js", source); err == nil || !strings.Contains(err.Error(), "gone.js") {
		t.Fatalf("an import of a missing file: %v", err)
	}
	if g, err := moduleGraph("escapes.js", source); err != nil || len(g) != 1 {
		t.Fatalf("an import outside the app: %v %v", g, err)
	}

	page := "<html><head>\n<link rel=\"modulepreload\" href=\"/stale.js\">\n</head><body>\n<script type=\"module\" src=\"/app.js\"></script>\n</body></html>"
	out, err := withPreloads([]byte(page), source)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, m := range regexp.MustCompile(`<link rel="modulepreload" href="/([^"]+)">`).FindAllSubmatch(out, -1) {
		links = append(links, string(m[1]))
	}
	if !slices.Equal(links, want) || bytes.Contains(out, []byte("stale")) {
		t.Fatalf("preloads %v in\n%s", links, out)
	}
}

// TestAppPreloadsWholeGraph: each page of the real app lists its entry
// module's whole static graph, and nothing it loads only on demand.
func TestAppPreloadsWholeGraph(t *testing.T) {
	s, _ := appServer(t)
	source := func(n string) ([]byte, bool) {
		a, ok := s.assets[n]
		if !ok {
			return nil, false
		}
		return a.reps[0].body, true
	}
	for page, entry := range map[string]string{"index.html": "app.js", "track.html": "track.js", "slot.html": "slot.js"} {
		graph, err := moduleGraph(entry, source)
		if err != nil {
			t.Fatal(err)
		}
		html, _ := source(page)
		n := bytes.Count(html, []byte(`rel="modulepreload"`))
		for _, m := range graph {
			if !bytes.Contains(html, []byte(`<link rel="modulepreload" href="/`+m+`">`)) {
				t.Errorf("%s does not preload %s", page, m)
			}
		}
		if n != len(graph) || bytes.Contains(html, []byte("<script>")) {
			t.Errorf("%s has %d preloads for a graph of %d, or an inline script", page, n, len(graph))
		}
		t.Logf("%s preloads %v", page, graph)
	}
}
