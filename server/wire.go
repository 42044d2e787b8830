package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/trace"

	"dakiya/assets"
	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/beatplan"
	"dakiya/internal/booking"
	"dakiya/internal/centre"
	"dakiya/internal/cod"
	"dakiya/internal/config"
	"dakiya/internal/delivery"
	"dakiya/internal/demand"
	"dakiya/internal/dispatch"
	"dakiya/internal/manifest"
	"dakiya/internal/notify"
	"dakiya/internal/objstore"
	"dakiya/internal/ondc"
	"dakiya/internal/otp"
	"dakiya/internal/outbox"
	"dakiya/internal/partner"
	"dakiya/internal/pod"
	"dakiya/internal/privacy"
	"dakiya/internal/proof"
	"dakiya/internal/remit"
	"dakiya/internal/roster"
	"dakiya/internal/secret"
	"dakiya/internal/slot"
	"dakiya/internal/sorting"
	"dakiya/internal/store"
	"dakiya/internal/tariff"
	"dakiya/internal/webhook"
)

// app is the wired server: configuration, connections and services.
type app struct {
	tracer     trace.Tracer // nil: no tracing (DAKIYA_OTEL_ENDPOINT empty)
	cfg        config.Config
	log        *slog.Logger
	now        func() time.Time
	db         *store.DB
	objects    *objstore.Store
	auth       *auth.Service
	centres    *centre.Service
	articles   *article.Service
	slots      *slot.Service
	manifests  *manifest.Service
	otp        *otp.Service
	deliveries *delivery.Service
	cod        *cod.Service
	proofs     *proof.Service
	sweeper    *proof.Sweeper
	smsSealer  notify.Sealer // seals codes into queued SMS; renders them when sent
	partners   *partner.Service
	tariffs    *tariff.Service
	// tariffs (quotes): fields above this line
	bookings *booking.Service
	podLinks pod.Links
	// bookings (bulk booking, wallet, labels): fields above this line
	webhooks *webhook.Service
	// outboxSenders make each kind of outbox message's request; the
	// dispatcher started with the workers sends them. ONDC adds its own.
	outboxSenders map[outbox.Kind]outbox.Sender
	guard         dispatch.Guard // where partner messages may go
	// webhooks (outbox, dispatcher): fields above this line
	remit *remit.Service
	// remittances (partner COD): fields above this line
	ondc *ondc.Service // nil unless DAKIYA_ONDC_REGISTRY is set
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
}

// newID makes time-ordered ids, which keep database indexes compact.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// loadConfig reads and validates the configuration, with the secret key.
func loadConfig(env environment) (config.Config, error) {
	cfg, err := config.Load(env.getenv, config.OSFiles)
	if err != nil {
		return config.Config{}, err
	}
	return cfg, cfg.LoadSecret()
}

