package httpapi

import (
	"net"
	"net/http/httptest"
	"testing"
)

// TestIPExtractorIgnoresSpoofedHeaders pins why echo's advisories
// GO-2026-6872 and GO-2026-6875 (X-Forwarded-For and X-Real-IP taken from
// the client by default) do not reach us: the client's address comes from the
// socket, and X-Forwarded-For counts only when a configured proxy sent it.
func TestIPExtractorIgnoresSpoofedHeaders(t *testing.T) {
	_, lan, err := net.ParseCIDR("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		proxies []*net.IPNet
		remote  string
		want    string
	}{
		{"no proxies", nil, "203.0.113.9:5555", "203.0.113.9"},
		{"no proxies, private peer", nil, "10.1.2.3:80", "10.1.2.3"},
		{"trusted proxy", []*net.IPNet{lan}, "10.1.2.3:80", "198.51.100.7"},
		{"untrusted peer", []*net.IPNet{lan}, "203.0.113.9:5555", "203.0.113.9"},
		{"loopback not trusted", []*net.IPNet{lan}, "127.0.0.1:5555", "127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			r.Header.Set("X-Forwarded-For", "198.51.100.7")
			r.Header.Set("X-Real-IP", "192.0.2.1")
			if got := ipExtractor(tc.proxies)(r); got != tc.want {
				t.Fatalf("client address: got %s, want %s", got, tc.want)
			}
		})
	}
}
