package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io/fs"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"

	"dakiya/internal/cod"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/pwa"
)

// shellServer serves an app shell the way routes does.
func shellServer(files fs.FS) (*appShell, *echo.Echo) {
	s := newAppShell(files)
	e := echo.New()
	e.GET("/sw.js", s.serviceWorker)
	e.GET("/track", s.page("track.html"))
	e.GET("/*", s.serve)
	return s, e
}

func get(t testing.TB, e *echo.Echo, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestAppWebManifest(t *testing.T) {
	_, e := appServer(t)
	r := get(t, e, "/manifest.webmanifest")
	if r.Code != 200 || r.Header().Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %d %v", r.Code, r.Header())
	}
	var m struct {
		Name, ShortName, StartURL, Display, ThemeColor string
		Icons                                          []struct{ Src, Sizes, Type, Purpose string }
	}
	dec := json.NewDecoder(strings.NewReader(strings.NewReplacer("short_name", "ShortName", "start_url", "StartURL", "theme_color", "ThemeColor").Replace(r.Body.String())))
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.Name == "" || m.ShortName == "" || m.StartURL != "/" || m.Display != "standalone" || m.ThemeColor == "" {
		t.Fatalf("manifest fields: %+v", m)
	}
	have := map[string]bool{}
	for _, ic := range m.Icons {
		img := get(t, e, ic.Src)
		if img.Code != 200 || img.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("icon %s: %d %v", ic.Src, img.Code, img.Header())
		}
		cfg, err := png.DecodeConfig(img.Body)
		if err != nil || fmt.Sprintf("%dx%d", cfg.Width, cfg.Height) != ic.Sizes {
			t.Fatalf("icon %s is not %s: %v %+v", ic.Src, ic.Sizes, err, cfg)
		}
		have[ic.Sizes+" "+ic.Purpose] = true
	}
	for _, want := range []string{"192x192 any", "512x512 any", "192x192 maskable", "512x512 maskable"} {
		if !have[want] {
			t.Errorf("no %s icon", want)
		}
	}
}

var precacheRE = regexp.MustCompile(`const PRECACHE = (\[.*\]);`)

func TestAppServiceWorker(t *testing.T) {
	s, e := appServer(t)
	r := get(t, e, "/sw.js")
	body := r.Body.String()
	if r.Code != 200 || r.Header().Get("Cache-Control") != "no-cache" || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("sw.js: %d %v", r.Code, r.Header())
	}
	if strings.Contains(body, "__VERSION__") || strings.Contains(body, "__PRECACHE__") || !strings.Contains(body, `const VERSION = "`+s.version+`"`) {
		t.Fatalf("sw.js not filled in:\n%.400s", body)
	}
	m := precacheRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no precache list in sw.js")
	}
	var list []string
	if err := json.Unmarshal([]byte(m[1]), &list); err != nil {
		t.Fatal(err)
	}
	var want []string
	_ = fs.WalkDir(pwa.Files(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && name != "sw.js" && !strings.HasPrefix(name, "slot.") && !strings.HasSuffix(name, ".LICENSE") &&
			!strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, "vendor/leaflet/") && !strings.HasPrefix(name, "console") {
			want = append(want, "/"+name)
		}
		return err
	})
	slices.Sort(want) // the worker's list is sorted by name ("icons.js" before "icons/…")
	if !slices.Equal(list, want) {
		t.Fatalf("precache list\n got %v\nwant %v", list, want)
	}
	for _, must := range []string{"/index.html", "/app.js", "/app.css", "/manifest.webmanifest", "/locales/hi.js", "/vendor/qrcode.min.js", "/track.html"} {
		if !slices.Contains(list, must) {
			t.Errorf("precache lacks %s", must)
		}
	}
	for _, never := range []string{"/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/leaflet/README.md", "/console.html", "/console/main.js"} {
		if slices.Contains(list, never) {
			t.Errorf("precache holds %s, which is fetched only when the map is opened online", never)
		}
		if r := get(t, e, never); r.Code != 200 {
			t.Errorf("%s: %d", never, r.Code)
		}
	}
	for _, u := range list {
		if r := get(t, e, u); r.Code != 200 || r.Header().Get("ETag") == "" {
			t.Errorf("%s: %d %v", u, r.Code, r.Header())
		}
	}
	if r := get(t, e, "/sw.js", "If-None-Match", r.Header().Get("ETag")); r.Code != http.StatusNotModified {
		t.Fatalf("sw.js revalidation: %d", r.Code)
	}
}

