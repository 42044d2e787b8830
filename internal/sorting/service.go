package sorting

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/centre"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// MaxScans is the most scans one batch may carry.
const MaxScans = 500

// Store is what sorting needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (slot.Calendar, error)
	Users(ctx context.Context, dc string) ([]auth.User, error)
	Article(ctx context.Context, id string) (article.Article, error)
	ScheduledFor(ctx context.Context, dc, date string, s postal.Slot) ([]article.Article, error)
	Manifests(ctx context.Context, f manifest.Filter) ([]manifest.Summary, error)
	Manifest(ctx context.Context, id string) (manifest.Record, error)
	// SaveSortScans stores scans, keeping the first of each id.
	SaveSortScans(ctx context.Context, scans []Stored) error
	// SortedArticles lists the articles scanned in a centre's slot.
	SortedArticles(ctx context.Context, dc, date string, s postal.Slot) (map[string]bool, error)
}

// Stored is one scan as kept: what was scanned, when, by whom, and where
// the plan of the moment put it.
type Stored struct {
	ID, DCID, Date string
	Slot           postal.Slot
	ArticleID      string
	PlanVersion    string
	BeatID         string
	Case           int
	Problem        string // a reason code; "" when placed
	UserID         string
	ScannedAt, At  time.Time
}

// Service answers the sorting screen.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// allowed lets the centre's sorters and supervisors, and admins, sort.
func allowed(p postal.Principal, dc string) error {
	if !p.CanSeeDC(dc) {
		return postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSorter && p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only a sorter or a supervisor of the centre sorts")
	}
	return nil
}

// Plan returns a slot's sort plan with the counts so far; with no date
// and slot, the centre's next slot's.
func (s *Service) Plan(ctx context.Context, p postal.Principal, dcID, date string, sl postal.Slot) (Plan, error) {
	if err := allowed(p, dcID); err != nil {
		return Plan{}, err
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return Plan{}, err
	}
	if date, sl, err = s.slotOf(ctx, dc, date, sl); err != nil {
		return Plan{}, err
	}
	plan, _, err := s.derive(ctx, dc, date, sl)
	if err != nil {
		return Plan{}, err
	}
	return plan, s.count(ctx, &plan)
}

// slotOf checks a date and slot, or picks the next slot that starts.
func (s *Service) slotOf(ctx context.Context, dc centre.DC, date string, sl postal.Slot) (string, postal.Slot, error) {
	if date != "" || sl != "" {
		return date, sl, checkSlot(date, sl)
	}
	loc, err := time.LoadLocation(dc.TimeZone)
	if err != nil {
		return "", "", postal.Wrap(err, postal.CodeInternal, "centre has an unknown time zone")
	}
	cal, err := s.store.Calendar(ctx, dc.ID)
	if err != nil {
		return "", "", err
	}
	now := s.now()
	for _, in := range cal.Instances(slot.Today(now, loc), 8, loc, now) {
		if in.Start.After(now) {
			return in.Date, in.Slot, nil
		}
	}
	return "", "", postal.Errorf(postal.CodeNotFound, "the centre runs no slot in the next week")
}

func checkSlot(date string, sl postal.Slot) error {
	var fe []postal.FieldError
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		fe = append(fe, postal.FieldError{Field: "date", Message: "must be a date, YYYY-MM-DD"})
	}
	if !sl.Valid() {
		fe = append(fe, postal.FieldError{Field: "slot", Message: "must be morning, evening or sunday"})
	}
	if fe != nil {
		return postal.Invalid("invalid slot", fe...)
	}
	return nil
}

// derive reads the slot's drafts and scheduled articles into a plan.
func (s *Service) derive(ctx context.Context, dc centre.DC, date string, sl postal.Slot) (Plan, Input, error) {
	sums, err := s.store.Manifests(ctx, manifest.Filter{DCID: dc.ID, Date: date, Slot: sl})
	if err != nil {
		return Plan{}, Input{}, err
	}
	in := Input{DC: dc, Date: date, Slot: sl, Names: map[string]string{}}
	dispatched := map[string]string{} // beat → dispatched manifest
	for _, sum := range sums {
		if sum.Status != manifest.StatusDraft {
			dispatched[sum.BeatID] = sum.ID
			continue
		}
		r, err := s.store.Manifest(ctx, sum.ID)
		if err != nil {
			return Plan{}, Input{}, err
		}
		var m manifest.Manifest
		if err := json.Unmarshal(r.Body, &m); err != nil {
			return Plan{}, Input{}, postal.Wrap(err, postal.CodeInternal, "manifest body")
		}
		in.Drafts = append(in.Drafts, Draft{Manifest: m, ETag: r.ETag})
	}
	users, err := s.store.Users(ctx, dc.ID)
	if err != nil {
		return Plan{}, Input{}, err
	}
	for _, u := range users {
		in.Names[u.ID] = u.Name
	}
	if in.Loose, err = s.loose(ctx, dc, date, sl, in.Drafts, dispatched); err != nil {
		return Plan{}, Input{}, err
	}
	return Derive(in), in, nil
}

