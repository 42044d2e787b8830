package delivery

import (
	"context"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/idem"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// Service records and reviews outcomes.
type Service struct {
	store  Store
	judge  Judge
	proofs Proofs
	notice Notice
	policy Policy
	now    func() time.Time
	newID  func() string
}

// New returns a Service.
func New(store Store, judge Judge, proofs Proofs, notice Notice, policy Policy, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, judge: judge, proofs: proofs, notice: notice, policy: policy, now: now, newID: newID}
}

// Submit records an outcome from the postman holding the article. r is
// the request's idempotency claim: the answer it renders from the Result
// is stored in the same transaction as the outcome, so a retry gets
// exactly this answer. deviceTime is the phone's clock when it sent the
// request (zero if not known).
func (s *Service) Submit(ctx context.Context, p postal.Principal, in Input, r idem.Receipt, deviceTime time.Time) (Result, error) {
	if err := validate(in); err != nil {
		return Result{}, err
	}
	id, _ := postal.ParseS10(in.ArticleID) // valid: validate checked it
	in.ArticleID = string(id)
	f, err := s.store.OutcomeFacts(ctx, in.ArticleID)
	h, err := s.custody(ctx, p, f.Holding, err)
	if err != nil {
		return Result{}, err
	}
	rec, err := s.record(ctx, p, in, f, deviceTime)
	if err != nil {
		return Result{}, err
	}
	rec.Delivery.ManifestID, rec.Delivery.Date, rec.Delivery.Slot = h.ManifestID, h.Date, h.Slot
	rec.Delivery.AssignmentID, rec.Delivery.Status = h.AssignmentID, rec.Events[len(rec.Events)-1].Status
	res := Result{ID: rec.Delivery.ID, ArticleStatus: rec.Delivery.Status, Flags: rec.Delivery.Flags}
	if rec.Completion, err = r.Complete(res); err != nil {
		return Result{}, err
	}
	if err := s.store.RecordOutcome(ctx, rec); err != nil {
		if postal.IsCode(err, postal.CodeAlreadyDone) {
			return Result{}, s.alreadyDone(ctx, h.AssignmentID)
		}
		return Result{}, err
	}
	return res, nil
}

// custody returns the article's custody h (read with err) if p is its
// custodian now. To anyone else it does not exist; to its custodian once
// the assignment has its outcome, the answer is that outcome, final.
func (s *Service) custody(ctx context.Context, p postal.Principal, h otp.Holding, err error) (otp.Holding, error) {
	if err != nil && !postal.IsCode(err, postal.CodeNotFound) {
		return otp.Holding{}, err
	}
	if err == nil && h.Done && p.Role == postal.RolePostman && h.PostmanID == p.UserID {
		return otp.Holding{}, s.alreadyDone(ctx, h.AssignmentID)
	}
	if err != nil {
		return otp.Holding{}, postal.Errorf(postal.CodeNotFound, "article not found")
	}
	if !h.HeldBy(p) {
		return otp.Holding{}, h.NotHeld(p)
	}
	return h, nil
}

// alreadyDone is the final answer to a second outcome in one assignment:
// 409 with the stored outcome, so the phone stops retrying and shows it.
func (s *Service) alreadyDone(ctx context.Context, assignmentID string) error {
	sum, err := s.store.AssignmentOutcome(ctx, assignmentID)
	if err != nil {
		return err
	}
	e := postal.Errorf(postal.CodeAlreadyDone, "this article already has its outcome")
	e.Extra = map[string]any{"outcome": sum}
	return e
}

// validate checks an outcome's form.
func validate(in Input) error {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	if _, err := postal.ParseS10(in.ArticleID); err != nil {
		add("article_id", "a valid S10 id")
	}
	switch in.Outcome {
	case Delivered:
		if in.ReasonCode != "" {
			add("reason_code", "only for a failed attempt")
		}
	case Failed:
		if _, ok := article.Reason(in.ReasonCode); !ok {
			add("reason_code", "a failed attempt needs a reason code from the list (e.g. 08)")
		}
		if in.OTP != "" || in.IDEvidence != nil || in.COD != nil {
			add("outcome", "a failed attempt carries no code, ID evidence or money")
		}
	default:
		add("outcome", "delivered or failed")
	}
	if in.CapturedAt.IsZero() {
		add("captured_at", "required, RFC 3339")
	}
	fe = append(fe, validateParts(in)...)
	if len(fe) > 0 {
		return postal.Invalid("invalid outcome", fe...)
	}
	return nil
}

