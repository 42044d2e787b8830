// Package secret derives the server's working keys from DAKIYA_SECRET_KEY,
// one independent key per purpose, so that no two uses ever share a key.
package secret

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// Keyring derives purpose-bound keys from the master secret and, during a
// rotation, from the previous masters, which still open and verify what
// they made but make nothing new.
type Keyring struct {
	master   []byte
	previous [][]byte
}

// Purposes a key may be derived for. Changing one invalidates what was made
// with it.
const (
	PurposeAccessToken = "dakiya access-token v1"
	PurposeSlotLink    = "dakiya slot-link v1"
	PurposeOTPSeal     = "dakiya otp-seal v1"
	PurposeSMSSeal     = "dakiya sms-seal v1" // a code in a queued or sent SMS
	PurposePODLink     = "dakiya pod-link v1" // a partner's proof-of-delivery image link
)

// PurposeWebhookSeal seals a webhook subscription's signing secret.
const PurposeWebhookSeal = "dakiya webhook-seal v1"

// New returns a keyring over master, with the previous masters of a
// rotation (DAKIYA_SECRET_KEY_PREVIOUS), if any.
func New(master string, previous ...string) Keyring {
	k := Keyring{master: []byte(master)}
	for _, p := range previous {
		if p != "" && p != master {
			k.previous = append(k.previous, []byte(p))
		}
	}
	return k
}

// Key derives the current 32-byte key for purpose with HKDF-SHA256.
func (k Keyring) Key(purpose string) []byte { return derive(k.master, purpose) }

// Previous derives purpose's keys from the previous masters, newest first.
func (k Keyring) Previous(purpose string) [][]byte {
	var out [][]byte
	for _, m := range k.previous {
		out = append(out, derive(m, purpose))
	}
	return out
}

func derive(master []byte, purpose string) []byte {
	key, err := hkdf.Key(sha256.New, master, nil, purpose, 32)
	if err != nil { // only for lengths HKDF cannot produce; 32 always fits
		panic(fmt.Sprintf("secret: derive %q: %v", purpose, err))
	}
	return key
}

// PurposeONDCSigning derives the ONDC signing key's seed in development
// (production names a key file).
const PurposeONDCSigning = "dakiya ondc-signing v1"
