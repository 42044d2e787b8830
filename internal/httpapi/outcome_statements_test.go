package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestOutcomeStatements counts the SQL statements one outcome sends
// through the API, token check and idempotency key included: a delivery
// with its code, a failed attempt with its new-slot SMS, and a retry of
// the delivery answered from its stored answer. The reads before the
// transaction are one query, and the transaction says each row once.
func TestOutcomeStatements(t *testing.T) {
	const delivered, failed, replay = 9, 9, 2
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sup1, post1 := e.login("sup1"), e.login("post1")
		ids := dispatchN(t, e, sup1, 2)
		body, key := outcome(ids[0], e.otpFor(ids[0])), uuid.NewString()
		fail := map[string]any{"article_id": ids[1], "outcome": "failed", "reason_code": "01", "proof_ids": []string{},
			"location": map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8}, "captured_at": "2026-11-25T12:00:00+05:30"}
		count := func(body map[string]any, key string, status int) (int64, resp) {
			t.Helper()
			before := db.SQLCount()
			r := e.do("POST", "/api/v1/deliveries", post1, body, "Idempotency-Key", key)
			if r.status != status {
				t.Fatalf("outcome: %d %s", r.status, r.body)
			}
			return db.SQLCount() - before, r
		}
		n, first := count(body, key, 201)
		if n != delivered || !strings.Contains(string(first.body), `"article_status":"delivered"`) {
			t.Errorf("a delivery sent %d statements, want %d: %s", n, delivered, first.body)
		}
		if n, r := count(fail, uuid.NewString(), 201); n != failed || !strings.Contains(string(r.body), `"article_status":"attempted"`) {
			t.Errorf("a failed attempt sent %d statements, want %d: %s", n, failed, r.body)
		}
		if n, r := count(body, key, 201); n != replay || string(r.body) != string(first.body) || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("a replay sent %d statements, want %d: %s", n, replay, r.body)
		}
		// What the fewer statements wrote: one delivery each, the code used,
		// the events in order after the dispatch's, the SMS queued.
		if n := e.count("deliveries"); n != 2 {
			t.Fatalf("%d deliveries, want 2", n)
		}
		var consumed int
		if err := db.QueryRowForTest(t.Context(), "SELECT COUNT(*) FROM otp_articles WHERE article_id = ? AND consumed_at IS NOT NULL",
			ids[0]).Scan(&consumed); err != nil || consumed != 1 {
			t.Fatalf("code used: %d %v", consumed, err)
		}
		for i, want := range []string{`"event":"delivered"`, `"event":"delivery_attempted"`} {
			tr := e.do("GET", "/api/v1/track/"+ids[i], "", nil)
			if !strings.Contains(string(tr.body), want) {
				t.Fatalf("tracking %s: %s", ids[i], tr.body)
			}
		}
		var seqs string
		if err := db.QueryRowForTest(t.Context(), `SELECT COUNT(*) || '/' || MAX(seq) || '/' || COUNT(DISTINCT seq) FROM article_events
			WHERE article_id = ?`, ids[1]).Scan(&seqs); err != nil {
			t.Fatal(err)
		}
		if parts := strings.Split(seqs, "/"); parts[0] != parts[1] || parts[1] != parts[2] {
			t.Fatalf("events of the failed article: count/max seq/distinct seqs = %s, want one number", seqs)
		}
		sms := e.do("GET", "/api/v1/dev/sms?phone=%2B919845012345", "", nil)
		if !strings.Contains(string(sms.body), "could not deliver article "+ids[1]) {
			t.Fatalf("no new-slot SMS: %s", sms.body)
		}
	})
}
