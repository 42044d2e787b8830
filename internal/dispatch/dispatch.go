// Package dispatch sends the transactional outbox's messages: it claims
// due messages with a lease (so several replicas never send the same one
// within a lease), sends each with the Sender of its kind over a guarded
// HTTP client, records every attempt, and retries failures with
// exponential backoff and full jitter until a day has passed, then
// dead-letters them.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"dakiya/internal/outbox"
)

// Store claims due messages and records how their attempts ended.
type Store interface {
	// Claim leases up to limit due messages of the given kinds to owner
	// until now+lease: pending, due, not leased by anyone else, and each
	// the first pending message of its order key.
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int, kinds []outbox.Kind) ([]outbox.Message, error)
	// Finish records an attempt and its message's new state, and releases
	// the lease; it changes the message only while owner holds it.
	Finish(ctx context.Context, owner string, r outbox.Result) error
}

// Options tune a Dispatcher; zero fields take the defaults.
type Options struct {
	Poll     time.Duration // how often to look for due messages (2 s)
	Timeout  time.Duration // one request's limit (10 s)
	Lease    time.Duration // how long a claim keeps others off (Timeout*3 + 30 s)
	Batch    int           // messages claimed at once (32)
	Workers  int           // messages sent at once (8)
	Base     time.Duration // the first retry's ceiling (10 s), doubling
	MaxStep  time.Duration // the largest retry ceiling (1 h)
	GiveUp   time.Duration // dead-lettered once an attempt fails this long after the first (24 h)
	Guard    Guard         // which addresses may be sent to
	Client   *http.Client  // nil: Guard.Client(Timeout)
	Jitter   func(n int64) int64
	Owner    string // this replica's lease name; required
	MaxError int    // the longest error text kept (500)
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Poll, 2*time.Second)
	def(&o.Timeout, 10*time.Second)
	def(&o.Lease, 3*o.Timeout+30*time.Second)
	def(&o.Base, 10*time.Second)
	def(&o.MaxStep, time.Hour)
	def(&o.GiveUp, 24*time.Hour)
	if o.Batch <= 0 {
		o.Batch = 32
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.MaxError <= 0 {
		o.MaxError = 500
	}
	if o.Jitter == nil {
		o.Jitter = rand.Int64N
	}
	if o.Client == nil {
		o.Client = o.Guard.Client(o.Timeout)
	}
	return o
}

// Dispatcher sends due outbox messages until its context ends.
type Dispatcher struct {
	store   Store
	senders map[outbox.Kind]outbox.Sender
	kinds   []outbox.Kind // those it has senders for: it leaves others alone
	now     func() time.Time
	log     *slog.Logger
	opt     Options
}

// New returns a dispatcher sending each kind of message with its sender.
func New(s Store, senders map[outbox.Kind]outbox.Sender, now func() time.Time, log *slog.Logger, o Options) (*Dispatcher, error) {
	if s == nil || now == nil || log == nil || o.Owner == "" {
		return nil, errors.New("dispatch: missing store, clock, log or owner")
	}
	kinds := make([]outbox.Kind, 0, len(senders))
	for k := range senders {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return &Dispatcher{store: s, senders: senders, kinds: kinds, now: now, log: log, opt: o.withDefaults()}, nil
}

// Run polls for due messages every Poll until ctx ends; messages in
// flight are finished (each within Timeout) before it returns.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.opt.Poll)
	defer t.Stop()
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("outbox dispatch", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due messages and sends them; it returns how
// many it attempted.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, nil
	}
	ms, err := d.store.Claim(ctx, d.opt.Owner, d.now(), d.opt.Lease, d.opt.Batch, d.kinds)
	if err != nil {
		return 0, fmt.Errorf("dispatch: claim: %w", err)
	}
	// In-flight sends finish even when ctx ends: the lease is ours, and an
	// answer already received must be recorded.
	sctx := context.WithoutCancel(ctx)
	sem := make(chan struct{}, d.opt.Workers)
	var wg sync.WaitGroup
	for _, m := range ms {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			d.deliver(sctx, m)
		}()
	}
	wg.Wait()
	return len(ms), nil
}

// deliver makes one attempt at m and records it.
func (d *Dispatcher) deliver(ctx context.Context, m outbox.Message) {
	start, began := d.now(), time.Now() // the duration is measured, not decided on
	status, err := d.send(ctx, m, start)
	a := outbox.Attempt{N: m.Attempts + 1, At: start, Status: status, DurationMS: time.Since(began).Milliseconds()}
	res := outbox.Result{MessageID: m.ID, State: outbox.StateDelivered}
	if err != nil {
		a.Error = truncate(err.Error(), d.opt.MaxError)
		res.State, res.NextAt = d.afterFailure(m, start, err)
	}
	res.Attempt = a
	if err := d.store.Finish(ctx, d.opt.Owner, res); err != nil {
		d.log.Error("outbox record attempt", "message", m.ID, "error", err.Error())
		return
	}
	d.log.Info("outbox attempt", "message", m.ID, "kind", string(m.Kind), "n", a.N, "status", a.Status,
		"state", string(res.State), "error", a.Error)
}

// afterFailure decides a failed message's fate: dead when it cannot ever
// be sent or its run of attempts began GiveUp ago, pending again after a
// backoff otherwise.
func (d *Dispatcher) afterFailure(m outbox.Message, now time.Time, err error) (outbox.State, time.Time) {
	if errors.Is(err, outbox.ErrGone) {
		return outbox.StateDead, time.Time{}
	}
	if !m.FirstAt.IsZero() && now.Sub(m.FirstAt) >= d.opt.GiveUp {
		return outbox.StateDead, time.Time{}
	}
	return outbox.StatePending, now.Add(Backoff(m.Attempts+1, d.opt.Base, d.opt.MaxStep, d.opt.Jitter))
}

// Backoff is the wait after the nth failed attempt: full jitter, a random
// duration up to base·2^(n-1) capped at maxStep, and at least a second.
func Backoff(n int, base, maxStep time.Duration, jitter func(int64) int64) time.Duration {
	ceil := maxStep
	if n-1 < 32 {
		if c := base << (n - 1); c > 0 && c < maxStep {
			ceil = c
		}
	}
	wait := time.Duration(jitter(int64(ceil)))
	return max(wait, time.Second)
}

// send asks m's sender for the request and sends it; it returns the
// receiver's status, and an error unless the status is 2xx.
func (d *Dispatcher) send(ctx context.Context, m outbox.Message, now time.Time) (int, error) {
	s, ok := d.senders[m.Kind]
	if !ok {
		return 0, fmt.Errorf("no sender for messages of kind %q", m.Kind)
	}
	req, err := s.Request(ctx, m, now)
	if err != nil {
		return 0, err
	}
	if req.URL.Scheme != "https" && !(d.opt.Guard.Dev && req.URL.Scheme == "http") {
		return 0, fmt.Errorf("refused to send to %s: only https in production", req.URL.Redacted())
	}
	resp, err := d.opt.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the receiver answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
