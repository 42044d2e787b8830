package otp

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestRFC4226 runs RFC 4226 Appendix D through our code.
func TestRFC4226(t *testing.T) {
	seed := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		got, err := Code(seed, uint64(i))
		if err != nil || got != w {
			t.Errorf("counter %d: %s %v, want %s", i, got, err, w)
		}
	}
}

// TestCheckLeavesExactlyTenThousandCandidates counts, for a few random
// checks, how many of the 10^6 codes pass: exactly 10,000 each, since the
// check is a bijection followed by 100 equal buckets.
func TestCheckLeavesExactlyTenThousandCandidates(t *testing.T) {
	for range 3 {
		c, err := NewCheck(fmt.Sprintf("%06d", rand.IntN(1_000_000)))
		if err != nil {
			t.Fatal(err)
		}
		sizes := make([]int, 100)
		seen := make([]bool, 1_000_000)
		for v := range 1_000_000 {
			sizes[c.bucket(v)]++
			p := c.permute(v)
			if seen[p] {
				t.Fatalf("the check's permutation maps two codes to %d", p)
			}
			seen[p] = true
		}
		for b, n := range sizes {
			if n != 10_000 {
				t.Fatalf("bucket %d holds %d codes, want exactly 10000", b, n)
			}
		}
	}
}

// TestCheckCatchesTypos measures how many typical mistypes of a code pass
// the check: about 1 % should.
func TestCheckCatchesTypos(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	passed, total := 0, 0
	for range 3000 {
		code := []byte(fmt.Sprintf("%06d", r.IntN(1_000_000)))
		c, err := NewCheck(string(code))
		if err != nil {
			t.Fatal(err)
		}
		if !c.Passes(string(code)) {
			t.Fatalf("the right code %s fails its own check", code)
		}
		for _, typo := range typos(code) {
			total++
			if c.Passes(string(typo)) {
				passed++
			}
		}
	}
	rate := float64(passed) / float64(total)
	t.Logf("%d of %d typos pass the check (%.2f %%)", passed, total, 100*rate)
	if rate > 0.02 {
		t.Fatalf("%.2f %% of typos pass; the check should catch about 99 %%", 100*rate)
	}
}

// typos lists every single-digit change and adjacent swap of code.
func typos(code []byte) [][]byte {
	var out [][]byte
	for i := range code {
		for d := byte('0'); d <= '9'; d++ {
			if d != code[i] {
				t := bytes.Clone(code)
				t[i] = d
				out = append(out, t)
			}
		}
		if i+1 < len(code) && code[i] != code[i+1] {
			t := bytes.Clone(code)
			t[i], t[i+1] = t[i+1], t[i]
			out = append(out, t)
		}
	}
	return out
}

func TestCheckEncoding(t *testing.T) {
	c, err := NewCheck("012345")
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCheck(c.String())
	if err != nil || back != c || len(c.String()) != 3+36+3 {
		t.Fatalf("round trip: %v %+v %q", err, back, c.String())
	}
	for _, bad := range []string{"", "v2:" + c.String()[3:], "v1:12:34", "v1:" + c.String()[3:39] + ":x1"} {
		if _, err := ParseCheck(bad); err == nil {
			t.Errorf("ParseCheck(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"12345", "1234567", "12345a", ""} {
		if c.Passes(bad) {
			t.Errorf("%q passes", bad)
		}
	}
}

func TestSealer(t *testing.T) {
	s, err := NewSealer(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSealer(bytes.Repeat([]byte{8}, 32))
	seed, _ := NewSeed()
	sealed, err := s.Seal("EE123456785IN", seed)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Open("EE123456785IN", sealed); err != nil || !bytes.Equal(got, seed) {
		t.Fatalf("open: %v", err)
	}
	if bytes.Contains([]byte(sealed), seed) {
		t.Fatal("the seed shows in the sealed form")
	}
	tampered := []byte(sealed)
	tampered[len(tampered)-3] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"other article": func() ([]byte, error) { return s.Open("RR287043775IN", sealed) },
		"other key":     func() ([]byte, error) { return other.Open("EE123456785IN", sealed) },
		"tampered":      func() ([]byte, error) { return s.Open("EE123456785IN", string(tampered)) },
		"garbage":       func() ([]byte, error) { return s.Open("EE123456785IN", "!!") },
	} {
		if _, err := open(); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}
