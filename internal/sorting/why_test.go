package sorting

import (
	"bytes"
	"strings"
	"testing"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

func TestStatusProblem(t *testing.T) {
	plan := Plan{DCID: "dc", Date: "2026-11-25", Slot: postal.SlotEvening}
	at := func(dc string, st article.Status, sc *article.Schedule) article.Article {
		return article.Article{ID: "A", DCID: dc, Status: st, Schedule: sc}
	}
	for want, a := range map[string]article.Article{
		ReasonOtherCentre: at("elsewhere", article.StatusScheduled, &article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}),
		ReasonNotAtCentre: at("dc", article.StatusBooked, nil),
		ReasonUnscheduled: at("dc", article.StatusAtDC, nil),
		ReasonDispatched:  at("dc", article.StatusOutForDelivery, &article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}),
		ReasonOtherSlot:   at("dc", article.StatusScheduled, &article.Schedule{Date: "2026-11-26", Slot: postal.SlotMorning}),
		ReasonNoDraft:     at("dc", article.StatusScheduled, &article.Schedule{Date: "2026-11-25", Slot: postal.SlotEvening}),
	} {
		if got := statusProblem(plan, a); got.Reason != want || got.Detail == "" || got.ArticleID != "A" {
			t.Errorf("%s: %+v", want, got)
		}
	}
	if got := statusProblem(plan, at("dc", article.StatusHeld, nil)); got.Reason != ReasonNotAtCentre {
		t.Errorf("held: %+v", got)
	}
}

func TestRenderSheetsPagesALongBeat(t *testing.T) {
	sh := Sheet{Centre: "Koramangala", Date: "2026-11-25", Slot: postal.SlotEvening, Version: "0123456789abcdef",
		Beat: Beat{ID: "b", Name: "East", PostmanName: "Asha", Colour: palette[0], Cases: 90}}
	for i := range 90 {
		sh.Rows = append(sh.Rows, Row{Case: i + 1, ArticleID: "EE123456789IN", Recipient: "Meera Iyer",
			Address: "No. 14, 5th Cross, Koramangala, Bengaluru, a long address that must be clipped to its column"})
	}
	var one, two bytes.Buffer
	if err := RenderSheets(&one, []Sheet{sh}); err != nil {
		t.Fatal(err)
	}
	if err := RenderSheets(&two, []Sheet{sh, sh}); err != nil {
		t.Fatal(err)
	}
	p1, p2 := strings.Count(one.String(), "/Type /Page\n"), strings.Count(two.String(), "/Type /Page\n")
	if p1 < 2 || p2 != 2*p1 {
		t.Fatalf("pages: %d for one long beat, %d for two (each postman starts a page)", p1, p2)
	}
	var empty bytes.Buffer
	if err := RenderSheets(&empty, nil); err != nil || !strings.HasPrefix(empty.String(), "%PDF") {
		t.Fatal("no sheets: no PDF", err)
	}
}
