package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dakiya/assets"
	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

func (a *api) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when every dependency answers, each within a
// couple of seconds; otherwise 503 naming what is down.
func (a *api) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{}
	ok := true
	for _, ch := range a.ready {
		if err := ch.Ping(ctx); err != nil {
			checks[ch.Name], ok = "down", false
			logger(c).Warn("readiness check failed", "check", ch.Name, "error", err.Error())
			continue
		}
		checks[ch.Name] = "ok"
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if !ok {
		c.Response().Header().Set("Retry-After", "5")
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "checks": checks})
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "checks": checks})
}

// MetricsAccess says who may read /metrics on the main handler.
type MetricsAccess struct {
	// Serve puts /metrics on the main handler; without it the path is not
	// found there (it is served on an address of its own, or nowhere).
	Serve bool
	// Token, when set, must come as "Authorization: Bearer <token>".
	Token string
}

// metricsHandler serves /metrics as a.metricsOn allows.
func (a *api) metricsHandler() echo.HandlerFunc {
	prom := promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{})
	return func(c echo.Context) error {
		if !a.metricsOn.Serve {
			return postal.Errorf(postal.CodeNotFound, "not found")
		}
		if !bearerIs(c.Request(), a.metricsOn.Token) {
			return postal.Errorf(postal.CodeUnauthenticated, "metrics need their token (Authorization: Bearer …)")
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		prom.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// MetricsServer is the handler of a metrics listener of its own: GET
// /metrics, with token as a bearer token when it is set; nothing else.
func MetricsServer(reg *prometheus.Registry, token string) http.Handler {
	prom := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !bearerIs(r, token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need their token", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		prom.ServeHTTP(w, r)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		mux.ServeHTTP(w, r)
	})
}

// bearerIs reports whether r carries token as its bearer token, comparing
// in constant time; any request passes when token is empty.
func bearerIs(r *http.Request, token string) bool {
	if token == "" {
		return true
	}
	scheme, raw, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got, want := sha256.Sum256([]byte(strings.TrimSpace(raw))), sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// devOutboxAccess keeps the development outbox, which shows every code and
// slot link, to an admin, unless it was opened (DAKIYA_DEV_OUTBOX=1).
func (a *api) devOutboxAccess(next echo.HandlerFunc) echo.HandlerFunc {
	if a.devSMSOpen {
		return next
	}
	return a.staff(func(c echo.Context) error {
		if principal(c).Role != postal.RoleAdmin {
			return postal.Errorf(postal.CodeForbidden, "only an admin may read the development outbox")
		}
		return next(c)
	})
}

// listDevSMS shows the development outbox's latest messages to a phone
// number, so a demo or a test can read a code or a link.
func (a *api) listDevSMS(c echo.Context) error {
	phone, err := postal.NormalizePhone(c.QueryParam("phone"))
	if err != nil {
		return postal.Invalid("invalid query", postal.FieldError{Field: "phone", Message: "an Indian mobile number"})
	}
	msgs, err := a.devSMS(c.Request().Context(), phone)
	if err != nil {
		return err
	}
	if msgs == nil {
		msgs = []notify.Message{}
	}
	return c.JSON(http.StatusOK, map[string]any{"messages": msgs})
}

// openapi serves the API's OpenAPI document.
func (a *api) openapi(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", assets.OpenAPI())
}

func (a *api) unknownAPI(c echo.Context) error {
	return postal.Errorf(postal.CodeNotFound, "no such API route")
}
