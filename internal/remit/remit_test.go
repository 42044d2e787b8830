package remit

import (
	"testing"

	"dakiya/internal/postal"
)

func TestWithhold(t *testing.T) {
	for _, c := range []struct{ collected, fee, withheld, net postal.Paise }{
		{49900, 5000, 5000, 44900},
		{49900, 49900, 49900, 0},
		{49900, 60000, 49900, 0}, // a fee above a short collection is withheld up to it
		{100, 0, 0, 100},
		{100, -5, 0, 100},
	} {
		w, n := Withhold(c.collected, c.fee)
		if w != c.withheld || n != c.net || w+n != c.collected {
			t.Errorf("Withhold(%d, %d) = %d, %d; want %d, %d", c.collected, c.fee, w, n, c.withheld, c.net)
		}
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-2": "'-2", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"499.00": "499.00", "EE140000015IN": "EE140000015IN", "": "",
	} {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	l := Line{ArticleID: "EE140000015IN", Collected: 100, Fee: 10, Net: 90}
	d := Detail{Lines: []Line{l}, Statement: Statement{Totals: Totals{Lines: 1, Collected: 100, Fee: 10, Net: 90}}}
	if err := d.check(); err != nil {
		t.Fatal(err)
	}
	bad := d
	bad.Totals.Net = 89
	if bad.check() == nil {
		t.Fatal("totals that do not add up passed")
	}
	bad = Detail{Lines: []Line{{Collected: 100, Fee: 20, Net: 90}}, Statement: Statement{Totals: Totals{Lines: 1, Collected: 100, Fee: 20, Net: 90}}}
	if bad.check() == nil {
		t.Fatal("a line that does not add up passed")
	}
}
