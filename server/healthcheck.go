package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// healthcheck asks a running server whether it is healthy: it exits 0 only
// when GET -url answers 2xx within -timeout. It is the container image's
// HEALTHCHECK (the distroless image has no shell, curl or wget). Without
// -url it asks this process's own DAKIYA_ADDR for /healthz, with a wildcard
// host (":8080", "0.0.0.0:8080", "[::]:8080") asked on loopback.
func healthcheck(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dakiya healthcheck [-url http://127.0.0.1:8080/healthz] [-timeout 3s]")
		fs.PrintDefaults()
	}
	target := fs.String("url", "", "URL to ask (default: /healthz on DAKIYA_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("healthcheck takes no arguments, only flags")
	}
	if *timeout <= 0 {
		return fmt.Errorf("healthcheck: -timeout must be positive")
	}
	u := *target
	if u == "" {
		var err error
		if u, err = ownHealthURL(env.getenv("DAKIYA_ADDR")); err != nil {
			return err
		}
	}
	if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("healthcheck: -url %q must be an http:// or https:// URL", u)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("healthcheck: %s answered %s", u, resp.Status)
	}
	fmt.Fprintf(env.stdout, "healthy: %s answered %s\n", u, resp.Status)
	return nil
}

// ownHealthURL is /healthz on the listen address addr (DAKIYA_ADDR, or its
// default), with a wildcard host replaced by loopback.
func ownHealthURL(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("healthcheck: DAKIYA_ADDR %q is not host:port", addr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
