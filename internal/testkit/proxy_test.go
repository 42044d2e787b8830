package testkit

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestProxyModes checks each way the proxy cuts a client off, and that it
// passes requests again afterwards on the same address.
func TestProxyModes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("up")) }))
	defer srv.Close()
	p := NewProxy(t, strings.TrimPrefix(srv.URL, "http://"))
	get := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+p.Addr+"/", nil)
		// A fresh transport each time: no connection kept from before.
		res, err := (&http.Transport{}).RoundTrip(req)
		if err != nil {
			return err
		}
		res.Body.Close()
		return nil
	}
	if err := get(); err != nil {
		t.Fatalf("pass: %v", err)
	}
	for _, m := range []Mode{Refuse, Reset, Hang} {
		p.Set(m)
		err := get()
		if err == nil {
			t.Errorf("%s: the request got through", m)
		}
		if hung := errors.Is(err, context.DeadlineExceeded); hung != (m == Hang) {
			t.Errorf("%s: %v; only hang should time out", m, err)
		}
		p.Set(Pass)
		if err := get(); err != nil {
			t.Errorf("pass after %s: %v", m, err)
		}
	}
	if _, err := ParseMode("sometimes"); err == nil {
		t.Error("ParseMode took an unknown mode")
	}
}
