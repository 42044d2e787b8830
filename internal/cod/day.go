package cod

import (
	"context"
	"time"

	"dakiya/internal/postal"
)

// Totals adds up a centre's lines for a slot or a whole day.
type Totals struct {
	Slot           postal.Slot  `json:"slot,omitempty"`
	Postmen        int          `json:"postmen"` // lines: a postman in two slots counts twice in a day
	Delivered      int          `json:"cod_delivered"`
	ExpectedCash   postal.Paise `json:"expected_cash_paise"`
	CashCollected  postal.Paise `json:"cash_collected_paise"`
	UPICollected   postal.Paise `json:"upi_collected_paise"`
	UPIConfirmed   postal.Paise `json:"upi_confirmed_paise"`
	UPIUnconfirmed postal.Paise `json:"upi_unconfirmed_paise"`
	Settled        postal.Paise `json:"settled_cash_paise"`
	Difference     postal.Paise `json:"difference_paise"`
	Closed         int          `json:"closed"` // postmen whose settlement is closed
	Open           int          `json:"open"`
}

// Day is a centre's cash for one day: each slot's totals and the day's.
type Day struct {
	DCID  string   `json:"dc_id"`
	Date  string   `json:"date"`
	Slots []Totals `json:"slots"`
	Total Totals   `json:"total"`
}

// DaySummary adds up a centre's cash for a day, per slot.
func (s *Service) DaySummary(ctx context.Context, p postal.Principal, dc, date string) (Day, error) {
	if err := s.supervises(ctx, p, dc); err != nil {
		return Day{}, err
	}
	if d, err := time.Parse(time.DateOnly, date); err != nil || d.Format(time.DateOnly) != date {
		return Day{}, postal.Invalid("invalid query", postal.FieldError{Field: "date", Message: "required, YYYY-MM-DD"})
	}
	day := Day{DCID: dc, Date: date, Slots: []Totals{}}
	for _, sl := range []postal.Slot{postal.SlotMorning, postal.SlotEvening, postal.SlotSunday} {
		lines, err := s.store.CODLines(ctx, dc, date, sl)
		if err != nil {
			return Day{}, err
		}
		if len(lines) == 0 {
			continue
		}
		t := Totals{Slot: sl}
		for _, l := range lines {
			t.add(l)
			day.Total.add(l)
		}
		day.Slots = append(day.Slots, t)
	}
	return day, nil
}

func (t *Totals) add(l Line) {
	t.Postmen++
	t.Delivered += l.Delivered
	t.ExpectedCash += l.ExpectedCash
	t.CashCollected += l.CashCollected
	t.UPICollected += l.UPICollected
	t.UPIConfirmed += l.UPIConfirmed
	t.UPIUnconfirmed += l.UPIUnconfirmed
	t.Settled += l.Settled
	t.Difference += l.Difference
	if l.Closed {
		t.Closed++
	} else {
		t.Open++
	}
}
