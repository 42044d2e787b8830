package otp

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Check is the offline check value the manifest carries for an article:
// enough for the phone to reject about 99 % of mistyped codes with no
// network, never enough to find the code.
//
// The arithmetic. A code is one of N = 10^6 six-digit strings. The check
// is a keyed permutation P of [0, 10^6) — a four-round Feistel network on
// (L, R) = (code / 1000, code mod 1000), each round (L, R) ← (R, (L + F(R))
// mod 1000) with F(x) = (a·x² + b·x + k) mod 997, the twelve coefficients
// random per article (the prime modulus makes every digit of x matter; mod
// 1000 the last two digits of F would depend only on the last two of x, and
// a third of typos would pass) — followed by a bucket: B = P(code) mod 100. Because P is a
// bijection, each of the 100 buckets holds exactly 10^6 / 100 = 10,000
// codes. So:
//   - a wrong code passes only if it lands in the real code's bucket:
//     9,999 of the 999,999 wrong codes do, about 1 %, so about 99 % of
//     mistypes are caught (the mixing makes this hold for typical typos,
//     one digit or two swapped, not only for random codes — the tests
//     measure it);
//   - someone holding the manifest learns only that the code is one of
//     exactly 10,000 candidates, so the check cannot be turned into the
//     code; online guessing is still capped at 5 tries per article.
//
// The phone computes the same function (all arithmetic stays below 2^31).
type Check struct {
	Coef   [12]int // a, b, k for each of the four rounds, each 0..999
	Bucket int     // 0..99
}

// checkRounds is the number of Feistel rounds.
const checkRounds = 4

// NewCheck makes the check of code with fresh random coefficients.
func NewCheck(code string) (Check, error) {
	var c Check
	for i := range c.Coef {
		n, err := rand.Int(rand.Reader, big.NewInt(1000))
		if err != nil {
			return Check{}, fmt.Errorf("otp: check coefficients: %w", err)
		}
		c.Coef[i] = int(n.Int64())
	}
	v, err := codeValue(code)
	if err != nil {
		return Check{}, err
	}
	c.Bucket = c.bucket(v)
	return c, nil
}

// permute computes P(v), the Feistel permutation of [0, 10^6).
func (c Check) permute(v int) int {
	l, r := v/1000, v%1000
	for i := range checkRounds {
		a, b, k := c.Coef[3*i], c.Coef[3*i+1], c.Coef[3*i+2]
		f := (a*r%997*r + b*r + k) % 997 // a prime modulus mixes every digit
		l, r = r, (l+f)%1000
	}
	return l*1000 + r
}

// bucket computes P(v) mod 100.
func (c Check) bucket(v int) int { return c.permute(v) % 100 }

// Passes reports whether code could be the article's code.
func (c Check) Passes(code string) bool {
	v, err := codeValue(code)
	return err == nil && c.bucket(v) == c.Bucket
}

// String encodes the check as the manifest carries it:
// "v1:" + the twelve coefficients as three digits each + ":" + the bucket
// as two digits, e.g. "v1:012345…:07".
func (c Check) String() string {
	var b strings.Builder
	b.WriteString("v1:")
	for _, k := range c.Coef {
		fmt.Fprintf(&b, "%03d", k)
	}
	fmt.Fprintf(&b, ":%02d", c.Bucket)
	return b.String()
}

// ParseCheck reads a check written by String.
func ParseCheck(s string) (Check, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] != "v1" || len(parts[1]) != 36 || len(parts[2]) != 2 {
		return Check{}, fmt.Errorf("otp: malformed check %q", s)
	}
	var c Check
	for i := range c.Coef {
		n, err := strconv.Atoi(parts[1][3*i : 3*i+3])
		if err != nil {
			return Check{}, fmt.Errorf("otp: malformed check %q", s)
		}
		c.Coef[i] = n
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil {
		return Check{}, fmt.Errorf("otp: malformed check %q", s)
	}
	c.Bucket = n
	return c, nil
}

// codeValue reads a six-digit code as a number.
func codeValue(code string) (int, error) {
	if len(code) != Digits {
		return 0, fmt.Errorf("otp: a code has %d digits", Digits)
	}
	v := 0
	for _, r := range code {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("otp: a code has only digits")
		}
		v = v*10 + int(r-'0')
	}
	return v, nil
}
