package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// memKeys is an in-memory idem.Store that behaves as the database does.
type memKeys struct {
	mu   sync.Mutex
	keys map[string]*memKey
}

type memKey struct {
	hash   string
	status int
	body   []byte
}

func newMemKeys() *memKeys { return &memKeys{keys: map[string]*memKey{}} }

func (m *memKeys) BeginIdempotent(_ context.Context, owner, key, hash string, _ time.Time, _ time.Duration) (idem.Began, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[owner+"/"+key]
	switch {
	case !ok:
		m.keys[owner+"/"+key] = &memKey{hash: hash}
		return idem.Began{State: idem.New}, nil
	case k.hash != hash:
		return idem.Began{State: idem.Mismatch}, nil
	case k.status != 0:
		return idem.Began{State: idem.Replay, Status: k.status, Body: k.body}, nil
	}
	return idem.Began{State: idem.InFlight}, nil
}

func (m *memKeys) FinishIdempotent(_ context.Context, c idem.Completion, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.keys[c.Owner+"/"+c.Key]; ok && k.status == 0 && c.Key != "" {
		k.status, k.body = c.Status, c.Body
	}
	return nil
}

func (m *memKeys) AbandonIdempotent(_ context.Context, owner, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.keys[owner+"/"+key]; ok && k.status == 0 {
		delete(m.keys, owner+"/"+key)
	}
	return nil
}

// wrapped is a route served through api.idempotent with a run the test
// controls, counting its runs.
type wrapped struct {
	a    *api
	keys *memKeys
	runs int
	run  idemRun
}

func newWrapped() *wrapped {
	keys := newMemKeys()
	w := &wrapped{keys: keys, a: &api{idem: keys, now: time.Now, log: slog.New(slog.DiscardHandler)}}
	w.run = func(ctx context.Context, r idem.Receipt) (any, error) { return map[string]string{"id": "x1"}, nil }
	return w
}

// post sends body with key through the wrapper; ctx may be cancelled
// already, as when the phone hung up.
func (w *wrapped) post(ctx context.Context, key, body string) *httptest.ResponseRecorder {
	return w.postTo(ctx, "/api/v1/things/t1", key, body)
}

func (w *wrapped) postTo(ctx context.Context, path, key, body string) *httptest.ResponseRecorder {
	e := echo.New()
	e.HTTPErrorHandler = w.a.handleError
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req = req.WithContext(postal.WithPrincipal(ctx, postal.Principal{UserID: "u1", Role: postal.RolePostman}))
	req.Header.Set("Idempotency-Key", key)
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	c.SetPath("/api/v1/things/:id")
	err := w.a.idempotent(c, http.StatusCreated, []byte(body), func(ctx context.Context, r idem.Receipt) (any, error) {
		w.runs++
		return w.run(ctx, r)
	})
	if err != nil {
		e.HTTPErrorHandler(err, c)
	}
	return rec
}

const testKey = "0b6f1f9e-3c1d-4f5e-9a7b-2c8d4e6f8a10"

func TestIdempotentReplays(t *testing.T) {
	w := newWrapped()
	first := w.post(context.Background(), testKey, `{"a":1}`)
	if first.Code != 201 || first.Body.String() != `{"id":"x1"}`+"\n" || first.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %q %v", first.Code, first.Body, first.Header())
	}
	for _, k := range []string{testKey, strings.ToUpper(testKey)} {
		again := w.post(context.Background(), k, `{"a":1}`)
		if again.Code != 201 || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry with %s: %d %q", k, again.Code, again.Body)
		}
	}
	if other := w.post(context.Background(), testKey, `{"a":2}`); other.Code != 422 {
		t.Fatalf("same key, other body: %d %s", other.Code, other.Body)
	}
	if other := w.postTo(context.Background(), "/api/v1/things/t2", testKey, `{"a":1}`); other.Code != 422 {
		t.Fatalf("same key and body, another resource: %d %s", other.Code, other.Body)
	}
	if bad := w.post(context.Background(), "nope", `{"a":1}`); bad.Code != 400 {
		t.Fatalf("bad key: %d %s", bad.Code, bad.Body)
	}
	if w.runs != 1 {
		t.Fatalf("ran %d times, want once", w.runs)
	}
}

func TestIdempotentInFlight(t *testing.T) {
	w := newWrapped()
	w.keys.BeginIdempotent(context.Background(), "u1", testKey, idem.Hash("POST", "/api/v1/things/t1", []byte(`{}`)), time.Now(), idem.Stale)
	r := w.post(context.Background(), testKey, `{}`)
	if r.Code != 409 || !strings.Contains(r.Body.String(), "urn:dakiya:problem:conflict") || w.runs != 0 {
		t.Fatalf("in flight: %d %s, %d runs", r.Code, r.Body, w.runs)
	}
}

