package notify

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	randv2 "math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// recordTimeout bounds writing a send's outcome. Recording runs even when
// the worker is being stopped: a message the gateway took should be marked.
const recordTimeout = 5 * time.Second

// maxErrorLen bounds the last_error kept with a message.
const maxErrorLen = 500

// WorkerOptions tunes a Worker. Zero fields take the defaults shown.
type WorkerOptions struct {
	Owner        string         // lease owner id; random per worker
	BatchSize    int            // messages claimed per pass; 20
	Lease        time.Duration  // how long a claim is held; 30 s
	SendTimeout  time.Duration  // deadline of one send; 10 s, and always under half the lease
	PollInterval time.Duration  // time between passes when idle; 1 s
	BackoffBase  time.Duration  // wait after the first failure, doubled after each; 2 s
	BackoffMax   time.Duration  // longest wait before jitter; 10 min
	MaxAttempts  int            // attempts before a message fails; 15
	Rand         func() float64 // jitter source in [0, 1); math/rand/v2
	// Sealer renders each message just before it is sent; a message with a
	// sealed secret it cannot open fails. The zero Sealer opens none.
	Sealer Sealer
}

func (o WorkerOptions) withDefaults() WorkerOptions {
	if o.Owner == "" {
		o.Owner = "sms-" + rand.Text()
	}
	o.BatchSize = orDefault(o.BatchSize, 20)
	o.Lease = orDefault(o.Lease, 30*time.Second)
	o.SendTimeout = min(orDefault(o.SendTimeout, 10*time.Second), o.Lease/2)
	o.PollInterval = orDefault(o.PollInterval, time.Second)
	o.BackoffBase = orDefault(o.BackoffBase, 2*time.Second)
	o.BackoffMax = orDefault(o.BackoffMax, 10*time.Minute)
	o.MaxAttempts = orDefault(o.MaxAttempts, 15)
	if o.Rand == nil {
		o.Rand = randv2.Float64
	}
	return o
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Worker sends queued messages. Run it in every replica: leases keep
// workers from sending the same message twice.
type Worker struct {
	store  Store
	sender Sender
	now    func() time.Time
	log    *slog.Logger
	opt    WorkerOptions
	wake   chan struct{}
}

// NewWorker returns a worker that sends store's due messages through sender.
func NewWorker(store Store, sender Sender, now func() time.Time, log *slog.Logger, opt WorkerOptions) *Worker {
	return &Worker{store: store, sender: sender, now: now, log: log, opt: opt.withDefaults(), wake: make(chan struct{}, 1)}
}

// Owner returns the id this worker's leases carry.
func (w *Worker) Owner() string { return w.opt.Owner }

// Notify nudges a running worker to look for work now, typically after an
// enqueue. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run makes a pass every poll interval, and at once after Notify or after a
// full batch, until ctx ends; then it returns nil. Failed passes are logged
// and tried again at the next interval.
func (w *Worker) Run(ctx context.Context) error {
	ticker := time.NewTicker(w.opt.PollInterval)
	defer ticker.Stop()
	for {
		_, claimed, err := w.pass(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.log.Error("sms: pass failed", "owner", w.opt.Owner, "err", err)
		} else if claimed == w.opt.BatchSize {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-w.wake:
		}
	}
}

// Tick makes one pass: it claims due messages, sends each and records the
// outcome. It returns how many were sent.
func (w *Worker) Tick(ctx context.Context) (sent int, err error) {
	sent, _, err = w.pass(ctx)
	return sent, err
}

// pass is Tick that also tells how many messages it claimed.
func (w *Worker) pass(ctx context.Context) (sent, claimed int, err error) {
	start := w.now()
	msgs, err := w.store.ClaimSMS(ctx, w.opt.Owner, start, w.opt.Lease, w.opt.BatchSize)
	if err != nil {
		return 0, 0, err
	}
	leaseEnd := start.Add(w.opt.Lease)
	for i, m := range msgs {
		if ctx.Err() != nil || !w.now().Add(w.opt.SendTimeout).Before(leaseEnd) {
			// Out of time: hand the rest back rather than risk sending a
			// message whose lease another worker may already hold.
			return sent, len(msgs), errors.Join(ctx.Err(), w.release(ctx, msgs[i:]))
		}
		ok, err := w.deliver(ctx, m)
		if err != nil {
			return sent, len(msgs), err
		}
		if ok {
			sent++
		}
	}
	return sent, len(msgs), nil
}

// deliver sends one claimed message and records the outcome; it reports
// whether the message is now recorded as sent.
func (w *Worker) deliver(ctx context.Context, m Message) (bool, error) {
	sendErr := w.send(ctx, m)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var status string
	var ok bool
	var err error
	if sendErr != nil && ctx.Err() != nil {
		// Stopped mid-send: the outcome is unknown, so the attempt does not
		// count and the message goes back for a resend under the same key.
		status = "released"
		ok, err = w.store.RetrySMS(rctx, m.ID, w.opt.Owner, m.Attempts, w.now(), m.LastError)
	} else {
		status, ok, err = w.record(rctx, m, sendErr)
	}
	if err != nil || !w.owned(m, status, ok) {
		return false, err
	}
	return status == StatusSent, nil
}

// send renders m, so its code exists in clear only on the way to the
// transport, and hands it over within the send timeout. A failure's text
// never carries the code.
func (w *Worker) send(ctx context.Context, m Message) error {
	secret, err := w.opt.Sealer.open(m)
	if err != nil {
		return &PermanentError{Err: err}
	}
	sctx, cancel := context.WithTimeout(ctx, w.opt.SendTimeout)
	defer cancel()
	err = w.sender.Send(sctx, render(m, secret))
	if err != nil && secret != "" {
		return redacted{err: err, secret: secret}
	}
	return err
}

// record writes the outcome of a finished send and returns the message's
// new status and whether this worker still held the lease.
func (w *Worker) record(ctx context.Context, m Message, sendErr error) (string, bool, error) {
	attempts := m.Attempts + 1
	switch {
	case sendErr == nil:
		ok, err := w.store.MarkSMSSent(ctx, m.ID, w.opt.Owner, w.now())
		return StatusSent, ok, err
	case IsPermanent(sendErr) || attempts >= w.opt.MaxAttempts:
		w.log.Error("sms: failed", "sms_id", m.ID, "kind", m.Kind, "attempts", attempts, "err", sendErr)
		ok, err := w.store.FailSMS(ctx, m.ID, w.opt.Owner, errorText(sendErr))
		return StatusFailed, ok, err
	default:
		wait := w.backoff(attempts, sendErr)
		w.log.Warn("sms: send failed, will retry", "sms_id", m.ID, "attempts", attempts, "retry_in", wait, "err", sendErr)
		ok, err := w.store.RetrySMS(ctx, m.ID, w.opt.Owner, attempts, w.now().Add(wait), errorText(sendErr))
		return StatusQueued, ok, err
	}
}

// release hands claimed, unsent messages back, due at once and with no
// attempt counted.
func (w *Worker) release(ctx context.Context, msgs []Message) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	for _, m := range msgs {
		ok, err := w.store.RetrySMS(ctx, m.ID, w.opt.Owner, m.Attempts, w.now(), m.LastError)
		if err != nil {
			return err
		}
		w.owned(m, "released", ok)
	}
	return nil
}

