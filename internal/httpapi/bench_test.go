package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"dakiya/internal/httpapi"
	"dakiya/internal/proof/prooftest"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// buildEvening gives dc-one's slots room for capacity articles each,
// schedules its booked articles and builds the manifests of the evening
// of 25 Nov 2026 as supervisor sup, returning them as the API answered.
func buildEvening(b testing.TB, e *env, sup string, capacity int) []any {
	b.Helper()
	cal := fmt.Sprintf(`{"capacity":{"morning":%d,"evening":%d,"sunday":%d}}`, capacity, capacity, capacity)
	if res := e.do("PUT", "/api/v1/dcs/dc-one/calendar", sup, cal); res.status != 200 {
		b.Fatal(res.status, string(res.body))
	}
	if res := e.do("POST", "/api/v1/dcs/dc-one/schedule", sup, nil); res.status != 200 {
		b.Fatal(res.status, string(res.body))
	}
	res := e.do("POST", "/api/v1/dcs/dc-one/manifests", sup, map[string]string{"date": "2026-11-25", "slot": "evening"})
	if res.status != 201 {
		b.Fatal(res.status, string(res.body))
	}
	return res.json(b)["manifests"].([]any)
}

// benchManifest books n households' articles (one each) on beat-a for the
// evening, builds and dispatches the manifest, and returns its path and
// the postman's token.
func benchManifest(b testing.TB, e *env, n int) (string, string) {
	b.Helper()
	sup1 := e.login("sup1")
	r := rand.New(rand.NewPCG(7, 7))
	var batch []any
	for i := range n {
		it := item(s10(b, "RR", 13000001+i))
		rec := it["recipient"].(map[string]any)
		rec["lat"], rec["lon"] = 12.9352+(r.Float64()-0.5)*0.04, 77.6245+(r.Float64()-0.5)*0.04
		rec["address"] = fmt.Sprintf("House %d, Koramangala", i)
		it["service"] = "letter"
		batch = append(batch, it)
	}
	if res := e.do("POST", "/api/v1/dcs/dc-one/articles", sup1, batch); res.status != 200 {
		b.Fatal(res.status, string(res.body))
	}
	id := buildEvening(b, e, sup1, 1000)[0].(map[string]any)["id"].(string)
	if res := e.do("POST", "/api/v1/manifests/"+id+"/dispatch", sup1, nil); res.status != 200 {
		b.Fatal(res.status, string(res.body))
	}
	return "/api/v1/manifests/" + id, e.login("post1")
}

// get runs GETs in parallel over loopback (four clients per core, each
// with its own keep-alive connections and no transparent decompression)
// and checks each status.
func get(b *testing.B, url, token string, status int, header ...string) {
	b.Helper()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
		defer client.CloseIdleConnections()
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != status {
				b.Errorf("status %d, want %d", res.StatusCode, status)
				return
			}
		}
	})
}

// bareManifest is the baseline of BenchmarkManifestGet: a bare net/http
// handler that serves the same bytes from memory with the same headers,
// and 304 to a phone that names the ETag. It checks nothing else.
func bareManifest(plain, gz []byte, etag, gzEtag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Vary"] = []string{"Accept-Encoding"}
		h["Cache-Control"] = []string{"private, no-cache"}
		body, tag := plain, etag
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body, tag = gz, gzEtag
			h["Content-Encoding"] = []string{"gzip"}
		}
		h["Etag"] = []string{tag}
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		w.Write(body)
	})
}

// serve starts h on loopback, without the OpenAPI contract check the
// tests' servers have: what is measured is what production runs.
func serve(b *testing.B, h http.Handler) string {
	b.Helper()
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv.URL
}

// productionAPI serves e's dependencies through the API's handler made by
// build (httpapi.New, as production builds it, or without the request log
// and metrics), not through the tests' server and its OpenAPI contract
// check of every request and answer: the request log is formatted as in
// production and written nowhere, the metrics go to a registry of their
// own. It returns the server's URL.
func productionAPI(b *testing.B, e *env, build func(httpapi.Deps) (*echo.Echo, error)) string {
	b.Helper()
	d := e.deps
	d.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	d.Registry = prometheus.NewRegistry()
	h, err := build(d)
	if err != nil {
		b.Fatal(err)
	}
	return serve(b, h)
}

// benchDB is a fresh database of the named kind: "sqlite" or "postgres".
func benchDB(b *testing.B, name string) *store.DB {
	if name == "postgres" {
		return testkit.Postgres(b)
	}
	return testkit.DB(b)
}

// fetchManifest GETs path once and returns the body as sent and its ETag.
func fetchManifest(b *testing.B, url, token string, gzip bool) ([]byte, string) {
	b.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		b.Fatal(res.StatusCode, err)
	}
	if gzip != (res.Header.Get("Content-Encoding") == "gzip") {
		b.Fatalf("Content-Encoding %q for Accept-Encoding gzip %v", res.Header.Get("Content-Encoding"), gzip)
	}
	return body, res.Header.Get("ETag")
}

