// Package httpapi is the only code that knows Echo: it maps Dakiya's HTTP
// API onto the domain services, turns errors into problem+json, and serves
// the embedded PWA, the health checks and the metrics.
package httpapi

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"

	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/beatplan"
	"dakiya/internal/booking"
	"dakiya/internal/centre"
	"dakiya/internal/cod"
	"dakiya/internal/delivery"
	"dakiya/internal/demand"
	"dakiya/internal/idem"
	"dakiya/internal/manifest"
	"dakiya/internal/notify"
	"dakiya/internal/ondc"
	"dakiya/internal/otp"
	"dakiya/internal/partner"
	"dakiya/internal/pod"
	"dakiya/internal/privacy"
	"dakiya/internal/progress"
	"dakiya/internal/proof"
	"dakiya/internal/remit"
	"dakiya/internal/roster"
	"dakiya/internal/slot"
	"dakiya/internal/sorting"
	"dakiya/internal/stats"
	"dakiya/internal/tariff"
	"dakiya/internal/webhook"
)

// Check is one readiness check: a dependency that must answer.
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// Deps is everything the API serves.
type Deps struct {
	Log        *slog.Logger
	Now        func() time.Time
	Auth       *auth.Service
	Centres    *centre.Service
	Articles   *article.Service
	Slots      *slot.Service
	Manifests  *manifest.Service
	OTP        *otp.Service
	Deliveries *delivery.Service
	Idem       idem.Store
	COD        *cod.Service
	Proofs     *proof.Service
	Progress   *progress.Service
	// ProgressStream bounds the server-sent progress stream; zero is
	// DefaultProgressStream.
	ProgressStream ProgressStream
	// Stats serves a centre's statistics; nil leaves its endpoint out.
	Stats    *stats.Service
	Ready    []Check
	Registry *prometheus.Registry // the server's metrics registry
	PWA      fs.FS                // the app's files, served at /
	// App is PWA made ready once (NewApp); nil prepares PWA here and
	// compresses it on the first request for one of its files.
	App *App
	// TrustedProxies may set X-Forwarded-For; nobody else chooses the
	// address their failed logins are counted against.
	TrustedProxies []*net.IPNet
	// PublicLimits rate the public endpoints per client address; zero means
	// DefaultPublicLimits.
	PublicLimits PublicLimits
	// Metrics says who may read /metrics on this handler.
	Metrics MetricsAccess
	// DevSMS reads the development SMS outbox, codes and all; nil leaves
	// its endpoint out (a 404). Only an admin may read it, unless
	// DevSMSOpen.
	DevSMS func(ctx context.Context, phone string) ([]notify.Message, error)
	// DevSMSOpen serves DevSMS without a token (DAKIYA_DEV_OUTBOX=1).
	DevSMSOpen bool
	// Partners keeps bulk customers and authenticates their API keys; nil
	// leaves the partner API out.
	Partners *partner.Service
	// Tariffs keeps tariff versions and prices quotes; nil leaves their
	// routes out.
	Tariffs *tariff.Service
	// tariffs (quotes): deps above this line
	// Bookings books partners' articles in bulk and keeps their wallets;
	// nil leaves its routes out.
	Bookings *booking.Service
	// PODLinks signs the proof-of-delivery links partners get; nil shows
	// none and leaves GET /pod/:token out.
	PODLinks *pod.Links
	// bookings (bulk booking, wallet, labels): deps above this line
	// Webhooks keeps partners' webhook subscriptions and delivery logs;
	// nil leaves the webhook routes out.
	Webhooks *webhook.Service
	// webhooks (outbox, dispatcher): deps above this line
	// Remit makes and pays partners' COD remittance statements; nil
	// leaves its routes out.
	Remit *remit.Service
	// remittances (partner COD): deps above this line
	// ONDC serves POST /ondc/{action} (LOG11 adapter); nil leaves it out.
	ONDC *ondc.Service
	// ondc (LOG11 adapter): deps above this line
	// Demand forecasts each centre's slots and keeps the festival
	// calendar; nil leaves the forecast and festival routes out.
	Demand *demand.Service
	// forecast and festivals (fc.): deps above this line
	// Rosters keeps who is on duty per date and slot.
	Rosters *roster.Service
	// BeatPlans proposes balanced beats and keeps the slots' choices;
	// nil leaves their routes out.
	BeatPlans *beatplan.Service
	// rosters and beat plans (plan.): deps above this line
	// Sorting answers the sorting screen (sort plans and scans); nil
	// leaves its routes out.
	Sorting *sorting.Service
	// sorting (sort.): deps above this line
	// Privacy keeps the audit log and answers data principals' requests;
	// nil leaves their routes out and records no views but proofs'.
	Privacy *privacy.Service
	// privacy (retention, audit): deps above this line
	// Tracer, when set, makes a span of every request named by its route
	// pattern (DAKIYA_OTEL_ENDPOINT); nil traces nothing, at no cost.
	Tracer trace.Tracer
	// tracing (ops.): deps above this line
}

