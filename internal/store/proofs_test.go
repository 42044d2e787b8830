package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/idem"
	"dakiya/internal/proof"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestInsertProofOnlyInCustody: the row itself is refused (proof.ErrNotHeld)
// once the uploader no longer holds the article out for delivery, however
// late after the service's own check the insert comes: another postman's,
// after the article went back to the counter, after its outcome.
func TestInsertProofOnlyInCustody(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 2)
		ctx := context.Background()
		insert := func(id, postman string) error {
			pid := uuid.NewString()
			return db.InsertProof(ctx, proof.Meta{ID: pid, ArticleID: id, DCID: "dc-one", PostmanID: postman,
				Kind: proof.KindPhoto, ObjectKey: "proofs/" + pid + ".jpg", ContentType: "image/jpeg", Size: 1,
				SHA256: "00", Width: 1, Height: 1, IdempotencyKey: pid, CreatedAt: r.Clock.Now()}, proof.MaxPerArticle, idem.Completion{})
		}
		if err := insert(r.ids[0], r.PostmanA.UserID); err != nil {
			t.Fatalf("the custodian, out: %v", err)
		}
		if err := insert(r.ids[0], r.PostmanB.UserID); !errors.Is(err, proof.ErrNotHeld) {
			t.Fatalf("another postman: %v, want not held", err)
		}
		held := article.Event{Event: article.EventHeldAtCounter, Status: article.StatusHeld,
			Code: article.UPUCode(article.EventHeldAtCounter), At: r.Clock.Now(), Place: "Koramangala DC", ActorID: r.Supervisor.UserID}
		if err := db.AppendEvent(ctx, r.ids[1], article.StatusOutForDelivery, held, nil); err != nil {
			t.Fatal(err)
		}
		if err := insert(r.ids[1], r.PostmanA.UserID); !errors.Is(err, proof.ErrNotHeld) {
			t.Fatalf("back at the counter: %v, want not held", err)
		}
		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[0]), "d-1")); err != nil {
			t.Fatal(err)
		}
		if err := insert(r.ids[0], r.PostmanA.UserID); !errors.Is(err, proof.ErrNotHeld) {
			t.Fatalf("after the outcome: %v, want not held", err)
		}
		if n := countRows(t, db, "proofs"); n != 1 {
			t.Fatalf("%d proof rows, want 1", n)
		}
	})
}
