package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	ctx := context.Background()
	status := http.StatusOK
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		w.WriteHeader(status)
	}))
	defer srv.Close()

	if out, err := runCmd(ctx, nil, "", "healthcheck", "-url", srv.URL+"/readyz"); err != nil || !strings.Contains(out, "200") {
		t.Fatalf("healthy server: %v %s", err, out)
	}
	status = http.StatusServiceUnavailable
	if _, err := runCmd(ctx, nil, "", "healthcheck", "-url", srv.URL+"/readyz"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("503 must fail the check: %v", err)
	}

	// Without -url it asks /healthz on DAKIYA_ADDR, a wildcard host on loopback.
	status = http.StatusOK
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	if out, err := runCmd(ctx, map[string]string{"DAKIYA_ADDR": ":" + port}, "", "healthcheck"); err != nil {
		t.Fatalf("own address: %v %s", err, out)
	}
	if got := paths[len(paths)-1]; got != "/healthz" {
		t.Fatalf("default path: %q, want /healthz", got)
	}

	// Nothing listening: refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	if _, err := runCmd(ctx, nil, "", "healthcheck", "-url", "http://"+closed+"/healthz"); err == nil {
		t.Fatal("a refused connection must fail the check")
	}

	for _, bad := range [][]string{
		{"healthcheck", "-url", "ftp://example.org/"},
		{"healthcheck", "-url", "not a url"},
		{"healthcheck", "extra"},
		{"healthcheck", "-timeout", "0s"},
	} {
		if _, err := runCmd(ctx, nil, "", bad...); err == nil {
			t.Fatalf("%v must be refused", bad)
		}
	}
	if _, err := runCmd(ctx, map[string]string{"DAKIYA_ADDR": "nonsense"}, "", "healthcheck"); err == nil {
		t.Fatal("a DAKIYA_ADDR without a port must be refused")
	}
}
