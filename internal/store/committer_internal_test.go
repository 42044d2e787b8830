package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dakiya/internal/postal"
)

// openCommitterDB opens a SQLite database with one table, t(k), for the
// committer's tests.
func openCommitterDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.run().exec(context.Background(), "CREATE TABLE t (k TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	return db
}

// holdWriter queues a job that blocks the committer until the returned
// func is called, so that jobs queued meanwhile form one batch.
func holdWriter(t *testing.T, db *DB) func() {
	t.Helper()
	release, started := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.inTx(context.Background(), "hold", func(r runner) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	return func() {
		close(release)
		if err := <-done; err != nil {
			t.Errorf("holding job: %v", err)
		}
	}
}

// waitQueued waits until n jobs wait for the committer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	for len(db.w.jobs) < n {
		time.Sleep(time.Millisecond)
	}
}

// keys returns the rows of t.
func keys(t *testing.T, db *DB) map[string]bool {
	t.Helper()
	rows, err := db.run().query(context.Background(), "SELECT k FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		got[k] = true
	}
	return got
}

// insertKey is a job that writes the row k.
func insertKey(ctx context.Context, k string) func(r runner) error {
	return func(r runner) error {
		_, err := r.exec(ctx, "INSERT INTO t (k) VALUES (?)", k)
		return err
	}
}

// runQueued starts one goroutine per job, waits until all are queued
// behind the held writer, releases it and returns each job's answer.
func runQueued(t *testing.T, db *DB, jobs []func(r runner) error) []error {
	t.Helper()
	release := holdWriter(t, db)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, fn := range jobs {
		wg.Go(func() { errs[i] = db.inTx(context.Background(), fmt.Sprint("job ", i), fn) })
	}
	waitQueued(t, db, len(jobs))
	batches := db.w.batches.Load()
	release()
	wg.Wait()
	if got := db.w.batches.Load() - batches; got != 1 { // the holding job's began before
		t.Fatalf("the %d queued jobs took %d transactions, want 1 batch", len(jobs), got)
	}
	return errs
}

// TestCommitterBatchFailsJobsAlone: jobs queued together share one
// commit; a job that fails (an error of its own, or a statement refused
// by a constraint after it wrote) leaves nothing of its own and takes
// nothing from the others, which are all committed before they are
// answered.
func TestCommitterBatchFailsJobsAlone(t *testing.T) {
	db := openCommitterDB(t)
	ctx := context.Background()
	if _, err := db.run().exec(ctx, "INSERT INTO t (k) VALUES ('taken')"); err != nil {
		t.Fatal(err)
	}
	mine := errors.New("refused by the job")
	var jobs []func(r runner) error
	for i := range 12 {
		k := fmt.Sprint("k", i)
		jobs = append(jobs, func(r runner) error {
			if _, err := r.exec(ctx, "INSERT INTO t (k) VALUES (?)", k); err != nil {
				return err
			}
			switch i % 3 {
			case 1:
				return mine
			case 2:
				_, err := r.exec(ctx, "INSERT INTO t (k) VALUES ('taken')")
				return classify("insert", err)
			}
			return nil
		})
	}
	errs := runQueued(t, db, jobs)
	got := keys(t, db)
	for i, err := range errs {
		k := fmt.Sprint("k", i)
		switch i % 3 {
		case 0:
			if err != nil || !got[k] {
				t.Errorf("job %d: %v, row written %v; want committed", i, err, got[k])
			}
		case 1:
			if !errors.Is(err, mine) || got[k] {
				t.Errorf("job %d: %v, row written %v; want its own error and no row", i, err, got[k])
			}
		case 2:
			if postal.ErrorCode(err) != postal.CodeConflict || got[k] {
				t.Errorf("job %d: %v, row written %v; want a conflict and no row", i, err, got[k])
			}
		}
	}
	if len(got) != 1+4 {
		t.Errorf("rows %v, want taken and the 4 committed jobs'", got)
	}
}