// owned passes ok through, logging a lost lease: that is no error, since
// the worker that took the message over will see it through.
func (w *Worker) owned(m Message, outcome string, ok bool) bool {
	if !ok {
		w.log.Warn("sms: lease lost before the outcome was recorded", "sms_id", m.ID, "outcome", outcome, "owner", w.opt.Owner)
	}
	return ok
}

// backoff is the wait before attempt attempts+1: the base doubled per
// failure, capped, with ±20 % jitter, and never less than a Retry-After the
// transport asked for (itself capped).
func (w *Worker) backoff(attempts int, err error) time.Duration {
	d := w.opt.BackoffBase
	for i := 1; i < attempts && d < w.opt.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, w.opt.BackoffMax)
	d = time.Duration(float64(d) * (0.8 + 0.4*w.opt.Rand()))
	var pe *postal.Error
	if errors.As(err, &pe) && pe.RetryAfter > d {
		d = min(pe.RetryAfter, w.opt.BackoffMax)
	}
	return d
}

// errorText is the last_error kept for a failed send: text the database
// takes (valid UTF-8 without U+0000, which a gateway's answer may hold),
// cut at a character boundary.
func errorText(err error) string {
	s := strings.ToValidUTF8(strings.ReplaceAll(err.Error(), "\x00", ""), "\uFFFD")
	if len(s) <= maxErrorLen {
		return s
	}
	cut := maxErrorLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
