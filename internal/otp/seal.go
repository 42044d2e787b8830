package otp

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"

	"dakiya/internal/secret"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// Digits is the length of a recipient's code.
const Digits = 6

// seedLen is the size of an article's random HOTP seed: 160 bits, as RFC
// 4226 recommends.
const seedLen = 20

// Sealer encrypts seeds at rest, binding each to its article id so a
// sealed seed cannot be moved to another article (derive its key for
// secret.PurposeOTPSeal).
type Sealer = secret.Sealer

// NewSealer returns a Sealer with a 32-byte key.
func NewSealer(key []byte, previous ...[]byte) (Sealer, error) {
	return secret.NewSealer(key, previous...)
}

// NewSeed returns a random seed.
func NewSeed() ([]byte, error) {
	seed := make([]byte, seedLen)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("otp: seed: %w", err)
	}
	return seed, nil
}

// Code returns the HOTP code (RFC 4226, SHA-1, six digits) of seed at
// counter; a resend moves the counter, so each resend has its own code.
func Code(seed []byte, counter uint64) (string, error) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seed)
	code, err := hotp.GenerateCodeCustom(secret, counter, hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", fmt.Errorf("otp: code: %w", err)
	}
	return code, nil
}
