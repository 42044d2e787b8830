package postal

import "net/netip"

// ClientKey is the key a client address is counted under by every limit
// (login failures, public rate limits): an IPv6 address by its /64, which
// one subscriber usually holds whole, so hopping between its addresses
// does not buy fresh buckets; anything else (IPv4, IPv4-mapped IPv6, text
// that is no address) as it is.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() || a.Is4In6() {
		return addr
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}