// open connects to the database and migrates it, and builds the services.
// The object store is configured but not contacted.
func open(ctx context.Context, env environment, log *slog.Logger) (*app, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, err
	}
	log.Info("configuration", "config", cfg)
	now := func() time.Time { return time.Now().UTC() }
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx, now())
	if err != nil {
		db.Close()
		return nil, err
	}
	log.Info("database ready", "dialect", db.Dialect(), "migrations_applied", n)
	a := &app{cfg: cfg, log: log, now: now, db: db}
	if err := a.services(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) services() error {
	objects, err := objstore.New(objstore.Config{Endpoint: a.cfg.S3.Endpoint, AccessKey: a.cfg.S3.AccessKey,
		SecretKey: a.cfg.S3.SecretKey, Bucket: a.cfg.S3.Bucket})
	if err != nil {
		return fmt.Errorf("object store: %w", err)
	}
	keys := secret.New(a.cfg.SecretKey, a.cfg.SecretKeyPrevious...)
	authPolicy := auth.DefaultPolicy()
	authPolicy.Checks = a.cfg.LoginConcurrency // 0: auth.DefaultChecks()
	authSvc, err := auth.New(a.db, keys.Key(secret.PurposeAccessToken), authPolicy, a.now, newID)
	if err != nil {
		return err
	}
	authSvc.AcceptPrevious(keys.Previous(secret.PurposeAccessToken)...)
	a.objects, a.auth = objects, authSvc
	a.proofs = proof.New(a.db, objects.Blobs(), a.now, newID, proof.Options{Stream: a.cfg.Proofs.Stream,
		Limits: proof.Limits{Photo: a.cfg.Proofs.PhotoMax, Signature: a.cfg.Proofs.SignatureMax}})
	host, _ := os.Hostname() // of the replicas, the one holding the sweep lease sweeps
	a.sweeper = proof.NewSweeper(a.db, objects.Blobs(), a.now, a.log.With("worker", "proof_sweeper")).WithLease(host + "/" + newID())
	a.centres = centre.New(a.db, a.now, newID)
	links := slot.NewLinks(keys.Key(secret.PurposeSlotLink), a.cfg.PublicURL, keys.Previous(secret.PurposeSlotLink)...)
	a.articles = article.New(a.db, a.now).WithNotice(links.ReceivedNotice(a.now, newID))
	sealer, err := otp.NewSealer(keys.Key(secret.PurposeOTPSeal), keys.Previous(secret.PurposeOTPSeal)...)
	if err != nil {
		return err
	}
	if a.smsSealer, err = notify.NewSealer(keys.Key(secret.PurposeSMSSeal), keys.Previous(secret.PurposeSMSSeal)...); err != nil {
		return err
	}
	issuer := otp.NewIssuer(sealer, a.smsSealer, otp.DefaultPolicy(), a.now, newID)
	a.manifests = manifest.New(a.db, a.now, newID, manifest.Options{Codes: &issuer,
		OTPRequired: manifest.OTPRequiredFor(a.cfg.OTPFor)})
	a.otp = otp.New(a.db, issuer, otp.DefaultPolicy(), a.now, a.manifests.Reissue, a.log)
	a.deliveries = delivery.New(a.db, a.otp, a.proofKinds(), links.FailedNotice(a.now, newID), delivery.DefaultPolicy(), a.now, newID)
	a.cod = cod.New(a.db, a.now, newID)
	a.slots = slot.New(a.db, links, a.now)
	a.articles.WithWindows(a.slots)
	a.partners = partner.New(a.db, a.now, newID)
	a.tariffs = tariff.New(a.db, a.db, a.now, newID).WithDefault(assets.DefaultTariff())
	// tariffs (quotes): services above this line
	a.bookings = booking.New(a.db, a.tariffs, a.now, newID, booking.Options{})
	a.podLinks = pod.NewLinks(keys.Key(secret.PurposePODLink), a.cfg.PublicURL, keys.Previous(secret.PurposePODLink)...)
	// bookings (bulk booking, wallet, labels): services above this line
	if err := a.webhookServices(keys); err != nil {
		return err
	}
	// webhooks (outbox, dispatcher): services above this line
	a.remit = remit.New(a.db, a.now, newID)
	// remittances (partner COD): services above this line
	if err := a.ondcService(keys); err != nil {
		return fmt.Errorf("ondc: %w", err)
	}
	// ondc (LOG11 adapter): services above this line
	a.demand = demand.New(a.db, a.db, defaultFestivals(), a.now)
	// forecast and festivals (fc.): services above this line
	a.rosters = roster.New(a.db, a.now)
	bp := a.cfg.BeatPlan
	a.beatPlans = beatplan.New(a.db, a.manifests, a.now, newID, beatplan.Settings{SpeedKMH: bp.SpeedKMH, StopSeconds: bp.StopSeconds,
		ArticleSeconds: bp.ArticleSeconds, AwayCostM: bp.AwayCostM, BalanceM: bp.BalanceM, Budget: bp.Budget})
	// rosters and beat plans (plan.): services above this line
	a.sorting = sorting.New(a.db, a.now)
	// sorting (sort.): services above this line
	a.privacyService()
	// privacy (retention, audit): services above this line
	return nil
}

func (a *app) close() { a.db.Close() }

// newLogger logs JSON lines at level and above to w.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// proofKinds is what outcomes use to check the proofs they name.
func (a *app) proofKinds() delivery.Proofs { return a.proofs }
