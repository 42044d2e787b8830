package tariff

import "testing"

// TestZoneOf: each zone, and the precedence when several apply (local,
// then special, then within state, then metro, then rest of India).
func TestZoneOf(t *testing.T) {
	for _, tt := range []struct {
		name, from, to string
		want           Zone
	}{
		{"same sorting district", "560034", "560001", ZoneLocal},
		{"local beats special (Srinagar to Srinagar)", "190001", "190005", ZoneLocal},
		{"local beats metro (Delhi to Delhi)", "110001", "110092", ZoneLocal},
		{"within state", "560034", "570001", ZoneWithinState},
		{"within state beats metro (Mumbai to Pune)", "400001", "411001", ZoneWithinState},
		{"metro to metro", "560034", "110001", ZoneMetro},
		{"metro to metro (Kolkata to Ahmedabad)", "700001", "380001", ZoneMetro},
		{"metro to metro (Chennai to Hyderabad)", "600001", "500001", ZoneMetro},
		{"special beats metro and within state (Jammu to Srinagar)", "180001", "190001", ZoneSpecial},
		{"special at the far end", "110001", "190001", ZoneSpecial},
		{"special at the near end", "781001", "560034", ZoneSpecial},
		{"Ladakh", "194101", "110001", ZoneSpecial},
		{"Himachal", "171001", "160017", ZoneSpecial},
		{"Sikkim inside West Bengal's range", "737101", "700001", ZoneSpecial},
		{"Andaman and Nicobar inside West Bengal's range", "744101", "700001", ZoneSpecial},
		{"Lakshadweep inside Kerala's range", "682555", "682001", ZoneSpecial},
		{"Kerala is not Lakshadweep", "682001", "695001", ZoneWithinState},
		{"Goa is not Maharashtra", "403001", "400001", ZoneRest},
		{"Chandigarh is not Punjab", "160017", "141001", ZoneRest},
		{"Jharkhand is not Bihar", "834001", "800001", ZoneRest},
		{"Uttarakhand is not Uttar Pradesh", "248001", "226001", ZoneRest},
		{"Telangana is not Andhra Pradesh", "500001", "520001", ZoneRest},
		{"one metro end only", "110001", "302001", ZoneRest},
	} {
		if got := ZoneOf(tt.from, tt.to); got != tt.want {
			t.Errorf("%s: ZoneOf(%s, %s) = %s, want %s", tt.name, tt.from, tt.to, got, tt.want)
		}
		if got := ZoneOf(tt.to, tt.from); got != tt.want {
			t.Errorf("%s: ZoneOf(%s, %s) = %s, want %s (zones are symmetric)", tt.name, tt.to, tt.from, got, tt.want)
		}
	}
}

// TestStateOf: the longest prefix wins; unallocated prefixes and the Army
// Postal Service have no state.
func TestStateOf(t *testing.T) {
	for pin, want := range map[string]string{
		"110001": stDL, "403001": stGA, "400001": stMH, "194101": stLA, "190001": stJK,
		"682555": stLD, "682560": stKL, "737101": stSK, "744101": stAN, "834001": stJH,
		"290001": "", "350001": "", "540001": "", "650001": "", "860001": "", "999999": "", "560034": stKA,
	} {
		if got := stateOf(pin); got != want {
			t.Errorf("stateOf(%s) = %q, want %q", pin, got, want)
		}
	}
}
