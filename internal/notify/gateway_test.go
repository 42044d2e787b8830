package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

// hang is the answer that makes the fake gateway hold a request until the
// client gives up.
const hang = 0

// gateway is a fake SMS gateway. Like a real one it deduplicates by
// Idempotency-Key: a repeated key is answered 200 but delivers nothing.
type gateway struct {
	srv    *httptest.Server
	stop   chan struct{}
	answer func(n int) int // status for the nth request, from 1; nil means 200

	mu        sync.Mutex
	calls     int
	requests  map[string]int  // every request, per Idempotency-Key
	accepted  map[string]bool // keys already answered 2xx
	delivered map[string]int  // SMS handed to a phone, per message id in the body
	received  []received
}

type received struct {
	method, auth, key, contentType string
	body                           map[string]any
}

func newGateway(t *testing.T, answer func(n int) int) *gateway {
	t.Helper()
	g := &gateway{stop: make(chan struct{}), answer: answer, requests: map[string]int{}, accepted: map[string]bool{},
		delivered: map[string]int{}}
	g.srv = httptest.NewServer(g)
	t.Cleanup(g.srv.Close)
	t.Cleanup(func() { close(g.stop) }) // runs first: frees hung handlers
	return g
}

func (g *gateway) sender() *notify.HTTPSender {
	return &notify.HTTPSender{URL: g.srv.URL + "/sms", Key: "s3cret", Client: g.srv.Client()}
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	status := g.record(r, body)
	if status == hang {
		select {
		case <-r.Context().Done():
		case <-g.stop:
		}
		return
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
	}
	w.WriteHeader(status)
}

// record notes a request and decides its answer; an accepted first request
// for a key delivers the SMS.
func (g *gateway) record(r *http.Request, body map[string]any) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	key := r.Header.Get("Idempotency-Key")
	g.requests[key]++
	g.received = append(g.received, received{r.Method, r.Header.Get("Authorization"), key, r.Header.Get("Content-Type"), body})
	status := http.StatusOK
	if g.answer != nil {
		status = g.answer(g.calls)
	}
	if status/100 == 2 && !g.accepted[key] {
		g.accepted[key] = true
		id, _ := body["id"].(string)
		g.delivered[id]++
	}
	return status
}

func (g *gateway) all() []received {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]received(nil), g.received...)
}

func (g *gateway) snapshot() (calls int, requests, delivered map[string]int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	requests, delivered = map[string]int{}, map[string]int{}
	for k, v := range g.requests {
		requests[k] = v
	}
	for k, v := range g.delivered {
		delivered[k] = v
	}
	return g.calls, requests, delivered
}

func TestHTTPSenderRequest(t *testing.T) {
	g := newGateway(t, nil)
	m := notify.NewMessage("sms-42", "+919845012345", "Dakiya: your code is 4711", notify.KindOTP, "EE123456785IN", "", t0)
	if err := g.sender().Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	all := g.all()
	if len(all) != 1 {
		t.Fatalf("gateway got %d requests, want 1", len(all))
	}
	got := all[0]
	if got.method != http.MethodPost || got.auth != "Bearer s3cret" || got.key != "sms-42" || got.contentType != "application/json" {
		t.Fatalf("request = %+v", got)
	}
	want := map[string]any{"id": "sms-42", "to": "+919845012345", "body": "Dakiya: your code is 4711"}
	if len(got.body) != len(want) {
		t.Fatalf("body = %v, want %v", got.body, want)
	}
	for k, v := range want {
		if got.body[k] != v {
			t.Fatalf("body = %v, want %v", got.body, want)
		}
	}
}

func TestHTTPSenderClassifiesAnswers(t *testing.T) {
	const (
		ok = iota
		retry
		permanent
	)
	tests := map[int]int{
		200: ok, 202: ok, 204: ok,
		408: retry, 429: retry, 500: retry, 502: retry, 503: retry, 504: retry,
		400: permanent, 401: permanent, 403: permanent, 404: permanent, 422: permanent,
	}
	for status, want := range tests {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			g := newGateway(t, func(int) int { return status })
			err := g.sender().Send(context.Background(), notify.NewMessage("m", "+919845012345", "b", notify.KindOTP, "", "", t0))
			checkClass(t, err, want == ok, want == permanent)
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		g := newGateway(t, nil)
		s := g.sender()
		g.srv.Close()
		err := s.Send(context.Background(), notify.NewMessage("m", "+919845012345", "b", notify.KindOTP, "", "", t0))
		checkClass(t, err, false, false)
	})
}

func checkClass(t *testing.T, err error, wantOK, wantPermanent bool) {
	t.Helper()
	switch {
	case wantOK && err != nil:
		t.Fatalf("err = %v, want success", err)
	case wantOK:
	case err == nil:
		t.Fatal("err = nil, want a failure")
	case wantPermanent && (!notify.IsPermanent(err) || !postal.IsCode(err, postal.CodeUnprocessable)):
		t.Fatalf("err = %v, want a permanent unprocessable failure", err)
	case !wantPermanent && (notify.IsPermanent(err) || !postal.IsCode(err, postal.CodeUnavailable)):
		t.Fatalf("err = %v, want a retryable unavailable failure", err)
	}
}
