package cod

import (
	"context"

	"dakiya/internal/postal"
)

// Entries lists a centre's settlement entries for a slot, by postman and
// then in the order they were made, each with the slot's difference after
// it (the postman's entries so far, it included, minus the cash expected
// when it was made): the ledger a supervisor closes and corrects from.
func (s *Service) Entries(ctx context.Context, p postal.Principal, dc, date, sl string) ([]Settlement, error) {
	if err := s.supervises(ctx, p, dc); err != nil {
		return nil, err
	}
	if err := checkDay(date, sl); err != nil {
		return nil, err
	}
	entries, err := s.store.Settlements(ctx, dc, date, postal.Slot(sl))
	if err != nil {
		return nil, err
	}
	running := map[string]postal.Paise{}
	for i, e := range entries {
		running[e.PostmanID] += e.CashReceived
		entries[i].Difference = running[e.PostmanID] - e.ExpectedCash
	}
	return entries, nil
}
