package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"dakiya/internal/postal"
)

// requestIDHeader carries the request id both ways; a caller's id is kept
// when it is short and plain, so a phone's retries can be followed.
const requestIDHeader = "X-Request-Id"

// logger returns the request's logger, which carries its request id and
// its signed-in user. It is made on first use: most requests log nothing
// but the access line, which finish writes without it.
func logger(c echo.Context) *slog.Logger {
	if l, ok := c.Get("logger").(*slog.Logger); ok {
		return l
	}
	base, ok := c.Get("log").(*slog.Logger)
	if !ok {
		return slog.Default()
	}
	l := base.With("request_id", requestID(c))
	if p, ok := postal.PrincipalFrom(c.Request().Context()); ok {
		l = l.With("user", p.Username)
	}
	c.Set("logger", l)
	return l
}

func requestID(c echo.Context) string {
	id, _ := c.Get("request_id").(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// observe gives every request an id and a logger, recovers panics, and logs
// and measures the request when it ends.
func (a *api) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		start := a.now()
		id := c.Request().Header.Get(requestIDHeader)
		if !plainID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(requestIDHeader, id)
		c.Set("request_id", id)
		c.Set("log", a.log)
		var span trace.Span
		if a.tracer != nil {
			span = a.startSpan(c, id)
		}
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
			if err != nil {
				c.Error(err)
			}
			a.finish(c, id, start)
			if span != nil {
				endSpan(c, span)
			}
		}()
		return next(c)
	}
}

// startSpan starts the request's span, named by its route pattern, under
// the caller's trace when a traceparent header names one, and puts it in
// the request's context so the work below it can add its own.
func (a *api) startSpan(c echo.Context, id string) trace.Span {
	req := c.Request()
	route := c.Path()
	if route == "" {
		route = "unmatched"
	}
	ctx := propagation.TraceContext{}.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
	ctx, span := a.tracer.Start(ctx, req.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("http.request.method", req.Method), attribute.String("http.route", route),
			attribute.String("dakiya.request_id", id)))
	c.SetRequest(req.WithContext(ctx))
	return span
}

// endSpan records the answer's status on span and ends it; a 5xx marks
// it failed.
func endSpan(c echo.Context, span trace.Span) {
	status := c.Response().Status
	span.SetAttributes(attribute.Int("http.response.status_code", status))
	if status >= 500 {
		span.SetStatus(codes.Error, http.StatusText(status))
	}
	span.End()
}

// finish writes the access log line and the metrics of one request: the
// line goes straight to the server's logger with the request id as its
// first attribute (no per-request logger is made for it), and only when
// its level is enabled.
func (a *api) finish(c echo.Context, id string, start time.Time) {
	elapsed := a.now().Sub(start)
	status := c.Response().Status
	route := c.Path()
	if route == "" {
		route = "unmatched"
	}
	req := c.Request()
	code := strconv.Itoa(status)
	a.metrics.requests.WithLabelValues(req.Method, route, code).Inc()
	a.metrics.latency.WithLabelValues(req.Method, route, code).Observe(elapsed.Seconds())
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if strings.HasPrefix(route, "/healthz") || route == "/metrics" {
		level = slog.LevelDebug
	}
	ctx := req.Context()
	if !a.log.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("request_id", id), slog.String("method", req.Method), slog.String("route", route),
		slog.String("path", req.URL.Path), slog.Int("status", status),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.Int64("bytes", c.Response().Size),
		slog.String("remote", c.RealIP()))
	if p, ok := postal.PrincipalFrom(ctx); ok {
		attrs = append(attrs, slog.String("user", p.Username))
	}
	a.log.LogAttrs(ctx, level, "request", attrs...)
}

// metrics are the HTTP metrics, registered on the server's own registry.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	outcomes *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (metrics, error) {
	m := metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakiya_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dakiya_http_request_duration_seconds", Help: "HTTP request latency by method, route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dakiya_outcomes_recorded_total", Help: "Delivery outcomes recorded (not replays), by centre and outcome.",
		}, []string{"dc", "outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.outcomes} {
		if err := reg.Register(c); err != nil {
			return metrics{}, fmt.Errorf("httpapi: metrics: %w", err)
		}
	}
	return m, nil
}

// staff requires a valid access token and puts its principal in the
// request's context.
func (a *api) staff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, raw, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
			return postal.Errorf(postal.CodeUnauthenticated, "an access token is required (Authorization: Bearer …)")
		}
		p, err := a.auth.Authenticate(strings.TrimSpace(raw))
		if err != nil {
			return err
		}
		c.SetRequest(c.Request().WithContext(postal.WithPrincipal(c.Request().Context(), p)))
		// logger(c), made when a handler asks for it, names the user; one
		// made before now gets the user added.
		if l, ok := c.Get("logger").(*slog.Logger); ok {
			c.Set("logger", l.With("user", p.Username))
		}
		if err := sorterMay(c, p); err != nil {
			return err
		}
		return next(c)
	}
}

// principal returns the caller of a staff route.
func principal(c echo.Context) postal.Principal {
	p, _ := postal.PrincipalFrom(c.Request().Context())
	return p
}

// noStore marks API responses as private and uncacheable by shared caches.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// contentSecurityPolicy is the one policy of every response. The app has
// no inline script or style and no eval, loads no script, style or data
// from another origin and shows proofs only as blob: previews of the
// phone's own captures, so everything is 'self' but one thing: the beat's
// map shows OpenStreetMap's tiles, images only, from their one tile host.
// The access and refresh tokens the app keeps in localStorage are only as
// safe as this policy is strict.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https://tile.openstreetmap.org; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; " +
	"manifest-src 'self'; worker-src 'self'"

// setSecurityHeaders sets the headers every response carries, whatever
// answers it. The referrer is never sent: the slot page carries its token in
// the path, and nothing else needs it.
func setSecurityHeaders(h http.Header) {
	for _, kv := range securityHeaders {
		h[kv.key] = kv.value
	}
}

// securityHeaders are setSecurityHeaders' headers, their names in
// canonical form, their values made once and shared by every response
// (each a slice of one, so an Add copies it rather than writing into it).
var securityHeaders = []struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Permissions-Policy", []string{"camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}

// secure sets the security headers before anything answers.
func secure(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setSecurityHeaders(c.Response().Header())
		return next(c)
	}
}
