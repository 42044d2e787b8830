package tariff

// This file works out the zone an article travels in from its two PINs.

// Zone is a band of distance and difficulty a tariff prices apart.
type Zone string

// The zones, in the order a tariff lists them.
const (
	ZoneLocal       Zone = "local"         // the same sorting district: the first three PIN digits and the state agree
	ZoneSpecial     Zone = "special"       // either end in a special region (specialStates)
	ZoneWithinState Zone = "within_state"  // the same state or union territory
	ZoneMetro       Zone = "metro"         // both ends in metro cities' delivery areas (metroPrefixes)
	ZoneRest        Zone = "rest_of_india" // anything else
)

// Zones lists every zone.
func Zones() []Zone {
	return []Zone{ZoneLocal, ZoneWithinState, ZoneMetro, ZoneRest, ZoneSpecial}
}

// Valid reports whether z is a known zone.
func (z Zone) Valid() bool {
	for _, k := range Zones() {
		if k == z {
			return true
		}
	}
	return false
}

// ZoneOf returns the zone between two valid PINs whose states are known.
// When several zones apply the first of this list wins:
//
//  1. local: the same sorting district (first three digits) in the same
//     state, even in a special region (Srinagar to Srinagar is a local
//     article; Kochi 682 to Kavaratti 68255x is not: another territory);
//  2. special: either end in a special region (Delhi to Srinagar, Jammu to
//     Srinagar, Kolkata to Port Blair);
//  3. within state: the same state (Mumbai to Pune is within Maharashtra,
//     not metro to metro);
//  4. metro: both ends in metro delivery areas of different states (Delhi
//     to Bengaluru);
//  5. rest of India.
func ZoneOf(from, to string) Zone {
	fromState, toState := stateOf(from), stateOf(to)
	switch {
	case from[:3] == to[:3] && fromState == toState:
		return ZoneLocal
	case specialStates[fromState] || specialStates[toState]:
		return ZoneSpecial
	case fromState == toState:
		return ZoneWithinState
	case metroPrefixes[from[:3]] != "" && metroPrefixes[to[:3]] != "":
		return ZoneMetro
	}
	return ZoneRest
}