func validateParts(in Input) []postal.FieldError {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	if l := in.Location; l != nil && (math.Abs(l.Lat) > 90 || math.Abs(l.Lon) > 180 || l.AccuracyM < 0 || l.AccuracyM > 100_000 ||
		math.IsNaN(l.Lat) || math.IsNaN(l.Lon)) {
		add("location", "lat -90..90, lon -180..180, accuracy_m 0..100000")
	}
	if e := in.IDEvidence; e != nil {
		if e.Type == "" || utf8.RuneCountInString(e.Type) > 40 || len(e.Last4) != 4 || e.ReceivedBy == "" || utf8.RuneCountInString(e.ReceivedBy) > 100 {
			add("id_evidence", "type (≤ 40), last4 (4 characters) and received_by (≤ 100) are required")
		}
	}
	fe = append(fe, checkCOD(in.COD)...)
	if len(in.ProofIDs) > 10 {
		add("proof_ids", "at most 10")
	}
	if in.OTP != "" && !sixDigits(in.OTP) {
		add("otp", "six digits")
	}
	if l := in.Location; l != nil && l.FixAt != nil && l.FixAt.IsZero() {
		add("location.fix_at", "RFC 3339; leave it out when not known")
	}
	if in.OpenedAt != nil && in.OpenedAt.IsZero() {
		add("opened_at", "RFC 3339; leave it out when not known")
	}
	if l := in.Location; l != nil && l.Lat == 0 && l.Lon == 0 {
		add("location", "0,0 is not a position fix; leave location out when there is none")
	}
	return fe
}

// record works out the outcome's flags, events and SMS.
func (s *Service) record(ctx context.Context, p postal.Principal, in Input, f Facts, deviceTime time.Time) (Record, error) {
	a, dc := f.Article, f.DC
	d := Delivery{ID: s.newID(), ArticleID: a.ID, DCID: a.DCID, PostmanID: p.UserID, Outcome: in.Outcome,
		ReasonCode: in.ReasonCode, OTPGiven: in.OTP != "", IDEvidence: in.IDEvidence, Location: in.Location,
		CapturedAt: in.CapturedAt.UTC(), OpenedAt: utcPtr(in.OpenedAt), COD: in.COD, Review: "pending", ProofIDs: in.ProofIDs, CreatedAt: s.now()}
	if d.ProofIDs == nil {
		d.ProofIDs = []string{}
	}
	flags, err := s.flags(ctx, p, in, f, deviceTime)
	if err != nil {
		return Record{}, err
	}
	d.Flags = flags
	rec := Record{Delivery: d, From: article.StatusOutForDelivery}
	if in.Outcome == Delivered {
		rec.ConsumeOTP = in.OTP != ""
		rec.Events = []article.Event{s.event(article.EventDelivered, article.StatusDelivered, dc.Name, p, "")}
		return rec, nil
	}
	return s.failed(rec, a, dc, p, f.FailedAttempts), nil
}

func (s *Service) event(e article.EventName, st article.Status, place string, p postal.Principal, reason string) article.Event {
	return article.Event{Event: e, Status: st, Code: article.UPUCode(e), At: s.now(), Place: place, ActorID: p.UserID, ReasonCode: reason}
}

// flags checks the outcome against the article and the policy.
func (s *Service) flags(ctx context.Context, p postal.Principal, in Input, f Facts, deviceTime time.Time) ([]string, error) {
	a, since := f.Article, f.Holding.Since
	var flags []string
	kinds, err := s.proofKinds(ctx, p, in.ProofIDs, a.ID)
	if err != nil {
		return nil, err
	}
	if in.Outcome == Delivered {
		more, err := s.deliveredFlags(ctx, in, a, f.OTP, kinds)
		if err != nil {
			return nil, err
		}
		flags = append(flags, more...)
	}
	flags = append(flags, s.placeFlags(in, a)...)
	if skewed(in.CapturedAt, since, deviceTime, s.now(), s.policy.MaxSkew) {
		flags = append(flags, FlagClockSkew)
	}
	if s.staleFix(in) {
		flags = append(flags, FlagStaleFix)
	}
	if flags == nil {
		flags = []string{}
	}
	return flags, nil
}