// TestIdempotentFinalRefusals: a final refusal is stored and replayed
// (already_done with its summary, locked, invalid); a refusal a retry may
// get past releases the key, so the retry runs again.
func TestIdempotentFinalRefusals(t *testing.T) {
	done := postal.Errorf(postal.CodeAlreadyDone, "this article already has its outcome")
	done.Extra = map[string]any{"outcome": map[string]any{"outcome": "delivered", "id": "d1"}}
	for _, c := range []struct {
		name   string
		err    error
		status int
		final  bool
	}{
		{"already done", done, 409, true},
		{"locked", postal.Errorf(postal.CodeLocked, "locked"), 423, true},
		{"invalid", postal.Invalid("bad", postal.FieldError{Field: "f", Message: "m"}), 400, true},
		{"not found", postal.Errorf(postal.CodeNotFound, "article not found"), 404, true},
		{"conflict", postal.Errorf(postal.CodeConflict, "the code changed meanwhile"), 409, false},
		{"rate limited", postal.Errorf(postal.CodeRateLimited, "slow down"), 429, false},
		{"unavailable", postal.Errorf(postal.CodeUnavailable, "database down"), 503, false},
		{"internal", context.DeadlineExceeded, 500, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWrapped()
			w.run = func(context.Context, idem.Receipt) (any, error) { return nil, c.err }
			first := w.post(context.Background(), testKey, `{}`)
			again := w.post(context.Background(), testKey, `{}`)
			if first.Code != c.status || again.Code != c.status {
				t.Fatalf("statuses %d, %d; want %d", first.Code, again.Code, c.status)
			}
			replayed := again.Header().Get("Idempotent-Replayed") == "true"
			if wantRuns := map[bool]int{true: 1, false: 2}[c.final]; w.runs != wantRuns || replayed != c.final {
				t.Fatalf("%d runs, replayed %v; want %d runs, replayed %v", w.runs, replayed, wantRuns, c.final)
			}
			if c.final && again.Body.String() != first.Body.String() {
				t.Fatalf("replayed %s, first said %s", again.Body, first.Body)
			}
			if ct := again.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Fatalf("content type %q", ct)
			}
		})
	}
	w := newWrapped()
	w.run = func(context.Context, idem.Receipt) (any, error) { return nil, done }
	w.post(context.Background(), testKey, `{}`)
	var p map[string]any
	if err := json.Unmarshal(w.post(context.Background(), testKey, `{}`).Body.Bytes(), &p); err != nil ||
		p["type"] != "urn:dakiya:problem:already_done" || p["outcome"].(map[string]any)["outcome"] != "delivered" {
		t.Fatalf("replayed already_done lacks its summary: %v %v", p, err)
	}
}

// TestIdempotentDetached: a request whose phone hung up still runs to the
// end, and its answer is there for the retry.
func TestIdempotentDetached(t *testing.T) {
	w := newWrapped()
	var sawErr error
	w.run = func(ctx context.Context, r idem.Receipt) (any, error) {
		sawErr = ctx.Err()
		if _, ok := ctx.Deadline(); !ok {
			t.Error("the detached run has no deadline")
		}
		if r.Owner != "u1" || r.Key != testKey || r.Status != 201 {
			t.Errorf("receipt %+v", r)
		}
		return map[string]int{"n": 1}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w.post(ctx, strings.ToUpper(testKey), `{}`)
	if sawErr != nil {
		t.Fatalf("run saw %v: the phone hanging up cut it short", sawErr)
	}
	if r := w.post(context.Background(), testKey, `{}`); r.Code != 201 || r.Body.String() != `{"n":1}`+"\n" {
		t.Fatalf("retry after the hang-up: %d %s", r.Code, r.Body)
	}
}

// TestAbandonedRequestIsNotOurs: a failure caused by the client going away
// (its request's context cancelled) is logged as 499, never a 500 with an
// internal error; the same error on a request still open is a 500.
func TestAbandonedRequestIsNotOurs(t *testing.T) {
	a := &api{log: slog.Default()}
	e := echo.New()
	for _, c := range []struct {
		name   string
		cancel bool
		want   int
	}{{"client gone", true, statusClientClosed}, {"client still there", false, http.StatusInternalServerError}} {
		ctx, cancel := context.WithCancel(context.Background())
		if c.cancel {
			cancel()
		}
		req := httptest.NewRequest("GET", "/api/v1/dcs/dc-one/slots", nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		a.handleError(fmt.Errorf("store: slots: %w", context.Canceled), e.NewContext(req, rec))
		cancel()
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
	}
}
