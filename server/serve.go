package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"dakiya/internal/config"
	"dakiya/internal/httpapi"
	"dakiya/internal/notify"
	"dakiya/internal/progress"
	"dakiya/internal/stats"
	"dakiya/internal/tracing"
	"dakiya/pwa"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 20 * time.Second

func serve(ctx context.Context, env environment, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(env.stdout, slog.LevelInfo)
	a, err := open(ctx, env, log)
	if err != nil {
		return err
	}
	defer a.close()
	tracer, stopTracing, err := tracing.Setup(ctx, a.cfg.OTelEndpoint, "dakiya", "dev")
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := stopTracing(sctx); err != nil {
			log.Warn("tracing: flush at shutdown", "error", err.Error())
		}
	}()
	a.tracer = tracer
	if tracer != nil {
		a.objects.Trace(tracer)
	}
	a.ensureBucket(ctx)
	a.configureProofRetention(ctx)
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	reg := newRegistry()
	if err := a.registerOps(reg); err != nil {
		ln.Close()
		return err
	}
	h, err := a.handler(reg, ln.Addr())
	if err != nil {
		ln.Close()
		return err
	}
	stopMetrics, err := a.serveMetrics(reg)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMetrics()
	stopWorkers := a.startWorkers(ctx)
	defer stopWorkers()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	log.Info("listening", "url", "http://"+ln.Addr().String())
	return serveUntilDone(ctx, srv, ln, a)
}

// serveUntilDone serves until ctx ends, then lets in-flight requests finish.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, a *app) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	a.log.Info("stopped")
	return nil
}

// startWorkers runs the background work (the SMS queue) until the
// returned function is called, which waits for it to finish.
func (a *app) startWorkers(ctx context.Context) func() {
	var sender notify.Sender = notify.OutboxSender{}
	if a.cfg.SMS == config.SMSHTTP {
		sender = notify.NewHTTPSender(a.cfg.SMSURL, a.cfg.SMSKey)
	}
	w := notify.NewWorker(a.db, sender, a.now, a.log.With("worker", "sms"), notify.WorkerOptions{Sealer: a.smsSealer})
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(wctx); err != nil {
			a.log.Error("sms worker stopped", "error", err.Error())
		}
	}()
	cancel = a.startSweeper(wctx, cancel) // stopping now also waits for the sweeper
	cancel = a.startRevocations(wctx, cancel)
	cancel = a.startRemitWorker(wctx, cancel)
	cancel = a.startDispatcher(wctx, cancel)
	cancel = a.startRetention(wctx, cancel)
	cancel = a.startPartitionWorker(wctx, cancel)
	return func() { cancel(); <-done }
}

// startSweeper runs the orphan proof sweeper on ctx beside the other
// workers. It returns stop wrapped so that it also waits for the sweeper.
func (a *app) startSweeper(ctx context.Context, stop context.CancelFunc) context.CancelFunc {
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		a.sweeper.Run(ctx)
	}()
	return func() { stop(); <-swept }
}

// revocationEvery is how often a replica reads the sessions other
// replicas ended (a disabled user is refused everywhere within it).
const revocationEvery = 5 * time.Second

// startRevocations loads the recently ended sessions once and then keeps
// them fresh beside the other workers, so a token of a user disabled on
// another replica is refused here too without a read per request.
func (a *app) startRevocations(ctx context.Context, stop context.CancelFunc) context.CancelFunc {
	if err := a.auth.LoadRevocations(ctx); err != nil {
		a.log.Warn("loading ended sessions", "error", err.Error())
	}
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		a.auth.WatchRevocations(ctx, revocationEvery, a.log.With("worker", "revocations"))
	}()
	return func() { stop(); <-watched }
}

