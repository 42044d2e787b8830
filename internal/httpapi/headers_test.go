package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dakiya/internal/httpapi"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// securityHeaders are what every response must carry, whatever answers it.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https://tile.openstreetmap.org; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; " +
		"manifest-src 'self'; worker-src 'self'",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
	"X-Frame-Options":        "DENY",
	"Permissions-Policy":     "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()",
}

func wantSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for k, want := range securityHeaders {
		if got := h.Values(k); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want exactly %q", k, got, want)
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1 := e.login("sup1")
	id := s10(t, "EE", 60000001)
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(id)); r.status != 200 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	tok := e.links.Token(id, e.clock.Now())
	for _, c := range []struct {
		name, method, path, token string
		status                    int
		ctype                     string
	}{
		{"api json", "GET", "/api/v1/me", sup1, 200, "application/json"},
		{"api problem", "GET", "/api/v1/me", "", 401, "application/problem+json"},
		{"bad input problem", "GET", "/api/v1/articles/EE%00", sup1, 400, "application/problem+json"},
		{"unknown api route", "GET", "/api/v1/nothing", "", 404, "application/problem+json"},
		{"wrong method", "DELETE", "/api/v1/auth/login", "", 404, "application/problem+json"},
		{"public tracking", "GET", "/api/v1/track/" + id, "", 200, "application/json"},
		{"slot choice", "GET", "/api/v1/slot-choice/" + tok, "", 200, "application/json"},
		{"app shell", "GET", "/", "", 200, "text/html"},
		{"app route", "GET", "/some/app/route", "", 200, "text/html"},
		{"missing file", "GET", "/vendor/missing.js", "", 404, "application/problem+json"},
		{"static file", "GET", "/app.css", "", 200, "text/css"},
		{"script", "GET", "/app.js", "", 200, "text/javascript"},
		{"web manifest", "GET", "/manifest.webmanifest", "", 200, "application/manifest+json"},
		{"service worker", "GET", "/sw.js", "", 200, "text/javascript"},
		{"tracking page", "GET", "/track", "", 200, "text/html"},
		{"slot page", "GET", "/slot/" + tok, "", 200, "text/html"},
		{"slot page, bad token", "GET", "/slot/x", "", 200, "text/html"},
		{"metrics", "GET", "/metrics", "", 200, "text/plain"},
		{"health", "GET", "/healthz", "", 200, "application/json"},
		{"openapi", "GET", "/api/v1/openapi.yaml", "", 200, "application/yaml"},
		{"not modified", "GET", "/app.css", "", 304, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.status == 304 {
				hdr = []string{"If-None-Match", e.do("GET", c.path, "", nil).header.Get("ETag")}
			}
			r := e.do(c.method, c.path, c.token, nil, hdr...)
			if r.status != c.status || !strings.HasPrefix(r.header.Get("Content-Type"), c.ctype) {
				t.Fatalf("%d %q, want %d %q", r.status, r.header.Get("Content-Type"), c.status, c.ctype)
			}
			wantSecurityHeaders(t, r.header)
		})
	}
}

func TestPublicRateLimits(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	sup1 := e.login("sup1")
	id := s10(t, "EE", 60000002)
	if r := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, item(id)); r.status != 200 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	tok := e.links.Token(id, e.clock.Now())
	lim := httpapi.DefaultPublicLimits()
	for _, c := range []struct {
		name, method, path string
		body               any
		rate               httpapi.PublicRate
	}{
		{"tracking", "GET", "/api/v1/track/" + id, nil, lim.Track},
		{"slot choice", "GET", "/api/v1/slot-choice/" + tok, nil, lim.SlotRead},
		{"slot page", "GET", "/slot/" + tok, nil, lim.SlotRead},
		{"choosing", "POST", "/api/v1/slot-choice/" + tok, map[string]string{"date": "2026-11-25", "slot": "evening"}, lim.SlotWrite},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.clock.Advance(time.Hour) // every bucket full again
			for i := range c.rate.Burst {
				if r := e.do(c.method, c.path, "", c.body); r.status != 200 {
					t.Fatalf("request %d of a burst of %d: %d %s", i+1, c.rate.Burst, r.status, r.body)
				}
			}
			r := e.do(c.method, c.path, "", c.body)
			wantProblem(t, r, 429)
			if ra, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || ra < 1 || ra > int(c.rate.Every.Seconds())+1 {
				t.Fatalf("Retry-After %q, want 1 to %v", r.header.Get("Retry-After"), c.rate.Every)
			}
			e.clock.Advance(c.rate.Every)
			if r := e.do(c.method, c.path, "", c.body); r.status != 200 {
				t.Fatalf("after the refill: %d %s", r.status, r.body)
			}
			if r := e.do("GET", "/api/v1/me", e.login("sup1"), nil); r.status != 200 {
				t.Fatalf("staff routes are not limited with the public ones: %d", r.status)
			}
		})
	}
}

