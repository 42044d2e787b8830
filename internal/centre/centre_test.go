package centre

import "testing"

func TestBeatFor(t *testing.T) {
	beats := []Beat{
		{ID: "wide", DIGIPINPrefixes: []string{"4P3"}},
		{ID: "narrow", DIGIPINPrefixes: []string{"4P3JM9"}},
		{ID: "pins", PINs: []string{"560034", "560095"}},
	}
	cases := []struct{ digipin, pin, want string }{
		{"4P3-JM9-5264", "999999", "narrow"}, // longest prefix wins
		{"4P3-JM8-5264", "560034", "wide"},   // DIGIPIN before PIN
		{"", "560095", "pins"},               // no coordinates: PIN fallback
		{"4P4-JM9-5264", "560034", "pins"},
		{"4P4-JM9-5264", "110001", ""}, // nobody covers it
	}
	for _, c := range cases {
		b, ok := BeatFor(beats, c.digipin, c.pin)
		if (c.want == "") == ok || b.ID != c.want {
			t.Errorf("BeatFor(%s, %s) = %q %v, want %q", c.digipin, c.pin, b.ID, ok, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	good := DC{ID: "blr-one", Name: "One", Address: "Road", PIN: "560034", Lat: 12.9, Lon: 77.6}
	if err := validateDC(&good); err != nil || good.TimeZone != "Asia/Kolkata" || good.DIGIPIN == "" {
		t.Fatalf("good centre: %v %+v", err, good)
	}
	bad := []DC{
		{ID: "X", Name: "One", Address: "Road", PIN: "560034", Lat: 12.9, Lon: 77.6},
		{ID: "ok-id", Name: "", Address: "Road", PIN: "560034", Lat: 12.9, Lon: 77.6},
		{ID: "ok-id", Name: "One", Address: "Road", PIN: "56003", Lat: 12.9, Lon: 77.6},
		{ID: "ok-id", Name: "One", Address: "Road", PIN: "560034", Lat: 51.5, Lon: 0},
		{ID: "ok-id", Name: "One", Address: "Road", PIN: "560034", Lat: 12.9, Lon: 77.6, TimeZone: "Mars/Olympus"},
	}
	for i, dc := range bad {
		if err := validateDC(&dc); err == nil {
			t.Errorf("bad centre %d accepted", i)
		}
	}
	for i, b := range []Beat{{Name: "x"}, {Name: "", PINs: []string{"560034"}}, {Name: "x", DIGIPINPrefixes: []string{"AB"}}, {Name: "x", PINs: []string{"1"}}} {
		if err := validateBeat(&b); err == nil {
			t.Errorf("bad beat %d accepted", i)
		}
	}
	b := Beat{Name: "x", DIGIPINPrefixes: []string{"4p3-jm9"}}
	if err := validateBeat(&b); err != nil || b.DIGIPINPrefixes[0] != "4P3JM9" {
		t.Fatalf("prefix normalisation: %v %v", err, b.DIGIPINPrefixes)
	}
}