// TestCommitterLostTransactionFailsBatch: when a job leaves the shared
// transaction unusable (here it ends it itself), every job of the batch
// is answered with an outage and nothing of the batch is written; the
// writer goes on with the next batch.
func TestCommitterLostTransactionFailsBatch(t *testing.T) {
	db := openCommitterDB(t)
	ctx := context.Background()
	jobs := []func(r runner) error{insertKey(ctx, "a"), func(r runner) error {
		_, err := r.exec(ctx, "ROLLBACK")
		return err
	}, insertKey(ctx, "b")}
	for i, err := range runQueued(t, db, jobs) {
		if err == nil {
			t.Errorf("job %d succeeded in a lost transaction", i)
		}
	}
	if got := keys(t, db); len(got) != 0 {
		t.Errorf("rows %v written by a lost batch", got)
	}
	if err := db.inTx(ctx, "after", insertKey(ctx, "c")); err != nil || !keys(t, db)["c"] {
		t.Fatalf("the writer did not go on after a lost batch: %v", err)
	}
}

// TestCommitterCancelledBeforeStart: a job whose request has gone before
// the writer reaches it never runs and says so; one already queued is
// answered, never abandoned.
func TestCommitterCancelledBeforeStart(t *testing.T) {
	db := openCommitterDB(t)
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- db.inTx(ctx, "gone", func(r runner) error {
			_, err := r.exec(ctx, "INSERT INTO t (k) VALUES ('gone')")
			return err
		})
	}()
	waitQueued(t, db, 1)
	cancel()
	release()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled job answered %v, want context.Canceled", err)
	}
	if keys(t, db)["gone"] {
		t.Error("a cancelled job's row was written")
	}
}

// TestCommitterPreparesStatements: a write run again is sent through a
// statement prepared on the writing connection, not parsed again.
func TestCommitterPreparesStatements(t *testing.T) {
	db := openCommitterDB(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := db.run().exec(ctx, "INSERT INTO t (k) VALUES (?)", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	var prepared bool
	db.inTx(ctx, "look", func(r runner) error { // on the writer's goroutine, which owns the cache
		_, prepared = db.w.prepared["INSERT INTO t (k) VALUES (?)"]
		return nil
	})
	if !prepared {
		t.Error("the insert was not prepared on the writing connection")
	}
	if got := keys(t, db); len(got) != 3 {
		t.Errorf("rows %v, want 3", got)
	}
}

// TestCommitterClosed: after Close, a write is refused as an outage
// instead of waiting forever.
func TestCommitterClosed(t *testing.T) {
	db := openCommitterDB(t)
	db.Close()
	err := db.inTx(context.Background(), "late", func(r runner) error { return nil })
	if postal.ErrorCode(err) != postal.CodeUnavailable {
		t.Errorf("write after close: %v, want unavailable", err)
	}
}

// TestCommitterJobPanics: a job that panics rolls back its own writes and
// panics again on the goroutine that queued it; the writer lives on and
// the other jobs of its batch are committed.
func TestCommitterJobPanics(t *testing.T) {
	db := openCommitterDB(t)
	ctx := context.Background()
	release := holdWriter(t, db)
	recovered := make(chan any, 1)
	go func() {
		defer func() { recovered <- recover() }()
		db.inTx(ctx, "panics", func(r runner) error {
			insertKey(ctx, "p")(r)
			panic("boom")
		})
	}()
	errc := make(chan error, 1)
	go func() { errc <- db.inTx(ctx, "fine", insertKey(ctx, "f")) }()
	waitQueued(t, db, 2)
	release()
	if v := <-recovered; v == nil || !strings.Contains(fmt.Sprint(v), "boom") {
		t.Errorf("the queuing goroutine recovered %v, want the job's panic", v)
	}
	if err := <-errc; err != nil {
		t.Errorf("the other job of the batch: %v", err)
	}
	got := keys(t, db)
	if got["p"] || !got["f"] {
		t.Errorf("rows %v, want f alone", got)
	}
}
