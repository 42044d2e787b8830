package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"dakiya/internal/httpapi"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

const progressPath = "/api/v1/dcs/dc-one/progress?date=2026-11-25&slot=evening"

// beatOf returns the only beat of a progress answer.
func beatOf(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var b struct{ Beats []map[string]any }
	if err := json.Unmarshal(body, &b); err != nil || len(b.Beats) != 1 {
		t.Fatalf("progress: %v: %s", err, body)
	}
	return b.Beats[0]
}

// deliver records a delivered outcome for id, as its postman.
func (e *env) deliver(t *testing.T, post, id string) {
	t.Helper()
	if r := e.do("POST", "/api/v1/deliveries", post, outcome(id, e.otpFor(id)), "Idempotency-Key", uuid.NewString()); r.status != 201 {
		t.Fatalf("deliver %s: %d %s", id, r.status, r.body)
	}
}

func TestProgressAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ids := dispatchN(t, e, sup1, 3)
		r := e.do("GET", progressPath, sup1, nil)
		b := beatOf(t, r.body)
		pm := b["postman"].(map[string]any)
		if r.status != 200 || b["pending"] != 3.0 || b["delivered"] != 0.0 || b["failed"] != 0.0 || pm["name"] != "Post One" ||
			b["last_sync"] != nil || b["last_position"] != nil || len(b["overdue"].([]any)) != 0 || b["status"] != "dispatched" {
			t.Fatalf("before any outcome: %d %s", r.status, r.body)
		}
		t.Run("access", func(t *testing.T) { testProgressAccess(t, e) })
		e.clock.Advance(time.Minute)
		e.deliver(t, post1, ids[0])
		b = beatOf(t, e.do("GET", progressPath, e.login("admin"), nil).body)
		pos, _ := b["last_position"].(map[string]any)
		if b["pending"] != 2.0 || b["delivered"] != 1.0 || b["last_sync"] != "2026-11-25T10:01:00+05:30" || pos == nil ||
			pos["lat"] != 12.9361 || pos["lon"] != 77.6212 || pos["accuracy_m"] != 8.0 || pos["at"] != "2026-11-25T12:00:00+05:30" {
			t.Fatalf("after a delivery: %v", b)
		}
		e.clock.Advance(time.Minute)
		fail := map[string]any{"article_id": ids[1], "outcome": "failed", "reason_code": "01", "proof_ids": []string{},
			"captured_at": "2026-11-25T10:02:00+05:30"} // no location
		if r := e.do("POST", "/api/v1/deliveries", post1, fail, "Idempotency-Key", uuid.NewString()); r.status != 201 {
			t.Fatalf("failed attempt: %d %s", r.status, r.body)
		}
		b = beatOf(t, e.do("GET", progressPath, sup1, nil).body)
		pos, _ = b["last_position"].(map[string]any)
		if b["pending"] != 1.0 || b["delivered"] != 1.0 || b["failed"] != 1.0 || b["last_sync"] != "2026-11-25T10:02:00+05:30" ||
			pos == nil || pos["at"] != "2026-11-25T12:00:00+05:30" {
			t.Fatalf("after a failed attempt without a location: %v", b)
		}
		e.clock.Set(time.Date(2026, 11, 25, 23, 0, 0, 0, e.clock.Now().Location()).Add(-5*time.Hour - 30*time.Minute))
		b = beatOf(t, e.do("GET", progressPath, e.login("sup1"), nil).body)
		overdue := b["overdue"].([]any)
		if len(overdue) != 1 || overdue[0].(map[string]any)["article_id"] != ids[2] {
			t.Fatalf("after the slot's end, the pending stop is overdue: %v", b)
		}
		if want := stopSeqOf(t, e, e.login("sup1"), b["manifest_id"].(string), ids[2]); overdue[0].(map[string]any)["stop_seq"] != float64(want) {
			t.Errorf("overdue %s: stop_seq %v, want its stop's seq %d", ids[2], overdue[0].(map[string]any)["stop_seq"], want)
		}
	})
}

// stopSeqOf is the seq of the manifest's stop that holds article id.
func stopSeqOf(t *testing.T, e *env, token, manifestID, id string) int {
	t.Helper()
	var m struct {
		Stops []struct {
			Seq      int
			Articles []struct{ ID string }
		}
	}
	r := e.do("GET", "/api/v1/manifests/"+manifestID, token, nil)
	if err := json.Unmarshal(r.body, &m); r.status != 200 || err != nil {
		t.Fatalf("manifest %s: %d %v", manifestID, r.status, err)
	}
	for _, st := range m.Stops {
		for _, a := range st.Articles {
			if a.ID == id {
				return st.Seq
			}
		}
	}
	t.Fatalf("article %s is on no stop of %s", id, manifestID)
	return 0
}

func testProgressAccess(t *testing.T, e *env) {
	who := map[string]string{"admin": e.login("admin"), "post1": e.login("post1"), "sup2": e.login("sup2"), "sup1": e.login("sup1")}
	for _, c := range []struct {
		name, who, path string
		status          int
	}{
		{"admin", "admin", progressPath, 200},
		{"postman", "post1", progressPath, 403},
		{"other centre", "sup2", progressPath, 404},
		{"unknown centre", "admin", "/api/v1/dcs/dc-nope/progress?date=2026-11-25&slot=evening", 404},
		{"bad date", "sup1", "/api/v1/dcs/dc-one/progress?date=25-11-2026&slot=evening", 400},
		{"bad slot", "sup1", "/api/v1/dcs/dc-one/progress?date=2026-11-25&slot=noon", 400},
		{"stream postman", "post1", strings.Replace(progressPath, "progress?", "progress/stream?", 1), 403},
		{"stream other centre", "sup2", strings.Replace(progressPath, "progress?", "progress/stream?", 1), 404},
		{"stream bad slot", "sup1", "/api/v1/dcs/dc-one/progress/stream?date=2026-11-25", 400},
		{"no token", "", progressPath, 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("GET", c.path, who[c.who], nil)
			if c.status == 200 {
				if r.status != 200 {
					t.Fatalf("%d %s", r.status, r.body)
				}
				return
			}
			wantProblem(t, r, c.status)
		})
	}
}

