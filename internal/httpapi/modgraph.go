package httpapi

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// The app is plain ES modules: a browser that loads app.js learns of its
// imports only when app.js arrives, then of theirs, one round trip per
// level. On a 400 ms link that chain costs seconds, so the server reads the
// static import graph of each page's entry module once, at start-up, and
// lists the whole graph in the page's head as modulepreload links: the
// browser asks for every module as soon as the HTML arrives. Dynamic
// import() is left out on purpose: what a page loads only when needed
// stays out of its first load.

var (
	// importRE finds static imports: import x from '…', import {a, b} from
	// '…', import * as x from '…' and the bare import '…', at the start of
	// a line or after a ";" (as minified code has them).
	importRE = regexp.MustCompile(`(?m)(?:^|;)[ \t]*import\s*(?:[\w$*{},\s]+?\s*from\s*)?['"]([^'"\n]+)['"]`)
	// reexportRE finds export * from '…' and export {a} from '…'.
	reexportRE = regexp.MustCompile(`(?m)(?:^|;)[ \t]*export\s*(?:\*(?:\s+as\s+[\w$]+)?|\{[\w$,\s]*\})\s*from\s*['"]([^'"\n]+)['"]`)
	// entryRE finds a page's module scripts.
	entryRE = regexp.MustCompile(`<script\s+type="module"\s+src="([^"]+)"`)
	// preloadRE finds modulepreload links already in a page.
	preloadRE = regexp.MustCompile(`(?m)^[ \t]*<link rel="modulepreload"[^>]*>\n?`)
)

// imports lists the modules a module's source imports statically, as paths
// of the app's files (no leading slash), resolved against the module's own
// path; bare and remote specifiers are skipped.
func imports(name string, src []byte) []string {
	var out []string
	for _, re := range []*regexp.Regexp{importRE, reexportRE} {
		for _, m := range re.FindAllSubmatch(src, -1) {
			if p, ok := resolve(name, string(m[1])); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// resolve turns an import specifier in module name into an app file path.
func resolve(name, spec string) (string, bool) {
	switch {
	case strings.HasPrefix(spec, "/"):
		return strings.TrimPrefix(path.Clean(spec), "/"), true
	case strings.HasPrefix(spec, "./"), strings.HasPrefix(spec, "../"):
		p := path.Join(path.Dir(name), spec)
		return p, !strings.HasPrefix(p, "../")
	}
	return "", false
}

// moduleGraph lists every module reachable from entry by static imports,
// breadth first (entry first), so the preloads go out in the order the
// browser needs them. An import of a file the app does not have is an
// error: the page would fail in the browser.
func moduleGraph(entry string, source func(string) ([]byte, bool)) ([]string, error) {
	seen := map[string]bool{entry: true}
	order := []string{entry}
	for i := 0; i < len(order); i++ {
		src, ok := source(order[i])
		if !ok {
			return nil, fmt.Errorf("httpapi: module %s is not an app file", order[i])
		}
		for _, dep := range imports(order[i], src) {
			if !seen[dep] {
				seen[dep] = true
				order = append(order, dep)
			}
		}
	}
	return order, nil
}

// withPreloads returns an HTML page with a modulepreload link for every
// module of its entry scripts' graphs, put just before </head>; any links
// already written in the page are replaced, so the list is always whole.
func withPreloads(page []byte, source func(string) ([]byte, bool)) ([]byte, error) {
	var links bytes.Buffer
	seen := map[string]bool{}
	for _, m := range entryRE.FindAllSubmatch(page, -1) {
		entry, ok := resolve("index.html", string(m[1]))
		if !ok {
			continue
		}
		graph, err := moduleGraph(entry, source)
		if err != nil {
			return nil, err
		}
		for _, mod := range graph {
			if !seen[mod] {
				seen[mod] = true
				fmt.Fprintf(&links, "<link rel=\"modulepreload\" href=\"/%s\">\n", mod)
			}
		}
	}
	if links.Len() == 0 {
		return page, nil
	}
	page = preloadRE.ReplaceAll(page, nil)
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		return nil, fmt.Errorf("httpapi: a page with modules has no </head>")
	}
	return bytes.Join([][]byte{page[:i], links.Bytes(), page[i:]}, nil), nil
}
