package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/idem"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/tariff"
)

// Limits of an item beyond the article's own rules (ours: India Post's
// parcel limits are 35 kg and 150 cm a side).
const (
	MaxWeightG   = 35_000
	MaxSideCM    = 150
	maxReference = 100
)

// DefaultIndicators are the service indicators of the S10 ids Dakiya
// allocates, per service (UPU ranges: E… EMS/Speed Post, R… registered,
// C… parcels, L… tracked letters). India Post's own table is not
// published reliably, so it is an option.
func DefaultIndicators() map[postal.Service]string {
	return map[postal.Service]string{postal.ServiceSpeedPost: "EE", postal.ServiceRegistered: "RR",
		postal.ServiceParcel: "CP", postal.ServiceLetter: "LL"}
}

// Options tune a Service; the zero value is the defaults.
type Options struct {
	Indicators map[postal.Service]string // DefaultIndicators when nil
	Country    string                    // "IN" when empty
}

// Service books and shows partners' bookings and wallets.
type Service struct {
	store  Store
	prices Pricer
	now    func() time.Time
	newID  func() string
	opts   Options
}

// New returns a Service.
func New(store Store, prices Pricer, now func() time.Time, newID func() string, opts Options) *Service {
	if opts.Indicators == nil {
		opts.Indicators = DefaultIndicators()
	}
	if opts.Country == "" {
		opts.Country = "IN"
	}
	return &Service{store: store, prices: prices, now: now, newID: newID, opts: opts}
}

// booker is the state of one booking being checked.
type booker struct {
	s       *Service
	p       partner.Partner
	home    centre.DC // the partner's billing centre
	quote   *tariff.Quote
	pins    map[string]string
	dcs     map[string]centre.DC
	seen    map[string]int
	now     time.Time
	batchID string
}

// Book books req for the partner whose key calls, as one booking: every
// valid item is booked whatever the others hold (refused items are
// reported in place); a prepaid partner whose wallet cannot pay for the
// items created is refused as a whole (unprocessable) and nothing is
// stored. r is the request's idempotency receipt (zero without a key).
func (s *Service) Book(ctx context.Context, caller postal.Partner, req Request, r idem.Receipt) (Result, error) {
	if !caller.Can(postal.ScopeBook) {
		return Result{}, postal.Errorf(postal.CodeForbidden, "this API key lacks the \"book\" scope")
	}
	b, err := s.newBooker(ctx, caller.ID, req.QuoteID)
	if err != nil {
		return Result{}, err
	}
	batch := Batch{ID: b.batchID, PartnerID: caller.ID, KeyID: caller.KeyID, QuoteID: req.QuoteID,
		Country: s.opts.Country, CreatedAt: b.now, Result: Result{ID: b.batchID, Items: []ItemResult{}}}
	bad := map[int]article.ItemError{}
	for _, e := range req.Bad {
		bad[e.Index] = e
	}
	for i, it := range req.Items {
		if e, ok := bad[i]; ok {
			batch.Result.Items = append(batch.Result.Items, refused(i, e.ID, it.Reference, invalid(e.Errors)))
			continue
		}
		row, res, err := b.check(ctx, i, it)
		if err != nil {
			return Result{}, err
		}
		batch.Result.Items = append(batch.Result.Items, res)
		if row != nil {
			batch.Rows = append(batch.Rows, *row)
		}
	}
	if req.CSV {
		for k := range batch.Result.Items {
			batch.Result.Items[k].Row = batch.Result.Items[k].Index + 2
		}
	}
	return s.store.Book(ctx, batch, func(res Result) (idem.Completion, error) { return r.Complete(res) })
}

