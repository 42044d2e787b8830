package httpapi

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// bearer returns the credentials of an Authorization: Bearer header.
func bearer(c echo.Context) (string, bool) {
	scheme, raw, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	raw = strings.TrimSpace(raw)
	return raw, ok && strings.EqualFold(scheme, "Bearer") && raw != ""
}

// isKey reports whether a bearer credential is a partner's API key.
func isKey(raw string) bool { return strings.HasPrefix(raw, partner.KeyPrefix) }

// partnerKey requires a partner's API key carrying scope (any key when
// scope is empty), spends one token of the key's bucket, and puts the
// partner in the request's context.
func (a *api) partnerKey(scope postal.Scope) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			raw, ok := bearer(c)
			if !ok || !isKey(raw) {
				return postal.Errorf(postal.CodeUnauthenticated, "an API key is required (Authorization: Bearer dk_live_…)")
			}
			return a.asPartner(c, raw, scope, next)
		}
	}
}

// staffOrKey lets either a member of staff (access token) or a partner's
// key with scope through; each handler then serves its caller's view.
func (a *api) staffOrKey(scope postal.Scope) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		staff := a.staff(next)
		return func(c echo.Context) error {
			if raw, ok := bearer(c); ok && isKey(raw) {
				return a.asPartner(c, raw, scope, next)
			}
			return staff(c)
		}
	}
}

// asPartner authenticates a key, checks its scope and rate, and calls next.
func (a *api) asPartner(c echo.Context, raw string, scope postal.Scope, next echo.HandlerFunc) error {
	if a.partners == nil {
		return postal.Errorf(postal.CodeUnauthenticated, "API keys are not accepted by this server")
	}
	ctx := c.Request().Context()
	p, rate, err := a.partners.Authenticate(ctx, raw)
	if err != nil {
		return err
	}
	c.Set("logger", logger(c).With("partner", p.ID, "key", p.KeyID))
	ok, left, wait := a.keyLimits.take(p.KeyID, rate)
	h := c.Response().Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(rate))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(left))
	if !ok {
		h.Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return &postal.Error{Code: postal.CodeRateLimited, RetryAfter: wait,
			Message: "this API key has spent its requests for now; retry after the seconds in Retry-After"}
	}
	if scope != "" && !p.Can(scope) {
		return postal.Errorf(postal.CodeForbidden, "this API key lacks the %q scope", scope)
	}
	c.SetRequest(c.Request().WithContext(postal.WithPartner(ctx, p)))
	return next(c)
}

// partnerOf returns the partner caller of a key route.
func partnerOf(c echo.Context) (postal.Partner, bool) {
	return postal.PartnerFrom(c.Request().Context())
}

// keyLimiter is a token bucket per API key, refilled at the key's rate per
// minute with a minute's worth as its burst. Like addrLimiter it is per
// replica.
type keyLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

func newKeyLimiter(now func() time.Time) *keyLimiter {
	return &keyLimiter{now: now, buckets: map[string]*bucket{}}
}

// take spends one token of key's bucket; it returns the tokens left, or
// how long until one is there.
func (l *keyLimiter) take(key string, perMin int) (bool, int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(perMin), at: now}
		l.buckets[key] = b
	}
	perSec := float64(perMin) / 60
	b.tokens = math.Min(float64(perMin), b.tokens+now.Sub(b.at).Seconds()*perSec)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, int(b.tokens), 0
	}
	return false, 0, time.Duration((1 - b.tokens) / perSec * float64(time.Second))
}