// ensureBucket creates the proof bucket, retrying for a while in case the
// object store is still starting. If it stays down the server runs anyway:
// /readyz reports it, and uploads fail with 503 until it is back.
func (a *app) ensureBucket(ctx context.Context) {
	var err error
	for i := range 10 {
		if err = a.objects.EnsureBucket(ctx); err == nil {
			a.log.Info("object store ready", "bucket", a.cfg.S3.Bucket)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(i+1) * 200 * time.Millisecond):
		}
	}
	a.log.Error("object store not reachable; serving anyway", "error", err.Error())
}

// newRegistry is the server's own metrics registry, with the Go runtime's
// and the process's metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// serveMetrics serves /metrics on DAKIYA_METRICS_ADDR, when it is set,
// until the returned function is called.
func (a *app) serveMetrics(reg *prometheus.Registry) (func(), error) {
	if a.cfg.Metrics.Addr == "" {
		if !a.cfg.MetricsOnMain() {
			a.log.Info("metrics not served: set DAKIYA_METRICS_ADDR or DAKIYA_METRICS_TOKEN to serve them off loopback")
		}
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", a.cfg.Metrics.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	srv := &http.Server{Handler: httpapi.MetricsServer(reg, a.cfg.Metrics.Token), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("metrics listener stopped", "error", err.Error())
		}
	}()
	a.log.Info("metrics listening", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// handler builds the HTTP handler on the server's metrics registry, for a
// server listening on addr.
func (a *app) handler(reg *prometheus.Registry, addr net.Addr) (http.Handler, error) {
	web, err := httpapi.NewApp(pwa.Files()) // compressed once, before the first request
	if err != nil {
		return nil, err
	}
	return httpapi.New(httpapi.Deps{
		Log: a.log, Now: a.now, Auth: a.auth, Centres: a.centres, Articles: a.articles, Slots: a.slots, Manifests: a.manifests, OTP: a.otp, Deliveries: a.deliveries, Idem: a.db, COD: a.cod, Stats: stats.New(a.db, a.now),
		Proofs: a.proofs, Progress: progress.New(a.db, a.now),
		Ready: []httpapi.Check{
			{Name: "database", Ping: a.db.Ping},
			{Name: "object_store", Ping: a.objects.Ping},
		},
		Registry: reg, PWA: pwa.Files(), App: web, TrustedProxies: a.cfg.TrustedProxies,
		Metrics: httpapi.MetricsAccess{Serve: a.cfg.MetricsOnMain(), Token: a.cfg.Metrics.Token},
		DevSMS:  a.devSMS(addr), DevSMSOpen: a.cfg.DevOutbox,
		Partners: a.partners,
		Tariffs:  a.tariffs,
		// tariffs (quotes): deps above this line
		Bookings: a.bookings, PODLinks: &a.podLinks,
		// bookings (bulk booking, wallet, labels): deps above this line
		Webhooks: a.webhooks,
		// webhooks (outbox, dispatcher): deps above this line
		Remit: a.remit,
		// remittances (partner COD): deps above this line
		ONDC: a.ondc,
		// ondc (LOG11 adapter): deps above this line
		Demand: a.demand,
		// forecast and festivals (fc.): deps above this line
		Rosters:   a.rosters,
		BeatPlans: a.beatPlans,
		// rosters and beat plans (plan.): deps above this line
		Sorting: a.sorting,
		// sorting (sort.): deps above this line
		Privacy: a.privacy,
		// privacy (retention, audit): deps above this line
		Tracer: a.tracer,
		// tracing (ops.): deps above this line
	})
}

// devSMS reads the development outbox, codes and all. It is nil, and the
// endpoint absent, unless SMS goes to the outbox outside production on a
// server that listens only on a loopback address: a phone or a neighbour on
// the network must never read the codes.
func (a *app) devSMS(addr net.Addr) func(ctx context.Context, phone string) ([]notify.Message, error) {
	if a.cfg.SMS != config.SMSOutbox || a.cfg.Production() || !loopback(addr) {
		return nil
	}
	return notify.Outbox(a.db, a.smsSealer, 50)
}

// loopback reports whether addr is a TCP address on a loopback interface
// (127.0.0.0/8 or ::1); the unspecified address (every interface) is not.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
