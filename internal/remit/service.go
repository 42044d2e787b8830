package remit

import (
	"context"
	"regexp"
	"strings"
	"time"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// bankRefPattern is a bank's payment reference (a UTR is 16 to 22 letters
// and digits; NEFT and cheque references add / . -).
var bankRefPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$`)

// viewer is who is asking: an admin (all partners) or a partner's key.
type viewer struct {
	admin   bool
	partner string // the key's partner
	userID  string
}

// viewerOf finds the caller in ctx; other staff are forbidden.
func viewerOf(ctx context.Context) (viewer, error) {
	if k, ok := postal.PartnerFrom(ctx); ok {
		return viewer{partner: k.ID}, nil
	}
	if p, ok := postal.PrincipalFrom(ctx); ok && p.Role == postal.RoleAdmin {
		return viewer{admin: true, userID: p.UserID}, nil
	}
	return viewer{}, postal.Errorf(postal.CodeForbidden, "only an admin or the partner's own API key sees remittances")
}

// admin requires an admin caller.
func admin(ctx context.Context, what string) (viewer, error) {
	v, err := viewerOf(ctx)
	if err == nil && !v.admin {
		err = postal.Errorf(postal.CodeForbidden, "only an admin %s", what)
	}
	return v, err
}

// Make returns the partner's statement for a day that is over, making it
// from the collected lines up to that day that are in no statement yet
// when there is none; made reports whether this call made it.
func (s *Service) Make(ctx context.Context, partnerID, date string) (Detail, bool, error) {
	v, err := admin(ctx, "makes remittance statements")
	if err != nil {
		return Detail{}, false, err
	}
	return s.make(ctx, partnerID, date, v.userID)
}

func (s *Service) make(ctx context.Context, partnerID, date, by string) (Detail, bool, error) {
	if !validDate(date) {
		return Detail{}, false, postal.Invalid("invalid statement", postal.FieldError{Field: "date", Message: "required, YYYY-MM-DD"})
	}
	p, err := s.store.Partner(ctx, partnerID)
	if err != nil {
		return Detail{}, false, err
	}
	today, err := s.today(ctx, p.BillingDC)
	if err != nil {
		return Detail{}, false, err
	}
	if date >= today {
		return Detail{}, false, postal.Invalid("invalid statement",
			postal.FieldError{Field: "date", Message: "a statement is made for a day that is over (before " + today + " at the partner's billing centre)"})
	}
	build := func(open []Open) (Detail, error) {
		d := Detail{Statement: Statement{ID: s.newID(), PartnerID: p.ID, Date: date, State: StateOpen, RemitTo: p.Remittance,
			CreatedBy: by, CreatedAt: s.now()}, Lines: []Line{}}
		for _, o := range open {
			if o.Awaiting == "" && o.CollectedOn <= date {
				d.Lines = append(d.Lines, o.Line)
				d.Totals.add(o.Line)
			}
		}
		return d, d.check()
	}
	return s.store.MakeStatement(ctx, p.ID, date, build)
}

// today is the date now at a centre.
func (s *Service) today(ctx context.Context, dcID string) (string, error) {
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return "", err
	}
	loc, err := time.LoadLocation(dc.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return s.now().In(loc).Format(time.DateOnly), nil
}

// check proves a statement's sums before it is stored: every line and the
// totals add up, and nothing is negative.
func (d Detail) check() error {
	var t Totals
	for _, l := range d.Lines {
		if l.Collected <= 0 || l.Fee < 0 || l.Net < 0 || l.Collected != l.Fee+l.Net {
			return postal.Errorf(postal.CodeInternal, "remittance line of %s does not add up", l.ArticleID)
		}
		t.add(l)
	}
	if t != d.Totals {
		return postal.Errorf(postal.CodeInternal, "remittance totals do not add up")
	}
	return nil
}

// PayInput is an admin's record of a statement's payment.
type PayInput struct {
	BankRef string     `json:"bank_ref"`
	PaidAt  *time.Time `json:"paid_at"`
}

// Pay marks an open statement paid. Paying again with the same reference
// answers the statement as paid; another reference is a conflict.
func (s *Service) Pay(ctx context.Context, id string, in PayInput) (Detail, error) {
	v, err := admin(ctx, "marks remittances paid")
	if err != nil {
		return Detail{}, err
	}
	d, err := s.store.Statement(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	ref, paidAt, err := s.checkPay(d, in)
	if err != nil {
		return Detail{}, err
	}
	if d.State == StateOpen {
		err = s.store.MarkPaid(ctx, id, ref, paidAt, v.userID, s.now())
		if err != nil && !postal.IsCode(err, postal.CodeConflict) {
			return Detail{}, err
		}
		if d, err = s.store.Statement(ctx, id); err != nil {
			return Detail{}, err
		}
	}
	if d.BankRef != ref {
		return Detail{}, postal.Errorf(postal.CodeConflict, "this statement is already paid with another bank reference")
	}
	return d, nil
}

func (s *Service) checkPay(d Detail, in PayInput) (string, time.Time, error) {
	var fe []postal.FieldError
	ref := strings.TrimSpace(in.BankRef)
	if !bankRefPattern.MatchString(ref) {
		fe = append(fe, postal.FieldError{Field: "bank_ref", Message: "required: 1 to 64 letters, digits, / . _ -, starting with a letter or digit"})
	}
	now := s.now()
	paidAt := now
	if in.PaidAt != nil {
		paidAt = in.PaidAt.UTC()
		if paidAt.After(now) {
			fe = append(fe, postal.FieldError{Field: "paid_at", Message: "not in the future"})
		}
		if day, _ := time.Parse(time.DateOnly, d.Date); paidAt.Before(day.Add(-14 * time.Hour)) {
			fe = append(fe, postal.FieldError{Field: "paid_at", Message: "not before the statement's day"})
		}
	}
	if len(fe) > 0 {
		return "", time.Time{}, postal.Invalid("invalid payment", fe...)
	}
	if d.Totals.Net == 0 && d.State == StateOpen {
		return "", time.Time{}, postal.Errorf(postal.CodeConflict, "this statement has nothing to pay")
	}
	return ref, paidAt, nil
}

// Get returns a statement with its lines to an admin or to its partner's
// key; anyone else's is not found.
func (s *Service) Get(ctx context.Context, id string) (Detail, error) {
	v, err := viewerOf(ctx)
	if err != nil {
		return Detail{}, err
	}
	d, err := s.store.Statement(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if !v.admin && d.PartnerID != v.partner {
		return Detail{}, postal.Errorf(postal.CodeNotFound, "remittance not found")
	}
	return d, nil
}

// ListQuery is a list's query string as it came.
type ListQuery struct {
	PartnerID, From, To, State, Limit, Next string
}

// List returns statements newest day first: every partner's to an admin
// (narrowed by PartnerID), a key's own partner's to a key; in pages of
// Limit after the cursor Next.
func (s *Service) List(ctx context.Context, q ListQuery) (paging.Page[Statement], error) {
	v, err := viewerOf(ctx)
	if err != nil {
		return paging.Page[Statement]{}, err
	}
	f, err := q.filter()
	if err != nil {
		return paging.Page[Statement]{}, err
	}
	if !v.admin {
		if f.PartnerID != "" && f.PartnerID != v.partner {
			return paging.Page[Statement]{}, postal.Errorf(postal.CodeNotFound, "partner not found")
		}
		f.PartnerID = v.partner
	}
	scope := paging.Scope("remittances", f.PartnerID, f.From, f.To, f.State)
	r, err := paging.Parse(scope, q.Limit, q.Next, paging.Str, paging.Str, paging.Str)
	if err != nil {
		return paging.Page[Statement]{}, err
	}
	f.After, f.Limit = r.After, r.Fetch()
	list, err := s.store.Statements(ctx, f)
	if err != nil {
		return paging.Page[Statement]{}, err
	}
	return paging.Cut(scope, r, list, func(st Statement) []any { return []any{st.Date, st.PartnerID, st.ID} }), nil
}

func (q ListQuery) filter() (Filter, error) {
	f := Filter{PartnerID: q.PartnerID, From: q.From, To: q.To, State: q.State}
	var fe []postal.FieldError
	for _, d := range []struct{ name, v string }{{"from", q.From}, {"to", q.To}} {
		if d.v != "" && !validDate(d.v) {
			fe = append(fe, postal.FieldError{Field: d.name, Message: "YYYY-MM-DD"})
		}
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		fe = append(fe, postal.FieldError{Field: "to", Message: "not before from"})
	}
	if q.State != "" && q.State != StateOpen && q.State != StatePaid {
		fe = append(fe, postal.FieldError{Field: "state", Message: "open or paid"})
	}
	if len(q.PartnerID) > 100 {
		fe = append(fe, postal.FieldError{Field: "partner_id", Message: "at most 100 characters"})
	}
	if len(fe) > 0 {
		return Filter{}, postal.Invalid("invalid query", fe...)
	}
	return f, nil
}

// Pending is a partner's COD money in no statement yet.
type Pending struct {
	PartnerID string `json:"partner_id"`
	// Collected is in the post office and goes in the next statement.
	Collected []Open `json:"collected"`
	// Awaiting is delivered but not yet collected (see Open.Awaiting).
	Awaiting []Open        `json:"awaiting"`
	Totals   PendingTotals `json:"totals"`
}

// PendingTotals add up Pending.
type PendingTotals struct {
	Collected Totals       `json:"collected"`
	Awaiting  postal.Paise `json:"awaiting_paise"`
}

// Pending lists a partner's delivered COD articles in no statement: a
// key's own; an admin names the partner.
func (s *Service) Pending(ctx context.Context, partnerID string) (Pending, error) {
	v, err := viewerOf(ctx)
	if err != nil {
		return Pending{}, err
	}
	switch {
	case !v.admin && partnerID != "" && partnerID != v.partner:
		return Pending{}, postal.Errorf(postal.CodeNotFound, "partner not found")
	case !v.admin:
		partnerID = v.partner
	case partnerID == "":
		return Pending{}, postal.Invalid("invalid query", postal.FieldError{Field: "partner_id", Message: "required for an admin"})
	}
	if _, err := s.store.Partner(ctx, partnerID); err != nil {
		return Pending{}, err
	}
	open, err := s.store.OpenLines(ctx, partnerID)
	if err != nil {
		return Pending{}, err
	}
	out := Pending{PartnerID: partnerID, Collected: []Open{}, Awaiting: []Open{}}
	for _, o := range open {
		if o.Awaiting == "" {
			out.Collected = append(out.Collected, o)
			out.Totals.Collected.add(o.Line)
		} else {
			out.Awaiting = append(out.Awaiting, o)
			out.Totals.Awaiting += o.Collected
		}
	}
	return out, nil
}

func validDate(s string) bool {
	d, err := time.Parse(time.DateOnly, s)
	return err == nil && d.Format(time.DateOnly) == s
}
