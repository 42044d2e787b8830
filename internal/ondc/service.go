package ondc

// This file is the adapter's service: it checks a request, acts on it, and
// writes its callback to the outbox.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"slices"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/outbox"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/tariff"
)

// Store is what the adapter needs from the database.
type Store interface {
	Partner(ctx context.Context, id string) (partner.Partner, error)
	// Keys lists a partner's API keys.
	Keys(ctx context.Context, partnerID string) ([]partner.Key, error)
	DC(ctx context.Context, id string) (centre.DC, error)
	// PINCentres maps each PIN code a beat lists to its centre.
	PINCentres(ctx context.Context) (map[string]string, error)
	// ONDCOrder finds a transaction of a buyer app; not found when new.
	ONDCOrder(ctx context.Context, bapID, transactionID string) (Order, error)
	ONDCOrderByID(ctx context.Context, id string) (Order, error)
	// SaveONDCOrder inserts or updates o and writes m to the outbox (its
	// Seq next in the order's line) in one transaction.
	SaveONDCOrder(ctx context.Context, o Order, m outbox.Message) error
	// BookONDC confirms o: in one transaction it stores o, writes m, and
	// books a (for its partner, at its price) with its first events,
	// which owe their own on_status callbacks. Conflict when a's id is
	// taken.
	BookONDC(ctx context.Context, o Order, a article.Article, evs []article.Event, m outbox.Message) error
	// CancelONDC cancels o and its article (moved from status from by e),
	// and writes m, in one transaction; conflict when the article moved.
	CancelONDC(ctx context.Context, o Order, from article.Status, e article.Event, m outbox.Message) error
	// ONDCTracking returns an article, its events, its proofs' ids and the
	// cash collected for it.
	ONDCTracking(ctx context.Context, articleID string) (article.Article, []article.Event, []string, *Collected, error)
}

// Pricer prices an article for a partner (tariff.Service).
type Pricer interface {
	Price(ctx context.Context, partnerID string, r tariff.Request) (tariff.Quote, error)
}

// Config is how the adapter presents itself and whom it trusts.
type Config struct {
	Registry Registry
	Signer   Signer
	// BppURI is where buyer apps reach us (our public URL + "/ondc").
	BppURI string
	// TrackURL is the public tracking page for an article id.
	TrackURL func(articleID string) string
	// ProofURL is a signed link to a proof-of-delivery image.
	ProofURL func(proofID string, now time.Time) string
	// CheckURL refuses a bap_uri we must not call back (in production:
	// not https, or a private, loopback or link-local address); nil
	// allows any.
	CheckURL func(ctx context.Context, raw string) error
	// Dev accepts unsigned requests (never badly signed ones).
	Dev bool
}

// Service serves the Beckn actions and renders their callbacks.
type Service struct {
	store  Store
	pricer Pricer
	cfg    Config
	now    func() time.Time
	newID  func() string
}

// New returns a Service.
func New(store Store, pricer Pricer, cfg Config, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, pricer: pricer, cfg: cfg, now: now, newID: newID}
}

// Answer is the immediate answer to a request and its HTTP status.
type Answer struct {
	Status int
	Body   Ack
}

func nack(status int, e *Error) Answer { return Answer{Status: status, Body: NACK(e)} }

// Handle checks and serves one request: body as received, auth its
// Authorization header. An error is an internal failure; a refusal is a
// NACK answer.
func (s *Service) Handle(ctx context.Context, action string, body []byte, auth string) (Answer, error) {
	if _, ok := Callback(action); !ok {
		return nack(http.StatusNotFound, Errorf("CORE-ERROR", ErrFeatureNotSupported, "action %q is not served", action)), nil
	}
	now := s.now()
	var sub *Subscriber
	if auth != "" {
		v, err := Verify(s.cfg.Registry, auth, body, now)
		if err != nil {
			return nack(http.StatusUnauthorized, Errorf("POLICY-ERROR", ErrInvalidSignature, "%s", messageOf(err))), nil
		}
		sub = &v
	} else if !s.cfg.Dev {
		return nack(http.StatusUnauthorized, Errorf("POLICY-ERROR", ErrInvalidSignature, "the request is not signed")), nil
	}
	var req Request
	if err := json.Unmarshal(body, &req); err != nil || len(req.Message) == 0 || req.Message[0] != '{' {
		return nack(http.StatusBadRequest, Errorf("JSON-SCHEMA-ERROR", ErrInvalidRequest, "the body must be a JSON object with context and message")), nil
	}
	if e := checkContext(req.Context, action, now); e != nil {
		return nack(http.StatusBadRequest, e), nil
	}
	if sub != nil && sub.SubscriberID != req.Context.BapID {
		return nack(http.StatusUnauthorized, Errorf("POLICY-ERROR", ErrInvalidSignature, "signed by %s, not by context.bap_id", sub.SubscriberID)), nil
	}
	if s.cfg.CheckURL != nil {
		if err := s.cfg.CheckURL(ctx, req.Context.BapURI); err != nil {
			return nack(http.StatusBadRequest, Errorf("CONTEXT-ERROR", ErrInvalidRequest, "context.bap_uri cannot be called back: %s", err.Error())), nil
		}
	}
	partnerID, ok := s.cfg.Registry.Partner(req.Context.BapID)
	if !ok {
		return nack(http.StatusForbidden, Errorf("POLICY-ERROR", ErrInvalidSignature, "%s is not a registered buyer app", req.Context.BapID)), nil
	}
	if ok, err := s.enabled(ctx, partnerID, now); err != nil {
		return Answer{}, err
	} else if !ok {
		return nack(http.StatusForbidden, Errorf("POLICY-ERROR", ErrInvalidSignature, "%s has no live API key with the ondc scope", req.Context.BapID)), nil
	}
	if e, err := s.serve(ctx, action, partnerID, req); err != nil || e != nil {
		if err != nil {
			return Answer{}, err
		}
		return nack(e.status, e.err), nil
	}
	return Answer{Status: http.StatusOK, Body: ACK()}, nil
}

