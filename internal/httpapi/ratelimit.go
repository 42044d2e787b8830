package httpapi

import (
	"math"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"dakiya/internal/postal"
)

// PublicRate is a token bucket per client address: Burst requests at once, one
// more each Every, for at most Cap addresses at a time.
type PublicRate struct {
	Burst int
	Every time.Duration
	Cap   int
}

// PublicLimits are the public endpoints' rates per client address.
type PublicLimits struct {
	Track     PublicRate // GET /api/v1/track/{id}
	SlotRead  PublicRate // GET /api/v1/slot-choice/{token} and the page /slot/{token}
	SlotWrite PublicRate // POST /api/v1/slot-choice/{token}
}

// DefaultPublicLimits are generous: a carrier's NAT puts many phones behind one
// address, and the limits are there to stop a script, not a family
// checking a parcel.
func DefaultPublicLimits() PublicLimits {
	return PublicLimits{
		Track:     PublicRate{Burst: 30, Every: time.Second, Cap: 100_000},
		SlotRead:  PublicRate{Burst: 20, Every: 3 * time.Second, Cap: 100_000},
		SlotWrite: PublicRate{Burst: 10, Every: 6 * time.Second, Cap: 100_000},
	}
}

// overflow is the bucket shared by addresses that arrive while Cap others
// are being tracked, so memory stays bounded under a spray of addresses.
const overflow = "overflow"

// addrLimiter is a token bucket per client address, in memory. Each replica
// counts on its own, so n replicas allow n times the rate: acceptable for
// public reads, which only cost a query each. What must hold across
// replicas (a slot link's changes) is counted in the database.
type addrLimiter struct {
	rate    PublicRate
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newAddrLimiter(r PublicRate, now func() time.Time) *addrLimiter {
	return &addrLimiter{rate: r, now: now, buckets: map[string]*bucket{}}
}

// take spends one token of key's bucket, or says how long until one is
// there.
func (l *addrLimiter) take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, now)
	perSec := 1 / l.rate.Every.Seconds()
	b.tokens = math.Min(float64(l.rate.Burst), b.tokens+now.Sub(b.at).Seconds()*perSec)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / perSec * float64(time.Second))
}

// bucket finds or makes key's bucket, dropping full ones when at the cap.
func (l *addrLimiter) bucket(key string, now time.Time) *bucket {
	if b, ok := l.buckets[key]; ok {
		return b
	}
	if len(l.buckets) >= l.rate.Cap {
		l.sweep(now)
	}
	if len(l.buckets) >= l.rate.Cap {
		key = overflow
		if b, ok := l.buckets[key]; ok {
			return b
		}
	}
	b := &bucket{tokens: float64(l.rate.Burst), at: now}
	l.buckets[key] = b
	return b
}

// sweep forgets the buckets that have refilled: they hold nothing.
func (l *addrLimiter) sweep(now time.Time) {
	full := time.Duration(l.rate.Burst) * l.rate.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}

// rateLimit answers 429 with Retry-After once a client address has spent its
// bucket of l.
func rateLimit(l *addrLimiter) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if ok, wait := l.take(postal.ClientKey(c.RealIP())); !ok {
				return &postal.Error{Code: postal.CodeRateLimited, RetryAfter: wait,
					Message: "too many requests from this address; retry after the seconds in Retry-After"}
			}
			return next(c)
		}
	}
}
