package manifest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/route"
	"dakiya/internal/slot"
)

// Circuity is how much longer streets are than the great circle; a road
// network replaces it when one is plugged in.
const Circuity = 1.3

// Options tune the service.
type Options struct {
	RouteBudget time.Duration // per manifest
	// OTPRequired says which articles need the recipient's code.
	OTPRequired func(a article.Article) bool
	// Codes issues the codes at dispatch; nil issues none.
	Codes *otp.Issuer
	// CacheBytes bounds the manifest bodies a replica keeps in memory for
	// phones' fetches; 0 is DefaultCacheBytes, negative keeps none.
	CacheBytes int
}

// DefaultCacheBytes is the default bound of the fetch cache: some 900
// manifests of 200 stops, plain and gzipped.
const DefaultCacheBytes = 64 << 20

// DefaultOTPRequired is DESIGN.md's default: Speed Post, parcels and every
// cash-on-delivery article.
func DefaultOTPRequired(a article.Article) bool {
	return a.Service == postal.ServiceSpeedPost || a.Service == postal.ServiceParcel || a.CODPaise > 0
}

// OTPRequiredFor builds the rule from a list of services and "cod" (every
// cash-on-delivery article); "none" alone means no article needs a code.
func OTPRequiredFor(list []string) func(a article.Article) bool {
	services, cod := map[postal.Service]bool{}, false
	for _, k := range list {
		if k == "cod" {
			cod = true
		}
		services[postal.Service(k)] = true
	}
	return func(a article.Article) bool { return services[a.Service] || (cod && a.CODPaise > 0) }
}

// Service builds and serves manifests.
type Service struct {
	store  Store
	now    func() time.Time
	newID  func() string
	opt    Options
	bodies *bodyCache // what Fetch has served, by manifest id
}

// New returns a Service.
func New(store Store, now func() time.Time, newID func() string, opt Options) *Service {
	if opt.RouteBudget <= 0 {
		opt.RouteBudget = 300 * time.Millisecond
	}
	if opt.OTPRequired == nil {
		opt.OTPRequired = DefaultOTPRequired
	}
	if opt.CacheBytes == 0 {
		opt.CacheBytes = DefaultCacheBytes
	}
	return &Service{store: store, now: now, newID: newID, opt: opt, bodies: newBodyCache(opt.CacheBytes)}
}

// Unassigned is an article a build could not put on a manifest, and why.
type Unassigned struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// BuildResult is what a build made and what it could not place.
type BuildResult struct {
	Manifests  []Summary    `json:"manifests"`
	Unassigned []Unassigned `json:"unassigned"`
}

// slotCtx is what one build needs to know about the centre and the slot.
type slotCtx struct {
	dc       centre.DC
	date     string
	slot     postal.Slot
	window   Window
	capacity int // hundredths of a letter per postman
}

// Build makes the drafts for a centre's slot: every article scheduled then
// goes to the postman who walks its beat that slot (the beat's postman if
// the roster has them on duty, else a reliever covering the beat), a
// household's articles become one stop, and the stops are ordered from the
// centre and back. When the slot follows a chosen balanced plan, the plan
// decides each article's manifest and the stops' order; articles the plan
// does not hold go by their own beat. A beat nobody walks has its articles
// reported unassigned with the reason, and its draft removed. Rebuilding a
// draft bumps its version; a dispatched manifest is left alone (amend it
// instead).
func (s *Service) Build(ctx context.Context, p postal.Principal, dcID, date string, sl postal.Slot) (BuildResult, error) {
	sc, err := s.slotFor(ctx, p, dcID, date, sl)
	if err != nil {
		return BuildResult{}, err
	}
	arts, err := s.store.ScheduledFor(ctx, dcID, date, sl)
	if err != nil {
		return BuildResult{}, err
	}
	crew, err := s.crew(ctx, sc)
	if err != nil {
		return BuildResult{}, err
	}
	plan, err := s.store.ChosenPlan(ctx, dcID, date, sl)
	if err != nil {
		return BuildResult{}, err
	}
	res := BuildResult{Manifests: []Summary{}, Unassigned: []Unassigned{}}
	byBeat, planned := plan.assign(arts)
	// A draft whose articles all moved away is rebuilt empty, so it never
	// goes out with articles that are no longer its own.
	drafts, err := s.store.Manifests(ctx, Filter{DCID: dcID, Date: date, Slot: sl, Status: StatusDraft})
	if err != nil {
		return BuildResult{}, err
	}
	for _, d := range drafts {
		if _, ok := byBeat[d.BeatID]; !ok {
			byBeat[d.BeatID] = nil
		}
	}
	for _, id := range sortedKeys(byBeat) {
		if err := s.buildBeat(ctx, sc, crew, id, byBeat[id], planned[id], &res); err != nil {
			return BuildResult{}, err
		}
	}
	return res, nil
}

