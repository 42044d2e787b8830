package privacy

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// Audit actions.
const (
	ActionArticleView   = "article.view"   // an article's page with its recipient
	ActionArticleSearch = "article.search" // a list of articles searched by name or phone
	ActionExport        = "privacy.export" // a data principal's export
	ActionErase         = "privacy.erase"  // a data principal's erasure
	// Proof views are recorded as "proof.metadata" and "proof.content"
	// by the store, with the proof_views row.
)

// Entry is one line of the audit log.
type Entry struct {
	ID          string      `json:"id"`
	At          time.Time   `json:"at"`
	ActorID     string      `json:"actor_id"`
	ActorName   string      `json:"actor_name,omitempty"` // filled when read back
	ActorRole   postal.Role `json:"actor_role"`
	Action      string      `json:"action"`
	SubjectType string      `json:"subject_type"`
	Subject     string      `json:"subject"`
	Route       string      `json:"route,omitempty"`
	Detail      string      `json:"detail,omitempty"`
}

// AuditQuery selects a page of the audit log, newest first.
type AuditQuery struct {
	Actor   string    // an actor's user id; "" for all
	Subject string    // a subject (proof id, article id, phone); "" for all
	From    time.Time // zero for no lower bound (inclusive)
	To      time.Time // zero for no upper bound (exclusive)
	Limit   int
	// After continues below this entry (the cursor's at and id).
	AfterAt time.Time
	AfterID string
}

// AuditPage is a page of the audit log and the cursor to the next one.
type AuditPage struct {
	Items []Entry `json:"items"`
	Next  string  `json:"next,omitempty"`
}

// AuditParams are GET /audit's parameters as sent.
type AuditParams struct {
	Actor, Subject, From, To, Limit, Next string
}

// Page limits of the audit log.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 1000
	maxFilterLen      = 200
)

// Record appends one entry to the audit log for p, now. An entry that
// cannot be recorded fails the view (CodeUnavailable): personal data is
// never shown unrecorded.
func (s *Service) Record(ctx context.Context, p postal.Principal, action, subjectType, subject, route, detail string) error {
	e := Entry{ID: s.newID(), At: s.now(), ActorID: p.UserID, ActorRole: p.Role, Action: action,
		SubjectType: subjectType, Subject: subject, Route: route, Detail: detail}
	if err := s.store.RecordAudit(ctx, e); err != nil {
		return postal.Wrap(err, postal.CodeUnavailable, "the view could not be recorded in the audit log; try again")
	}
	return nil
}

// Audit returns a page of the audit log to an admin.
func (s *Service) Audit(ctx context.Context, p postal.Principal, in AuditParams) (AuditPage, error) {
	if err := requireAdmin(p, "read the audit log"); err != nil {
		return AuditPage{}, err
	}
	q, err := parseAudit(in)
	if err != nil {
		return AuditPage{}, err
	}
	items, err := s.store.AuditLog(ctx, q)
	if err != nil {
		return AuditPage{}, err
	}
	page, limit := AuditPage{Items: items}, q.Limit-1 // the store was asked for one more
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.Next = encodeCursor(last.At, last.ID)
	}
	return page, nil
}

// parseAudit checks GET /audit's parameters; the store is asked for one
// more entry than the limit, to know whether a next page exists.
func parseAudit(in AuditParams) (AuditQuery, error) {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	q := AuditQuery{Actor: in.Actor, Subject: in.Subject, Limit: DefaultAuditLimit}
	if len(in.Actor) > maxFilterLen {
		add("actor", "at most 200 characters")
	}
	if len(in.Subject) > maxFilterLen {
		add("subject", "at most 200 characters")
	}
	if in.Limit != "" {
		n, err := strconv.Atoi(in.Limit)
		if err != nil || n < 1 || n > MaxAuditLimit {
			add("limit", "a whole number from 1 to 1000")
		}
		q.Limit = n
	}
	parseTime := func(field, v string, into *time.Time) {
		if v == "" {
			return
		}
		t, err := parseWhen(v)
		if err != nil {
			add(field, "a date YYYY-MM-DD (UTC) or an RFC 3339 time")
			return
		}
		*into = t
	}
	parseTime("from", in.From, &q.From)
	parseTime("to", in.To, &q.To)
	if len(in.To) == len("2006-01-02") && !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // a date's whole day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		add("to", "must be after from")
	}
	if in.Next != "" {
		at, id, ok := decodeCursor(in.Next)
		if !ok {
			add("next", "not a cursor from this list")
		}
		q.AfterAt, q.AfterID = at, id
	}
	if len(fe) > 0 {
		return AuditQuery{}, postal.Invalid("invalid audit log query", fe...)
	}
	q.Limit++
	return q, nil
}

func parseWhen(v string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, v)
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMilli(), 10) + " " + id))
}

func decodeCursor(s string) (time.Time, string, bool) {
	if len(s) > 200 {
		return time.Time{}, "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", false
	}
	ms, id, ok := strings.Cut(string(b), " ")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", false
	}
	return time.UnixMilli(n).UTC(), id, true
}
