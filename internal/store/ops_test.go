package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"dakiya/internal/notify"
	"dakiya/internal/ops"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestOpsCollector: the centre's sync lag counts from its dispatch until a
// postman records an outcome, then from that outcome, and grows between
// reads; the SMS queue's depth and oldest age follow what is queued; the
// pool's figures are there; and the database is read at most once per
// refresh interval however many scrapes come.
func TestOpsCollector(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		r := newRound(t, db, 2)
		ctx := context.Background()
		dispatched := r.Clock.Now()
		c := ops.NewCollector(db, r.Clock.Now, time.Minute)
		reg := prometheus.NewRegistry()
		reg.MustRegister(c)
		sms := countQueued(t, db)

		r.Clock.Advance(10 * time.Minute)
		got := gather(t, reg)
		if lag := got[`dakiya_centre_sync_lag_seconds{dc=dc-one}`]; lag != 600 {
			t.Fatalf("lag before any outcome: %v, want 600 (from the dispatch at %s); %v", lag, dispatched, got)
		}
		if got[`dakiya_queue_depth{queue=sms}`] != float64(sms) || got[`dakiya_queue_depth{queue=webhook}`] != 0 ||
			got[`dakiya_queue_oldest_age_seconds{queue=webhook}`] != 0 || got[`dakiya_ops_read_ok`] != 1 {
			t.Fatalf("queues: %v (sms queued %d)", got, sms)
		}
		if got[`dakiya_db_pool_max_open_connections`] < 1 || got[`dakiya_db_pool_open_connections`] < 1 {
			t.Fatalf("pool: %v", got)
		}

		if err := db.RecordOutcome(ctx, r.outcome(holding(t, db, r.ids[0]), uuid.NewString())); err != nil {
			t.Fatal(err)
		}
		msg := notify.NewMessage(uuid.NewString(), "+919800000001", "hello", "slot_link", "", "", r.Clock.Now())
		if _, err := db.EnqueueSMS(ctx, msg); err != nil {
			t.Fatal(err)
		}
		r.Clock.Advance(30 * time.Second) // within the refresh interval: figures from memory
		if got := gather(t, reg); got[`dakiya_centre_sync_lag_seconds{dc=dc-one}`] != 630 || c.Reads() != 1 {
			t.Fatalf("cached read: lag %v after %d reads, want 630 after 1", got[`dakiya_centre_sync_lag_seconds{dc=dc-one}`], c.Reads())
		}
		r.Clock.Advance(31 * time.Second)
		for range 5 {
			got = gather(t, reg)
		}
		if c.Reads() != 2 {
			t.Fatalf("%d reads after six scrapes over 71 s with a 60 s refresh, want 2", c.Reads())
		}
		_, writer := got[`dakiya_db_writer_writes_total`]
		if db.Dialect() == store.SQLite {
			if !writer || got[`dakiya_db_writer_batches_total`] < 1 ||
				got[`dakiya_db_writer_writes_total`] < got[`dakiya_db_writer_batches_total`] {
				t.Fatalf("SQLite's writer: %v", got)
			}
		} else if writer {
			t.Fatalf("PostgreSQL has no one writer to report: %v", got)
		}
		if lag := got[`dakiya_centre_sync_lag_seconds{dc=dc-one}`]; lag != 61 {
			t.Fatalf("lag after an outcome 61 s ago: %v", lag)
		}
		if got[`dakiya_queue_depth{queue=sms}`] != float64(sms+1) || got[`dakiya_queue_oldest_age_seconds{queue=sms}`] < 61 {
			t.Fatalf("sms queue after one more: %v (was %d)", got, sms)
		}
	})
}

func countQueued(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowForTest(context.Background(), "SELECT COUNT(*) FROM sms WHERE status = 'queued'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// gather scrapes reg into name{label=value,…} → value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			if len(m.GetLabel()) > 0 {
				key += "{"
				for i, l := range m.GetLabel() {
					if i > 0 {
						key += ","
					}
					key += l.GetName() + "=" + l.GetValue()
				}
				key += "}"
			}
			out[key] = value(m)
		}
	}
	return out
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	}
	return 0
}