// sse reads server-sent events from a streamed body.
type sse struct {
	t      *testing.T
	blocks chan string
}

func readSSE(t *testing.T, body io.Reader) *sse {
	s := &sse{t: t, blocks: make(chan string, 64)}
	go func() {
		defer close(s.blocks)
		sc := bufio.NewScanner(body)
		var block []string
		for sc.Scan() {
			if sc.Text() != "" {
				block = append(block, sc.Text())
				continue
			}
			s.blocks <- strings.Join(block, "\n")
			block = nil
		}
	}()
	return s
}

// next returns the next block, comments included, or fails after wait.
func (s *sse) next(wait time.Duration) string {
	s.t.Helper()
	select {
	case b, ok := <-s.blocks:
		if !ok {
			s.t.Fatal("the stream ended")
		}
		return b
	case <-time.After(wait):
		s.t.Fatalf("no event within %s", wait)
	}
	return ""
}

// event returns the data of the next progress event, skipping comments.
func (s *sse) event(wait time.Duration) []byte {
	s.t.Helper()
	for {
		b := s.next(wait)
		if strings.HasPrefix(b, ":") {
			continue
		}
		if !strings.Contains(b, "event: progress\n") {
			s.t.Fatalf("not a progress event: %q", b)
		}
		return []byte(b[strings.Index(b, "data: ")+len("data: "):])
	}
}

// streamServer serves the env's API with the stream bounded by ps, on a
// registry the test reads, through an http.Server configured by cfg.
func streamServer(t *testing.T, e *env, ps httpapi.ProgressStream, cfg func(*http.Server)) (string, *prometheus.Registry) {
	t.Helper()
	d := e.deps
	d.Registry, d.ProgressStream = prometheus.NewRegistry(), ps
	h, err := httpapi.New(d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(apiContract.check(t, h))
	if cfg != nil {
		cfg(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, d.Registry
}

func openStream(t *testing.T, ctx context.Context, base, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+strings.Replace(progressPath, "progress?", "progress/stream?", 1), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	return res
}

// streamsDone counts the stream requests the server has finished.
func streamsDone(t *testing.T, reg *prometheus.Registry) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "dakiya_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && l.GetValue() == "/api/v1/dcs/:dc/progress/stream" {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}

func TestProgressStream(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ids := dispatchN(t, e, sup1, 2)
		base, reg := streamServer(t, e, httpapi.ProgressStream{Poll: 50 * time.Millisecond, Heartbeat: 300 * time.Millisecond}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		res := openStream(t, ctx, base, sup1)
		defer res.Body.Close()
		s := readSSE(t, res.Body)
		first := s.next(5 * time.Second)
		if !strings.HasPrefix(first, "retry: 3000\nevent: progress\ndata: ") {
			t.Fatalf("first event: %q", first)
		}
		want := bytes.TrimSpace(e.do("GET", progressPath, sup1, nil).body)
		if got := first[strings.Index(first, "data: ")+6:]; got != string(want) {
			t.Fatalf("first event's data %s, want the progress %s", got, want)
		}
		e.clock.Advance(time.Minute)
		e.deliver(t, post1, ids[1])
		if b := beatOf(t, s.event(5*time.Second)); b["delivered"] != 1.0 || b["pending"] != 1.0 {
			t.Fatalf("after a delivery: %v", b)
		}
		if b := s.next(2 * time.Second); b != ": keep-alive" {
			t.Fatalf("with nothing changed, want a heartbeat, got %q", b)
		}
		if n := streamsDone(t, reg); n != 0 {
			t.Fatalf("%v streams finished while the client listens", n)
		}
		cancel()
		deadline := time.Now().Add(5 * time.Second)
		for streamsDone(t, reg) != 1 {
			if time.Now().After(deadline) {
				t.Fatal("the stream did not end when its client went")
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Run("bounded", func(t *testing.T) { testStreamBounded(t, e, sup1) })
	})
}

// testStreamBounded: a stream ends after its time, and outlives the
// server's read and write timeouts meant for ordinary requests.
func testStreamBounded(t *testing.T, e *env, sup1 string) {
	base, _ := streamServer(t, e, httpapi.ProgressStream{Poll: 50 * time.Millisecond, Heartbeat: 100 * time.Millisecond, Max: 1500 * time.Millisecond},
		func(s *http.Server) { s.ReadTimeout, s.WriteTimeout = 400*time.Millisecond, 400*time.Millisecond })
	start := time.Now()
	res := openStream(t, context.Background(), base, sup1)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	took := time.Since(start)
	if err != nil || took < 1400*time.Millisecond || took > 5*time.Second {
		t.Fatalf("stream ended after %s (%v), want after about 1.5 s: %q", took, err, body)
	}
	if n := strings.Count(string(body), ": keep-alive\n\n"); n < 8 {
		t.Fatalf("%d heartbeats in 1.5 s, want about 14", n)
	}
}
