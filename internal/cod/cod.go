// Package cod owns cash on delivery: the UPI link a recipient pays by at
// the door, and each postman's settlement per slot — cash expected from
// the COD articles they delivered against cash received at the counter.
// Settlements are final: a correction is a new entry.
package cod

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/centre"
	"dakiya/internal/idem"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// Line is one postman's money for a slot.
type Line struct {
	PostmanID      string       `json:"postman_id"`
	Date           string       `json:"date"`
	Slot           postal.Slot  `json:"slot"`
	Delivered      int          `json:"cod_delivered"` // COD articles delivered
	ExpectedCash   postal.Paise `json:"expected_cash_paise"`
	CashCollected  postal.Paise `json:"cash_collected_paise"` // what the postman recorded taking in cash
	UPICollected   postal.Paise `json:"upi_collected_paise"`
	UPIConfirmed   postal.Paise `json:"upi_confirmed_paise"`   // UPI with a UTR recorded
	UPIUnconfirmed postal.Paise `json:"upi_unconfirmed_paise"` // UPI without a UTR, to chase
	Settled        postal.Paise `json:"settled_cash_paise"`    // every settlement entry added up
	Difference     postal.Paise `json:"difference_paise"`      // settled - expected; negative is short
	SettlementRows int          `json:"settlements"`
	Closed         bool         `json:"closed"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
}

// Settlement is one counted hand-over of cash.
type Settlement struct {
	ID           string       `json:"id"`
	DCID         string       `json:"dc_id"`
	PostmanID    string       `json:"postman_id"`
	Date         string       `json:"date"`
	Slot         postal.Slot  `json:"slot"`
	ExpectedCash postal.Paise `json:"expected_cash_paise"`
	CashReceived postal.Paise `json:"cash_received_paise"`
	Difference   postal.Paise `json:"difference_paise"` // of the slot after this entry
	SettledBy    string       `json:"settled_by"`
	Note         string       `json:"note,omitempty"`
	CorrectionOf string       `json:"correction_of,omitempty"` // the entry this one corrects
	At           time.Time    `json:"at"`
}

// Closing makes a postman's settlement for a slot final: later entries
// are corrections that name the entry they correct.
type Closing struct {
	DCID         string      `json:"dc_id"`
	PostmanID    string      `json:"postman_id"`
	Date         string      `json:"date"`
	Slot         postal.Slot `json:"slot"`
	SettlementID string      `json:"settlement_id"`
	ClosedBy     string      `json:"closed_by"`
	At           time.Time   `json:"closed_at"`
}

// Store is what cod needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Holding(ctx context.Context, articleID string) (otp.Holding, error)
	ArticleCOD(ctx context.Context, articleID string) (postal.Paise, error)
	CODLines(ctx context.Context, dc, date string, sl postal.Slot) ([]Line, error)
	// AddSettlement appends an entry and, in the same transaction, the
	// answer to its request's idempotency key; a plain entry (no
	// CorrectionOf) for a closed slot is a conflict.
	AddSettlement(ctx context.Context, s Settlement, answer idem.Completion) error
	// Settlement finds an entry of a centre.
	Settlement(ctx context.Context, dc, id string) (Settlement, error)
	// Settlements lists a centre's entries for a slot by postman, then
	// in the order they were made.
	Settlements(ctx context.Context, dc, date string, sl postal.Slot) ([]Settlement, error)
	// CloseSettlement records c unless the slot is already closed, and
	// returns the slot's closing either way.
	CloseSettlement(ctx context.Context, c Closing) (Closing, error)
	StaffMember(ctx context.Context, userID string) (postal.Role, string, error)
}

// Service runs cash on delivery.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
}

// New returns a Service.
func New(store Store, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, now: now, newID: newID}
}

// UPILink returns the upi://pay link for an article's COD amount, for the
// postman holding it: payee the centre's VPA, the amount in rupees, the
// article as the transaction reference so the payment reconciles.
func (s *Service) UPILink(ctx context.Context, p postal.Principal, rawID string) (string, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return "", err
	}
	h, err := s.store.Holding(ctx, string(id))
	if err != nil || !h.HeldBy(p) {
		if err != nil && !postal.IsCode(err, postal.CodeNotFound) {
			return "", err
		}
		return "", postal.Errorf(postal.CodeNotFound, "article not found")
	}
	amount, err := s.store.ArticleCOD(ctx, string(id))
	if err != nil {
		return "", err
	}
	dc, err := s.store.DC(ctx, h.DCID)
	if err != nil {
		return "", err
	}
	switch {
	case amount <= 0:
		return "", postal.Errorf(postal.CodeConflict, "this article is not cash on delivery")
	case dc.UPIVPA == "":
		return "", postal.Errorf(postal.CodeConflict, "the centre has no UPI payee address; take cash")
	}
	return UPIURI(dc.UPIVPA, dc.Name, amount, "COD "+string(id), string(id)), nil
}

// UPIURI builds a upi://pay link (DOMAIN.md), in the order UPI apps
// expect, escaping values for a URL but keeping the VPA's @ readable and
// writing spaces as %20 (some apps show a literal +).
func UPIURI(vpa, name string, amount postal.Paise, note, ref string) string {
	esc := func(v string) string {
		return strings.NewReplacer("%40", "@", "+", "%20").Replace(url.QueryEscape(v))
	}
	return "upi://pay?pa=" + esc(vpa) + "&pn=" + esc(name) + "&am=" + amount.Rupees() + "&cu=INR&tn=" + esc(note) + "&tr=" + esc(ref)
}

// Summary lists each postman's money for a centre's slot.
func (s *Service) Summary(ctx context.Context, p postal.Principal, dc, date, sl string) ([]Line, error) {
	if err := s.supervises(ctx, p, dc); err != nil {
		return nil, err
	}
	if err := checkDay(date, sl); err != nil {
		return nil, err
	}
	return s.store.CODLines(ctx, dc, date, postal.Slot(sl))
}

func (s *Service) supervises(ctx context.Context, p postal.Principal, dc string) error {
	if !p.CanSeeDC(dc) {
		return postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return postal.Errorf(postal.CodeForbidden, "only a supervisor settles cash")
	}
	_, err := s.store.DC(ctx, dc)
	return err
}

func checkDay(date, sl string) error {
	var fe []postal.FieldError
	if d, err := time.Parse(time.DateOnly, date); err != nil || d.Format(time.DateOnly) != date {
		fe = append(fe, postal.FieldError{Field: "date", Message: "required, YYYY-MM-DD"})
	}
	if !postal.Slot(sl).Valid() {
		fe = append(fe, postal.FieldError{Field: "slot", Message: "required: morning, evening or sunday"})
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid query", fe...)
	}
	return nil
}

// SettleInput is a supervisor's count of a postman's cash.
type SettleInput struct {
	PostmanID         string      `json:"postman_id"`
	Date              string      `json:"date"`
	Slot              postal.Slot `json:"slot"`
	CashReceivedPaise int64       `json:"cash_received_paise"`
	Note              string      `json:"note"`
	CorrectionOf      string      `json:"correction_of"` // required once the slot is closed
}

// Settle records cash counted from a postman for a slot and returns the
// entry with the slot's difference after it. r is the request's
// idempotency claim: its answer commits with the entry, so a retried
// request is answered without adding the cash twice.
func (s *Service) Settle(ctx context.Context, p postal.Principal, dc string, in SettleInput, r idem.Receipt) (Settlement, error) {
	if err := s.supervises(ctx, p, dc); err != nil {
		return Settlement{}, err
	}
	if err := s.checkSettle(ctx, dc, in); err != nil {
		return Settlement{}, err
	}
	lines, err := s.store.CODLines(ctx, dc, in.Date, in.Slot)
	if err != nil {
		return Settlement{}, err
	}
	var line Line
	for _, l := range lines {
		if l.PostmanID == in.PostmanID {
			line = l
		}
	}
	st := Settlement{ID: s.newID(), DCID: dc, PostmanID: in.PostmanID, Date: in.Date, Slot: in.Slot,
		ExpectedCash: line.ExpectedCash, CashReceived: postal.Paise(in.CashReceivedPaise), SettledBy: p.UserID,
		Note: in.Note, CorrectionOf: in.CorrectionOf, At: s.now()}
	st.Difference = line.Settled + st.CashReceived - line.ExpectedCash
	answer, err := r.Complete(st)
	if err != nil {
		return Settlement{}, err
	}
	if err := s.store.AddSettlement(ctx, st, answer); err != nil {
		return Settlement{}, err
	}
	return st, nil
}

func (s *Service) checkSettle(ctx context.Context, dc string, in SettleInput) error {
	if err := checkDay(in.Date, string(in.Slot)); err != nil {
		return err
	}
	var fe []postal.FieldError
	if in.CashReceivedPaise < -int64(postal.MaxCOD)*100 || in.CashReceivedPaise > int64(postal.MaxCOD)*100 {
		fe = append(fe, postal.FieldError{Field: "cash_received_paise", Message: "out of range (a correction may be negative)"})
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		fe = append(fe, postal.FieldError{Field: "note", Message: "at most 500 characters"})
	}
	role, at, err := s.store.StaffMember(ctx, in.PostmanID)
	if err != nil && !postal.IsCode(err, postal.CodeNotFound) {
		return err
	}
	if err != nil || role != postal.RolePostman || at != dc {
		fe = append(fe, postal.FieldError{Field: "postman_id", Message: "not a postman of this centre"})
	}
	if in.CorrectionOf != "" && !s.corrects(ctx, dc, in) {
		fe = append(fe, postal.FieldError{Field: "correction_of", Message: "not an entry of this postman's slot"})
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid settlement", fe...)
	}
	return nil
}

// corrects reports whether in.CorrectionOf is an entry of the same
// postman's slot.
func (s *Service) corrects(ctx context.Context, dc string, in SettleInput) bool {
	old, err := s.store.Settlement(ctx, dc, in.CorrectionOf)
	return err == nil && old.PostmanID == in.PostmanID && old.Date == in.Date && old.Slot == in.Slot
}

// Close makes the slot of settlement entry id final for its postman.
// Closing again answers the first closing.
func (s *Service) Close(ctx context.Context, p postal.Principal, dc, id string) (Closing, error) {
	if err := s.supervises(ctx, p, dc); err != nil {
		return Closing{}, err
	}
	st, err := s.store.Settlement(ctx, dc, id)
	if err != nil {
		return Closing{}, err
	}
	return s.store.CloseSettlement(ctx, Closing{DCID: dc, PostmanID: st.PostmanID, Date: st.Date, Slot: st.Slot,
		SettlementID: st.ID, ClosedBy: p.UserID, At: s.now()})
}

// CSV renders a slot's lines as CSV rows, header first.
func CSV(lines []Line) [][]string {
	rows := [][]string{{"postman_id", "date", "slot", "cod_delivered", "expected_cash_rupees", "upi_collected_rupees",
		"settled_cash_rupees", "difference_rupees", "settlements", "cash_collected_rupees", "upi_confirmed_rupees",
		"upi_unconfirmed_rupees", "closed"}}
	for _, l := range lines {
		rows = append(rows, []string{l.PostmanID, l.Date, string(l.Slot), fmt.Sprint(l.Delivered), l.ExpectedCash.Rupees(),
			l.UPICollected.Rupees(), l.Settled.Rupees(), l.Difference.Rupees(), fmt.Sprint(l.SettlementRows),
			l.CashCollected.Rupees(), l.UPIConfirmed.Rupees(), l.UPIUnconfirmed.Rupees(), fmt.Sprint(l.Closed)})
	}
	return rows
}
