package config

import (
	"errors"
	"fmt"
	"net"
)

// Metrics says where and to whom /metrics is served.
type Metrics struct {
	// Addr is a listen address of its own for /metrics
	// (DAKIYA_METRICS_ADDR); when set, the main address does not serve it.
	Addr string
	// Token, when set, must come as a bearer token
	// (DAKIYA_METRICS_TOKEN or DAKIYA_METRICS_TOKEN_FILE).
	Token string
}

// MinMetricsTokenLen is the shortest DAKIYA_METRICS_TOKEN accepted.
const MinMetricsTokenLen = 16

// MetricsOnMain reports whether the main address serves /metrics: when no
// address of its own is set, and either a token guards it or the main
// address is loopback only. A server listening on every interface without
// a token does not publish its metrics to the internet by default.
func (c Config) MetricsOnMain() bool {
	return c.Metrics.Addr == "" && (c.Metrics.Token != "" || addrIsLoopback(c.Addr))
}

// addrIsLoopback reports whether a host:port listens on loopback only.
func addrIsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadMetrics reads the metrics settings; main is DAKIYA_ADDR.
func loadMetrics(env func(k, def string) string, token func(name string) string, main string) (Metrics, error) {
	m := Metrics{Addr: env("DAKIYA_METRICS_ADDR", ""), Token: token("DAKIYA_METRICS_TOKEN")}
	var errs []error
	if m.Addr != "" {
		if _, _, err := net.SplitHostPort(m.Addr); err != nil {
			errs = append(errs, fmt.Errorf("DAKIYA_METRICS_ADDR %q is not host:port", m.Addr))
		} else if m.Addr == main {
			errs = append(errs, errors.New("DAKIYA_METRICS_ADDR must differ from DAKIYA_ADDR"))
		}
	}
	if m.Token != "" && len(m.Token) < MinMetricsTokenLen {
		errs = append(errs, fmt.Errorf("DAKIYA_METRICS_TOKEN must be at least %d characters", MinMetricsTokenLen))
	}
	return m, errors.Join(errs...)
}
