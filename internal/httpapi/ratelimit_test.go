package httpapi

import (
	"fmt"
	"testing"
	"time"
)

type limiterClock struct{ t time.Time }

func (c *limiterClock) now() time.Time { return c.t }

func TestLimiterBucket(t *testing.T) {
	clk := &limiterClock{t: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC)}
	l := newAddrLimiter(PublicRate{Burst: 3, Every: 2 * time.Second, Cap: 10}, clk.now)
	for i := range 3 {
		if ok, _ := l.take("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if ok, wait := l.take("a"); ok || wait != 2*time.Second {
		t.Fatalf("past the burst: %v, wait %v; want refused, 2s", ok, wait)
	}
	if ok, _ := l.take("b"); !ok {
		t.Fatal("another address shares a's bucket")
	}
	clk.t = clk.t.Add(time.Second)
	if ok, wait := l.take("a"); ok || wait != time.Second {
		t.Fatalf("half refilled: %v, wait %v; want refused, 1s", ok, wait)
	}
	clk.t = clk.t.Add(time.Second)
	if ok, _ := l.take("a"); !ok {
		t.Fatal("refilled token refused")
	}
	clk.t = clk.t.Add(time.Hour)
	for i := range 3 {
		if ok, _ := l.take("a"); !ok {
			t.Fatalf("after an hour, request %d refused: the bucket holds at most the burst, but all of it", i+1)
		}
	}
	if ok, _ := l.take("a"); ok {
		t.Fatal("an idle hour saved up more than the burst")
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	clk := &limiterClock{t: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC)}
	l := newAddrLimiter(PublicRate{Burst: 2, Every: time.Second, Cap: 4}, clk.now)
	for i := range 100 {
		l.take(fmt.Sprint("10.0.0.", i))
	}
	if n := len(l.buckets); n > 5 {
		t.Fatalf("%d buckets for a cap of 4 (+ the shared overflow)", n)
	}
	if ok, _ := l.take("10.0.0.99"); ok {
		t.Fatal("addresses past the cap are not limited together")
	}
	clk.t = clk.t.Add(time.Minute) // every bucket has refilled: the next one sweeps them
	if ok, _ := l.take("192.0.2.1"); !ok || len(l.buckets) != 1 {
		t.Fatalf("refilled buckets not swept: %v, %d buckets", ok, len(l.buckets))
	}
}
