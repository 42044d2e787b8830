package auth

import (
	"sync"
	"time"

	"dakiya/internal/postal"
)

// maxVerified bounds the access tokens a replica remembers as checked:
// about 10 MB, more than the staff of many centres signed in at once.
const maxVerified = 20000

// verified remembers the access tokens whose signature and claims were
// checked, by their exact text, until they expire: a phone sends the same
// token with every request for its 15 minutes, and checking it once is
// enough. What a token says cannot change, so only its expiry is checked
// again; the sessions-ended check (revocations) runs on every request all
// the same. Keys are only ever added (AcceptPrevious), never removed while
// serving, so a remembered token's key still verifies it.
type verified struct {
	mu  sync.RWMutex
	m   map[string]verifiedToken
	max int
}

type verifiedToken struct {
	p   postal.Principal
	rv  int64
	exp time.Time
}

func newVerified(max int) *verified { return &verified{m: map[string]verifiedToken{}, max: max} }

// get returns a remembered token's principal and sessions-ended time, if
// it is remembered and unexpired at now.
func (v *verified) get(raw string, now time.Time) (postal.Principal, int64, bool) {
	v.mu.RLock()
	t, ok := v.m[raw]
	v.mu.RUnlock()
	if !ok || !now.Before(t.exp) {
		return postal.Principal{}, 0, false
	}
	return t.p, t.rv, true
}

// put remembers a checked token; when full it forgets the expired ones,
// and all of them if none had.
func (v *verified) put(raw string, p postal.Principal, rv int64, exp, now time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) >= v.max {
		for k, t := range v.m {
			if !now.Before(t.exp) {
				delete(v.m, k)
			}
		}
		if len(v.m) >= v.max {
			clear(v.m)
		}
	}
	v.m[raw] = verifiedToken{p: p, rv: rv, exp: exp}
}
