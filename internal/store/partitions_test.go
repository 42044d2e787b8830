package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// partitionOf names the partition holding the row a query finds.
func partitionOf(t *testing.T, db *store.DB, query string, args ...any) string {
	t.Helper()
	var name string
	if err := db.QueryRowForTest(context.Background(), query, args...).Scan(&name); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return name
}

// insertOutcome writes an outcome row directly, as the backfill tests do.
func insertOutcome(ctx context.Context, db *store.DB, c *testkit.Centre, id, article, assignment, date string) error {
	return db.ExecForTest(ctx, `INSERT INTO deliveries (id, article_id, dc_id, postman_id, manifest_id, date, slot,
		outcome, reason_code, captured_at, created_at, assignment_id) VALUES (?, ?, 'dc-one', ?, 'm-x', ?, 'morning',
		'failed', '01', 1, 1, ?)`, id, article, c.PostmanA.UserID, date, assignment)
}

// TestPartitionsByMonth: outcomes and events written before maintenance
// wait in the DEFAULT partition; EnsurePartitions creates this month and
// the next two, moves them into their month, and is a no-op when run
// again; later rows land in their month directly. SQLite has no
// partitions and the call does nothing there.
func TestPartitionsByMonth(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 2)
		ctx := context.Background()
		r.Clock.Advance(time.Hour)
		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[0]), "d-1")); err != nil {
			t.Fatal(err)
		}
		now := r.Clock.Now()
		rep, err := db.EnsurePartitions(ctx, now, 2)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == store.SQLite {
			if len(rep.Created) != 0 || rep.Moved != 0 {
				t.Fatalf("sqlite partitioned: %+v", rep)
			}
			return
		}
		want := []string{"deliveries_y2026m11", "deliveries_y2026m12", "deliveries_y2027m01",
			"article_events_y2026m11", "article_events_y2026m12", "article_events_y2027m01"}
		if !slices.Equal(rep.Created, want) {
			t.Fatalf("created %v, want %v", rep.Created, want)
		}
		var events int64
		if err := db.QueryRowForTest(ctx, "SELECT COUNT(*) FROM article_events").Scan(&events); err != nil {
			t.Fatal(err)
		}
		if rep.Moved != 1+events {
			t.Fatalf("moved %d rows, want the outcome and %d events", rep.Moved, events)
		}
		if p := partitionOf(t, db, "SELECT tableoid::regclass::text FROM deliveries WHERE id = 'd-1'"); p != "deliveries_y2026m11" {
			t.Fatalf("outcome in %s", p)
		}
		var left int
		if err := db.QueryRowForTest(ctx, `SELECT (SELECT COUNT(*) FROM deliveries_default) +
			(SELECT COUNT(*) FROM article_events_default)`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d rows left in DEFAULT: %v", left, err)
		}
		var inNov int64
		if err := db.QueryRowForTest(ctx, "SELECT COUNT(*) FROM article_events_y2026m11").Scan(&inNov); err != nil || inNov != events {
			t.Fatalf("%d of %d events in November: %v", inNov, events, err)
		}
		again, err := db.EnsurePartitions(ctx, now, 2)
		if err != nil || len(again.Created) != 0 || again.Moved != 0 {
			t.Fatalf("second run: %+v %v", again, err)
		}
		// Written after maintenance: straight into its month, through the
		// application's own path, and still read back whole.
		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[1]), "d-2")); err != nil {
			t.Fatal(err)
		}
		if p := partitionOf(t, db, "SELECT tableoid::regclass::text FROM deliveries WHERE id = 'd-2'"); p != "deliveries_y2026m11" {
			t.Fatalf("new outcome in %s", p)
		}
		if err := insertOutcome(ctx, db, r.Centre, "d-dec", r.ids[1], "as-dec", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		if p := partitionOf(t, db, "SELECT tableoid::regclass::text FROM deliveries WHERE id = 'd-dec'"); p != "deliveries_y2026m12" {
			t.Fatalf("31 December in %s", p)
		}
		evs, err := db.Events(ctx, r.ids[1])
		if err != nil || len(evs) == 0 || evs[len(evs)-1].Status != "delivered" {
			t.Fatalf("events read back: %+v %v", evs, err)
		}
		parts, err := db.Partitions(ctx)
		if err != nil || parts["deliveries_y2026m11"] != 2 || parts["deliveries_y2026m12"] != 1 || parts["deliveries_default"] != 0 {
			t.Fatalf("partitions: %v %v", parts, err)
		}
	})
}