// enabled reports whether partnerID may use the network: it exists and
// holds a live (unrevoked, unexpired) API key with the ondc scope, so an
// admin turns a buyer app off by revoking that key, without touching the
// registry file.
func (s *Service) enabled(ctx context.Context, partnerID string, now time.Time) (bool, error) {
	keys, err := s.store.Keys(ctx, partnerID)
	if postal.IsCode(err, postal.CodeNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, k := range keys {
		if k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt)) && slices.Contains(k.Scopes, postal.ScopeONDC) {
			return true, nil
		}
	}
	return false, nil
}

// refusal is a request refused with a NACK.
type refusal struct {
	status int
	err    *Error
}

func refuse(status int, code, format string, args ...any) *refusal {
	typ := "DOMAIN-ERROR"
	if code == ErrInvalidRequest {
		typ = "JSON-SCHEMA-ERROR"
	}
	return &refusal{status: status, err: Errorf(typ, code, format, args...)}
}

// serve runs action's handler.
func (s *Service) serve(ctx context.Context, action, partnerID string, req Request) (*refusal, error) {
	switch action {
	case "search":
		return s.search(ctx, partnerID, req)
	case "init":
		return s.init(ctx, partnerID, req)
	case "confirm":
		return s.confirm(ctx, partnerID, req)
	case "status", "track":
		return s.report(ctx, partnerID, req, "on_"+action)
	case "cancel":
		return s.cancel(ctx, partnerID, req)
	}
	return s.update(ctx, partnerID, req)
}

// callback is the outbox message carrying the callback of req for o:
// rendered now when body is given, else at send time. It carries req's
// message_id, as Beckn pairs a request with its callback; its outbox id is
// made from it, so a request sent twice is answered once.
func (s *Service) callback(o Order, req Request, action string, body Doc) (outbox.Message, error) {
	now := s.now()
	m := outbox.Message{ID: o.ID + "/" + action + "/" + req.Context.MessageID, PartnerID: o.PartnerID, Kind: outbox.KindONDC,
		Target: o.ID, OrderKey: "ondc:" + o.ID, EventType: action, CreatedAt: now}
	if body != nil {
		b, err := json.Marshal(Envelope(s.callbackContext(o), action, req.Context.MessageID, now, body))
		if err != nil {
			return m, postal.Wrap(err, postal.CodeInternal, "ondc: render "+action)
		}
		m.Body = b
	}
	return m, nil
}

// callbackContext is the context of our callbacks for o.
func (s *Service) callbackContext(o Order) Context {
	return Context{Domain: Domain, Country: Country, City: o.City, CoreVersion: CoreVersion,
		BapID: o.BapID, BapURI: o.BapURI, BppID: s.cfg.Signer.SubscriberID, BppURI: s.cfg.BppURI,
		TransactionID: o.TransactionID}
}

// order loads the transaction of req, or starts one.
func (s *Service) order(ctx context.Context, partnerID string, req Request) (Order, bool, error) {
	o, err := s.store.ONDCOrder(ctx, req.Context.BapID, req.Context.TransactionID)
	if postal.IsCode(err, postal.CodeNotFound) {
		now := s.now()
		return Order{ID: s.newID(), PartnerID: partnerID, TransactionID: req.Context.TransactionID,
			BapID: req.Context.BapID, BapURI: req.Context.BapURI, City: req.Context.City,
			Stage: StageSearched, CreatedAt: now, UpdatedAt: now}, false, nil
	}
	if err != nil {
		return Order{}, false, err
	}
	o.BapURI, o.City, o.UpdatedAt = req.Context.BapURI, req.Context.City, s.now()
	return o, true, nil
}

// tracking gathers what we know of o's article.
func (s *Service) tracking(ctx context.Context, o Order, now time.Time) (Tracking, error) {
	if o.ArticleID == "" {
		return Tracking{}, nil
	}
	a, evs, proofs, cod, err := s.store.ONDCTracking(ctx, o.ArticleID)
	if err != nil {
		return Tracking{}, err
	}
	t := Tracking{Article: a, Events: evs, COD: cod, ProofURLs: []string{}}
	if s.cfg.ProofURL != nil {
		for _, id := range proofs {
			t.ProofURLs = append(t.ProofURLs, s.cfg.ProofURL(id, now))
		}
	}
	return t, nil
}

// serial draws a random S10 serial.
func serial() (int, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return 0, postal.Wrap(err, postal.CodeInternal, "ondc: random serial")
	}
	return int(n.Int64()), nil
}

// messageOf is an error's client-safe message.
func messageOf(err error) string {
	var e *postal.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