// staleFix reports whether the position was fixed before the stop was
// opened or, when the phone does not say when, more than MaxFixAge before
// the capture. A fix without its time is not judged.
func (s *Service) staleFix(in Input) bool {
	if in.Location == nil || in.Location.FixAt == nil {
		return false
	}
	if in.OpenedAt != nil {
		return in.Location.FixAt.Before(*in.OpenedAt)
	}
	return in.Location.FixAt.Before(in.CapturedAt.Add(-s.policy.MaxFixAge))
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// proofKinds checks the proofs an outcome names and returns their kinds.
func (s *Service) proofKinds(ctx context.Context, p postal.Principal, ids []string, articleID string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if s.proofs == nil {
		return nil, postal.Invalid("invalid outcome", postal.FieldError{Field: "proof_ids", Message: "this server keeps no proofs"})
	}
	return s.proofs.Kinds(ctx, p, ids, articleID)
}

func (s *Service) deliveredFlags(ctx context.Context, in Input, a article.Article, st *otp.State, kinds []string) ([]string, error) {
	var flags []string
	code, err := s.judge.JudgeState(ctx, st, in.OTP, in.IDEvidence != nil, in.CapturedAt)
	if err != nil {
		return nil, err
	}
	if code != "" {
		flags = append(flags, code)
	}
	if a.CODPaise > 0 {
		if in.COD == nil {
			return nil, postal.Invalid("invalid outcome", postal.FieldError{Field: "cod",
				Message: fmt.Sprintf("this article is cash on delivery: %d paise", int64(a.CODPaise))})
		}
		if in.COD.AmountPaise < int64(a.CODPaise) {
			flags = append(flags, FlagCODShort)
		}
		flags = append(flags, codFlags(in.COD)...)
	} else if in.COD != nil {
		return nil, postal.Invalid("invalid outcome", postal.FieldError{Field: "cod", Message: "this article is not cash on delivery"})
	}
	// Money and deliveries without a code need evidence a supervisor can see.
	needsProof := a.CODPaise > 0 || code == otp.FlagBypassed
	if needsProof && len(kinds) == 0 {
		flags = append(flags, FlagMissingProof)
	}
	return flags, nil
}

func (s *Service) placeFlags(in Input, a article.Article) []string {
	if in.Location == nil {
		return []string{FlagNoLocation}
	}
	if a.Recipient.Lat == nil {
		return nil
	}
	if metres(in.Location.Lat, in.Location.Lon, *a.Recipient.Lat, *a.Recipient.Lon) > s.policy.FarMetres {
		return []string{FlagFar}
	}
	return nil
}

// skewed reports whether a time is off: the capture before the article
// went out or after now, or the phone's own clock (when it says) away from
// ours, each by more than max in either direction.
func skewed(captured, since, device, now time.Time, max time.Duration) bool {
	if captured.Before(since.Add(-max)) || captured.After(now.Add(max)) {
		return true
	}
	return !device.IsZero() && device.Sub(now).Abs() > max
}

// metres is the great-circle distance between two points.
func metres(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// failed adds a failed attempt's events: attempted, and returned to the
// sender after the last allowed attempt (n failed ones came before) or a
// refusal; otherwise the recipient gets a link to choose a new slot.
func (s *Service) failed(rec Record, a article.Article, dc centre.DC, p postal.Principal, n int) Record {
	reason := rec.Delivery.ReasonCode
	rec.Events = []article.Event{s.event(article.EventDeliveryAttempted, article.StatusAttempted, dc.Name, p, reason)}
	if n+1 >= s.policy.MaxAttempts || reason == "09" || reason == "18" {
		rec.Events = append(rec.Events, s.event(article.EventReturnedToSender, article.StatusReturned, dc.Name, p, reason))
		return rec
	}
	if s.notice != nil {
		text, _ := article.Reason(reason)
		sms := s.notice(a, dc, text)
		rec.SMS = &sms
	}
	return rec
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
