package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/testkit"
)

// TestOpsMetrics scrapes a served /metrics on SQLite and on PostgreSQL:
// after the demo sends out each centre's first slot, every centre has a
// sync lag, the SMS and webhook queues and the database pool are there; an
// outcome recorded through the API moves the outcome counter once (its
// replay does not) and the request metrics carry the route pattern, not
// the article's path. On SQLite, the dashboard's and the alert rules'
// expressions are then checked against that scrape (testDeployFiles).
func TestOpsMetrics(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testDeployFiles(t, opsMetrics(t, testEnv(t), 8)) })
	t.Run("postgres", func(t *testing.T) {
		env := testEnv(t)
		env["DAKIYA_DB"] = testkit.PostgresURL(t)
		opsMetrics(t, env, 20)
	})
}

// opsMetrics runs the scenario on env and returns the last scrape.
func opsMetrics(t *testing.T, env map[string]string, pool float64) map[string]float64 {
	if out, err := runCmd(context.Background(), env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	base, _, _ := startServe(t, env)
	before := scrape(t, base)
	for _, dc := range []string{"blr-koramangala"} {
		if lag, ok := before[`dakiya_centre_sync_lag_seconds{dc="`+dc+`"}`]; !ok || lag < 0 || lag > 3600 {
			t.Fatalf("sync lag of %s: %v %v", dc, lag, ok)
		}
	}
	for _, k := range []string{`dakiya_queue_depth{queue="sms"}`, `dakiya_queue_depth{queue="webhook"}`,
		`dakiya_queue_oldest_age_seconds{queue="sms"}`, `dakiya_queue_oldest_age_seconds{queue="webhook"}`,
		`dakiya_db_pool_in_use_connections`, `dakiya_db_pool_idle_connections`, `dakiya_db_pool_wait_count_total`,
		`dakiya_db_pool_wait_duration_seconds_total`} {
		if _, ok := before[k]; !ok {
			t.Fatalf("%s missing from /metrics", k)
		}
	}
	if before[`dakiya_ops_read_ok`] != 1 || before[`dakiya_db_pool_max_open_connections`] != pool {
		t.Fatalf("read ok %v, pool max %v (want %v)", before[`dakiya_ops_read_ok`], before[`dakiya_db_pool_max_open_connections`], pool)
	}
	if n := before[`dakiya_outcomes_recorded_total{dc="blr-koramangala",outcome="failed"}`]; n != 0 {
		t.Fatalf("outcomes before any: %v", n)
	}

	tok := login(t, base, "postman1")
	var mine []struct{ ID string }
	getJSON(t, base+"/api/v1/me/manifests", tok, 200, &mine)
	var m struct{ Stops []stop }
	getJSON(t, base+"/api/v1/manifests/"+mine[0].ID, tok, 200, &m)
	body := `{"article_id":"` + m.Stops[0].Articles[0].ID + `","outcome":"failed","reason_code":"08","proof_ids":[],"captured_at":"` +
		time.Now().Format(time.RFC3339) + `"}`
	key := uuid.NewString()
	for range 2 { // the second is a replay of the first
		req, _ := http.NewRequest("POST", base+"/api/v1/deliveries", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("outcome: %d %s", res.StatusCode, b)
		}
	}
	after := scrape(t, base)
	if n := after[`dakiya_outcomes_recorded_total{dc="blr-koramangala",outcome="failed"}`]; n != 1 {
		t.Fatalf("outcomes after one and its replay: %v, want 1", n)
	}
	if n := after[`dakiya_http_requests_total{method="POST",route="/api/v1/deliveries",status="201"}`]; n != 2 {
		t.Fatalf("POST /api/v1/deliveries 201 counted %v times, want 2", n)
	}
	if n := after[`dakiya_http_request_duration_seconds_count{method="GET",route="/api/v1/manifests/:id",status="200"}`]; n != 1 {
		t.Fatalf("manifest GET latency observations under its route pattern: %v, want 1", n)
	}
	for k := range after {
		if strings.Contains(k, mine[0].ID) {
			t.Fatalf("a raw path in a label: %s", k)
		}
	}
	return after
}

// scrape reads base/metrics into series → value.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	out := map[string]float64{}
	lines := bufio.NewScanner(res.Body)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	for lines.Scan() {
		l := lines.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", l, err)
		}
		out[l[:i]] = v
	}
	return out
}
