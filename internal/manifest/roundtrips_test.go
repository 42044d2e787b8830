package manifest_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/outbox"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/secret"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
	"dakiya/internal/webhook"
)

// TestDispatchStatementsDoNotGrow dispatches a manifest of 10 articles and
// one of 200 and counts the SQL statements each takes, reads included:
// the same number, so a manifest's size costs no round trips. Half the
// articles are a partner's, with two webhook subscriptions (one of which
// wants the dispatch's event) and, for a quarter, an ONDC order: each owed
// message is queued exactly once, in the same statements.
func TestDispatchStatementsDoNotGrow(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		f.svc = withCodes(t, f)
		ctx := context.Background()
		cal := slot.DefaultCalendar()
		cal.Capacity[postal.SlotEvening] = 1000
		if _, err := f.slots.PutCalendar(ctx, f.Supervisor, "dc-one", cal, ""); err != nil {
			t.Fatal(err)
		}
		partnerID := partnerWithHooks(t, f)
		count := map[int]int64{}
		for k, n := range []int{10, 200} {
			date := []string{"2026-11-25", "2026-11-26"}[k]
			specs := households(f, n*3/4+1, n)
			for i := range specs {
				specs[i].Serial = 70000001 + k*1000 + i
				if i%3 == 0 {
					specs[i].Service, specs[i].COD = postal.ServiceParcel, 9900 // some need a code
				}
			}
			ids := f.Book(t, specs...)
			owed := map[outbox.Kind]int{}
			for i, id := range ids {
				if i%2 == 0 {
					byPartner(t, db, partnerID, id, i%4 == 0)
					owed[outbox.KindWebhook]++
					if i%4 == 0 {
						owed[outbox.KindONDC]++
					}
				}
			}
			for _, id := range ids {
				if _, err := f.slots.Assign(ctx, f.Supervisor, id, article.Schedule{Date: date, Slot: postal.SlotEvening}); err != nil {
					t.Fatalf("assign %s: %v", id, err)
				}
			}
			res, err := f.svc.Build(ctx, f.Supervisor, "dc-one", date, postal.SlotEvening)
			if err != nil || len(res.Manifests) != 1 || res.Manifests[0].Articles != n {
				t.Fatalf("build of %d: %+v %v", n, res, err)
			}
			queued := outboxCounts(t, db)
			before := db.SQLCount()
			if _, err := f.svc.Dispatch(ctx, f.Supervisor, res.Manifests[0].ID); err != nil {
				t.Fatalf("dispatch of %d: %v", n, err)
			}
			count[n] = db.SQLCount() - before
			after := outboxCounts(t, db)
			for _, kind := range []outbox.Kind{outbox.KindWebhook, outbox.KindONDC} {
				if got := after[kind] - queued[kind]; got != owed[kind] {
					t.Fatalf("dispatch of %d queued %d %s messages, want %d", n, got, kind, owed[kind])
				}
			}
			out := 0
			for _, id := range ids {
				if f.status(t, id) == article.StatusOutForDelivery {
					out++
				}
			}
			if out != n {
				t.Fatalf("dispatch of %d sent %d out", n, out)
			}
			codes := itemsOf(t, db, res.Manifests[0].ID)
			withCode := 0
			for _, it := range codes {
				if it.OTPGroup != "" {
					withCode++
				}
			}
			if withCode == 0 {
				t.Fatalf("dispatch of %d issued no codes", n)
			}
		}
		t.Logf("%s: dispatch of 10 articles: %d statements, of 200: %d", db.Dialect(), count[10], count[200])
		if count[200] != count[10] || count[10] > 20 {
			t.Fatalf("statements: %d for 10 articles, %d for 200", count[10], count[200])
		}
	})
}

// partnerWithHooks makes a partner with two webhook subscriptions: one to
// every event, one to deliveries only.
func partnerWithHooks(t *testing.T, f fix) string {
	t.Helper()
	ctx := context.Background()
	p, err := partner.New(f.DB, f.Clock.Now, uuid.NewString).Create(ctx, f.Admin, partner.Input{Name: "Acme Books", BillingDC: "dc-one"})
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := secret.NewSealer([]byte("webhook seal key for tests 32 by"))
	if err != nil {
		t.Fatal(err)
	}
	hooks := webhook.New(f.DB, sealer, func(context.Context, string) error { return nil }, f.Clock.Now, uuid.NewString)
	pctx := postal.WithPartner(ctx, postal.Partner{ID: p.ID, KeyID: "k1", Scopes: []postal.Scope{postal.ScopeWebhooks}})
	for i, events := range [][]string{{webhook.All}, {webhook.TypeDelivered}} {
		if _, err := hooks.Create(pctx, webhook.Input{URL: "https://partner.example/hook/" + strconv.Itoa(i), Events: events}); err != nil {
			t.Fatal(err)
		}
	}
	return p.ID
}

// byPartner makes article id partnerID's and, with ondcOrder, gives it a
// confirmed ONDC order.
func byPartner(t *testing.T, db *store.DB, partnerID, id string, ondcOrder bool) {
	t.Helper()
	ctx := context.Background()
	var got string
	if err := db.QueryRowForTest(ctx, "UPDATE articles SET partner_id = ? WHERE id = ? RETURNING id", partnerID, id).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !ondcOrder {
		return
	}
	if err := db.QueryRowForTest(ctx, `INSERT INTO ondc_orders (id, partner_id, bap_id, transaction_id, bap_uri, city, stage,
		article_id, priced, doc, created_at, updated_at) VALUES (?, ?, 'bap.example', ?, 'https://bap.example', 'std:080',
		'confirmed', ?, '{}', '{}', 0, 0) RETURNING id`, "order-"+id, partnerID, "txn-"+id, id).Scan(&got); err != nil {
		t.Fatal(err)
	}
}

// outboxCounts counts the outbox's messages by kind.
func outboxCounts(t *testing.T, db *store.DB) map[outbox.Kind]int {
	t.Helper()
	out := map[outbox.Kind]int{}
	for _, kind := range []outbox.Kind{outbox.KindWebhook, outbox.KindONDC} {
		var n int
		if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM outbox WHERE kind = ?", string(kind)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[kind] = n
	}
	return out
}
