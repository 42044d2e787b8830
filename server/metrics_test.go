package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeMetricsOnTheirOwnAddress: with DAKIYA_METRICS_ADDR the main
// address does not serve /metrics, the metrics address does, with its
// token, and stops with the server.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	env := testEnv(t)
	addr, token := freeAddr(t), "metrics-token-for-the-test"
	env["DAKIYA_METRICS_ADDR"], env["DAKIYA_METRICS_TOKEN"] = addr, token
	base, stop, done := startServe(t, env)
	get := func(url, auth string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, _ := get(base+"/healthz", ""); status != 200 {
		t.Fatalf("healthz: %d", status)
	}
	if status, _ := get(base+"/metrics", token); status != 404 {
		t.Fatalf("main address /metrics: %d, want 404", status)
	}
	if status, _ := get("http://"+addr+"/metrics", ""); status != 401 {
		t.Fatalf("metrics without their token: %d, want 401", status)
	}
	status, body := get("http://"+addr+"/metrics", token)
	if status != 200 || !strings.Contains(body, "go_goroutines") || !strings.Contains(body, `dakiya_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("metrics: %d %.300s", status, body)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/metrics"); err == nil {
		t.Fatal("the metrics address still answers after shutdown")
	}
}

// TestServeRefusesMetricsOffLoopback: listening on every interface with
// neither a metrics address nor a token, /metrics is not served at all.
func TestServeRefusesMetricsOffLoopback(t *testing.T) {
	env := testEnv(t)
	env["DAKIYA_ADDR"] = "0.0.0.0:0"
	base, stop, done := startServe(t, env)
	base = strings.Replace(base, "0.0.0.0", "127.0.0.1", 1)
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("/metrics on a public address without a token: %d, want 404", res.StatusCode)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}
