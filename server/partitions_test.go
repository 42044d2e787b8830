package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dakiya/internal/config"
	"dakiya/internal/testkit"
)

// TestPartitionWorker: the worker makes the months' partitions at start,
// and after a tick on a clock moved two months on, the new months too
// (and, with a retention, drops the old); it stops with its context.
func TestPartitionWorker(t *testing.T) {
	db := testkit.Postgres(t)
	clock := testkit.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	ticks := make(chan time.Time)
	waited := make(chan time.Duration, 4)
	w := partitionWorker{db: db, now: clock.Now, cfg: config.Partitions{MonthsAhead: 1, KeepMonths: 1},
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		after: func(d time.Duration) <-chan time.Time { waited <- d; return ticks }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	if d := <-waited; d != partitionEvery {
		t.Fatalf("waits %s between rounds", d)
	}
	has := func(names ...string) {
		t.Helper()
		parts, err := db.Partitions(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if _, ok := parts[n]; !ok {
				t.Fatalf("no %s: %v", n, parts)
			}
		}
	}
	has("deliveries_y2026m11", "deliveries_y2026m12", "article_events_y2026m12")
	clock.Set(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC))
	ticks <- clock.Now()
	<-waited // the second round is over
	has("deliveries_y2027m01", "deliveries_y2027m02", "deliveries_y2026m12")
	parts, err := db.Partitions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parts["deliveries_y2026m11"]; ok {
		t.Fatalf("November kept past a one-month retention: %v", parts)
	}
	cancel()
	<-done
}

// TestPartitionsCommand: on PostgreSQL the command creates the months and
// prints them with their rows; run again it creates nothing; on SQLite it
// says there is nothing to do; a stray argument is refused.
func TestPartitionsCommand(t *testing.T) {
	ctx := context.Background()
	s3 := map[string]string{"DAKIYA_S3_ACCESS_KEY": "a", "DAKIYA_S3_SECRET_KEY": "b"} // configured, never contacted
	env := map[string]string{"DAKIYA_DB": testkit.PostgresURL(t), "DAKIYA_VAR": t.TempDir(), "DAKIYA_PARTITION_MONTHS_AHEAD": "3"}
	for k, v := range s3 {
		env[k] = v
	}
	var first struct {
		Partitioned bool             `json:"partitioned"`
		Created     []string         `json:"created"`
		Rows        map[string]int64 `json:"rows"`
	}
	out, err := runCmd(ctx, env, "", "partitions")
	if err != nil || json.Unmarshal([]byte(out), &first) != nil || !first.Partitioned || len(first.Created) != 8 {
		t.Fatalf("partitions: %v %s", err, out)
	}
	if _, ok := first.Rows["deliveries_default"]; !ok {
		t.Fatalf("rows: %v", first.Rows)
	}
	out, err = runCmd(ctx, env, "", "partitions", "-ahead", "1")
	if err != nil || !strings.Contains(out, `"created":[]`) {
		t.Fatalf("second run: %v %s", err, out)
	}
	lite := map[string]string{"DAKIYA_DB": "sqlite:" + filepath.Join(t.TempDir(), "d.db"), "DAKIYA_VAR": t.TempDir()}
	for k, v := range s3 {
		lite[k] = v
	}
	if out, err := runCmd(ctx, lite, "", "partitions"); err != nil || !strings.Contains(out, `"partitioned":false`) {
		t.Fatalf("sqlite: %v %s", err, out)
	}
	if _, err := runCmd(ctx, lite, "", "partitions", "now"); err == nil {
		t.Fatal("a stray argument was taken")
	}
	if _, err := runCmd(ctx, map[string]string{"DAKIYA_DB": lite["DAKIYA_DB"], "DAKIYA_PARTITION_MONTHS_AHEAD": "x",
		"DAKIYA_S3_ACCESS_KEY": "a", "DAKIYA_S3_SECRET_KEY": "b"}, "", "partitions"); err == nil {
		t.Fatal("a bad setting was taken")
	}
}