func TestAppFiles(t *testing.T) {
	_, e := appServer(t)
	r := get(t, e, "/app.js")
	if r.Code != 200 || r.Header().Get("Cache-Control") != "no-cache" || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("app.js: %d %v", r.Code, r.Header())
	}
	if r2 := get(t, e, "/app.js", "If-None-Match", r.Header().Get("ETag")); r2.Code != http.StatusNotModified {
		t.Fatalf("app.js revalidation: %d", r2.Code)
	}
	for path, want := range map[string]string{"/": "app.js", "/m/x/s/y": "app.js", "/track": "track.js", "/track?id=RR287043775IN": "track.js"} {
		if r := get(t, e, path); r.Code != 200 || !strings.Contains(r.Body.String(), want) {
			t.Errorf("%s: %d, want a page loading %s", path, r.Code, want)
		}
	}
}

func TestAppVersionFollowsContent(t *testing.T) {
	tmpl := &fstest.MapFile{Data: []byte(`const VERSION = "__VERSION__"; const PRECACHE = "__PRECACHE__";`)}
	build := func(js string) string {
		s := newAppShell(fstest.MapFS{"sw.js": tmpl, "index.html": {Data: []byte("<p>")}, "a.js": {Data: []byte(js)}})
		if s.err != nil {
			t.Fatal(s.err)
		}
		if !bytes.Contains(s.assets["sw.js"].reps[0].body, []byte(s.version)) || !bytes.Contains(s.assets["sw.js"].reps[0].body, []byte(`["/a.js","/index.html"]`)) {
			t.Fatalf("worker: %s", s.assets["sw.js"].reps[0].body)
		}
		return s.version
	}
	v1, v1again, v2 := build("one()"), build("one()"), build("two()")
	if v1 != v1again || v1 == v2 {
		t.Fatalf("versions: %s %s %s", v1, v1again, v2)
	}
}

// TestAppBudgetOnTheWire keeps the postman's first load small on a slow
// network: the modules it fetches at once (the entry's static graph) are
// ≤ 35 KB as brotli on the wire. TestAppBudget holds the uncompressed first
// load and what loads on demand.
func TestAppBudgetOnTheWire(t *testing.T) {
	s, _ := appServer(t)
	body := func(name string) []byte { return s.assets[name].reps[0].body }
	initial, err := moduleGraph("app.js", func(n string) ([]byte, bool) { a, ok := s.assets[n]; return body(n), ok && a != nil })
	if err != nil {
		t.Fatal(err)
	}
	wire := 0
	for _, n := range initial {
		wire += len(s.assets[n].choose("br").body)
	}
	t.Logf("first load: %d modules, %d bytes as brotli", len(initial), wire)
	if wire > 35<<10 {
		t.Fatalf("over budget: the first load is %d of %d bytes on the wire", wire, 35<<10)
	}
}

// phoneCases is what the phone's checks are run over, with Go's answers.
type phoneCases struct {
	OTP []struct {
		Check string `json:"check"`
		Code  string `json:"code"`
		Want  bool   `json:"want"`
	} `json:"otp"`
	S10 []struct {
		ID   string `json:"id"`
		Want bool   `json:"want"`
	} `json:"s10"`
	UPI []struct {
		VPA   string `json:"vpa"`
		Name  string `json:"name"`
		Paise int64  `json:"paise"`
		Note  string `json:"note"`
		Ref   string `json:"ref"`
		Want  string `json:"want"`
	} `json:"upi"`
}

const phoneRunner = `import { readFileSync } from 'node:fs';
import { otpPasses, parseS10, upiURI } from './check.mjs';
const c = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bad = [];
for (const x of c.otp) if (otpPasses(x.check, x.code) !== x.want) bad.push(['otp', x]);
for (const x of c.s10) if ((parseS10(x.id).id !== '') !== x.want) bad.push(['s10', x]);
for (const x of c.upi) { const got = upiURI(x.vpa, x.name, x.paise, x.note, x.ref); if (got !== x.want) bad.push(['upi', x, got]); }
console.log(JSON.stringify({ n: c.otp.length + c.s10.length + c.upi.length, bad: bad.slice(0, 5), nbad: bad.length }));
`

