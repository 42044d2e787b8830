package beatplan

import (
	"context"
	"encoding/json"
	"fmt"

	"dakiya/internal/manifest"
	"dakiya/internal/postal"
)

// Get returns a stored proposal of a centre.
func (s *Service) Get(ctx context.Context, p postal.Principal, dcID, id string) (Proposal, error) {
	_, out, err := s.load(ctx, p, dcID, id)
	return out, err
}

// load reads a proposal the caller may see.
func (s *Service) load(ctx context.Context, p postal.Principal, dcID, id string) (Record, Proposal, error) {
	if err := check(p, dcID); err != nil {
		return Record{}, Proposal{}, err
	}
	rec, err := s.store.BeatPlan(ctx, id)
	if err != nil {
		return Record{}, Proposal{}, err
	}
	if rec.DCID != dcID {
		return Record{}, Proposal{}, postal.Errorf(postal.CodeNotFound, "beat plan not found")
	}
	var out Proposal
	if err := json.Unmarshal(rec.Body, &out); err != nil {
		return Record{}, Proposal{}, fmt.Errorf("beatplan: decode %s: %w", id, err)
	}
	out.Chosen = rec.Chosen
	return rec, out, nil
}

// Choose makes the proposal's slot follow it: the next build gives each
// postman the plan's articles in the plan's order. A plan whose articles
// have since gone out or left the slot, or whose postmen no longer walk
// its beats, is refused (a conflict): propose again. Choosing the chosen
// plan again changes nothing.
func (s *Service) Choose(ctx context.Context, p postal.Principal, dcID, id string) (Proposal, error) {
	rec, out, err := s.load(ctx, p, dcID, id)
	if err != nil {
		return Proposal{}, err
	}
	if err := s.fresh(ctx, out); err != nil {
		return Proposal{}, err
	}
	if err := s.store.ChooseBeatPlan(ctx, rec, p.UserID, s.now()); err != nil {
		return Proposal{}, err
	}
	out.Chosen = true
	return out, nil
}

// fresh checks that a proposal still fits the slot.
func (s *Service) fresh(ctx context.Context, out Proposal) error {
	arts, err := s.store.ScheduledFor(ctx, out.DCID, out.Date, out.Slot)
	if err != nil {
		return err
	}
	still := make(map[string]bool, len(arts))
	for _, a := range arts {
		still[a.ID] = true
	}
	in, err := s.input(ctx, out.DCID, out.Date, out.Slot)
	if err != nil {
		return err
	}
	crew := manifest.CrewFor(in.DC, out.Date, out.Slot, in.Roster)
	for _, r := range out.Routes {
		for _, a := range r.ArticleIDs {
			if !still[a] {
				return postal.Errorf(postal.CodeConflict, "article %s has left the slot or gone out since this plan was made; propose again", a)
			}
		}
		if w, _ := crew.Walker(r.BeatID); w != r.PostmanID && len(r.ArticleIDs) > 0 {
			return postal.Errorf(postal.CodeConflict, "the roster changed since this plan was made: %s no longer walks beat %s; propose again", r.Name, r.BeatID)
		}
	}
	return nil
}

// Clear takes the proposal's slot back to the fixed beats, if it follows
// this proposal; otherwise nothing changes.
func (s *Service) Clear(ctx context.Context, p postal.Principal, dcID, id string) (Proposal, error) {
	rec, out, err := s.load(ctx, p, dcID, id)
	if err != nil {
		return Proposal{}, err
	}
	if rec.Chosen {
		if _, err := s.store.ClearBeatPlan(ctx, dcID, rec.Date, rec.Slot); err != nil {
			return Proposal{}, err
		}
	}
	out.Chosen = false
	return out, nil
}
