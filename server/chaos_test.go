package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/proof"
)

// chaosPlan is the size of a chaos run and what goes wrong during it.
type chaosPlan struct {
	seed      uint64
	phones    int // postmen, each with a manifest and a phone
	perPhone  int // articles on each postman's manifest
	kills     int // replicas SIGKILLed (and restarted) during the run
	pgCuts    int // times PostgreSQL is cut off from every replica
	cutFor    time.Duration
	downFor   time.Duration // how long a killed replica stays down
	landLimit time.Duration // how long one request may take to land
}

// chaosPlanFromEnv is the short run of make test, or with
// DAKIYA_CHAOS_LARGE=1 the large one of make bench: 300 phones × a slot of
// 26 articles (about 10,700 submissions with the photos). The seed and the
// number of phones may be set with DAKIYA_CHAOS_SEED and
// DAKIYA_CHAOS_PHONES.
func chaosPlanFromEnv(t *testing.T) chaosPlan {
	p := chaosPlan{seed: 1, phones: 12, perPhone: 18, kills: 1, pgCuts: 1, cutFor: 2 * time.Second,
		downFor: 2 * time.Second, landLimit: 3 * time.Minute}
	if os.Getenv("DAKIYA_CHAOS_LARGE") == "1" {
		p.phones, p.perPhone, p.kills, p.pgCuts, p.cutFor, p.downFor = 300, 26, 4, 3, 4*time.Second, 4*time.Second
		p.landLimit = 10 * time.Minute
	}
	knob := func(name string, v *int) {
		if s := os.Getenv(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: want a positive number", name, s)
			}
			*v = n
		}
	}
	seed := int(p.seed)
	knob("DAKIYA_CHAOS_SEED", &seed)
	knob("DAKIYA_CHAOS_PHONES", &p.phones)
	p.seed = uint64(seed)
	return p
}