// crew reads who walks each beat in the slot.
func (s *Service) crew(ctx context.Context, sc slotCtx) (Crew, error) {
	day, err := s.store.RosterDay(ctx, sc.dc.ID, sc.date)
	if err != nil {
		return Crew{}, err
	}
	sr, _ := day.Slot(sc.slot)
	return CrewFor(sc.dc, sc.date, sc.slot, sr), nil
}

// slotFor checks the caller and that the slot runs that day.
func (s *Service) slotFor(ctx context.Context, p postal.Principal, dcID, date string, sl postal.Slot) (slotCtx, error) {
	if !p.CanSeeDC(dcID) {
		return slotCtx{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return slotCtx{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may build manifests")
	}
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return slotCtx{}, err
	}
	loc, err := time.LoadLocation(dc.TimeZone)
	if err != nil {
		return slotCtx{}, postal.Wrap(err, postal.CodeInternal, "centre has an unknown time zone")
	}
	cal, err := s.store.Calendar(ctx, dcID)
	if err != nil {
		return slotCtx{}, err
	}
	in, ok := cal.Instance(date, sl, loc, s.now())
	if !ok {
		return slotCtx{}, postal.Invalid("no such slot", postal.FieldError{Field: "slot",
			Message: "the centre does not deliver in this slot on that date"})
	}
	return slotCtx{dc: dc, date: date, slot: sl, window: Window{Start: in.Start, End: in.End},
		capacity: cal.Capacity[sl] * 100}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// buildBeat makes or rebuilds one beat's draft for the postman walking
// it; planned keeps the articles' order (a chosen plan's) instead of
// optimising it.
func (s *Service) buildBeat(ctx context.Context, sc slotCtx, crew Crew, beatID string, arts []article.Article, planned bool, res *BuildResult) error {
	beat, _ := beatOf(sc.dc, beatID)
	walker, reason := crew.Walker(beatID)
	prev, err := s.store.ManifestFor(ctx, sc.dc.ID, beatID, sc.date, sc.slot)
	switch {
	case err != nil && !postal.IsCode(err, postal.CodeNotFound):
		return err
	case err == nil && prev.Status == StatusDraft && (reason != "" || prev.PostmanID != walker):
		// Nobody or someone else walks the beat now: the old draft goes.
		if err := s.store.DeleteDraft(ctx, prev.ID, prev.Version); err != nil {
			return err
		}
		prev = Record{}
	case reason == "" && err == nil && prev.Status == StatusDispatched:
		reason = "the manifest " + prev.ID + " is already dispatched; amend it to add this article"
	}
	if reason != "" {
		for _, a := range arts {
			res.Unassigned = append(res.Unassigned, Unassigned{ID: a.ID, Reason: reason})
		}
		return nil
	}
	r, err := s.draft(ctx, sc, beat, walker, arts, prev, planned)
	if err != nil {
		return err
	}
	if err := s.store.SaveDraft(ctx, r); err != nil {
		return err
	}
	res.Manifests = append(res.Manifests, r.Summary)
	return nil
}

func beatOf(dc centre.DC, id string) (centre.Beat, bool) {
	for _, b := range dc.Beats {
		if b.ID == id {
			return b, true
		}
	}
	return centre.Beat{}, false
}

// draft lays out a beat's articles as a manifest record for its walker.
func (s *Service) draft(ctx context.Context, sc slotCtx, beat centre.Beat, walker string, arts []article.Article, prev Record, planned bool) (Record, error) {
	m := Manifest{ID: prev.ID, Version: prev.Version + 1, DCID: sc.dc.ID, BeatID: beat.ID, PostmanID: walker,
		Date: sc.date, Slot: sc.slot, Window: sc.window, Status: StatusDraft}
	if m.ID == "" {
		m.ID = s.newID()
	}
	s.layout(ctx, &m, sc.dc, arts, planned)
	return render(m, booked(arts), sc.capacity, s.now())
}

// layout groups articles into stops and orders them (or keeps their
// order, when planned).
func (s *Service) layout(ctx context.Context, m *Manifest, dc centre.DC, arts []article.Article, planned bool) {
	if planned {
		m.Stops, m.DistanceM = Keep(dc, s.stops(arts))
	} else {
		m.Stops, m.DistanceM = s.Tour(ctx, dc, m.DCID+m.BeatID+m.Date+string(m.Slot), s.stops(arts))
	}
	setUPI(m, dc)
	m.Centre = &Point{Lat: dc.Lat, Lon: dc.Lon}
}

// Households groups articles into stops, a household each, in the order
// the articles come.
func (s *Service) Households(arts []article.Article) []Stop { return s.stops(arts) }

// stops groups articles by household, each group one stop.
func (s *Service) stops(arts []article.Article) []Stop {
	index := map[string]int{}
	var out []Stop
	for _, a := range arts {
		k := article.HouseholdKey(a)
		i, ok := index[k]
		if !ok {
			sum := sha256.Sum256([]byte(k))
			i, index[k] = len(out), len(out)
			out = append(out, Stop{StopID: hex.EncodeToString(sum[:6]), Lat: a.Recipient.Lat, Lon: a.Recipient.Lon,
				DIGIPIN: a.DIGIPIN, Address: a.Recipient.Address, RecipientName: a.Recipient.Name, Phone: a.Recipient.Phone})
		}
		st := &out[i]
		if !strings.Contains(", "+st.RecipientName+", ", ", "+a.Recipient.Name+", ") {
			st.RecipientName += ", " + a.Recipient.Name
		}
		st.Articles = append(st.Articles, Item{ID: a.ID, Service: a.Service, CODPaise: a.CODPaise, OTPRequired: s.opt.OTPRequired(a)})
	}
	return out
}

// Tour puts the stops with coordinates in the optimiser's order from the
// centre and back (seeded by key, so the same stops give the same tour),
// then those without, by address; it returns the tour's length in metres.
func (s *Service) Tour(ctx context.Context, dc centre.DC, key string, stops []Stop) ([]Stop, int64) {
	placed, unplaced, points := split(dc, stops)
	seed := sha256.Sum256([]byte(key))
	res := route.Solve(ctx, route.GeoMatrix(points, Circuity), route.Options{Budget: s.opt.RouteBudget,
		Seed: uint64(seed[0])<<8 | uint64(seed[1]), MaxNoImprove: 2000})
	out := make([]Stop, 0, len(stops))
	for _, node := range res.Order[1:] {
		out = append(out, placed[node-1])
	}
	return number(append(out, unplaced...)), res.Length
}

// Keep keeps the stops with coordinates in their order from the centre and
// back, then those without, by address; it returns the tour's length in
// metres.
func Keep(dc centre.DC, stops []Stop) ([]Stop, int64) {
	placed, unplaced, points := split(dc, stops)
	m := route.GeoMatrix(points, Circuity)
	var length int64
	for i := 1; i < len(points); i++ {
		length += m.Dist(i-1, i)
	}
	if len(points) > 1 {
		length += m.Dist(len(points)-1, 0)
	}
	return number(append(placed, unplaced...)), length
}

// split parts stops into those with coordinates (with the centre first in
// points) and those without, sorted by address.
func split(dc centre.DC, stops []Stop) (placed, unplaced []Stop, points []route.LatLon) {
	points = []route.LatLon{{Lat: dc.Lat, Lon: dc.Lon}}
	for _, st := range stops {
		if st.Lat == nil || st.Lon == nil {
			unplaced = append(unplaced, st)
			continue
		}
		placed = append(placed, st)
		points = append(points, route.LatLon{Lat: *st.Lat, Lon: *st.Lon})
	}
	sort.Slice(unplaced, func(i, j int) bool { return unplaced[i].Address < unplaced[j].Address })
	return placed, unplaced, points
}

// number sets the stops' seq in order.
func number(stops []Stop) []Stop {
	for i := range stops {
		stops[i].Seq = i + 1
	}
	return stops
}

// booked sums the articles' load in hundredths of a letter.
func booked(arts []article.Article) int {
	n := 0
	for _, a := range arts {
		n += slot.Load(a.Service)
	}
	return n
}

// render turns a manifest into the stored form: its JSON, that JSON
// gzipped (once here, never per request) and its ETag.
func render(m Manifest, booked, capacity int, at time.Time) (Record, error) {
	m.Load = Load{Letters: float64(booked) / 100, Capacity: float64(capacity) / 100, Over: booked > capacity}
	body, err := json.Marshal(m)
	if err != nil {
		return Record{}, fmt.Errorf("manifest: render: %w", err)
	}
	gz, err := Compress(body)
	if err != nil {
		return Record{}, err
	}
	r := Record{At: at, Window: m.Window, Summary: Summary{ID: m.ID, Version: m.Version, DCID: m.DCID, BeatID: m.BeatID, PostmanID: m.PostmanID,
		Date: m.Date, Slot: m.Slot, Status: m.Status, Stops: len(m.Stops), DistanceM: m.DistanceM, Load: m.Load},
		Booked: booked, Capacity: capacity, Body: body, Gzip: gz, ETag: ETagOf(body)}
	r.Articles, r.StopSeqs = articleIDs(m)
	r.Summary.Articles = len(r.Articles)
	return r, nil
}