// TestOneOutcomePerAssignmentAcrossMonths: an assignment's second outcome
// is refused even when its date falls in another month's partition, and so
// is a second outcome with a used id; the refusal is a conflict, as the
// delivery service expects.
func TestOneOutcomePerAssignmentAcrossMonths(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
		ids := c.Book(t, testkit.ArticleSpec{Serial: 53100001, Service: postal.ServiceSpeedPost})
		ctx := context.Background()
		if _, err := db.EnsurePartitions(ctx, c.Clock.Now(), 2); err != nil {
			t.Fatal(err)
		}
		if err := insertOutcome(ctx, db, c, "d-1", ids[0], "as-1", "2026-11-30"); err != nil {
			t.Fatal(err)
		}
		for name, row := range map[string][3]string{
			"same assignment, next month": {"d-2", "as-1", "2026-12-01"},
			"same assignment, far month":  {"d-3", "as-1", "2031-05-05"}, // DEFAULT partition
			"same id, next month":         {"d-1", "as-2", "2026-12-02"},
		} {
			err := insertOutcome(ctx, db, c, row[0], ids[0], row[1], row[2])
			if err == nil {
				t.Fatalf("%s: accepted", name)
			}
			if !strings.Contains(err.Error(), "23505") && !strings.Contains(strings.ToLower(err.Error()), "unique") {
				t.Fatalf("%s: %v, want a unique violation", name, err)
			}
		}
		var n int
		if err := db.QueryRowForTest(ctx, "SELECT COUNT(*) FROM deliveries").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d outcomes: %v", n, err)
		}
		if err := insertOutcome(ctx, db, c, "d-4", ids[0], "as-2", "2026-12-02"); err != nil {
			t.Fatalf("another assignment: %v", err)
		}
	})
}

// TestConcurrentPartitionMaintenance: several replicas' maintenance at
// once, on separate connections, creates each partition once, moves every
// waiting row once and fails none of them.
func TestConcurrentPartitionMaintenance(t *testing.T) {
	db := testkit.Postgres(t)
	c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
	ids := c.Book(t, testkit.ArticleSpec{Serial: 53200001, Service: postal.ServiceSpeedPost})
	ctx := context.Background()
	// Outcomes waiting in DEFAULT across five months.
	for i, date := range []string{"2026-08-03", "2026-09-10", "2026-10-31", "2026-11-01", "2027-01-15"} {
		if err := insertOutcome(ctx, db, c, fmt.Sprintf("d-%d", i), ids[0], fmt.Sprintf("as-%d", i), date); err != nil {
			t.Fatal(err)
		}
	}
	const replicas = 4
	var wg sync.WaitGroup
	reps := make([]store.PartitionReport, replicas)
	errs := make([]error, replicas)
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = db.EnsurePartitions(ctx, c.Clock.Now(), 3)
		}()
	}
	wg.Wait()
	var created []string
	var moved int64
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		created = append(created, reps[i].Created...)
		moved += reps[i].Moved
	}
	slices.Sort(created)
	if len(slices.Compact(slices.Clone(created))) != len(created) {
		t.Fatalf("a partition created twice: %v", created)
	}
	parts, err := db.Partitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"y2026m08", "y2026m09", "y2026m10", "y2026m11", "y2026m12", "y2027m01", "y2027m02"} {
		if _, ok := parts["deliveries_"+m]; !ok {
			t.Fatalf("no deliveries_%s: %v", m, parts)
		}
	}
	if moved < 5 || parts["deliveries_default"] != 0 {
		t.Fatalf("moved %d, left %d in DEFAULT", moved, parts["deliveries_default"])
	}
	var n int
	if err := db.QueryRowForTest(ctx, "SELECT COUNT(*) FROM deliveries").Scan(&n); err != nil || n != 5 {
		t.Fatalf("%d outcomes after maintenance: %v", n, err)
	}
}

// TestPartitionPruning: the hot reads by slot date and by event time
// touch their month's partition only (PostgreSQL prunes the others at
// planning time).
func TestPartitionPruning(t *testing.T) {
	db := testkit.Postgres(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if _, err := db.EnsurePartitions(ctx, now, 3); err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC).UnixMilli()
	for name, q := range map[string]string{
		"a slot's outcomes": `EXPLAIN SELECT postman_id, COUNT(*) FROM deliveries
			WHERE dc_id = 'dc-one' AND date = '2026-12-04' AND slot = 'morning' GROUP BY postman_id`,
		"a week of outcomes": `EXPLAIN SELECT date, outcome, COUNT(*) FROM deliveries
			WHERE dc_id = 'dc-one' AND date BETWEEN '2026-12-01' AND '2026-12-07' GROUP BY date, outcome`,
		"a day's events": fmt.Sprintf(`EXPLAIN SELECT article_id, status FROM article_events
			WHERE at >= %d AND at < %d`, from, from+86_400_000),
	} {
		plan := explain(t, db, q)
		for _, m := range []string{"y2026m11", "y2027m01", "y2027m02", "_default"} {
			if strings.Contains(plan, m) {
				t.Fatalf("%s reads %s:\n%s", name, m, plan)
			}
		}
		if !strings.Contains(plan, "y2026m12") {
			t.Fatalf("%s skips December:\n%s", name, plan)
		}
	}
}

