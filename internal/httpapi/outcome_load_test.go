package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/httpapi"
	"dakiya/internal/store"
)

// loadPhones is how many phones send outcomes at once in
// BenchmarkOutcomePhones; DAKIYA_OUTCOME_PER_PHONE sets how many articles
// each one delivers (30 unless set: a slot's calendar holds at most 1,000).
const loadPhones = 32

// phone is one postman's phone in the load benchmark: a token and the
// articles of the manifest dispatched to that postman alone.
type phone struct {
	token string
	ids   []string
}

// BenchmarkOutcomePhones is the outcome load of a busy evening: 32
// postmen, each with a beat and a dispatched manifest of their own, send
// their outcomes at once over loopback, on SQLite and on PostgreSQL. It
// reports outcomes/s, the latency's p50 and p99, and the CPU spent per
// outcome: this process's (the server, SQLite and the 32 clients; read
// from /proc/self/stat) plus, on PostgreSQL, the backends serving this
// test's database (their pids from pg_stat_activity, their CPU from
// /proc/PID/stat; PostgreSQL's shared background writers are left out).
// Run it with -benchtime 1x: each iteration delivers every article once.
func BenchmarkOutcomePhones(b *testing.B) {
	per := 30
	if v, err := strconv.Atoi(os.Getenv("DAKIYA_OUTCOME_PER_PHONE")); err == nil && v > 0 {
		per = v
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := benchDB(b, name)
			e := newEnv(b, db)
			phones := loadManifests(b, e, loadPhones, per)
			api := productionAPI(b, e, httpapi.New)
			var lat []time.Duration
			var elapsed time.Duration
			var cpu time.Duration
			var perCommit float64 // SQLite: writes per commit of its one writer
			for b.Loop() {
				w0, _ := db.WriterStats()
				self0, pg0 := processCPU(b), backendCPU(b, db)
				stop := profileCPU(b, name)
				start := time.Now()
				lat = sendOutcomes(b, api, phones)
				elapsed = time.Since(start)
				stop()
				cpu = processCPU(b) - self0
				for pid, d := range backendCPU(b, db) {
					cpu += d - pg0[pid] // a backend opened meanwhile counts from 0
				}
				if w1, ok := db.WriterStats(); ok && w1.Batches > w0.Batches {
					perCommit = float64(w1.Writes-w0.Writes) / float64(w1.Batches-w0.Batches)
				}
				phones = nil // every article has its outcome: one round only
			}
			n := float64(len(lat))
			slices.Sort(lat)
			b.ReportMetric(n/elapsed.Seconds(), "outcomes/s")
			b.ReportMetric(ms64(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms64(lat[len(lat)*99/100]), "p99-ms")
			b.ReportMetric(ms64(cpu)/n, "cpu-ms/outcome")
			if perCommit > 0 {
				b.ReportMetric(perCommit, "writes/commit")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// profileCPU starts a CPU profile of the outcomes alone (not the setup)
// when DAKIYA_OUTCOME_CPUPROFILE names a file prefix; the profile goes to
// PREFIX-NAME.pprof. The returned func stops it.
func profileCPU(b *testing.B, name string) func() {
	prefix := os.Getenv("DAKIYA_OUTCOME_CPUPROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(prefix + "-" + name + ".pprof")
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

func ms64(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// sendOutcomes runs one goroutine per phone, each delivering its
// articles one after another with a new Idempotency-Key, and returns every
// request's latency.
func sendOutcomes(b *testing.B, api string, phones []phone) []time.Duration {
	if phones == nil {
		b.Fatal("run BenchmarkOutcomePhones with -benchtime 1x")
	}
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	for _, p := range phones {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
			defer client.CloseIdleConnections()
			lat := make([]time.Duration, 0, len(p.ids))
			for _, id := range p.ids {
				body, _ := json.Marshal(map[string]any{"article_id": id, "outcome": "delivered", "proof_ids": []string{},
					"location": map[string]any{"lat": 12.9361, "lon": 77.6212, "accuracy_m": 8}, "captured_at": "2026-11-25T18:00:00+05:30",
					"id_evidence": map[string]any{"type": "aadhaar", "last4": "1234", "received_by": "Meera"},
					"cod":         map[string]any{"mode": "cash", "amount_paise": 49900}})
				req, _ := http.NewRequest("POST", api+"/api/v1/deliveries", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+p.token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", uuid.NewString())
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				lat = append(lat, time.Since(t0))
				if res.StatusCode != 201 {
					b.Errorf("outcome: %d %s", res.StatusCode, got)
					return
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return all
}

// loadManifests makes n postmen, each with a beat of one PIN code, books
// per COD letters to each beat for the evening of 2026-11-25, builds and
// dispatches the manifests, and returns every postman's phone.
func loadManifests(b *testing.B, e *env, n, per int) []phone {
	b.Helper()
	admin, sup := e.login("admin"), e.login("sup1")
	r := rand.New(rand.NewPCG(7, 7))
	var batch []any
	users := make([]string, n)
	for i := range n {
		users[i] = fmt.Sprintf("phone%02d", i+1)
		u := map[string]any{"username": users[i], "name": fmt.Sprintf("Phone %d", i+1), "role": "postman", "dc_id": "dc-one",
			"password": password}
		if res := e.do("POST", "/api/v1/users", admin, u); res.status != 201 {
			b.Fatal(res.status, string(res.body))
		}
		pin := fmt.Sprintf("5601%02d", i+1)
		beat := map[string]any{"name": fmt.Sprintf("Load beat %d", i+1), "pins": []string{pin}, "postman_id": e.userID(users[i])}
		if res := e.do("POST", "/api/v1/dcs/dc-one/beats", admin, beat); res.status != 201 {
			b.Fatal(res.status, string(res.body))
		}
		for j := range per {
			it := item(s10(b, "RR", 14000001+i*per+j))
			rec := it["recipient"].(map[string]any)
			rec["lat"], rec["lon"] = 12.9352+(r.Float64()-0.5)*0.04, 77.6245+(r.Float64()-0.5)*0.04
			rec["address"], rec["pin"] = fmt.Sprintf("House %d, Koramangala", j), pin
			it["service"] = "letter"
			batch = append(batch, it)
		}
	}
	for chunk := range slices.Chunk(batch, 500) {
		if res := e.do("POST", "/api/v1/dcs/dc-one/articles", sup, chunk); res.status != 200 {
			b.Fatal(res.status, string(res.body))
		}
	}
	var phones []phone
	for _, m := range buildEvening(b, e, sup, n*per) {
		id := m.(map[string]any)["id"].(string)
		if res := e.do("POST", "/api/v1/manifests/"+id+"/dispatch", sup, nil); res.status != 200 {
			b.Fatal(res.status, string(res.body))
		}
		postman, _ := m.(map[string]any)["postman_id"].(string)
		var username string
		if err := e.db.QueryRowForTest(b.Context(), "SELECT username FROM users WHERE id = ?", postman).Scan(&username); err != nil {
			b.Fatal(err)
		}
		p := phone{token: e.login(username)}
		var got struct {
			Stops []struct{ Articles []struct{ ID string } }
		}
		if err := json.Unmarshal(e.do("GET", "/api/v1/manifests/"+id, p.token, nil).body, &got); err != nil {
			b.Fatal(err)
		}
		for _, st := range got.Stops {
			for _, a := range st.Articles {
				p.ids = append(p.ids, a.ID)
			}
		}
		phones = append(phones, p)
	}
	if len(phones) != n {
		b.Fatalf("%d manifests for %d postmen", len(phones), n)
	}
	for _, p := range phones {
		if len(p.ids) != per {
			b.Fatalf("a manifest of %d articles, want %d", len(p.ids), per)
		}
	}
	return phones
}

// processCPU is the CPU this process has used (user and system), from
// /proc/self/stat.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	d, err := procCPU("self")
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// backendCPU is the CPU used so far by each PostgreSQL backend connected
// to db's database (none on SQLite), by pid, read from /proc/PID/stat:
// the database server must run on this machine.
func backendCPU(b *testing.B, db *store.DB) map[string]time.Duration {
	b.Helper()
	if db.Dialect() != store.Postgres {
		return nil
	}
	var pids string
	if err := db.QueryRowForTest(b.Context(), `SELECT COALESCE(string_agg(pid::text, ','), '') FROM pg_stat_activity
		WHERE datname = current_database()`).Scan(&pids); err != nil {
		b.Fatal(err)
	}
	cpu := map[string]time.Duration{}
	for _, pid := range strings.Split(pids, ",") {
		d, err := procCPU(pid)
		if err != nil {
			b.Fatalf("postgres backend %s: %v (the database must run on this machine)", pid, err)
		}
		cpu[pid] = d
	}
	return cpu
}

// procCPU reads utime and stime (fields 14 and 15, in clock ticks of
// 1/100 s) from /proc/PID/stat.
func procCPU(pid string) (time.Duration, error) {
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from 3 on
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%s/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad /proc/%s/stat", pid)
	}
	return time.Duration(u+st) * 10 * time.Millisecond, nil
}
