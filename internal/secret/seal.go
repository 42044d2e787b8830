package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// Sealer encrypts small secrets at rest with AES-256-GCM, each bound to the
// id of what it belongs to (an article, a message) as associated data, so a
// sealed value cannot be moved to another. A sealed value is
// base64(nonce || ciphertext), without padding. The zero Sealer opens and
// seals nothing.
type Sealer struct {
	aead     cipher.AEAD
	previous []cipher.AEAD // open only: the keys of a rotation's previous secret
}

// NewSealer returns a Sealer with a 32-byte key (derive it with Key for the
// purpose it serves). It seals with key and opens with key or any of the
// previous keys (Keyring.Previous), so values sealed before a rotation stay
// readable while it lasts.
func NewSealer(key []byte, previous ...[]byte) (Sealer, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return Sealer{}, err
	}
	s := Sealer{aead: aead}
	for _, p := range previous {
		old, err := newAEAD(p)
		if err != nil {
			return Sealer{}, err
		}
		s.previous = append(s.previous, old)
	}
	return s, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, errors.New("secret: the seal key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: seal key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: seal key: %w", err)
	}
	return aead, nil
}

// Seal encrypts plain for the owner id.
func (s Sealer) Seal(id string, plain []byte) (string, error) {
	if s.aead == nil {
		return "", errors.New("secret: no seal key")
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secret: nonce: %w", err)
	}
	return base64.RawStdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(id))), nil
}

// Open decrypts a value sealed for the owner id.
func (s Sealer) Open(id, sealed string) ([]byte, error) {
	if s.aead == nil {
		return nil, errors.New("secret: no seal key")
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	n := s.aead.NonceSize()
	if err != nil || len(raw) < n {
		return nil, errors.New("secret: malformed sealed value")
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(id))
	for _, old := range s.previous {
		if err == nil {
			break
		}
		plain, err = old.Open(nil, raw[:n], raw[n:], []byte(id))
	}
	if err != nil {
		return nil, errors.New("secret: sealed value does not open with this key and id")
	}
	return plain, nil
}
