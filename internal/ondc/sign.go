package ondc

// This file signs and verifies Beckn's Authorization header: Ed25519 over
// a signing string that carries the request's creation and expiry times
// and the BLAKE2b-512 digest of its body.

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/blake2b"

	"dakiya/internal/postal"
)

// SignatureTTL is how long a signature we make stays valid.
const SignatureTTL = 5 * time.Minute

// maxSkew is how far in the future a peer's created time may lie.
const maxSkew = time.Minute

// Signer signs our requests as one subscriber key.
type Signer struct {
	SubscriberID string
	UniqueKeyID  string
	Key          ed25519.PrivateKey
}

// NewSigner returns a Signer with the Ed25519 key of seed (32 bytes).
func NewSigner(subscriberID, uniqueKeyID string, seed []byte) (Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return Signer{}, fmt.Errorf("ondc: a signing seed has %d bytes, not %d", ed25519.SeedSize, len(seed))
	}
	return Signer{SubscriberID: subscriberID, UniqueKeyID: uniqueKeyID, Key: ed25519.NewKeyFromSeed(seed)}, nil
}

// PublicKey is the base64 public key to list in a registry.
func (s Signer) PublicKey() string {
	return base64.StdEncoding.EncodeToString(s.Key.Public().(ed25519.PublicKey))
}

// Digest is "BLAKE-512=" and the base64 BLAKE2b-512 of body.
func Digest(body []byte) string {
	sum := blake2b.Sum512(body)
	return "BLAKE-512=" + base64.StdEncoding.EncodeToString(sum[:])
}

// signingString is what the signature covers.
func signingString(created, expires int64, body []byte) string {
	return fmt.Sprintf("(created): %d\n(expires): %d\ndigest: %s", created, expires, Digest(body))
}

// Header returns the Authorization header for body sent at now.
func (s Signer) Header(body []byte, now time.Time) string {
	created := now.Unix()
	expires := now.Add(SignatureTTL).Unix()
	sig := ed25519.Sign(s.Key, []byte(signingString(created, expires, body)))
	return fmt.Sprintf(`Signature keyId="%s|%s|ed25519",algorithm="ed25519",created="%d",expires="%d",headers="(created) (expires) digest",signature="%s"`,
		s.SubscriberID, s.UniqueKeyID, created, expires, base64.StdEncoding.EncodeToString(sig))
}

// Signature is a parsed Authorization header.
type Signature struct {
	SubscriberID string
	UniqueKeyID  string
	Created      int64
	Expires      int64
	Sig          []byte
}

var sigParam = regexp.MustCompile(`([a-zA-Z]+)="([^"]*)"`)

// ParseHeader reads a Beckn Authorization header.
func ParseHeader(h string) (Signature, error) {
	bad := func(why string) (Signature, error) {
		return Signature{}, postal.Errorf(postal.CodeUnauthenticated, "ondc signature: %s", why)
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(h), "Signature ")
	if !ok || len(h) > 2048 {
		return bad("not a Signature header")
	}
	p := map[string]string{}
	for _, m := range sigParam.FindAllStringSubmatch(rest, -1) {
		p[m[1]] = m[2]
	}
	parts := strings.Split(p["keyId"], "|")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] != "ed25519" {
		return bad(`keyId is not "subscriber_id|unique_key_id|ed25519"`)
	}
	if a := p["algorithm"]; a != "" && a != "ed25519" {
		return bad("algorithm is not ed25519")
	}
	if hs := p["headers"]; hs != "" && hs != "(created) (expires) digest" {
		return bad(`headers is not "(created) (expires) digest"`)
	}
	created, err1 := strconv.ParseInt(p["created"], 10, 64)
	expires, err2 := strconv.ParseInt(p["expires"], 10, 64)
	sig, err3 := base64.StdEncoding.DecodeString(p["signature"])
	if err1 != nil || err2 != nil || err3 != nil || len(sig) != ed25519.SignatureSize {
		return bad("created, expires or signature is malformed")
	}
	return Signature{SubscriberID: parts[0], UniqueKeyID: parts[1], Created: created, Expires: expires, Sig: sig}, nil
}

// Verify checks header over body at now against the registry and returns
// the signer's entry.
func Verify(reg Registry, header string, body []byte, now time.Time) (Subscriber, error) {
	s, err := ParseHeader(header)
	if err != nil {
		return Subscriber{}, err
	}
	sub, ok := reg.Lookup(s.SubscriberID, s.UniqueKeyID)
	if !ok {
		return Subscriber{}, postal.Errorf(postal.CodeUnauthenticated, "ondc signature: %s|%s is not in the registry", s.SubscriberID, s.UniqueKeyID)
	}
	if now.Add(maxSkew).Unix() < s.Created || now.Unix() >= s.Expires || s.Expires <= s.Created {
		return Subscriber{}, postal.Errorf(postal.CodeUnauthenticated, "ondc signature: outside its created/expires window")
	}
	if !ed25519.Verify(sub.PublicKey, []byte(signingString(s.Created, s.Expires, body)), s.Sig) {
		return Subscriber{}, postal.Errorf(postal.CodeUnauthenticated, "ondc signature: does not verify")
	}
	return sub, nil
}