// TestPhoneChecksAgreeWithGo runs the phone's otp_check, S10 check digit
// and UPI link (pwa/check.js) in node over thousands of inputs and
// compares each answer with the Go code the server uses.
func TestPhoneChecksAgreeWithGo(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	r := rand.New(rand.NewPCG(6, 6))
	six := func() string { return fmt.Sprintf("%06d", r.IntN(1_000_000)) }
	var c phoneCases
	addOTP := func(ch otp.Check, code string) {
		c.OTP = append(c.OTP, struct {
			Check string `json:"check"`
			Code  string `json:"code"`
			Want  bool   `json:"want"`
		}{ch.String(), code, ch.Passes(code)})
	}
	for range 3000 {
		code := six()
		ch, err := otp.NewCheck(code)
		if err != nil {
			t.Fatal(err)
		}
		typo := []byte(code)
		typo[r.IntN(6)] = byte('0' + r.IntN(10))
		for _, try := range []string{code, six(), string(typo), code[:5], code + "1", "12a456"} {
			addOTP(ch, try)
		}
	}
	for range 2000 {
		id, err := postal.NewS10("RR", r.IntN(100_000_000), "IN")
		if err != nil {
			t.Fatal(err)
		}
		s := []byte(id)
		s[2+r.IntN(9)] = byte('0' + r.IntN(10))
		for _, try := range []string{string(id), string(s), strings.ToLower(string(id)), string(id)[:12]} {
			_, err := postal.ParseS10(try)
			c.S10 = append(c.S10, struct {
				ID   string `json:"id"`
				Want bool   `json:"want"`
			}{try, err == nil})
		}
	}
	for _, u := range [][3]string{{"koramangala.dc@indiapost", "Koramangala DC", "COD RR287043775IN"},
		{"a+b@x", "Ünïcødé & co (100%)", "note with *stars*! and 'quotes'"}, {"x@y", "डाक घर", "~tilde_under-dash.dot"}} {
		for _, p := range []int64{1, 99, 100, 123456, 5_000_000} {
			c.UPI = append(c.UPI, struct {
				VPA   string `json:"vpa"`
				Name  string `json:"name"`
				Paise int64  `json:"paise"`
				Note  string `json:"note"`
				Ref   string `json:"ref"`
				Want  string `json:"want"`
			}{u[0], u[1], p, u[2], "RR287043775IN", cod.UPIURI(u[0], u[1], postal.Paise(p), u[2], "RR287043775IN")})
		}
	}
	res := runInNode(t, node, "check.js", "check.mjs", phoneRunner, c)
	if res.N != len(c.OTP)+len(c.S10)+len(c.UPI) || res.NBad != 0 {
		t.Fatalf("the phone disagrees with Go on %d of %d cases, e.g. %v", res.NBad, res.N, res.Bad)
	}
	t.Logf("phone and Go agree on %d cases", res.N)
}

// nodeVerdict is what a runner script prints: how many cases it ran, how
// many disagreed with Go, and some of those.
type nodeVerdict struct {
	N, NBad int
	Bad     []any
}

// runInNode copies the app's module pwa/<module> beside runner (saved as
// run.mjs, importing it as ./<as>) and the cases as cases.json, runs it in
// node and decodes its verdict.
func runInNode(t *testing.T, node, module, as, runner string, cases any) nodeVerdict {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "pwa", filepath.FromSlash(module)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{as: src, "run.mjs": []byte(runner), "cases.json": b} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(node, filepath.Join(dir, "run.mjs"), filepath.Join(dir, "cases.json")).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var res nodeVerdict
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node said %s", out)
	}
	return res
}

// TestLocalesMatch: English and Hindi carry the same keys, in the
// postman's books and in the console's, and every key the code asks for
// exists: the postman's code in the postman's books, the console's in both.
func TestLocalesMatch(t *testing.T) {
	app := readBooks(t, "locales")
	con := readBooks(t, "console/locales")
	both := maps.Clone(app)
	maps.Copy(both, con)
	if n := usedKeys(t, "*.js", app); n < 50 {
		t.Fatalf("found only %d t('…') calls in the app: the pattern no longer matches the code", n)
	}
	if n := usedKeys(t, "console/*.js", both); n < 10 {
		t.Fatalf("found only %d t('…') calls in the console: the pattern no longer matches the code", n)
	}
}

// readBooks reads dir's en.js and hi.js, checks they carry the same keys
// and returns the English ones.
func readBooks(t *testing.T, dir string) map[string]bool {
	t.Helper()
	keyRe := regexp.MustCompile(`(?m)^\s*'?([a-zA-Z0-9_.]+)'?:`)
	read := func(name string) map[string]bool {
		b, err := fs.ReadFile(pwa.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		if len(keys) < 10 {
			t.Fatalf("%s: only %d keys found", name, len(keys))
		}
		return keys
	}
	en, hi := read(dir+"/en.js"), read(dir+"/hi.js")
	for k := range en {
		if !hi[k] {
			t.Errorf("%s: Hindi lacks %q", dir, k)
		}
	}
	for k := range hi {
		if !en[k] {
			t.Errorf("%s: English lacks %q", dir, k)
		}
	}
	return en
}

// usedKeys checks that every t('…') key in the files matching glob is in
// keys, and returns how many calls it found.
func usedKeys(t *testing.T, glob string, keys map[string]bool) int {
	t.Helper()
	used := regexp.MustCompile(`\bt\('([a-zA-Z0-9_.]+)'`)
	entries, _ := fs.Glob(pwa.Files(), glob)
	asked := 0
	for _, name := range entries {
		b, _ := fs.ReadFile(pwa.Files(), name)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			asked++
			if !keys[m[1]] {
				t.Errorf("%s asks for %q, which no locale has", name, m[1])
			}
		}
	}
	return asked
}
