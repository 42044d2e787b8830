package proof

import (
	"context"
	"fmt"
	"strings"

	"dakiya/internal/postal"
)

// MaxNamed is the most proofs one outcome may name.
const MaxNamed = 20

// ForArticle returns an article's proofs, oldest first. It checks no
// caller: the article's own service has already decided who sees it.
func (s *Service) ForArticle(ctx context.Context, articleID string) ([]Meta, error) {
	return s.store.ProofsOf(ctx, articleID)
}

// Owned returns the proofs an outcome names, in the order named, if every
// one exists, is of articleID and was captured by p, and none is named
// twice. Otherwise it is CodeUnprocessable listing each bad id, and which
// of the three was wrong is not said, so another postman's proofs stay
// hidden.
func (s *Service) Owned(ctx context.Context, p postal.Principal, ids []string, articleID string) ([]Meta, error) {
	if len(ids) > MaxNamed {
		return nil, postal.Invalid(fmt.Sprintf("at most %d proofs per outcome", MaxNamed),
			postal.FieldError{Field: "proof_ids", Message: fmt.Sprintf("%d named", len(ids))})
	}
	found, err := s.store.ProofsByID(ctx, wellFormed(ids))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Meta, len(found))
	for _, m := range found {
		byID[m.ID] = m
	}
	out := make([]Meta, 0, len(ids))
	var bad []postal.FieldError
	seen := make(map[string]bool, len(ids))
	for i, raw := range ids {
		id := strings.ToLower(raw)
		m, ok := byID[id]
		if !ok || seen[id] || m.ArticleID != articleID || m.PostmanID != p.UserID {
			bad = append(bad, postal.FieldError{Field: fmt.Sprintf("proof_ids[%d]", i),
				Message: fmt.Sprintf("%q is not a proof of this article that you captured, or is named twice", raw)})
			continue
		}
		seen[id] = true
		out = append(out, m)
	}
	if len(bad) > 0 {
		return nil, &postal.Error{Code: postal.CodeUnprocessable, Message: "some proofs cannot be used for this outcome", Fields: bad}
	}
	return out, nil
}

// wellFormed keeps the ids worth looking up, lower-cased.
func wellFormed(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if isUUID(id) {
			out = append(out, strings.ToLower(id))
		}
	}
	return out
}

// Kinds is Owned for the delivery outcome, which needs only the kind of
// each proof it names, in the order named.
func (s *Service) Kinds(ctx context.Context, p postal.Principal, ids []string, articleID string) ([]string, error) {
	ms, err := s.Owned(ctx, p, ids, articleID)
	if err != nil {
		return nil, err
	}
	kinds := make([]string, len(ms))
	for i, m := range ms {
		kinds[i] = string(m.Kind)
	}
	return kinds, nil
}