// TestChaos drives phones through a lossy, duplicating, reordering
// transport against three replicas behind a round-robin proxy, submitting
// a slot's outcomes and photos, while replicas are SIGKILLed and restarted
// and PostgreSQL is cut off for seconds. Afterwards every outcome exists
// exactly once, every photo object has its row once the orphan sweeper has
// run, every retry of a key got the first answer, and no request was
// answered with a server fault.
func TestChaos(t *testing.T) {
	plan := chaosPlanFromEnv(t)
	var fx chaosFixture
	c := newCluster(t, 3, func(env map[string]string) { fx = newChaosFixture(t, env, plan) })
	jobs := fx.jobs(t, plan)
	tr := &faulty{base: &http.Transport{MaxIdleConnsPerHost: 64}, r: rand.New(rand.NewPCG(plan.seed, 14))}
	l := newLander(t, &http.Client{Transport: tr, Timeout: 30 * time.Second}, plan.landLimit)
	started := time.Now()

	var done atomic.Int64
	chaosOver := make(chan struct{})
	go func() { defer close(chaosOver); c.wreak(t, plan, &done, len(jobs)) }()
	byPhone := map[string][]job{}
	for _, j := range jobs {
		byPhone[j.token] = append(byPhone[j.token], j)
	}
	var phones sync.WaitGroup
	for _, mine := range byPhone {
		phones.Go(func() {
			for _, j := range mine {
				l.send(c.base, j)
				done.Add(1)
			}
		})
	}
	phones.Wait()
	<-chaosOver
	elapsed := time.Since(started)

	ctx := context.Background()
	swept, err := proof.NewSweeper(fx.app.db, fx.app.objects.Blobs(),
		func() time.Time { return time.Now().Add(proof.OrphanAge + time.Hour) }, // every object is old enough
		slog.New(slog.NewTextHandler(io.Discard, nil))).Sweep(ctx)
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	photos := photoJobs(jobs)
	checkExactlyOnce(t, c.dsn, len(jobs), photos)
	var keys []string
	for key, err := range fx.app.objects.Blobs().Keys(ctx, proof.Prefix, time.Now().Add(time.Hour)) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	known, err := fx.app.db.ProofObjectKeys(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != photos || len(known) != photos {
		t.Errorf("after the sweep the bucket holds %d proof objects, %d of them with a row; want %d", len(keys), len(known), photos)
	}
	mismatches := l.mismatches()
	line := fmt.Sprintf("CHAOS RESULT submissions=%d requests=%d duplicated=%d dropped=%d responses_lost=%d kills=%d pg_cuts=%d "+
		"outcomes=%d proofs=%d orphans_swept=%d mismatches=%d 5xx=%d | phones=%d seed=%d answered_503=%d answered_409=%d "+
		"cut_off_at_proxy=%d longest_wait=%s elapsed=%s",
		len(jobs)+photos, l.requests.Load(), tr.doubled.Load(), tr.dropped.Load(), tr.lost.Load(), c.kills.Load(), c.pgCuts.Load(),
		len(jobs), len(known), swept, mismatches, l.faults.Load(), plan.phones, plan.seed, l.outage.Load(), l.inFlight.Load(),
		c.cutOff.Load(), l.longest.Round(100*time.Millisecond), elapsed.Round(time.Second))
	t.Log(line)
	fmt.Println(line)
	if c.kills.Load() != int64(plan.kills) || c.pgCuts.Load() != int64(plan.pgCuts) {
		t.Errorf("%d kills and %d database cuts happened; the plan was %d and %d", c.kills.Load(), c.pgCuts.Load(), plan.kills, plan.pgCuts)
	}
}

// wreak kills replicas and cuts the database at even steps of the run's
// progress (done of total submissions landed), one thing at a time, so
// each happens under load whatever the machine's speed.
func (c *cluster) wreak(t *testing.T, plan chaosPlan, done *atomic.Int64, total int) {
	events := plan.kills + plan.pgCuts
	kills, cuts := 0, 0
	for i := 1; i <= events; i++ {
		at := int64(total * i / (events + 1))
		for done.Load() < at {
			time.Sleep(20 * time.Millisecond)
		}
		// Alternate, starting with a kill, while both remain.
		if kills < plan.kills && (cuts >= plan.pgCuts || kills <= cuts) {
			r := c.replicas[kills%len(c.replicas)]
			c.kill(r)
			t.Logf("chaos: replica %d killed at %d of %d", r.n, done.Load(), total)
			time.Sleep(plan.downFor)
			c.start(r)
			kills++
			continue
		}
		t.Logf("chaos: PostgreSQL cut for %s at %d of %d", plan.cutFor, done.Load(), total)
		c.cutDatabase(plan.cutFor)
		cuts++
	}
}

// chaosFixture is a centre made for the run: a postman per phone, each
// with a beat of one PIN code and a dispatched manifest of that beat's
// letters (which need no code at the door).
type chaosFixture struct {
	app     *app
	postmen []string              // usernames
	byPIN   map[string]int        // beat PIN → postman index
	pinOf   map[string]string     // article id → PIN
	at      map[string][2]float64 // article id → the door's lat, lon
}

const chaosDC = "chaos-blr"

// newChaosFixture loads the centre through the domain services, in this
// process, on the database env names (before any replica runs).
func newChaosFixture(t *testing.T, env map[string]string, plan chaosPlan) chaosFixture {
	t.Helper()
	ctx := context.Background()
	a, err := open(ctx, environment{getenv: func(k string) string { return env[k] }, stdout: io.Discard, stderr: io.Discard},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	fx := chaosFixture{app: a, byPIN: map[string]int{}, pinOf: map[string]string{}, at: map[string][2]float64{}}
	must := func(what string, err error) {
		if err != nil {
			t.Fatalf("chaos fixture: %s: %v", what, err)
		}
	}
	admUser, err := a.auth.CreateUser(ctx, auth.NewUser{Username: "chaos-admin", Name: "Chaos Admin", Role: postal.RoleAdmin,
		Locale: "en", Password: "chaos-password"})
	must("admin", err)
	adm := asPrincipal(admUser)
	_, err = a.centres.Create(ctx, adm, centre.DC{ID: chaosDC, Name: "Chaos Nagar", Address: "1 MG Road, Bengaluru",
		PIN: "560001", Lat: 12.9716, Lon: 77.5946, TimeZone: "Asia/Kolkata"})
	must("centre", err)
	supUser, err := a.auth.CreateUser(ctx, auth.NewUser{Username: "chaos-sup", Name: "Chaos Supervisor", Role: postal.RoleSupervisor,
		DCID: chaosDC, Locale: "en", Password: "chaos-password"})
	must("supervisor", err)
	sup := asPrincipal(supUser)
	users := make([]auth.User, plan.phones)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := range 2 { // password hashing is the slow part: one worker per core
		wg.Go(func() {
			for i := w; i < plan.phones; i += 2 {
				u, err := a.auth.CreateUser(ctx, auth.NewUser{Username: fmt.Sprintf("chaos-pm-%03d", i), Name: fmt.Sprintf("Postman %d", i),
					Role: postal.RolePostman, DCID: chaosDC, Locale: "en", Password: "chaos-password"})
				mu.Lock()
				users[i] = u
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	must("postmen", firstErr)
	r := rand.New(rand.NewPCG(plan.seed, 99))
	var items []article.Input
	for i, u := range users {
		pin := strconv.Itoa(561000 + i)
		fx.postmen = append(fx.postmen, u.Username)
		fx.byPIN[pin] = i
		_, err := a.centres.AddBeat(ctx, adm, centre.Beat{ID: fmt.Sprintf("chaos-beat-%03d", i), DCID: chaosDC,
			Name: fmt.Sprintf("Beat %d", i), PostmanID: u.ID, PINs: []string{pin}})
		must("beat", err)
		// The beat's doors lie in a small patch of its own.
		lat0, lon0 := 12.90+0.004*float64(i%20), 77.55+0.004*float64(i/20)
		for k := range plan.perPhone {
			id, err := postal.NewS10("LA", 10000000+i*1000+k, "IN")
			must("id", err)
			lat, lon := lat0+0.003*r.Float64(), lon0+0.003*r.Float64()
			items = append(items, article.Input{ID: id.String(), Service: postal.ServiceLetter, Recipient: article.Recipient{
				Name: fmt.Sprintf("Recipient %d-%d", i, k), Phone: fmt.Sprintf("+9198%03d%05d", i, k),
				Address: fmt.Sprintf("%d Cross %d, Bengaluru", k+1, i+1), PIN: pin, Lat: &lat, Lon: &lon}})
			fx.pinOf[id.String()] = pin
			fx.at[id.String()] = [2]float64{lat, lon}
		}
	}
	for start := 0; start < len(items); start += article.MaxBatch {
		res, err := a.articles.Create(ctx, sup, chaosDC, items[start:min(start+article.MaxBatch, len(items))], nil)
		must("articles", err)
		must("articles", batchErr(res))
	}
	sched, err := a.slots.AutoSchedule(ctx, sup, chaosDC)
	must("schedule", err)
	if len(sched.Unscheduled) > 0 {
		t.Fatalf("chaos fixture: %d articles found no slot: %+v", len(sched.Unscheduled), sched.Unscheduled[0])
	}
	// Build and send out the first slot the articles went into; the run
	// delivers what is on those manifests.
	var date, sl string
	must("first slot", a.db.QueryRowForTest(ctx, "SELECT sched_date, sched_slot FROM articles WHERE dc_id = ? ORDER BY sched_date, sched_slot LIMIT 1", chaosDC).Scan(&date, &sl))
	built, err := a.manifests.Build(ctx, sup, chaosDC, date, postal.Slot(sl))
	must("build", err)
	for _, m := range built.Manifests {
		_, err := a.manifests.Dispatch(ctx, sup, m.ID)
		must("dispatch", err)
	}
	return fx
}

func asPrincipal(u auth.User) postal.Principal {
	return postal.Principal{UserID: u.ID, Username: u.Username, Role: u.Role, DCID: u.DCID}
}

func batchErr(res article.BatchResult) error {
	if len(res.Errors) > 0 {
		return fmt.Errorf("%d refused, first: %+v", len(res.Errors), res.Errors[0])
	}
	return nil
}

// jobs logs every postman in (through the service, with the replicas'
// key, so the tokens hold on every replica) and makes a job per article
// out for delivery: every fourth a failed attempt, the rest deliveries,
// every other one of them with a photo.
func (fx chaosFixture) jobs(t *testing.T, plan chaosPlan) []job {
	t.Helper()
	ctx := context.Background()
	tokens := make([]string, len(fx.postmen))
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < len(fx.postmen); i += 2 {
				s, err := fx.app.auth.Login(ctx, fx.postmen[i], "chaos-password", fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))
				if err != nil {
					t.Errorf("login %s: %v", fx.postmen[i], err)
					continue
				}
				tokens[i] = s.AccessToken
			}
		})
	}
	wg.Wait()
	var out string // PostgreSQL only, as the run is
	if err := fx.app.db.QueryRowForTest(ctx, "SELECT COALESCE(string_agg(id, ',' ORDER BY id), '') FROM articles WHERE dc_id = ? AND status = 'out_for_delivery'",
		chaosDC).Scan(&out); err != nil {
		t.Fatal(err)
	}
	var jobs []job
	perPostman := map[int]int{}
	for _, id := range strings.Split(out, ",") {
		if id == "" {
			continue
		}
		i := fx.byPIN[fx.pinOf[id]]
		n := perPostman[i]
		perPostman[i]++
		door := fx.at[id]
		body := map[string]any{"article_id": id, "proof_ids": []string{}, "captured_at": time.Now().Format(time.RFC3339),
			"location": map[string]any{"lat": door[0], "lon": door[1], "accuracy_m": 10}}
		j := job{token: tokens[i], key: uuid.NewString(), body: body}
		if n%4 == 3 {
			body["outcome"], body["reason_code"] = "failed", "08"
		} else {
			body["outcome"] = "delivered"
			if n%2 == 0 {
				j.proofKey = uuid.NewString()
			}
		}
		jobs = append(jobs, j)
	}
	if len(jobs) < plan.phones*plan.perPhone*9/10 {
		t.Fatalf("only %d articles went out for delivery, of %d", len(jobs), plan.phones*plan.perPhone)
	}
	return jobs
}
