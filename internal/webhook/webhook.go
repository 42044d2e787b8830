// Package webhook keeps partners' webhook subscriptions (the URL, the
// event types, the signing secret), their delivery logs and manual
// redelivery, and turns an outbox message into the signed request a
// subscription's receiver gets.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/outbox"
	"dakiya/internal/paging"
	"dakiya/internal/postal"
	"dakiya/internal/secret"
)

// MaxPerPartner is how many live subscriptions a partner may have.
const MaxPerPartner = 20

// Subscription is where a partner's events go.
type Subscription struct {
	ID        string    `json:"id"`
	PartnerID string    `json:"partner_id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	CreatedAt time.Time `json:"created_at"`
	// Secret signs the requests; it is shown only in the answer that
	// creates the subscription.
	Secret string `json:"secret,omitempty"`
}

// Stored is a subscription as kept: its secret sealed.
type Stored struct {
	Subscription
	SecretSealed string
}

// Delivery is one message of a subscription's log with its attempts.
type Delivery struct {
	ID          string           `json:"id"`
	Type        string           `json:"type"`
	Seq         int64            `json:"-"`
	ArticleID   string           `json:"article_id,omitempty"`
	State       outbox.State     `json:"state"`
	Attempts    int              `json:"attempts"`
	LastStatus  int              `json:"last_status"`
	LastError   string           `json:"last_error,omitempty"`
	NextRetryAt *time.Time       `json:"next_retry_at,omitempty"` // when pending
	CreatedAt   time.Time        `json:"created_at"`
	DoneAt      *time.Time       `json:"done_at,omitempty"`
	Log         []outbox.Attempt `json:"log"` // every attempt, oldest first
}

// Page is one page of a delivery log, newest first; Next, when set, is the
// cursor for the following page (which may turn out empty).
type Page struct {
	Items []Delivery `json:"items"`
	Next  string     `json:"next,omitempty"`
}

// Cursor is the last delivery of a page.
type Cursor struct {
	CreatedAt time.Time
	Seq       int64
	ID        string
}

// Store keeps subscriptions and reads their outbox messages.
type Store interface {
	// InsertWebhook adds a subscription unless its partner already has max
	// live ones (a CodeUnprocessable error).
	InsertWebhook(ctx context.Context, s Stored, max int) error
	// Webhooks lists a partner's live subscriptions ("" for every partner's).
	WebhooksPage(ctx context.Context, partnerID string, after []any, limit int) ([]Stored, error)
	// Webhook returns a live subscription; a deleted one is not found.
	Webhook(ctx context.Context, id string) (Stored, error)
	// DeleteWebhook stops a subscription and dead-letters its pending messages.
	DeleteWebhook(ctx context.Context, id string, at time.Time) error
	// WebhookDeliveries pages a subscription's messages, newest first.
	WebhookDeliveries(ctx context.Context, id string, after *Cursor, limit int) ([]Delivery, error)
	// Redeliver makes a subscription's message pending and due at now,
	// keeping its id; not found when the subscription has no such message.
	Redeliver(ctx context.Context, webhookID, messageID string, now time.Time) error
	// Enqueue writes a message to the outbox.
	Enqueue(ctx context.Context, m outbox.Message) error
}

// Service manages subscriptions for partners' keys and admins.
type Service struct {
	store  Store
	sealer secret.Sealer
	check  func(ctx context.Context, url string) error
	now    func() time.Time
	newID  func() string
}

// New returns the service. sealer seals the signing secrets (a key derived
// for secret.PurposeWebhookSeal); check tells what is wrong with a
// receiver's URL (dispatch.Guard.CheckURL).
func New(s Store, sealer secret.Sealer, check func(ctx context.Context, url string) error, now func() time.Time, newID func() string) *Service {
	return &Service{store: s, sealer: sealer, check: check, now: now, newID: newID}
}

// Input is a subscription as a partner asks for it.
type Input struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// caller is who asks: a partner's key (partner set) or an admin.
func caller(ctx context.Context) (partnerID string, err error) {
	if k, ok := postal.PartnerFrom(ctx); ok {
		return k.ID, nil
	}
	p, ok := postal.PrincipalFrom(ctx)
	switch {
	case !ok:
		return "", postal.Errorf(postal.CodeUnauthenticated, "an API key or an admin's token is required")
	case p.Role != postal.RoleAdmin:
		return "", postal.Errorf(postal.CodeForbidden, "only a partner's key or an admin may manage webhooks")
	}
	return "", nil
}

// Create subscribes the calling key's partner and returns the
// subscription with its secret, shown this once.
func (s *Service) Create(ctx context.Context, in Input) (Subscription, error) {
	k, ok := postal.PartnerFrom(ctx)
	if !ok {
		return Subscription{}, postal.Errorf(postal.CodeForbidden, "a partner's API key creates its own webhooks")
	}
	events, err := s.validate(ctx, in)
	if err != nil {
		return Subscription{}, err
	}
	sec, err := newSecret()
	if err != nil {
		return Subscription{}, postal.Wrap(err, postal.CodeInternal, "could not make a secret")
	}
	sub := Subscription{ID: s.newID(), PartnerID: k.ID, URL: in.URL, Events: events, CreatedAt: s.now().UTC()}
	sealed, err := s.sealer.Seal(sub.ID, []byte(sec))
	if err != nil {
		return Subscription{}, postal.Wrap(err, postal.CodeInternal, "could not seal the secret")
	}
	if err := s.store.InsertWebhook(ctx, Stored{Subscription: sub, SecretSealed: sealed}, MaxPerPartner); err != nil {
		return Subscription{}, err
	}
	sub.Secret = sec
	return sub, nil
}

func (s *Service) validate(ctx context.Context, in Input) ([]string, error) {
	var fe []postal.FieldError
	if in.URL == "" || len(in.URL) > 2000 {
		fe = append(fe, postal.FieldError{Field: "url", Message: "required, at most 2000 characters"})
	} else if err := s.check(ctx, in.URL); err != nil {
		fe = append(fe, postal.FieldError{Field: "url", Message: err.Error()})
	}
	events := []string{}
	for i, e := range in.Events {
		if (e != All && !slices.Contains(Types(), e)) || slices.Contains(events, e) {
			fe = append(fe, postal.FieldError{Field: "events[" + strconv.Itoa(i) + "]",
				Message: "one of " + strings.Join(Types(), ", ") + " or *, each once"})
			continue
		}
		events = append(events, e)
	}
	if len(in.Events) == 0 {
		fe = append(fe, postal.FieldError{Field: "events", Message: `required: the event types, or ["*"] for all`})
	}
	if len(fe) > 0 {
		return nil, postal.Invalid("the webhook is not valid", fe...)
	}
	return events, nil
}

// newSecret is "whsec_" and 32 random bytes, base64url.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// List returns the caller's subscriptions: a key's own partner's, or for
// an admin partnerID's ("" for every partner's).
//
// They come oldest first in pages of limit after the cursor next (both as
// sent).
func (s *Service) List(ctx context.Context, partnerID, limit, next string) (paging.Page[Subscription], error) {
	own, err := caller(ctx)
	if err != nil {
		return paging.Page[Subscription]{}, err
	}
	if own != "" {
		partnerID = own
	}
	scope := paging.Scope("webhooks", partnerID)
	r, err := paging.Parse(scope, limit, next, paging.Int, paging.Str)
	if err != nil {
		return paging.Page[Subscription]{}, err
	}
	stored, err := s.store.WebhooksPage(ctx, partnerID, r.After, r.Fetch())
	if err != nil {
		return paging.Page[Subscription]{}, err
	}
	out := make([]Subscription, len(stored))
	for i, st := range stored {
		out[i] = st.Subscription
	}
	return paging.Cut(scope, r, out, func(s Subscription) []any { return []any{s.CreatedAt.UnixMilli(), s.ID} }), nil
}

// visible returns a live subscription the caller may see: its own
// partner's, or any to an admin. Anyone else's is not found.
func (s *Service) visible(ctx context.Context, id string) (Stored, error) {
	own, err := caller(ctx)
	if err != nil {
		return Stored{}, err
	}
	st, err := s.store.Webhook(ctx, id)
	if err != nil {
		return Stored{}, err
	}
	if own != "" && st.PartnerID != own {
		return Stored{}, postal.Errorf(postal.CodeNotFound, "webhook not found")
	}
	return st, nil
}

// Get returns one subscription.
func (s *Service) Get(ctx context.Context, id string) (Subscription, error) {
	st, err := s.visible(ctx, id)
	return st.Subscription, err
}

// Delete stops a subscription: it gets no new messages, and its pending
// ones are dead-lettered (their log stays readable to an admin's
// database, not through the API).
func (s *Service) Delete(ctx context.Context, id string) error {
	if _, err := s.visible(ctx, id); err != nil {
		return err
	}
	return s.store.DeleteWebhook(ctx, id, s.now().UTC())
}

// Query is a delivery log page as asked for: the query parameters as sent.
type Query struct {
	Limit, Next string
}

// Deliveries returns a page of a subscription's delivery log.
func (s *Service) Deliveries(ctx context.Context, id string, q Query) (Page, error) {
	limit, after, err := pageParams(q)
	if err != nil {
		return Page{}, err
	}
	if _, err := s.visible(ctx, id); err != nil {
		return Page{}, err
	}
	items, err := s.store.WebhookDeliveries(ctx, id, after, limit)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: items}
	if n := len(items); n > 0 && n == limit {
		last := items[n-1]
		page.Next = encodeCursor(Cursor{CreatedAt: last.CreatedAt, Seq: last.Seq, ID: last.ID})
	}
	return page, nil
}

func pageParams(q Query) (int, *Cursor, error) {
	limit, fe := paging.Limit(q.Limit)
	var after *Cursor
	if q.Next != "" {
		c, ok := decodeCursor(q.Next)
		if !ok {
			fe = append(fe, postal.FieldError{Field: "next", Message: "not a cursor from this list"})
		}
		after = c
	}
	if len(fe) > 0 {
		return 0, nil, postal.Invalid("the page is not valid", fe...)
	}
	return limit, after, nil
}

func encodeCursor(c Cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d|%d|%s", c.CreatedAt.UnixMilli(), c.Seq, c.ID))
}

func decodeCursor(s string) (*Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	parts := strings.SplitN(string(b), "|", 3)
	if len(parts) != 3 || parts[2] == "" {
		return nil, false
	}
	n, err1 := strconv.ParseInt(parts[0], 10, 64)
	seq, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	return &Cursor{CreatedAt: time.UnixMilli(n).UTC(), Seq: seq, ID: parts[2]}, true
}

// Redeliver sends one of a subscription's messages again, at once and
// with the same id (so a receiver that got it drops the repeat).
func (s *Service) Redeliver(ctx context.Context, id, deliveryID string) error {
	if _, err := s.visible(ctx, id); err != nil {
		return err
	}
	return s.store.Redeliver(ctx, id, deliveryID, s.now().UTC())
}

// Ping queues a ping event for a subscription through the outbox, and
// returns its message id.
func (s *Service) Ping(ctx context.Context, id string) (string, error) {
	st, err := s.visible(ctx, id)
	if err != nil {
		return "", err
	}
	now, mid := s.now().UTC(), s.newID()
	body, err := Body(mid, TypePing, now, map[string]string{"webhook_id": st.ID})
	if err != nil {
		return "", postal.Wrap(err, postal.CodeInternal, "could not write the ping")
	}
	m := outbox.Message{ID: mid, PartnerID: st.PartnerID, Kind: outbox.KindWebhook, Target: st.ID,
		OrderKey: st.ID + "/ping/" + mid, EventType: TypePing, Body: body, NextAt: now, CreatedAt: now}
	return mid, s.store.Enqueue(ctx, m)
}
