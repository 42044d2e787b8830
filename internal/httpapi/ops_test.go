package httpapi_test

import (
	"strings"
	"testing"

	"dakiya/internal/httpapi"
	"dakiya/internal/objstore"
	"dakiya/internal/testkit"
)

func TestReadyz(t *testing.T) {
	good := testkit.Bucket(t)
	down, err := objstore.New(objstore.Config{Endpoint: "http://127.0.0.1:1", AccessKey: "a", SecretKey: "b", Bucket: "dakiya-down"})
	if err != nil {
		t.Fatal(err)
	}
	db := testkit.DB(t)
	e := newEnv(t, db, httpapi.Check{Name: "database", Ping: db.Ping}, httpapi.Check{Name: "object_store", Ping: good.Ping})
	if r := e.do("GET", "/readyz", "", nil); r.status != 200 || !strings.Contains(string(r.body), `"object_store":"ok"`) {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}
	e2 := newEnv(t, testkit.DB(t), httpapi.Check{Name: "object_store", Ping: down.Ping})
	r := e2.do("GET", "/readyz", "", nil)
	if r.status != 503 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), `"object_store":"down"`) {
		t.Fatalf("readyz with the object store down: %d %v %s", r.status, r.header, r.body)
	}
	db3 := testkit.DB(t)
	e3 := newEnv(t, db3, httpapi.Check{Name: "database", Ping: db3.Ping})
	db3.Close()
	if r := e3.do("GET", "/readyz", "", nil); r.status != 503 || !strings.Contains(string(r.body), `"database":"down"`) {
		t.Fatalf("readyz with the database closed: %d %s", r.status, r.body)
	}
}

func TestOps(t *testing.T) {
	e := newEnv(t, testkit.DB(t))
	if r := e.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	e.login("sup1")
	wantProblem(t, e.do("GET", "/api/v1/nothing-here", "", nil), 404)
	wantProblem(t, e.do("DELETE", "/api/v1/auth/login", "", nil), 404)
	m := e.do("GET", "/metrics", "", nil)
	for _, want := range []string{
		`dakiya_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 1`,
		`dakiya_http_request_duration_seconds_bucket{method="POST",route="/api/v1/auth/login",status="200"`,
	} {
		if !strings.Contains(string(m.body), want) {
			t.Fatalf("metrics lack %q:\n%s", want, m.body)
		}
	}
	r := e.do("GET", "/api/v1/me", "", nil, "X-Request-Id", "phone-retry-42")
	if r.header.Get("X-Request-Id") != "phone-retry-42" {
		t.Fatalf("request id not echoed: %v", r.header)
	}
	if !strings.Contains(e.logs.String(), `"request_id":"phone-retry-42"`) {
		t.Fatal("the access log line lacks the request id")
	}
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		if !strings.Contains(line, `"request_id":`) {
			t.Fatalf("log line without request id: %s", line)
		}
	}
	if r := e.do("GET", "/api/v1/openapi.yaml", "", nil); r.status != 200 || !strings.HasPrefix(string(r.body), "openapi: 3.1") {
		t.Fatalf("openapi: %d %.40s", r.status, r.body)
	}
	if r := e.do("GET", "/", "", nil); r.status != 200 || !strings.Contains(string(r.body), "Dakiya") {
		t.Fatalf("app: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/some/app/route", "", nil); r.status != 200 || r.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("app fallback: %d %v", r.status, r.header)
	}
}
