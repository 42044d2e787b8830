package remit

import (
	"context"
	"log/slog"
	"time"
)

// WorkEvery is how often the worker looks for days to make statements for.
const WorkEvery = time.Hour

// Tick makes yesterday's statement (at each partner's billing centre) for
// every partner with money collected up to then that is in no statement;
// a partner with nothing collected gets none (an admin may still make an
// empty one). Safe on several replicas at once: a partner has one
// statement per day, and a second maker answers it. It returns how many
// statements it made and the first error, going on past errors.
func (s *Service) Tick(ctx context.Context) (int, error) {
	ps, err := s.store.Partners(ctx)
	if err != nil {
		return 0, err
	}
	made, first := 0, error(nil)
	for _, p := range ps {
		ok, err := s.makeYesterday(ctx, p.ID, p.BillingDC)
		if err != nil && first == nil {
			first = err
		}
		if ok {
			made++
		}
	}
	return made, first
}

func (s *Service) makeYesterday(ctx context.Context, partnerID, dc string) (bool, error) {
	today, err := s.today(ctx, dc)
	if err != nil {
		return false, err
	}
	t, _ := time.Parse(time.DateOnly, today)
	day := t.AddDate(0, 0, -1).Format(time.DateOnly)
	open, err := s.store.OpenLines(ctx, partnerID)
	if err != nil {
		return false, err
	}
	for _, o := range open {
		if o.Awaiting == "" && o.CollectedOn <= day {
			_, made, err := s.make(ctx, partnerID, day, "system")
			return made, err
		}
	}
	return false, nil
}

// Run calls Tick every WorkEvery until ctx ends, logging what it did.
func (s *Service) Run(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(WorkEvery)
	defer t.Stop()
	for {
		n, err := s.Tick(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("remittance statements failed", "made", n, "error", err.Error())
		case n > 0:
			log.Info("remittance statements made", "made", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
