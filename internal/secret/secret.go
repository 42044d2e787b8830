// Package secret derives the server's working keys from DAKIYA_SECRET_KEY,
// one independent key per purpose, so that no two uses ever share a key.
package secret

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// Keyring derives purpose-bound keys from the master secret.
type Keyring struct {
	master []byte
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

// New returns a keyring over master.
func New(master string) Keyring { return Keyring{master: []byte(master)} }

// Key derives a 32-byte key for purpose with HKDF-SHA256.
func (k Keyring) Key(purpose string) []byte {
	key, err := hkdf.Key(sha256.New, k.master, nil, purpose, 32)
	if err != nil { // only for lengths HKDF cannot produce; 32 always fits
		panic(fmt.Sprintf("secret: derive %q: %v", purpose, err))
	}
	return key
}

// PurposeONDCSigning derives the ONDC signing key's seed in development
// (production names a key file).
const PurposeONDCSigning = "dakiya ondc-signing v1"
