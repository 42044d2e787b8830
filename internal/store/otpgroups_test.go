package store_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// legacyOTPs is the otps table as migrations 0004 to 0013 left it: one
// code per article.
const legacyOTPs = `CREATE TABLE otps (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id),
    sealed_seed TEXT NOT NULL,
    counter     BIGINT NOT NULL,
    resends     INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    locked_at   BIGINT,
    consumed_at BIGINT,
    expires_at  BIGINT NOT NULL,
    check_value TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
)`

// TestMigrationGroupsCodes runs migration 0014 on codes issued one per
// article: each becomes a group of one named by its article, with its
// counter, tries, resends, lock and check; its seed still opens (it was
// sealed bound to the article's id, now the group's), and an article's
// use of its code is kept.
func TestMigrationGroupsCodes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 2)
		ctx := context.Background()
		sealer, err := otp.NewSealer([]byte("otp seal key for tests, 32 bytes"))
		if err != nil {
			t.Fatal(err)
		}
		seed, _ := otp.NewSeed()
		sealed, err := sealer.Seal(r.ids[0], seed)
		if err != nil {
			t.Fatal(err)
		}
		at := r.Clock.Now().Add(time.Hour).UnixMilli()
		for _, q := range []string{"DROP TABLE otp_articles", "DROP TABLE otp_groups", legacyOTPs} {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.ExecForTest(ctx, `INSERT INTO otps (article_id, sealed_seed, counter, resends, attempts, locked_at, consumed_at,
			expires_at, check_value, updated_at) VALUES (?, ?, 2, 2, 5, ?, NULL, ?, 'v1:check-a', 1), (?, 'x', 0, 0, 0, NULL, ?, ?, 'v1:check-b', 1)`,
			r.ids[0], sealed, at, at, r.ids[1], at, at); err != nil {
			t.Fatal(err)
		}
		ms, err := store.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ms, func(m store.Migration) bool { return m.Version == 14 })
		if i < 0 {
			t.Fatal("no migration 0014")
		}
		if err := db.ExecForTest(ctx, ms[i].SQL); err != nil {
			t.Fatal(err)
		}
		st, err := db.OTP(ctx, r.ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if st.GroupID != r.ids[0] || st.Counter != 2 || st.Resends != 2 || st.Attempts != 5 || st.LockedAt == nil ||
			st.ConsumedAt != nil || st.Check != "v1:check-a" || st.ExpiresAt.UnixMilli() != at {
			t.Fatalf("migrated code: %+v", st)
		}
		if got, err := sealer.Open(st.GroupID, st.Sealed); err != nil || !bytes.Equal(got, seed) {
			t.Fatalf("the migrated seed does not open: %v", err)
		}
		if used, err := db.OTP(ctx, r.ids[1]); err != nil || used.ConsumedAt == nil || used.GroupID != r.ids[1] {
			t.Fatalf("a used code after the migration: %+v %v", used, err)
		}
		if err := db.UnlockOTP(ctx, st.GroupID); err != nil {
			t.Fatal(err)
		}
		if st, _ := db.OTP(ctx, r.ids[0]); st.Attempts != 0 || st.LockedAt != nil {
			t.Fatalf("unlock after the migration: %+v", st)
		}
		checks, err := db.OTPChecks(ctx, r.manifest)
		if err != nil || checks[r.ids[0]].Group != r.ids[0] || checks[r.ids[0]].Check != "v1:check-a" {
			t.Fatalf("checks after the migration: %v %v", checks, err)
		}
	})
}

// TestGroupTriesShareOneCount: a household's three articles share one
// code row: tries reserved through any of them count once against it and
// the fifth locks it for all; a right try given back frees its count; the
// group lists only the articles its code still serves.
func TestGroupTriesShareOneCount(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		var specs []testkit.ArticleSpec
		for i := range 3 {
			specs = append(specs, testkit.ArticleSpec{Serial: 54000001 + i, Service: postal.ServiceSpeedPost,
				Address: "No. 7, 5th Cross, Koramangala", Lat: 12.9401, Lon: 77.6301, Phone: "+919870000007"})
		}
		r := newRoundOf(t, db, specs)
		ctx := context.Background()
		var group string
		for _, id := range r.ids {
			st, err := db.OTP(ctx, id)
			if err != nil || (group != "" && st.GroupID != group) {
				t.Fatalf("%s: %+v %v, want group %q", id, st, err, group)
			}
			group = st.GroupID
		}
		if n := countRows(t, db, "sms"); n != 1 {
			t.Fatalf("%d SMS for one household, want 1", n)
		}
		try := func(i int) otp.Try {
			t.Helper()
			got, err := db.ReserveTry(ctx, otp.TryRequest{ArticleID: r.ids[i%3], GroupID: group, PostmanID: r.PostmanA.UserID,
				At: r.Clock.Now(), MaxTries: 5, PostmanMax: 30, PostmanSince: r.Clock.Now().Add(-time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		first := try(0)
		if first.Tries != 1 || db.ReturnTry(ctx, group, 0, first.Attempt) != nil {
			t.Fatalf("first try: %+v", first)
		}
		for i := range 5 {
			if got := try(i); got.Refused != "" || got.Tries != i+1 {
				t.Fatalf("try %d through %s: %+v, want %d counted on the group", i+1, r.ids[i%3], got, i+1)
			}
		}
		for i := range 3 {
			if got := try(i); got.Refused != otp.RefusedArticle {
				t.Fatalf("after five, through %s: %+v, want refused", r.ids[i], got)
			}
		}
		if _, err := db.ConsumeOTP(ctx, r.ids[1], r.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if left, err := db.GroupArticles(ctx, group); err != nil || !slices.Equal(left, []string{r.ids[0], r.ids[2]}) {
			t.Fatalf("group articles after one delivery: %v %v", left, err)
		}
	})
}