func explain(t *testing.T, db *store.DB, q string) string {
	t.Helper()
	lines, err := db.QueryStringsForTest(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(lines, "\n")
}

// TestDropOldPartitions: months older than the retention are detached and
// dropped, newer ones kept; the old outcome's key stays, so its assignment
// still takes no second outcome.
func TestDropOldPartitions(t *testing.T) {
	db := testkit.Postgres(t)
	c := testkit.NewCentre(t, db, time.Date(2026, 11, 25, 9, 0, 0, 0, ist))
	ids := c.Book(t, testkit.ArticleSpec{Serial: 53300001, Service: postal.ServiceSpeedPost})
	ctx := context.Background()
	if err := insertOutcome(ctx, db, c, "d-old", ids[0], "as-old", "2026-11-26"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsurePartitions(ctx, c.Clock.Now(), 2); err != nil {
		t.Fatal(err)
	}
	later := time.Date(2027, 3, 10, 0, 0, 0, 0, time.UTC)
	if _, err := db.EnsurePartitions(ctx, later, 1); err != nil {
		t.Fatal(err)
	}
	dropped, err := db.DropPartitionsBefore(ctx, later, 2) // keep January onwards
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"deliveries_y2026m11", "deliveries_y2026m12", "article_events_y2026m11", "article_events_y2026m12"}
	if !slices.Equal(dropped, want) {
		t.Fatalf("dropped %v, want %v", dropped, want)
	}
	parts, err := db.Partitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"y2027m01", "y2027m03", "y2027m04"} {
		if _, ok := parts["deliveries_"+m]; !ok {
			t.Fatalf("deliveries_%s dropped: %v", m, parts)
		}
	}
	if err := insertOutcome(ctx, db, c, "d-new", ids[0], "as-old", "2027-03-10"); err == nil {
		t.Fatal("a second outcome for a dropped month's assignment was accepted")
	}
	if d, err := db.DropPartitionsBefore(ctx, later, 0); err != nil || len(d) != 0 {
		t.Fatalf("keep everything dropped %v %v", d, err)
	}
}

// TestEventsMigrationKeepsRows takes PostgreSQL back to before 0033, with
// the events of a delivered round in the plain table, and migrates: every
// event is still there, in order, in the DEFAULT partition until
// maintenance moves it.
func TestEventsMigrationKeepsRows(t *testing.T) {
	db := testkit.Postgres(t)
	r := newRound(t, db, 2)
	ctx := context.Background()
	r.Clock.Advance(time.Hour)
	if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[0]), "d-1")); err != nil {
		t.Fatal(err)
	}
	before, err := db.Events(ctx, r.ids[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE article_events_flat (LIKE article_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
		"INSERT INTO article_events_flat SELECT * FROM article_events",
		"DROP TABLE article_events",
		"ALTER TABLE article_events_flat RENAME TO article_events",
		"ALTER TABLE article_events ADD PRIMARY KEY (article_id, seq)",
		"DELETE FROM schema_migrations WHERE version = 33",
	} {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if n, err := db.Migrate(ctx, r.Clock.Now()); err != nil || n != 1 {
		t.Fatalf("migrate: %d %v", n, err)
	}
	after, err := db.Events(ctx, r.ids[0])
	if err != nil || !slices.Equal(before, after) {
		t.Fatalf("events before %+v\nafter %+v (%v)", before, after, err)
	}
	if p := partitionOf(t, db, "SELECT DISTINCT tableoid::regclass::text FROM article_events"); p != "article_events_default" {
		t.Fatalf("events in %s", p)
	}
	if _, err := db.EnsurePartitions(ctx, r.Clock.Now(), 0); err != nil {
		t.Fatal(err)
	}
	if p := partitionOf(t, db, "SELECT DISTINCT tableoid::regclass::text FROM article_events"); p != "article_events_y2026m11" {
		t.Fatalf("events in %s after maintenance", p)
	}
}