func TestMetricsAccess(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	get := func(url, auth string) resp {
		t.Helper()
		at := *e
		at.url = url
		if auth == "" {
			return at.do("GET", "/metrics", "", nil)
		}
		return at.do("GET", "/metrics", "", nil, "Authorization", auth)
	}
	hidden := e.deps
	hidden.Metrics = httpapi.MetricsAccess{}
	off := e.replica(hidden)
	wantProblem(t, get(off, ""), 404) // not the app shell either
	withToken := e.deps
	withToken.Metrics = httpapi.MetricsAccess{Serve: true, Token: "metrics-token-0123456789"}
	tok := e.replica(withToken)
	for _, auth := range []string{"", "Bearer", "Bearer metrics-token-012345678", "Basic metrics-token-0123456789", "Bearer metrics-token-01234567890"} {
		r := get(tok, auth)
		wantProblem(t, r, 401)
		if r.header.Get("WWW-Authenticate") == "" {
			t.Fatalf("401 without WWW-Authenticate for %q", auth)
		}
	}
	if r := get(tok, "bearer  metrics-token-0123456789 "); r.status != 200 || !strings.Contains(string(r.body), "dakiya_http_requests_total") {
		t.Fatalf("metrics with their token: %d %.200s", r.status, r.body)
	}
}

func TestMetricsServer(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "dakiya_test_total", Help: "test"}))
	for _, c := range []struct {
		token, auth, path string
		status            int
	}{
		{"", "", "/metrics", 200},
		{"", "", "/", 404},
		{"", "", "/api/v1/me", 404},
		{"s3cret-token-for-metrics", "", "/metrics", 401},
		{"s3cret-token-for-metrics", "Bearer wrong", "/metrics", 401},
		{"s3cret-token-for-metrics", "Bearer s3cret-token-for-metrics", "/metrics", 200},
	} {
		srv := httptest.NewServer(httpapi.MetricsServer(reg, c.token))
		req, _ := http.NewRequest("GET", srv.URL+c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		srv.Close()
		if res.StatusCode != c.status || (c.status == 200) != strings.Contains(string(b), "dakiya_test_total") {
			t.Errorf("%+v: %d %.100s", c, res.StatusCode, b)
		}
		wantSecurityHeaders(t, res.Header)
	}
}

// TestSlotLinkChangeCapAcrossReplicas: the link's changes are counted in
// the database, so two servers with their own rate limits together allow
// no more than slot.MaxRecipientChanges.
func TestSlotLinkChangeCapAcrossReplicas(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		id := s10(t, "EE", 60000003)
		if r := e.do("POST", "/api/v1/dcs/dc-one/articles", e.login("sup1"), item(id)); r.status != 200 {
			t.Fatalf("book: %d %s", r.status, r.body)
		}
		tok := e.links.Token(id, e.clock.Now())
		other := *e
		other.url = e.replica(e.deps)
		view := e.do("GET", "/api/v1/slot-choice/"+tok, "", nil).json(t)
		opts := view["options"].([]any)
		if len(opts) < 2 {
			t.Fatalf("need two options: %v", view)
		}
		choose := func(on *env, i int) resp {
			o := opts[i%2].(map[string]any)
			return on.do("POST", "/api/v1/slot-choice/"+tok, "", map[string]any{"date": o["date"], "slot": o["slot"]})
		}
		for i := range slot.MaxRecipientChanges {
			if r := choose([]*env{e, &other}[i%2], i); r.status != 200 {
				t.Fatalf("change %d: %d %s", i+1, r.status, r.body)
			}
		}
		for _, on := range []*env{e, &other} {
			r := choose(on, slot.MaxRecipientChanges)
			if wantProblem(t, r, 429); r.header.Get("Retry-After") != "" || !strings.Contains(string(r.body), "delivery centre") {
				t.Fatalf("the cap's 429 says to wait or does not say what to do: %v %s", r.header, r.body)
			}
		}
	})
}
