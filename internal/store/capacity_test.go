package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/delivery"
	"dakiya/internal/idem"
	"dakiya/internal/manifest"
	"dakiya/internal/notify"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
	"dakiya/internal/slot"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestMeasureRowsPerDelivery measures, on PostgreSQL, how many bytes of
// tables and indexes one delivery leaves behind: each article booked,
// given a slot, put on a manifest, dispatched (its code and SMS), then a
// photo and a signature proof and the outcome recorded through the store,
// each with its idempotency key, as the API writes them. It runs only with
// DAKIYA_MEASURE_ROWS set (1 for 5000 deliveries, or a number of them),
// for the README's capacity plan, and prints one line per table.
func TestMeasureRowsPerDelivery(t *testing.T) {
	raw := os.Getenv("DAKIYA_MEASURE_ROWS")
	if raw == "" {
		t.Skip("set DAKIYA_MEASURE_ROWS=1 (or a number of deliveries) to measure bytes per delivery")
	}
	total := 5000
	if n, err := strconv.Atoi(raw); err == nil && n > 1 {
		total = n
	}
	const perDay = 250
	db := testkit.Postgres(t)
	ctx := context.Background()
	sizes := func() map[string]int64 {
		t.Helper()
		if err := db.ExecForTest(ctx, "VACUUM ANALYZE"); err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryStringsForTest(ctx, `SELECT c.relname || '=' || pg_total_relation_size(c.oid)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r'`)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, r := range rows {
			var name string
			var size int64
			for i := len(r) - 1; i >= 0; i-- {
				if r[i] == '=' {
					name = r[:i]
					size, _ = strconv.ParseInt(r[i+1:], 10, 64)
					break
				}
			}
			out[name] = size
		}
		return out
	}
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, ist)
	c := testkit.NewCentre(t, db, start)
	sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	issuer := otp.NewIssuer(sealer, testkit.SMSSealer(t), otp.DefaultPolicy(), c.Clock.Now, uuid.NewString)
	mf := manifest.New(db, c.Clock.Now, uuid.NewString, manifest.Options{RouteBudget: 20 * time.Millisecond, Codes: &issuer})
	slots := slot.New(db, slot.NewLinks(make([]byte, 32), "http://x"), c.Clock.Now)
	cal := slot.DefaultCalendar()
	cal.Capacity[postal.SlotEvening] = 1000
	if _, err := slots.PutCalendar(ctx, c.Supervisor, "dc-one", cal, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsurePartitions(ctx, start, 2); err != nil {
		t.Fatal(err)
	}
	before := sizes()
	var walBefore string
	if err := db.QueryRowForTest(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&walBefore); err != nil {
		t.Fatal(err)
	}
	done := 0
	for day := 0; done < total; day++ {
		c.Clock.Set(start.AddDate(0, 0, day))
		if c.Clock.Now().Weekday() == time.Sunday {
			continue
		}
		date := c.Clock.Now().Format(time.DateOnly)
		n := min(perDay, total-done)
		specs := make([]testkit.ArticleSpec, n)
		for i := range specs {
			specs[i] = testkit.ArticleSpec{Serial: 10000000 + done + i, Service: postal.ServiceSpeedPost}
		}
		ids := c.Book(t, specs...)
		for _, id := range ids {
			if _, err := slots.Assign(ctx, c.Supervisor, id, article.Schedule{Date: date, Slot: postal.SlotEvening}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := mf.Build(ctx, c.Supervisor, "dc-one", date, postal.SlotEvening)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Manifests {
			if _, err := mf.Dispatch(ctx, c.Supervisor, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		c.Clock.Advance(8 * time.Hour)
		for i, id := range ids {
			measuredOutcome(t, db, c, id, fmt.Sprintf("%s-%d", date, i))
		}
		done += n
	}
	var wal int64
	if err := db.QueryRowForTest(ctx, "SELECT pg_current_wal_lsn() - ?::pg_lsn", walBefore).Scan(&wal); err != nil {
		t.Fatal(err)
	}
	after := sizes()
	type row struct {
		name  string
		bytes int64
	}
	var rows []row
	var sum int64
	for name, b := range after {
		d := b - before[name]
		sum += d
		if d > 0 {
			rows = append(rows, row{name, d})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].bytes > rows[j].bytes })
	for _, r := range rows {
		t.Logf("MEASURE table %-32s %8.0f bytes/delivery", r.name, float64(r.bytes)/float64(total))
	}
	t.Logf("MEASURE deliveries=%d total=%.0f bytes/delivery wal=%.0f bytes/delivery (cluster-wide: an upper bound when other databases are busy)",
		total, float64(sum)/float64(total), float64(wal)/float64(total))
}

// measuredOutcome writes what one delivery writes from the phone: a photo
// and a signature (rows only; the objects live in S3) and the outcome with
// its SMS, each under an idempotency key holding its answer.
func measuredOutcome(t *testing.T, db *store.DB, c *testkit.Centre, articleID, tag string) {
	t.Helper()
	ctx := context.Background()
	now := c.Clock.Now()
	owner := c.PostmanA.UserID
	key := func(kind string) string {
		k := uuid.NewString()
		sum := sha256.Sum256([]byte(kind + k))
		if _, err := db.BeginIdempotent(ctx, owner, k, hex.EncodeToString(sum[:]), now, time.Minute); err != nil {
			t.Fatal(err)
		}
		return k
	}
	var proofIDs []string
	for _, p := range []struct {
		kind proof.Kind
		size int64
		ct   string
	}{{proof.KindPhoto, 115_000, "image/jpeg"}, {proof.KindSignature, 6_000, "image/png"}} {
		id := uuid.NewString()
		k := key(string(p.kind))
		sum := sha256.Sum256([]byte(id))
		m := proof.Meta{ID: id, ArticleID: articleID, DCID: "dc-one", PostmanID: owner, Kind: p.kind,
			ObjectKey: fmt.Sprintf("proofs/dc-one/%s/%s/%s", now.Format("2006/01/02"), articleID, id), ContentType: p.ct,
			Size: p.size, SHA256: hex.EncodeToString(sum[:]), Width: 1280, Height: 960, IdempotencyKey: k, CreatedAt: now}
		body := fmt.Sprintf(`{"id":%q,"article_id":%q,"kind":%q,"content_type":%q,"size":%d,"sha256":%q,"created_at":%q}`,
			id, articleID, p.kind, p.ct, p.size, m.SHA256, now.Format(time.RFC3339))
		if err := db.InsertProof(ctx, m, 4, idem.Completion{Owner: owner, Key: k, Status: 201, Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
		proofIDs = append(proofIDs, id)
	}
	h, err := db.Holding(ctx, articleID)
	if err != nil {
		t.Fatal(err)
	}
	k := key("outcome")
	lat, lon, acc := 12.9352, 77.6245, 8.0
	d := delivery.Delivery{ID: uuid.NewString(), ArticleID: articleID, DCID: h.DCID, PostmanID: owner, ManifestID: h.ManifestID,
		Date: h.Date, Slot: h.Slot, Outcome: delivery.Delivered, CapturedAt: now, Review: "pending", CreatedAt: now,
		Flags: []string{}, ProofIDs: proofIDs, AssignmentID: h.AssignmentID, Status: article.StatusDelivered, OTPGiven: true,
		Location: &delivery.Location{Lat: lat, Lon: lon, AccuracyM: acc, FixAt: &now}}
	sms := notify.NewMessage(uuid.NewString(), "+919800000000", "Your Speed Post "+articleID+" was delivered at 17:10. India Post",
		"delivered", articleID, "", now)
	body := fmt.Sprintf(`{"id":%q,"article_id":%q,"outcome":"delivered","article_status":"delivered","flags":[],"proof_ids":[%q,%q],"tag":%q}`,
		d.ID, articleID, proofIDs[0], proofIDs[1], tag)
	if err := db.RecordOutcome(ctx, delivery.Record{Delivery: d, ConsumeOTP: true, From: article.StatusOutForDelivery,
		Events: []article.Event{{Event: article.EventDelivered, Status: article.StatusDelivered,
			Code: article.UPUCode(article.EventDelivered), At: now, ActorID: owner}},
		SMS: &sms, Completion: idem.Completion{Owner: owner, Key: k, Status: 201, Body: []byte(body)}}); err != nil {
		t.Fatal(err)
	}
}