// loose lists the slot's scheduled articles that no draft carries, with
// the reason a build would give.
func (s *Service) loose(ctx context.Context, dc centre.DC, date string, sl postal.Slot, drafts []Draft, dispatched map[string]string) ([]Problem, error) {
	arts, err := s.store.ScheduledFor(ctx, dc.ID, date, sl)
	if err != nil {
		return nil, err
	}
	on := map[string]bool{}
	for _, d := range drafts {
		for _, st := range d.Manifest.Stops {
			for _, it := range st.Articles {
				on[it.ID] = true
			}
		}
	}
	out := []Problem{}
	for _, a := range arts {
		if !on[a.ID] {
			out = append(out, whyLoose(dc, a, dispatched))
		}
	}
	return out, nil
}

func whyLoose(dc centre.DC, a article.Article, dispatched map[string]string) Problem {
	beat, ok := centre.Beat{}, false
	for _, b := range dc.Beats {
		if b.ID == a.BeatID {
			beat, ok = b, true
		}
	}
	switch {
	case !ok:
		return Problem{a.ID, ReasonNoBeat, "no beat covers this address"}
	case beat.PostmanID == "":
		return Problem{a.ID, ReasonNoPostman, "beat " + beat.Name + " has no postman"}
	case dispatched[beat.ID] != "":
		return Problem{a.ID, ReasonNoDraft, "the manifest " + dispatched[beat.ID] + " is already dispatched; amend it to add this article"}
	}
	return Problem{a.ID, ReasonNoDraft, "not on the slot's drafts: build the manifests again"}
}

// count fills in each beat's sorted articles.
func (s *Service) count(ctx context.Context, plan *Plan) error {
	scanned, err := s.store.SortedArticles(ctx, plan.DCID, plan.Date, plan.Slot)
	if err != nil {
		return err
	}
	plan.Count(scanned)
	return nil
}

// Scan is one scan as the phone sends it.
type Scan struct {
	ID          string    `json:"id"`
	ArticleID   string    `json:"article_id"`
	PlanVersion string    `json:"plan_version"`
	At          time.Time `json:"at"`
}

// Batch is the scans of one slot the phone sends at once.
type Batch struct {
	Date  string      `json:"date"`
	Slot  postal.Slot `json:"slot"`
	Scans []Scan      `json:"scans"`
}

// Result is where the current plan puts a scanned article.
type Result struct {
	ID        string   `json:"id"`
	ArticleID string   `json:"article_id"`
	BeatID    string   `json:"beat_id,omitempty"`
	Case      int      `json:"case,omitempty"`
	Problem   *Problem `json:"problem,omitempty"`
}

// Count is one beat's progress.
type Count struct {
	BeatID   string `json:"beat_id"`
	Sorted   int    `json:"sorted"`
	Expected int    `json:"expected"`
}

// Outcome answers a batch: each scan's place under the current plan, the
// counts, and whether the phone's plan is out of date (download again).
type Outcome struct {
	PlanVersion string   `json:"plan_version"`
	Stale       bool     `json:"stale"`
	Results     []Result `json:"results"`
	Counts      []Count  `json:"counts"`
}

