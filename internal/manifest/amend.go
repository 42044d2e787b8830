package manifest

import (
	"context"
	"slices"
	"strconv"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// amended works out a manifest's articles after an amendment, checking
// each id: removed ones must be on it and still out, added ones scheduled
// at the same centre and on no other manifest.
func (s *Service) amended(ctx context.Context, r Record, am Amendment) ([]article.Article, []string, []string, error) {
	if len(am.Add)+len(am.Remove) == 0 || len(am.Add)+len(am.Remove) > 500 {
		return nil, nil, nil, postal.Invalid("an amendment adds or removes 1 to 500 articles")
	}
	// One read for the manifest's articles and the added ones, whatever
	// the manifest's size.
	want := slices.Clone(r.Articles)
	for _, raw := range am.Add {
		if id, err := postal.ParseS10(raw); err == nil {
			want = append(want, string(id))
		}
	}
	known, err := s.store.ArticlesByID(ctx, want)
	if err != nil {
		return nil, nil, nil, err
	}
	removed, err := checkRemoved(r, am.Remove, known)
	if err != nil {
		return nil, nil, nil, err
	}
	var arts []article.Article
	for _, id := range r.Articles {
		if slices.Contains(removed, id) {
			continue
		}
		a, ok := known[id]
		if !ok {
			return nil, nil, nil, postal.Errorf(postal.CodeNotFound, "article not found")
		}
		arts = append(arts, a)
	}
	added, err := s.checkAdded(ctx, r, am.Add, known)
	if err != nil {
		return nil, nil, nil, err
	}
	ids := make([]string, len(added))
	for i, a := range added {
		ids[i] = a.ID
	}
	return append(arts, added...), ids, removed, nil
}

func checkRemoved(r Record, raw []string, known map[string]article.Article) ([]string, error) {
	var out []string
	for i, rawID := range raw {
		id, err := postal.ParseS10(rawID)
		if err != nil || !slices.Contains(r.Articles, string(id)) || slices.Contains(out, string(id)) {
			return nil, postal.Invalid("invalid amendment", postal.FieldError{Field: fieldAt("remove", i),
				Message: "not an article on this manifest"})
		}
		a, ok := known[string(id)]
		if !ok {
			return nil, postal.Errorf(postal.CodeNotFound, "article not found")
		}
		if a.Status != article.StatusOutForDelivery {
			return nil, postal.Errorf(postal.CodeConflict, "article %s is already %s", a.ID, a.Status)
		}
		out = append(out, a.ID)
	}
	return out, nil
}

func (s *Service) checkAdded(ctx context.Context, r Record, raw []string, known map[string]article.Article) ([]article.Article, error) {
	var out []article.Article
	for i, rawID := range raw {
		bad := postal.Invalid("invalid amendment", postal.FieldError{Field: fieldAt("add", i),
			Message: "not a scheduled article of this centre"})
		id, err := postal.ParseS10(rawID)
		if err != nil || slices.Contains(r.Articles, string(id)) || slices.ContainsFunc(out, func(a article.Article) bool { return a.ID == string(id) }) {
			return nil, bad
		}
		a, ok := known[string(id)]
		if !ok || a.DCID != r.DCID {
			return nil, bad
		}
		if on, err := s.store.DraftOf(ctx, a.ID); err != nil || on != "" {
			if err != nil {
				return nil, err
			}
			return nil, postal.Errorf(postal.CodeConflict, "article %s is on the draft %s; rebuild that one instead", a.ID, on)
		}
		if a.Status != article.StatusScheduled {
			return nil, postal.Errorf(postal.CodeConflict, "article %s is %s, not scheduled", a.ID, a.Status)
		}
		out = append(out, a)
	}
	return out, nil
}

func fieldAt(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
