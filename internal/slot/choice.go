package slot

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// Option is a slot a recipient may choose.
type Option struct {
	Date  string      `json:"date"`
	Slot  postal.Slot `json:"slot"`
	Start time.Time   `json:"start"`
	End   time.Time   `json:"end"`
}

// ChoiceView is what a recipient's link shows: the article, the slots still
// open with room, and the current one. It shows no personal data.
type ChoiceView struct {
	ArticleID string            `json:"article_id"`
	Status    article.Status    `json:"status"`
	Centre    string            `json:"centre"`
	Options   []Option          `json:"options"`
	Current   *article.Schedule `json:"current"`
}

// choiceDays is how far ahead a recipient may choose.
const choiceDays = 7

// Choice shows the slots a recipient may choose through a link.
func (s *Service) Choice(ctx context.Context, token string) (ChoiceView, error) {
	a, err := s.linked(ctx, token)
	if err != nil {
		return ChoiceView{}, err
	}
	return s.view(ctx, a)
}

// Choose moves the linked article into the slot the recipient picked: 409
// when it is past the cut-off, full, or the article is already on its way.
func (s *Service) Choose(ctx context.Context, token string, sc article.Schedule) (ChoiceView, error) {
	a, err := s.linked(ctx, token)
	if err != nil {
		return ChoiceView{}, err
	}
	if err := checkSchedule(sc); err != nil {
		return ChoiceView{}, err
	}
	a, err = s.move(ctx, postal.Principal{}, a, sc)
	if err != nil {
		return ChoiceView{}, err
	}
	return s.view(ctx, a)
}

func (s *Service) linked(ctx context.Context, token string) (article.Article, error) {
	id, err := s.links.Parse(token, s.now())
	if err != nil {
		return article.Article{}, err
	}
	return s.store.Article(ctx, id)
}

// view lists the open slots with room on the article's beat.
func (s *Service) view(ctx context.Context, a article.Article) (ChoiceView, error) {
	c, loc, err := s.centreZone(ctx, a.DCID)
	if err != nil {
		return ChoiceView{}, err
	}
	v := ChoiceView{ArticleID: a.ID, Status: a.Status, Centre: c.Name, Current: a.Schedule, Options: []Option{}}
	if !schedulable(a.Status) || a.BeatID == "" {
		return v, nil
	}
	cal, err := s.store.Calendar(ctx, a.DCID)
	if err != nil {
		return ChoiceView{}, err
	}
	ins := cal.Instances(Today(s.now(), loc), choiceDays, loc, s.now())
	if len(ins) == 0 {
		return v, nil
	}
	loads, err := s.store.SlotLoads(ctx, a.DCID, a.BeatID, ins[0].Date, ins[len(ins)-1].Date)
	if err != nil {
		return ChoiceView{}, err
	}
	for _, in := range ins {
		mine := a.Schedule != nil && a.Schedule.Date == in.Date && a.Schedule.Slot == in.Slot
		if in.Open && (mine || loads[Key{in.Date, in.Slot}]+Load(a.Service) <= cal.Capacity[in.Slot]*100) {
			v.Options = append(v.Options, Option{Date: in.Date, Slot: in.Slot, Start: in.Start, End: in.End})
		}
	}
	return v, nil
}
