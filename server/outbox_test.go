package main

import (
	"context"
	"net"
	"net/url"
	"testing"
)

// TestDevOutboxClosed: the development outbox, which shows every code, is
// for an admin only, unless DAKIYA_DEV_OUTBOX=1 opens it; and it is never
// served on a non-loopback address, whoever asks.
func TestDevOutboxClosed(t *testing.T) {
	env := testEnv(t)
	env["DAKIYA_DEV_OUTBOX"] = "0"
	if out, err := runCmd(context.Background(), env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	const path = "/api/v1/dev/sms?phone=%2B919845012345"
	t.Run("admin only", func(t *testing.T) {
		base, stop, done := startServe(t, env)
		defer func() { stop(); <-done }()
		getJSON(t, base+path, "", 401, nil)
		getJSON(t, base+path, login(t, base, "postman1"), 403, nil)
		getJSON(t, base+path, login(t, base, "supervisor1"), 403, nil)
		getJSON(t, base+path, login(t, base, "admin"), 200, nil)
	})
	t.Run("opened", func(t *testing.T) {
		env["DAKIYA_DEV_OUTBOX"] = "1"
		base, stop, done := startServe(t, env)
		defer func() { stop(); <-done }()
		getJSON(t, base+path, "", 200, nil)
	})
	t.Run("not on a loopback address", func(t *testing.T) {
		env["DAKIYA_DEV_OUTBOX"], env["DAKIYA_ADDR"] = "1", "0.0.0.0:0"
		base, stop, done := startServe(t, env)
		defer func() { stop(); <-done }()
		base = viaLoopback(t, base)
		getJSON(t, base+"/healthz", "", 200, nil)
		getJSON(t, base+path, "", 404, nil)
		getJSON(t, base+path, login(t, base, "admin"), 404, nil)
	})
}

// viaLoopback turns the URL of a server listening on every interface into
// one this test can reach.
func viaLoopback(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + net.JoinHostPort("127.0.0.1", u.Port())
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.2:1": true, "[::1]:8080": true,
		"0.0.0.0:8080": false, "[::]:8080": false, "10.1.2.3:8080": false, "192.168.1.5:80": false,
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := loopback(a); got != want {
			t.Errorf("loopback(%s) = %v, want %v", addr, got, want)
		}
	}
	if loopback(&net.UnixAddr{Name: "/tmp/x", Net: "unix"}) {
		t.Error("a unix socket counts as loopback")
	}
}
