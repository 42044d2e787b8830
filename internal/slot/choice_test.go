package slot_test

import (
	"context"
	"sync"
	"testing"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// choices are four open slots at wednesday04, for a recipient to switch
// between.
var choices = []article.Schedule{
	{Date: "2026-11-25", Slot: postal.SlotMorning}, {Date: "2026-11-25", Slot: postal.SlotEvening},
	{Date: "2026-11-26", Slot: postal.SlotMorning}, {Date: "2026-11-26", Slot: postal.SlotEvening},
}

// recipientChanges reads the stored count and the recipient's own
// scheduling events of an article, which must agree.
func recipientChanges(t *testing.T, db *store.DB, id string) (count, events int) {
	t.Helper()
	ctx := context.Background()
	if err := db.QueryRowForTest(ctx, "SELECT recipient_changes FROM articles WHERE id = ?", id).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowForTest(ctx, "SELECT COUNT(*) FROM article_events WHERE article_id = ? AND actor_id = ?", id, "recipient").Scan(&events); err != nil {
		t.Fatal(err)
	}
	return count, events
}

func TestRecipientChangesAreCapped(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		c, s, links := setup(t, db, 100)
		other := slot.New(db, links, c.Clock.Now) // a second replica on the same database
		id := c.Book(t, testkit.ArticleSpec{Serial: 50000001})[0]
		tok := links.Token(id, c.Clock.Now())
		ctx := context.Background()
		for i := range slot.MaxRecipientChanges {
			svc := []*slot.Service{s, other}[i%2]
			if _, err := svc.Choose(ctx, tok, choices[i%len(choices)]); err != nil {
				t.Fatalf("change %d: %v", i+1, err)
			}
		}
		if _, err := other.Choose(ctx, tok, choices[slot.MaxRecipientChanges%len(choices)]); !postal.IsCode(err, postal.CodeRateLimited) {
			t.Fatalf("change %d: %v, want a rate limit", slot.MaxRecipientChanges+1, err)
		}
		if _, err := s.Choose(ctx, tok, choices[(slot.MaxRecipientChanges-1)%len(choices)]); err != nil {
			t.Fatalf("choosing the current slot again changes nothing and must not be refused: %v", err)
		}
		if _, err := s.Assign(ctx, c.Supervisor, id, choices[3]); err != nil {
			t.Fatalf("the centre may still move it: %v", err)
		}
		if n, ev := recipientChanges(t, db, id); n != slot.MaxRecipientChanges || ev != n {
			t.Fatalf("counted %d changes, %d recipient events; want %d", n, ev, slot.MaxRecipientChanges)
		}
	})
}

func TestRecipientChangeCapUnderConcurrency(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		c, s, links := setup(t, db, 100)
		other := slot.New(db, links, c.Clock.Now)
		id := c.Book(t, testkit.ArticleSpec{Serial: 50000002})[0]
		tok := links.Token(id, c.Clock.Now())
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				svc := []*slot.Service{s, other}[i%2]
				_, err := svc.Choose(context.Background(), tok, choices[i%len(choices)])
				if err != nil && !postal.IsCode(err, postal.CodeRateLimited) && !postal.IsCode(err, postal.CodeConflict) &&
					!postal.IsCode(err, postal.CodeUnavailable) {
					t.Errorf("choose: %v", err)
				}
			})
		}
		wg.Wait()
		n, ev := recipientChanges(t, db, id)
		if n > slot.MaxRecipientChanges || n == 0 || ev != n {
			t.Fatalf("40 concurrent choices made %d counted changes and %d recipient events; want 1..%d, equal",
				n, ev, slot.MaxRecipientChanges)
		}
	})
}