var (
	scanIDPattern  = regexp.MustCompile(`^[A-Za-z0-9-]{8,64}$`)
	versionPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

func checkBatch(b Batch) error {
	if err := checkSlot(b.Date, b.Slot); err != nil {
		return err
	}
	var fe []postal.FieldError
	if len(b.Scans) == 0 || len(b.Scans) > MaxScans {
		return postal.Invalid("invalid scans", postal.FieldError{Field: "scans", Message: "1 to 500 scans"})
	}
	seen := map[string]bool{}
	for i, sc := range b.Scans {
		at := func(f string) string { return "scans[" + strconv.Itoa(i) + "]." + f }
		if !scanIDPattern.MatchString(sc.ID) || seen[sc.ID] {
			fe = append(fe, postal.FieldError{Field: at("id"), Message: "8 to 64 letters, digits or '-', once per batch (a UUID)"})
		}
		seen[sc.ID] = true
		if a := strings.TrimSpace(sc.ArticleID); a == "" || len(a) > 40 {
			fe = append(fe, postal.FieldError{Field: at("article_id"), Message: "required, at most 40 characters"})
		}
		if !versionPattern.MatchString(sc.PlanVersion) {
			fe = append(fe, postal.FieldError{Field: at("plan_version"), Message: "the version of the downloaded plan (16 hex digits)"})
		}
		if sc.At.IsZero() {
			fe = append(fe, postal.FieldError{Field: at("at"), Message: "required: when the article was scanned"})
		}
	}
	if fe != nil {
		return postal.Invalid("invalid scans", fe...)
	}
	return nil
}

// Record keeps a batch of scans and answers where each article goes under
// the current plan. A scan id already kept is kept once; a scan made with
// an older plan is kept too, and the answer says the plan is stale.
func (s *Service) Record(ctx context.Context, p postal.Principal, dcID string, b Batch) (Outcome, error) {
	if err := allowed(p, dcID); err != nil {
		return Outcome{}, err
	}
	if err := checkBatch(b); err != nil {
		return Outcome{}, err
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return Outcome{}, err
	}
	plan, _, err := s.derive(ctx, dc, b.Date, b.Slot)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{PlanVersion: plan.Version, Results: []Result{}}
	rows := make([]Stored, 0, len(b.Scans))
	now := s.now()
	for _, sc := range b.Scans {
		r, err := s.place(ctx, plan, sc)
		if err != nil {
			return Outcome{}, err
		}
		out.Results = append(out.Results, r)
		out.Stale = out.Stale || sc.PlanVersion != plan.Version
		st := Stored{ID: sc.ID, DCID: dcID, Date: b.Date, Slot: b.Slot, ArticleID: r.ArticleID, PlanVersion: sc.PlanVersion,
			BeatID: r.BeatID, Case: r.Case, UserID: p.UserID, ScannedAt: sc.At, At: now}
		if r.Problem != nil {
			st.Problem = r.Problem.Reason
		}
		rows = append(rows, st)
	}
	if err := s.store.SaveSortScans(ctx, rows); err != nil {
		return Outcome{}, err
	}
	if err := s.count(ctx, &plan); err != nil {
		return Outcome{}, err
	}
	out.Counts = counts(plan)
	return out, nil
}

// Progress returns the per-beat counts of a slot's sorting.
func (s *Service) Progress(ctx context.Context, p postal.Principal, dcID, date string, sl postal.Slot) (Outcome, error) {
	plan, err := s.Plan(ctx, p, dcID, date, sl)
	if err != nil {
		return Outcome{}, err
	}
	return Outcome{PlanVersion: plan.Version, Results: []Result{}, Counts: counts(plan)}, nil
}

func counts(p Plan) []Count {
	out := make([]Count, 0, len(p.Beats))
	for _, b := range p.Beats {
		out = append(out, Count{BeatID: b.ID, Sorted: b.Sorted, Expected: b.Expected})
	}
	return out
}

// place finds where the plan puts a scanned id, or why it cannot.
func (s *Service) place(ctx context.Context, plan Plan, sc Scan) (Result, error) {
	id := strings.ToUpper(strings.TrimSpace(sc.ArticleID))
	r := Result{ID: sc.ID, ArticleID: id}
	if pl, pr := plan.Lookup(id); pr != nil {
		r.Problem = pr
		return r, nil
	} else if pl.BeatID != "" {
		r.BeatID, r.Case = pl.BeatID, pl.Case
		return r, nil
	}
	pr, err := s.why(ctx, plan, id)
	r.Problem = &pr
	return r, err
}

// why says why an article the plan does not hold cannot be placed.
func (s *Service) why(ctx context.Context, plan Plan, id string) (Problem, error) {
	if _, err := postal.ParseS10(id); err != nil {
		return Problem{id, ReasonUnknown, "not an S10 article number"}, nil
	}
	a, err := s.store.Article(ctx, id)
	if postal.IsCode(err, postal.CodeNotFound) {
		return Problem{id, ReasonUnknown, "no such article"}, nil
	}
	if err != nil {
		return Problem{}, err
	}
	return statusProblem(plan, a), nil
}

func statusProblem(plan Plan, a article.Article) Problem {
	switch {
	case a.DCID != plan.DCID:
		return Problem{a.ID, ReasonOtherCentre, "another centre's article"}
	case a.Status == article.StatusBooked:
		return Problem{a.ID, ReasonNotAtCentre, "not received at the centre yet"}
	case a.Status == article.StatusHeld:
		return Problem{a.ID, ReasonNotAtCentre, "held at the counter"}
	case a.Status == article.StatusAtDC:
		return Problem{a.ID, ReasonUnscheduled, "not scheduled for a slot yet"}
	case a.Status != article.StatusScheduled:
		return Problem{a.ID, ReasonDispatched, "already " + strings.ReplaceAll(string(a.Status), "_", " ")}
	case a.Schedule == nil || a.Schedule.Date != plan.Date || a.Schedule.Slot != plan.Slot:
		sc := ""
		if a.Schedule != nil {
			sc = ": " + a.Schedule.Date + " " + string(a.Schedule.Slot)
		}
		return Problem{a.ID, ReasonOtherSlot, "scheduled for another slot" + sc}
	}
	return Problem{a.ID, ReasonNoDraft, "not on the slot's drafts: build the manifests again"}
}
