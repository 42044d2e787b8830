package dispatch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Guard decides which addresses the server may send partner messages to.
// In production only public https addresses are allowed: no private,
// loopback, link-local, unspecified, multicast or carrier-grade NAT
// targets, checked when the URL is saved and again when each connection
// is made (a name may resolve elsewhere by then). Dev (DAKIYA_ENV=
// development) also allows http and every address, so tests and demos
// can receive messages on 127.0.0.1.
type Guard struct {
	Dev bool
	// Lookup resolves a host name when a URL is saved; nil is
	// net.DefaultResolver.
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// errForbidden is why a connection was refused.
var errForbidden = errors.New("the address is not a public one")

// cgnat is 100.64.0.0/10, shared address space behind carriers' NAT.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Allowed reports whether ip may be connected to.
func (g Guard) Allowed(ip netip.Addr) bool {
	if g.Dev {
		return true
	}
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() && !ip.IsMulticast() &&
		!ip.IsUnspecified() && !cgnat.Contains(ip)
}

// CheckURL tells what is wrong with raw as a receiver's URL, or nil: an
// absolute http(s) URL without credentials or fragment, https in
// production, whose host resolves only to allowed addresses.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return errors.New("must be an absolute URL")
	}
	switch {
	case u.User != nil:
		return errors.New("must not carry a user name or password")
	case u.Fragment != "":
		return errors.New("must not carry a fragment")
	case u.Scheme != "https" && !(g.Dev && u.Scheme == "http"):
		if g.Dev {
			return errors.New("must be an http or https URL")
		}
		return errors.New("must be an https URL")
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !g.Allowed(ip) {
			return fmt.Errorf("%s is not a public address", ip)
		}
		return nil
	}
	if g.Dev {
		return nil
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return errors.New("localhost is not a public address")
	}
	return g.checkHost(ctx, host)
}

func (g Guard) checkHost(ctx context.Context, host string) error {
	lookup := g.Lookup
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := lookup(ctx, host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("the host %s does not resolve", host)
	}
	for _, ip := range ips {
		if !g.Allowed(ip) {
			return fmt.Errorf("the host %s resolves to %s, not a public address", host, ip)
		}
	}
	return nil
}

// Client returns an HTTP client for sending partner messages: each request
// ends after timeout, redirects are not followed (a 3xx is a failure the
// receiver must fix), no proxy from the environment is used, and the
// dialer refuses addresses the guard does not allow at connect time,
// after the name is resolved.
func (g Guard) Client(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.control}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// control runs after the name is resolved and before the socket connects.
func (g Guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, errForbidden)
	}
	if !g.Allowed(ap.Addr()) {
		return fmt.Errorf("dial %s: %w", address, errForbidden)
	}
	return nil
}