type api struct {
	log        *slog.Logger
	now        func() time.Time
	auth       *auth.Service
	centres    *centre.Service
	articles   *article.Service
	slots      *slot.Service
	manifests  *manifest.Service
	otp        *otp.Service
	deliveries *delivery.Service
	idem       idem.Store
	cod        *cod.Service
	proofs     *proof.Service
	progress   *progress.Service
	stream     ProgressStream
	stats      *stats.Service
	ready      []Check
	registry   *prometheus.Registry
	metrics    metrics
	app        *App
	devSMS     func(ctx context.Context, phone string) ([]notify.Message, error)
	limits     publicLimiters
	metricsOn  MetricsAccess
	devSMSOpen bool
	partners   *partner.Service
	keyLimits  *keyLimiter
	tariffs    *tariff.Service
	// tariffs (quotes): fields above this line
	bookings *booking.Service
	podLinks *pod.Links
	// bookings (bulk booking, wallet, labels): fields above this line
	webhooks *webhook.Service
	// webhooks (outbox, dispatcher): fields above this line
	remit *remit.Service
	// remittances (partner COD): fields above this line
	ondc *ondc.Service
	// ondc (LOG11 adapter): fields above this line
	demand *demand.Service
	// forecast and festivals (fc.): fields above this line
	rosters   *roster.Service
	beatPlans *beatplan.Service
	// rosters and beat plans (plan.): fields above this line
	sorting *sorting.Service
	// sorting (sort.): fields above this line
	privacy *privacy.Service
	// privacy (retention, audit): fields above this line
	tracer trace.Tracer
}

// publicLimiters are the public endpoints' buckets, one set per handler.
type publicLimiters struct {
	track, slotRead, slotWrite *addrLimiter
}

func newPublicLimiters(l PublicLimits, now func() time.Time) publicLimiters {
	if l == (PublicLimits{}) {
		l = DefaultPublicLimits()
	}
	return publicLimiters{track: newAddrLimiter(l.Track, now), slotRead: newAddrLimiter(l.SlotRead, now), slotWrite: newAddrLimiter(l.SlotWrite, now)}
}

// New returns the HTTP handler of the whole server.
func New(d Deps) (*echo.Echo, error) { return newServer(d, true) }

// newServer is New; without observe (for the benchmark that measures what
// the request log and metrics cost) requests are neither logged nor
// measured.
func newServer(d Deps, observe bool) (*echo.Echo, error) {
	if d.Log == nil || d.Now == nil || d.Auth == nil || d.Centres == nil || d.Articles == nil || d.Slots == nil || d.Manifests == nil || d.OTP == nil || d.Deliveries == nil || d.Idem == nil || d.COD == nil || d.Registry == nil || d.PWA == nil {
		return nil, errors.New("httpapi: missing dependency")
	}
	if d.Proofs == nil || d.Progress == nil {
		return nil, errors.New("httpapi: missing dependency: proofs or progress")
	}
	m, err := newMetrics(d.Registry)
	if err != nil {
		return nil, err
	}
	a := &api{log: d.Log, now: d.Now, auth: d.Auth, centres: d.Centres, articles: d.Articles, slots: d.Slots, manifests: d.Manifests, otp: d.OTP, deliveries: d.Deliveries, idem: d.Idem, cod: d.COD,
		ready: d.Ready, registry: d.Registry, metrics: m, app: d.App, devSMS: d.DevSMS, devSMSOpen: d.DevSMSOpen}
	a.proofs, a.progress, a.stream = d.Proofs, d.Progress, d.ProgressStream.withDefaults()
	a.stats = d.Stats
	a.partners, a.keyLimits = d.Partners, newKeyLimiter(d.Now)
	a.tariffs = d.Tariffs
	// tariffs (quotes): set above this line
	a.bookings, a.podLinks = d.Bookings, d.PODLinks
	// bookings (bulk booking, wallet, labels): set above this line
	a.webhooks = d.Webhooks
	// webhooks (outbox, dispatcher): set above this line
	a.remit = d.Remit
	// remittances (partner COD): set above this line
	a.ondc = d.ONDC
	// ondc (LOG11 adapter): set above this line
	a.demand = d.Demand
	// forecast and festivals (fc.): set above this line
	a.rosters = d.Rosters
	a.beatPlans = d.BeatPlans
	// rosters and beat plans (plan.): set above this line
	a.sorting = d.Sorting
	a.privacy = d.Privacy
	// sorting (sort.): set above this line
	a.tracer = d.Tracer
	if a.app == nil {
		a.app = &App{newAppShell(d.PWA)}
	}
	a.limits, a.metricsOn = newPublicLimiters(d.PublicLimits, d.Now), d.Metrics
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = ipExtractor(d.TrustedProxies)
	if observe {
		e.Use(secure, a.observe, textParams)
	} else {
		e.Use(secure, textParams)
	}
	a.routes(e)
	return e, nil
}

// ipExtractor trusts X-Forwarded-For only from the given proxies; without
// any, the socket's address is the client's.
func ipExtractor(proxies []*net.IPNet) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(p))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