// BenchmarkManifestGet is the phone's manifest fetch for 200 stops over
// loopback, plain, gzipped and answered 304, each three ways in one run:
// a bare net/http handler serving the same bytes from memory (the
// baseline), the API's handler as production builds it, and the same
// without the request log and metrics (observe). Each API run reports its
// requests/s, the baseline's, and the ratio (x-bare).
func BenchmarkManifestGet(b *testing.B) {
	e := newEnv(b, testkit.DB(b))
	path, token := benchManifest(b, e, 200)
	api, quiet := productionAPI(b, e, httpapi.New), productionAPI(b, e, httpapi.NewUnobserved)
	plain, etag := fetchManifest(b, api+path, token, false)
	gz, gzEtag := fetchManifest(b, api+path, token, true)
	bare := serve(b, bareManifest(plain, gz, etag, gzEtag))
	b.Logf("body %d bytes, gzipped %d", len(plain), len(gz))
	kinds := []struct {
		name   string
		status int
		header []string
	}{
		{"plain", 200, nil},
		{"gzip", 200, []string{"Accept-Encoding", "gzip"}},
		{"304", 304, []string{"Accept-Encoding", "gzip", "If-None-Match", gzEtag}},
	}
	for _, k := range kinds {
		var baseline float64 // requests/s of the bare handler
		b.Run(k.name+"/bare", func(b *testing.B) {
			get(b, bare+"/manifest", token, k.status, k.header...)
			baseline = float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(baseline, "req/s")
		})
		for _, srv := range []struct{ name, url string }{{"api", api}, {"api-unobserved", quiet}} {
			b.Run(k.name+"/"+srv.name, func(b *testing.B) {
				get(b, srv.url+path, token, k.status, k.header...)
				rate := float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(rate, "req/s")
				b.ReportMetric(baseline, "bare-req/s")
				b.ReportMetric(rate/baseline, "x-bare")
			})
		}
	}
}

// BenchmarkOutcome submits delivery outcomes through the API, one per
// article, on SQLite and on PostgreSQL; run it with a fixed count no larger
// than the articles it dispatches (make bench uses -benchtime 300x).
func BenchmarkOutcome(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, benchDB(b, name))
			ids, token := outcomeArticles(b, e, 300)
			if b.N > len(ids) {
				b.Skipf("run with -benchtime %dx or less", len(ids))
			}
			i := 0
			for b.Loop() {
				body := map[string]any{"article_id": ids[i], "outcome": "delivered", "proof_ids": []string{},
					"location": map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8}, "captured_at": "2026-11-25T18:00:00+05:30",
					"id_evidence": map[string]any{"type": "aadhaar", "last4": "1234", "received_by": "Meera"},
					"cod":         map[string]any{"mode": "cash", "amount_paise": 49900}}
				if r := e.do("POST", "/api/v1/deliveries", token, body, "Idempotency-Key", uuid.NewString()); r.status != 201 {
					b.Fatalf("outcome: %d %s", r.status, r.body)
				}
				i++
			}
		})
	}
}

// outcomeArticles dispatches n COD letters to post1.
func outcomeArticles(b *testing.B, e *env, n int) ([]string, string) {
	b.Helper()
	path, token := benchManifest(b, e, n)
	var m struct {
		Stops []struct{ Articles []struct{ ID string } }
	}
	r := e.do("GET", path, token, nil)
	if err := json.Unmarshal(r.body, &m); err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, st := range m.Stops {
		for _, a := range st.Articles {
			ids = append(ids, a.ID)
		}
	}
	return ids, token
}

// BenchmarkProofUpload puts a 150 KB photo through the API (with the
// upload checks, the write-once put and the row) and straight into the
// same S3 server with the object store's own put (one conditional PUT with
// its SHA-256), from one client and from eight at once. Every upload is a
// new proof of one of proofArticles articles, taken in turn, so no article
// fills up and no upload is a replay; run it with -benchtime of at most
// proofArticles×MaxPerArticle/2 uploads (make bench uses 600x). Each
// reports its median and 99th-percentile latency.
func BenchmarkProofUpload(b *testing.B) {
	e := newEnv(b, testkit.DB(b))
	ids, token := outcomeArticles(b, e, proofArticles)
	photo := prooftest.NoisyJPEG(544, 408)
	b.Logf("photo: %d bytes, %d articles", len(photo), len(ids))
	bodies, types := make([][]byte, len(ids)), make([]string, len(ids)) // each form has its own boundary
	for i, id := range ids {
		bodies[i], types[i] = multipartBody(b, form(id, "photo", "door.jpg", photo))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64 // the next article, shared by the API runs
	api := func() error {
		i := int(next.Add(1)-1) % len(bodies)
		req, _ := http.NewRequest("POST", e.url+"/api/v1/proofs", bytes.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", types[i])
		req.Header.Set("Idempotency-Key", uuid.NewString())
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			return fmt.Errorf("upload: %d %s", res.StatusCode, msg)
		}
		return nil
	}
	st := e.objects().st
	direct := func() error {
		err := st.Put(context.Background(), "bench/"+uuid.NewString()+".jpg", photo, "image/jpeg", nil)
		return err
	}
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("api-%d", clients), func(b *testing.B) { timeClients(b, clients, len(photo), api) })
		b.Run(fmt.Sprintf("direct-put-%d", clients), func(b *testing.B) { timeClients(b, clients, len(photo), direct) })
	}
}

// proofArticles is how many articles BenchmarkProofUpload spreads its
// uploads over.
const proofArticles = 300

// timeClients runs b.N calls of op from n goroutines and reports the
// median and 99th-percentile latency of one call.
func timeClients(b *testing.B, n, size int, op func() error) {
	b.SetBytes(int64(size))
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	b.ResetTimer()
	for range n {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				start := time.Now()
				if err := op(); err != nil {
					errs <- err
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)])/1e6, "p99-ms")
}
