package otp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// Digits is the length of a recipient's code.
const Digits = 6

// seedLen is the size of an article's random HOTP seed: 160 bits, as RFC
// 4226 recommends.
const seedLen = 20

// Sealer encrypts seeds at rest with AES-256-GCM, binding each to its
// article so a sealed seed cannot be moved to another article.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer with a 32-byte key (derive it for
// secret.PurposeOTPSeal).
func NewSealer(key []byte) (Sealer, error) {
	if len(key) != 32 {
		return Sealer{}, errors.New("otp: the seal key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return Sealer{}, fmt.Errorf("otp: seal key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Sealer{}, fmt.Errorf("otp: seal key: %w", err)
	}
	return Sealer{aead: aead}, nil
}

// Seal encrypts seed for article id: base64(nonce || ciphertext).
func (s Sealer) Seal(id string, seed []byte) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("otp: nonce: %w", err)
	}
	out := s.aead.Seal(nonce, nonce, seed, []byte(id))
	return base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a sealed seed of article id.
func (s Sealer) Open(id, sealed string) ([]byte, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return nil, errors.New("otp: malformed sealed seed")
	}
	n := s.aead.NonceSize()
	seed, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(id))
	if err != nil {
		return nil, errors.New("otp: sealed seed does not open with this key")
	}
	return seed, nil
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