// newBooker loads what checking a booking needs.
func (s *Service) newBooker(ctx context.Context, partnerID, quoteID string) (*booker, error) {
	p, err := s.store.Partner(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	home, err := s.store.DC(ctx, p.BillingDC)
	if err != nil {
		return nil, err
	}
	b := &booker{s: s, p: p, home: home, dcs: map[string]centre.DC{}, seen: map[string]int{}, now: s.now(), batchID: s.newID()}
	if quoteID != "" {
		q, err := s.prices.Stored(ctx, p.ID, quoteID)
		if err != nil {
			return nil, err
		}
		b.quote = &q
	}
	if b.pins, err = s.store.PINCentres(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// check validates and prices item i; it returns the row to store, or nil
// and the item's refusal. An outage (a failure that is no refusal of this
// item) fails the whole booking.
func (b *booker) check(ctx context.Context, i int, it Item) (*Row, ItemResult, error) {
	in, fe := article.Normalize(it.Input, strings.TrimSpace(it.ID) != "")
	it.Input = in
	fe = append(fe, b.checkExtra(&it)...)
	id := in.ID
	if len(fe) > 0 {
		return nil, refused(i, strings.TrimSpace(id), it.Reference, invalid(fe)), nil
	}
	if first, dup := b.seen[id]; dup && id != "" {
		return nil, refused(i, id, it.Reference, invalid([]postal.FieldError{{Field: "id",
			Message: fmt.Sprintf("appears twice in this booking (first at index %d)", first)}})), nil
	}
	b.seen[id] = i
	dc, err := b.centreFor(ctx, in.Recipient.PIN)
	if err == nil {
		var q tariff.Quote
		if q, err = b.price(ctx, it); err == nil {
			return b.row(i, it, dc, q)
		}
	}
	if !itemRefusal(err) {
		return nil, ItemResult{}, err
	}
	return nil, refused(i, id, it.Reference, problemOf(err)), nil
}

// row is the stored form of a checked item.
func (b *booker) row(i int, it Item, dc centre.DC, q tariff.Quote) (*Row, ItemResult, error) {
	in := it.Input
	a, evs := article.NewBooked(in, dc, b.p.Name, b.hash(it), b.now)
	a.PartnerID, a.BookingID, a.PricePaise, a.CODFeePaise = b.p.ID, b.batchID, q.PricePaise, q.CODFeePaise
	row := &Row{Index: i, Article: a, Events: evs, Indicator: b.s.opts.Indicators[in.Service]}
	return row, ItemResult{Index: i, ID: in.ID, Reference: it.Reference, PricePaise: q.PricePaise, CODFeePaise: q.CODFeePaise}, nil
}

// itemRefusal reports whether err refuses one item (bad input, a PIN no
// centre serves, an unpriceable article) rather than the whole booking.
func itemRefusal(err error) bool {
	switch postal.ErrorCode(err) {
	case postal.CodeInvalid, postal.CodeUnprocessable, postal.CodeNotFound, postal.CodeConflict:
		return true
	}
	return false
}

// checkExtra checks what a booking adds to an article, filling in the
// default origin.
func (b *booker) checkExtra(it *Item) []postal.FieldError {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	if it.WeightG < 1 || it.WeightG > MaxWeightG {
		add("weight_g", fmt.Sprintf("required, 1 to %d grams", MaxWeightG))
	}
	if d := it.Dims; d != nil && (d.L < 1 || d.B < 1 || d.H < 1 || d.L > MaxSideCM || d.B > MaxSideCM || d.H > MaxSideCM) {
		add("dims_cm", fmt.Sprintf("l, b and h each 1 to %d cm", MaxSideCM))
	}
	it.FromPIN = strings.TrimSpace(it.FromPIN)
	if it.FromPIN == "" {
		it.FromPIN = b.home.PIN
	} else if !postal.ValidPIN(it.FromPIN) {
		add("from_pin", "must be a six-digit PIN code")
	}
	it.Reference = strings.TrimSpace(it.Reference)
	if utf8.RuneCountInString(it.Reference) > maxReference {
		add("reference", fmt.Sprintf("at most %d characters", maxReference))
	}
	if it.ID == "" && b.s.opts.Indicators[it.Service] == "" && it.Service.Valid() {
		add("id", "required for this service: Dakiya allocates no ids for it")
	}
	return fe
}

// centreFor returns the centre that delivers to pin: one with a beat
// listing it.
func (b *booker) centreFor(ctx context.Context, pin string) (centre.DC, error) {
	id, ok := b.pins[pin]
	if !ok {
		return centre.DC{}, postal.Errorf(postal.CodeUnprocessable, "no delivery centre serves PIN %s yet", pin)
	}
	if dc, ok := b.dcs[id]; ok {
		return dc, nil
	}
	dc, err := b.s.store.DC(ctx, id)
	if err != nil {
		return centre.DC{}, err
	}
	b.dcs[id] = dc
	return dc, nil
}

// price is the booking's quote when it prices exactly this item, else the
// tariff's price now.
func (b *booker) price(ctx context.Context, it Item) (tariff.Quote, error) {
	r := tariff.Request{Service: it.Service, WeightG: it.WeightG, Dims: it.Dims, FromPIN: it.FromPIN,
		ToPIN: it.Recipient.PIN, CODPaise: postal.Paise(it.CODPaise)}
	if b.quote != nil && sameRequest(b.quote.Request, r) {
		return *b.quote, nil
	}
	return b.s.prices.Price(ctx, b.p.ID, r)
}

// sameRequest reports whether a quote's request prices r.
func sameRequest(q, r tariff.Request) bool {
	sameDims := (q.Dims == nil) == (r.Dims == nil) && (q.Dims == nil || *q.Dims == *r.Dims)
	return q.Service == r.Service && q.WeightG == r.WeightG && q.FromPIN == r.FromPIN && q.ToPIN == r.ToPIN &&
		q.CODPaise == r.CODPaise && sameDims
}

// hash fingerprints an item for its partner without its id (an id is
// compared on its own): the same article booked again by the same partner
// has the same hash, anything else (another partner, a centre's booking)
// does not.
func (b *booker) hash(it Item) string {
	it.ID = ""
	body, _ := json.Marshal(it) // plain fields always marshal
	sum := sha256.Sum256(append([]byte("partner:"+b.p.ID+"\n"), body...))
	return hex.EncodeToString(sum[:])
}

func refused(i int, id, ref string, p *Problem) ItemResult {
	return ItemResult{Index: i, ID: id, Reference: ref, Status: ItemRefused, Error: p}
}

func invalid(fe []postal.FieldError) *Problem {
	return &Problem{Status: 400, Title: "Invalid article", Detail: "the article is not valid: see errors", Errors: fe}
}

// problemOf turns a per-item failure into its problem.
func problemOf(err error) *Problem {
	var e *postal.Error
	if !errors.As(err, &e) {
		return &Problem{Status: 422, Title: "Not bookable", Detail: "the article could not be booked"}
	}
	switch e.Code {
	case postal.CodeInvalid:
		return &Problem{Status: 400, Title: "Invalid article", Detail: e.Message, Errors: e.Fields}
	case postal.CodeConflict, postal.CodeAlreadyDone:
		return &Problem{Status: 409, Title: "Conflict", Detail: e.Message}
	}
	return &Problem{Status: 422, Title: "Not bookable", Detail: e.Message, Errors: e.Fields}
}

// Clash is the refusal of an item whose S10 id is already booked with
// other content (by this partner or anyone else).
func Clash(i int, id, ref string) ItemResult {
	return refused(i, id, ref, &Problem{Status: 409, Title: "S10 id already booked",
		Detail: "this S10 id is already booked with different content; ids are not reused"})
}
