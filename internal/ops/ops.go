// Package ops exports what an operator watches beyond the per-request
// metrics: how long since each centre's postmen last synced, how deep and
// how old the SMS and webhook queues are, and the database pool. The
// database figures are read at most once per refresh interval, however many
// scrapers ask, and served from memory in between.
package ops

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// CentreSync is when a centre last sent out a manifest and when one of its
// postmen last synced after that (zero when none has yet).
type CentreSync struct {
	DCID       string
	Dispatched time.Time
	LastSync   time.Time
}

// Since is when the centre was last heard of: its latest sync, or the
// dispatch when no postman has synced since.
func (s CentreSync) Since() time.Time {
	if s.LastSync.After(s.Dispatched) {
		return s.LastSync
	}
	return s.Dispatched
}

// Queue is a queue of messages waiting to be sent: how many, and when the
// oldest was queued (zero when it is empty).
type Queue struct {
	Name   string
	Depth  int64
	Oldest time.Time
}

// WriterStats are the figures of a database with one writer (SQLite):
// writes waiting for it, the transactions it committed them in and the
// writes it ran, so writes per commit is Writes / Batches.
type WriterStats struct {
	Queued  int
	Batches int64
	Writes  int64
}

// Source reads the figures from the database.
type Source interface {
	CentreSyncs(ctx context.Context, since time.Time) ([]CentreSync, error)
	Queues(ctx context.Context) ([]Queue, error)
	PoolStats() sql.DBStats
	// WriterStats reports false for a database without one writer.
	WriterStats() (WriterStats, bool)
}

// Window is how far back a dispatched manifest keeps its centre watched.
const Window = 24 * time.Hour

// DefaultRefresh is how often the database is read at most.
const DefaultRefresh = 15 * time.Second

// Collector is a prometheus.Collector over a Source. It reads the
// database at most once per refresh interval, whatever the number of
// scrapes; the ages it reports are computed at each scrape from the times
// it read, so they keep growing between reads.
type Collector struct {
	src     Source
	now     func() time.Time
	refresh time.Duration

	mu     sync.Mutex
	readAt time.Time
	syncs  []CentreSync
	queues []Queue
	ok     bool
	reads  int

	lag, depth, age, readOK                   *prometheus.Desc
	inUse, idle, open, maxOpen, waits, waited *prometheus.Desc
	queued, batches, writes                   *prometheus.Desc
}

// NewCollector returns a collector over src on the clock now, reading the
// database at most every refresh (DefaultRefresh when zero).
func NewCollector(src Source, now func() time.Time, refresh time.Duration) *Collector {
	if refresh <= 0 {
		refresh = DefaultRefresh
	}
	pool := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("dakiya_db_pool_"+name, help, nil, nil)
	}
	return &Collector{src: src, now: now, refresh: refresh,
		lag: prometheus.NewDesc("dakiya_centre_sync_lag_seconds",
			"Seconds since a postman of the centre last synced an outcome, counted from the centre's latest dispatch when none has since; centres with a manifest sent out in the last 24 h.",
			[]string{"dc"}, nil),
		depth:   prometheus.NewDesc("dakiya_queue_depth", "Messages waiting to be sent, by queue (sms, webhook, ondc).", []string{"queue"}, nil),
		age:     prometheus.NewDesc("dakiya_queue_oldest_age_seconds", "Age of the oldest message waiting to be sent, by queue; 0 when the queue is empty.", []string{"queue"}, nil),
		readOK:  prometheus.NewDesc("dakiya_ops_read_ok", "1 when the latest read of the operations figures from the database succeeded, else 0.", nil, nil),
		inUse:   pool("in_use_connections", "Database connections in use."),
		idle:    pool("idle_connections", "Idle database connections."),
		open:    pool("open_connections", "Open database connections, in use and idle."),
		maxOpen: pool("max_open_connections", "The most database connections the pool opens."),
		waits:   pool("wait_count_total", "Times a query waited for a free database connection."),
		waited:  pool("wait_duration_seconds_total", "Total time queries waited for a free database connection."),
		queued:  prometheus.NewDesc("dakiya_db_writer_queued", "Writes waiting for SQLite's one writer.", nil, nil),
		batches: prometheus.NewDesc("dakiya_db_writer_batches_total", "Transactions SQLite's one writer ran, each committing the writes queued together.", nil, nil),
		writes:  prometheus.NewDesc("dakiya_db_writer_writes_total", "Writes SQLite's one writer ran (writes per commit: this rate over the batches' rate).", nil, nil),
	}
}

// Describe sends the descriptors of every metric the collector exports.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.lag, c.depth, c.age, c.readOK, c.inUse, c.idle, c.open, c.maxOpen, c.waits, c.waited,
		c.queued, c.batches, c.writes} {
		ch <- d
	}
}

// Collect sends the current figures, reading the database first when the
// last read is older than the refresh interval.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	now := c.now()
	syncs, queues, ok := c.read(now)
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for _, s := range syncs {
		gauge(c.lag, max(0, now.Sub(s.Since()).Seconds()), s.DCID)
	}
	for _, q := range queues {
		gauge(c.depth, float64(q.Depth), q.Name)
		age := 0.0
		if !q.Oldest.IsZero() {
			age = max(0, now.Sub(q.Oldest).Seconds())
		}
		gauge(c.age, age, q.Name)
	}
	gauge(c.readOK, b2f(ok))
	st := c.src.PoolStats()
	gauge(c.inUse, float64(st.InUse))
	gauge(c.idle, float64(st.Idle))
	gauge(c.open, float64(st.OpenConnections))
	gauge(c.maxOpen, float64(st.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(c.waits, prometheus.CounterValue, float64(st.WaitCount))
	ch <- prometheus.MustNewConstMetric(c.waited, prometheus.CounterValue, st.WaitDuration.Seconds())
	if w, ok := c.src.WriterStats(); ok {
		gauge(c.queued, float64(w.Queued))
		ch <- prometheus.MustNewConstMetric(c.batches, prometheus.CounterValue, float64(w.Batches))
		ch <- prometheus.MustNewConstMetric(c.writes, prometheus.CounterValue, float64(w.Writes))
	}
}

// read returns the cached figures, reading them again when they are stale.
// Concurrent scrapes wait for one read rather than each making their own.
// A failed read keeps the previous figures and reports ok false.
func (c *Collector) read(now time.Time) ([]CentreSync, []Queue, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reads > 0 && now.Sub(c.readAt) < c.refresh && !now.Before(c.readAt) {
		return c.syncs, c.queues, c.ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.readAt, c.reads = now, c.reads+1
	syncs, err := c.src.CentreSyncs(ctx, now.Add(-Window))
	if err != nil {
		c.ok = false
		return c.syncs, c.queues, false
	}
	queues, err := c.src.Queues(ctx)
	if err != nil {
		c.ok = false
		return c.syncs, c.queues, false
	}
	c.syncs, c.queues, c.ok = syncs, queues, true
	return syncs, queues, true
}

// Reads is how many times the collector has read the database.
func (c *Collector) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
