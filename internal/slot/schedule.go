package slot

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// Scheduled names an article and the slot it was put in.
type Scheduled struct {
	ID   string      `json:"id"`
	Date string      `json:"date"`
	Slot postal.Slot `json:"slot"`
}

// Unscheduled names an article that could not be put in a slot, and why.
type Unscheduled struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Result is what a scheduling run did with every article it saw.
type Result struct {
	Scheduled   []Scheduled   `json:"scheduled"`
	Unscheduled []Unscheduled `json:"unscheduled"`
}

// plan is the open slots of a centre over the horizon with each beat's
// booked load, kept up to date as articles are placed.
type plan struct {
	cal       Calendar
	instances []Instance
	loads     map[string]map[Key]int // by beat
	first     *Instance              // tried before all others: where the household goes
}

// AutoSchedule puts every article waiting at the centre into a slot: the
// sender's preferred kind of slot if one is open with room within the
// horizon, else the next open slot with room on the article's beat. Nothing
// is dropped: what cannot be placed is listed with the reason.
func (s *Service) AutoSchedule(ctx context.Context, p postal.Principal, dc string) (Result, error) {
	c, loc, err := s.centre(ctx, p, dc)
	if err != nil {
		return Result{}, err
	}
	if err := supervisor(p); err != nil {
		return Result{}, err
	}
	pl, err := s.plan(ctx, dc, loc)
	if err != nil {
		return Result{}, err
	}
	waiting, err := s.store.ArticlesToSchedule(ctx, dc)
	if err != nil {
		return Result{}, err
	}
	res := Result{Scheduled: []Scheduled{}, Unscheduled: []Unscheduled{}}
	for _, group := range households(waiting) {
		if err := s.placeHousehold(ctx, p, c.Name, pl, group, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// households groups articles by household, in the order each household
// first appears.
func households(as []article.Article) [][]article.Article {
	index := map[string]int{}
	var out [][]article.Article
	for _, a := range as {
		k := article.HouseholdKey(a)
		i, ok := index[k]
		if !ok {
			i, index[k] = len(out), len(out)
			out = append(out, nil)
		}
		out[i] = append(out[i], a)
	}
	return out
}

// placeHousehold puts a household's articles into the first slot with room
// for all of them, so they make one stop; if none has room for all, each
// article is placed on its own.
func (s *Service) placeHousehold(ctx context.Context, p postal.Principal, place string, pl *plan, group []article.Article, res *Result) error {
	first := group[0]
	if len(group) > 1 && first.BeatID != "" {
		loads, err := s.beatLoads(ctx, pl, first)
		if err != nil {
			return err
		}
		total := 0
		for _, a := range group {
			total += Load(a.Service)
		}
		for _, in := range pl.candidates(first.SlotPreference) {
			if loads[Key{in.Date, in.Slot}]+total <= pl.cal.Capacity[in.Slot]*100 {
				pl.first = &in
				break
			}
		}
	}
	defer func() { pl.first = nil }()
	for _, a := range group {
		if err := s.place(ctx, p, place, pl, a, res); err != nil {
			return err
		}
	}
	return nil
}

func supervisor(p postal.Principal) error {
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only a supervisor may schedule articles")
	}
	return nil
}

func (s *Service) plan(ctx context.Context, dc string, loc *time.Location) (*plan, error) {
	cal, err := s.store.Calendar(ctx, dc)
	if err != nil {
		return nil, err
	}
	all := cal.Instances(Today(s.now(), loc), Horizon, loc, s.now())
	open := all[:0]
	for _, in := range all {
		if in.Open {
			open = append(open, in)
		}
	}
	return &plan{cal: cal, instances: open, loads: map[string]map[Key]int{}}, nil
}

// place schedules one article, trying candidate slots in order.
func (s *Service) place(ctx context.Context, p postal.Principal, place string, pl *plan, a article.Article, res *Result) error {
	if a.BeatID == "" {
		res.Unscheduled = append(res.Unscheduled, Unscheduled{ID: a.ID, Reason: "no beat covers this address"})
		return nil
	}
	loads, err := s.beatLoads(ctx, pl, a)
	if err != nil {
		return err
	}
	for _, in := range pl.candidates(a.SlotPreference) {
		k, load, capacity := Key{in.Date, in.Slot}, Load(a.Service), pl.cal.Capacity[in.Slot]*100
		if loads[k]+load > capacity {
			continue
		}
		err := s.store.Reschedule(ctx, s.change(p, place, a, article.Schedule{Date: in.Date, Slot: in.Slot}, capacity))
		if postal.IsCode(err, postal.CodeConflict) {
			continue // filled or changed meanwhile: try the next slot
		}
		if err != nil {
			return err
		}
		loads[k] += load
		res.Scheduled = append(res.Scheduled, Scheduled{ID: a.ID, Date: in.Date, Slot: in.Slot})
		return nil
	}
	res.Unscheduled = append(res.Unscheduled, Unscheduled{ID: a.ID, Reason: "no open slot with room in the next 14 days"})
	return nil
}

func (s *Service) beatLoads(ctx context.Context, pl *plan, a article.Article) (map[Key]int, error) {
	if l, ok := pl.loads[a.BeatID]; ok {
		return l, nil
	}
	if len(pl.instances) == 0 {
		pl.loads[a.BeatID] = map[Key]int{}
		return pl.loads[a.BeatID], nil
	}
	l, err := s.store.SlotLoads(ctx, a.DCID, a.BeatID, pl.instances[0].Date, pl.instances[len(pl.instances)-1].Date)
	if err != nil {
		return nil, err
	}
	pl.loads[a.BeatID] = l
	return l, nil
}

// candidates orders the open slots: the household's slot, the preferred
// kind, then all.
func (pl *plan) candidates(pref postal.Slot) []Instance {
	if pref == "" && pl.first == nil {
		return pl.instances
	}
	out := make([]Instance, 0, 2*len(pl.instances)+1)
	if pl.first != nil {
		out = append(out, *pl.first)
	}
	for _, in := range pl.instances {
		if in.Slot == pref {
			out = append(out, in)
		}
	}
	return append(out, pl.instances...)
}

// change builds the Change that moves a into sc.
func (s *Service) change(p postal.Principal, place string, a article.Article, sc article.Schedule, capacity int) Change {
	ev := article.EventScheduled
	if a.Status != article.StatusAtDC {
		ev = article.EventRescheduled
	}
	to, _ := article.Next(a.Status, ev) // callers checked the status
	actor, limit := p.UserID, 0
	if actor == "" {
		actor, limit = "recipient", MaxRecipientChanges
	}
	return Change{ArticleID: a.ID, From: a.Status, BeatID: a.BeatID, Load: Load(a.Service), Capacity: capacity,
		Old: a.Schedule, New: sc, MaxChanges: limit, Event: article.Event{Event: ev, Status: to, At: s.now(), Place: place,
			ActorID: actor, Note: sc.Date + " " + string(sc.Slot)}}
}

// Assign puts one article into a given slot, for a supervisor: the slot
// must run that day, be before its cut-off and have room.
func (s *Service) Assign(ctx context.Context, p postal.Principal, id string, sc article.Schedule) (article.Article, error) {
	a, err := s.articleFor(ctx, id)
	if err != nil || !p.CanSeeDC(a.DCID) {
		return article.Article{}, notFoundOr(err)
	}
	if err := supervisor(p); err != nil {
		return article.Article{}, err
	}
	return s.move(ctx, p, a, sc)
}

func notFoundOr(err error) error {
	if err != nil {
		return err
	}
	return postal.Errorf(postal.CodeNotFound, "article not found")
}

func (s *Service) articleFor(ctx context.Context, rawID string) (article.Article, error) {
	id, err := postal.ParseS10(rawID)
	if err != nil {
		return article.Article{}, err
	}
	return s.store.Article(ctx, string(id))
}
