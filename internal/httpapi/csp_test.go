package httpapi

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"dakiya/pwa"
)

// cspRules are what contentSecurityPolicy would block in a page or a
// script: inline scripts, inline styles and event-handler attributes,
// eval and its kin, and anything loaded from another origin.
var cspRules = map[string]map[string]*regexp.Regexp{
	".html": {
		"inline script":           regexp.MustCompile(`(?is)<script\b[^>]*>\s*[^<\s]`),
		"script without src":      regexp.MustCompile(`(?i)<script\b[^>]*>`), // checked for src below
		"style element":           regexp.MustCompile(`(?i)<style\b`),
		"style attribute":         regexp.MustCompile(`(?i)\sstyle\s*=`),
		"event handler":           regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		"javascript: URL":         regexp.MustCompile(`(?i)javascript:`),
		"another origin":          regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?(https?:)?//`),
		"base, object or frame":   regexp.MustCompile(`(?i)<(base|object|embed|iframe)\b`),
		"policy loosened in page": regexp.MustCompile(`(?i)http-equiv\s*=\s*["']?(content-security-policy|refresh)`),
	},
	".js": {
		"eval":                 regexp.MustCompile(`\beval\s*\(`),
		"Function constructor": regexp.MustCompile(`\bnew\s+Function\s*\(|[^.\w]Function\s*\(`),
		"string timer":         regexp.MustCompile(`\bset(Timeout|Interval)\s*\(\s*['"` + "`" + `]`),
		"inline style":         regexp.MustCompile(`\.style\b|setAttribute\(\s*['"]style|cssText`),
		"HTML from strings":    regexp.MustCompile(`(inner|outer)HTML\s*=\s*([^'"\s]|['"][^'"])|insertAdjacentHTML|document\.write`),
		"another origin":       regexp.MustCompile(`(fetch|import|importScripts)\s*\(\s*['"` + "`" + `](https?:)?//`),
	},
}

// cspVendorAllowed are rules a vendored library may break because there
// the policy does not in fact block what the rule looks for: Leaflet sets
// element.style properties through the CSSOM (style-src governs style
// elements and style attributes parsed from markup, not CSSOM assignments)
// and fills its controls with innerHTML from its own fixed markup, which
// has no style attribute or script (leafletMarkupRE checks that). The
// browser test (e2e/list.mjs) runs the map under the real header in
// Chromium and fails on any securitypolicyviolation.
var cspVendorAllowed = map[string][]string{
	"vendor/leaflet/leaflet.js": {"inline style", "HTML from strings"},
}

// leafletMarkupRE finds markup in a script's strings that the policy
// would block once it went through innerHTML.
var leafletMarkupRE = regexp.MustCompile(`(?i)\sstyle\s*=\s*\\?["']|<script|\son[a-z]+\s*=\s*\\?["']`)

// cspProblems lists what in files the policy would block.
func cspProblems(files fs.FS) ([]string, int, error) {
	var out []string
	checked := 0
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		rules := cspRules[cspExt(name)]
		if err != nil || d.IsDir() || rules == nil {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		checked++
		for what, re := range rules {
			if slices.Contains(cspVendorAllowed[name], what) {
				continue
			}
			for _, loc := range re.FindAllIndex(b, -1) {
				m := string(b[loc[0]:loc[1]])
				if what == "script without src" && regexp.MustCompile(`(?i)\ssrc\s*=`).MatchString(m) {
					continue
				}
				out = append(out, fmt.Sprintf("%s: %s: %q", name, what, b[loc[0]:min(loc[1]+30, len(b))]))
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, checked, err
}

func cspExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// TestAppNeedsNothingTheCSPForbids reads every page and script of the app
// for what the policy blocks. (The end-to-end test runs the app under it
// in Chromium.)
func TestAppNeedsNothingTheCSPForbids(t *testing.T) {
	problems, checked, err := cspProblems(pwa.Files())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if checked < 10 {
		t.Fatalf("only %d pages and scripts checked", checked)
	}
}

// TestVendoredMarkupIsPlain: what a vendored library may put through
// innerHTML (see cspVendorAllowed) has no style attribute, script or event
// handler for the policy to block.
func TestVendoredMarkupIsPlain(t *testing.T) {
	for name := range cspVendorAllowed {
		b, err := fs.ReadFile(pwa.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range leafletMarkupRE.FindAllIndex(b, -1) {
			t.Errorf("%s: markup the policy blocks: %q", name, b[max(loc[0]-30, 0):min(loc[1]+30, len(b))])
		}
	}
	if leafletMarkupRE.FindString(`x.innerHTML='<span style="color:red">'`) == "" || leafletMarkupRE.FindString(`'<a onclick="x()">'`) == "" {
		t.Fatal("leafletMarkupRE misses a style attribute or a handler")
	}
}

// TestCSPRulesCatchWhatTheyShould keeps the check above honest.
func TestCSPRulesCatchWhatTheyShould(t *testing.T) {
	bad := fstest.MapFS{
		"a.html": {Data: []byte(`<script>alert(1)</script><script type="module"></script><p style="color:red" onclick="x()">` +
			`<script src="https://cdn.example/x.js"></script><style>p{}</style>`)},
		"b.js":   {Data: []byte("eval('1'); new Function('x'); setTimeout('x()', 1); el.style.color = 'red'; el.innerHTML = s;")},
		"c.html": {Data: []byte(`<script type="module" src="/app.js"></script>`)},
	}
	problems, _, err := cspProblems(bad)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inline script", "script without src", "style attribute", "event handler", "another origin",
		"style element", "eval", "Function constructor", "string timer", "inline style", "HTML from strings"} {
		if !strings.Contains(strings.Join(problems, "\n"), ": "+want+": ") {
			t.Errorf("%s not caught: %q", want, problems)
		}
	}
	if strings.Contains(strings.Join(problems, "\n"), "c.html") {
		t.Errorf("a module script from the app's own origin is fine: %q", problems)
	}
}
